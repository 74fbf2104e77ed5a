import { useState } from "react";

import { messageOf } from "../../api/errors";
import type { Member, OrgRole, Project } from "../../api/types";
import { useSignedIn } from "../../auth/session";
import { formatDateTime } from "../../lib/format";
import { MANAGE, ROLES, useRole } from "../../org/roles";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CheckboxField, SelectField } from "../../ui/Field";
import { Section } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { useMembers, useRemoveMember, useUpdateMember } from "./queries";

/** The roles the caller may hand out: only an owner grants the owner role. */
export function grantable(isOwner: boolean): OrgRole[] {
  return ROLES.filter((r) => isOwner || r !== "owner");
}

function projectNames(member: Member, projects: Project[]): string {
  if (member.project_ids === null) return "All projects";
  if (member.project_ids.length === 0) return "No projects";
  const byId = new Map(projects.map((p) => [p.id, p.name]));
  return member.project_ids.map((id) => byId.get(id) ?? "a deleted project").join(", ");
}

function ProjectAccess({ member, projects, onDone }: { member: Member; projects: Project[]; onDone: () => void }) {
  const update = useUpdateMember();
  const [all, setAll] = useState(member.project_ids === null);
  const [chosen, setChosen] = useState<string[]>(member.project_ids ?? []);
  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  return (
    <fieldset className="mt-2 rounded-md border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-800">Projects {member.name} may use</legend>
      <CheckboxField label="All projects (and containers in none)" checked={all} onChange={(e) => setAll(e.target.checked)} />
      {!all
        ? projects.map((p) => (
            <CheckboxField key={p.id} label={p.name} checked={chosen.includes(p.id)} onChange={() => toggle(p.id)} />
          ))
        : null}
      {update.isError ? <Alert tone="error">{messageOf(update.error)}</Alert> : null}
      <div className="mt-2 flex gap-2">
        <Button
          busy={update.isPending}
          onClick={() =>
            update.mutate(
              { userId: member.user_id, body: { project_ids: all ? null : chosen } },
              { onSuccess: onDone },
            )
          }
        >
          Save access
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </fieldset>
  );
}

function MemberRow({ member, projects, self }: { member: Member; projects: Project[]; self: boolean }) {
  const { canManage, isOwner } = useRole();
  const update = useUpdateMember();
  const remove = useRemoveMember();
  const [confirm, setConfirm] = useState(false);
  const [editing, setEditing] = useState(false);
  // Owners are touched by owners only; an admin may change everyone else.
  const mayChange = canManage && (isOwner || member.role !== "owner");
  const limitable = !MANAGE.includes(member.role);
  return (
    <li className="py-3">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <div className="min-w-0 flex-1 basis-56">
          <p className="font-semibold text-slate-900">
            {member.name} {self ? <span className="text-sm font-normal text-slate-600">(you)</span> : null}
          </p>
          <p className="text-sm break-all text-slate-700">{member.email}</p>
          <p className="text-xs text-slate-600">
            {projectNames(member, projects)} · joined {formatDateTime(member.joined_at)}
          </p>
        </div>
        {mayChange ? (
          <SelectField
            label={`Role of ${member.name}`}
            srOnlyLabel
            className="w-40"
            value={member.role}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ userId: member.user_id, body: { role: e.target.value as OrgRole } })}
          >
            {grantable(isOwner).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
        ) : (
          <span className="rounded-full bg-slate-100 px-3 py-1 text-sm font-medium text-slate-800">{member.role}</span>
        )}
        {mayChange && limitable && projects.length > 0 ? (
          <Button variant="secondary" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
            Project access
          </Button>
        ) : null}
        {mayChange && !self ? (
          <Button variant="danger" onClick={() => setConfirm(true)}>
            Remove
          </Button>
        ) : null}
      </div>
      {editing ? <ProjectAccess member={member} projects={projects} onDone={() => setEditing(false)} /> : null}
      <div aria-live="polite">
        {update.isError ? <Alert tone="error">{messageOf(update.error)}</Alert> : null}
        {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      </div>
      <ConfirmDialog
        open={confirm}
        title={`Remove ${member.name}?`}
        confirmLabel="Remove"
        busy={remove.isPending}
        onCancel={() => setConfirm(false)}
        onConfirm={() => remove.mutate(member.user_id, { onSettled: () => setConfirm(false) })}
      >
        {member.name} loses access to this organization at once. You can invite them again later.
      </ConfirmDialog>
    </li>
  );
}

export function Members({ projects }: { projects: Project[] }) {
  const { user } = useSignedIn();
  const members = useMembers();
  return (
    <Section title="Members">
      {members.isPending ? <Loading label="Loading members…" /> : null}
      {members.isError ? <ErrorState error={members.error} onRetry={() => void members.refetch()} /> : null}
      {members.data ? (
        <ul aria-label="Members" className="divide-y divide-slate-200">
          {members.data.members.map((m) => (
            <MemberRow key={m.user_id} member={m} projects={projects} self={m.user_id === user.id} />
          ))}
        </ul>
      ) : null}
    </Section>
  );
}
