import { type SyntheticEvent, useState } from "react";

import { messageOf } from "../../api/errors";
import type { InviteCreated, OrgRole } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { ROLE_DESCRIPTIONS, useRole } from "../../org/roles";
import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { Section } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { grantable } from "./Members";
import { useInvite, useInvites, useRevokeInvite } from "./queries";

const LABELS = { email: "Email", role: "Role" };

/** The new invitation's link, to copy; it is shown this once (only a hash of it is kept). */
function IssuedLink({ issued }: { issued: InviteCreated }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(issued.link).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <div className="space-y-2">
      <Alert tone={issued.mailed ? "success" : "warning"}>
        {issued.mailed
          ? `The invitation was mailed to ${issued.email}. You can also pass on the link yourself:`
          : `The invitation could not be mailed to ${issued.email}. Copy the link and send it yourself:`}
      </Alert>
      <div className="flex flex-wrap items-end gap-2">
        <TextField
          label="Invitation link"
          className="min-w-0 flex-1 basis-72"
          value={issued.link}
          readOnly
          onFocus={(e) => e.target.select()}
          hint={`Works once, for ${issued.email} only, until ${formatDateTime(issued.expires_at)}.`}
        />
        <Button variant="secondary" onClick={copy}>
          Copy link
        </Button>
      </div>
      <p className="text-sm text-slate-700" aria-live="polite">
        {copied === true ? "Copied." : copied === false ? "Copying is not allowed here; select the link and copy it." : ""}
      </p>
    </div>
  );
}

function InviteForm() {
  const { isOwner } = useRole();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<OrgRole>("developer");
  const invite = useInvite();
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    invite.mutate(
      { email: email.trim(), role },
      {
        onSuccess: () => setEmail(""),
        onError: fail,
      },
    );
  };
  return (
    <div className="space-y-4">
      <form onSubmit={submit} noValidate className="space-y-4">
        <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
        <div className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start">
          <TextField
            id={fieldId("email")}
            label="Email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={errors.fields.email}
          />
          <SelectField
            id={fieldId("role")}
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value as OrgRole)}
            error={errors.fields.role}
            hint={ROLE_DESCRIPTIONS[role]}
          >
            {grantable(isOwner).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
          <Button type="submit" busy={invite.isPending} className="sm:mt-6">
            Invite
          </Button>
        </div>
      </form>
      {invite.data ? <IssuedLink issued={invite.data} /> : null}
    </div>
  );
}

function PendingInvites() {
  const invites = useInvites(true);
  const revoke = useRevokeInvite();
  if (invites.isPending) return <Loading label="Loading invitations…" />;
  if (invites.isError) return <ErrorState error={invites.error} onRetry={() => void invites.refetch()} />;
  const pending = invites.data.invites;
  return (
    <div>
      <h3 className="mb-2 text-base font-semibold text-slate-900">Pending invitations</h3>
      {pending.length === 0 ? (
        <p className="text-sm text-slate-700">No invitation is waiting for an answer.</p>
      ) : (
        <ul aria-label="Pending invitations" className="divide-y divide-slate-200">
          {pending.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-x-6 gap-y-2 py-2 text-sm">
              <span className="min-w-0 flex-1 basis-56 break-all font-medium text-slate-900">{i.email}</span>
              <span className="text-slate-700">{i.role}</span>
              <span className="text-xs text-slate-600">expires {formatDateTime(i.expires_at)}</span>
              <Button
                variant="secondary"
                busy={revoke.isPending && revoke.variables === i.id}
                onClick={() => revoke.mutate(i.id)}
                aria-label={`Revoke the invitation of ${i.email}`}
              >
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}
      {revoke.isError ? <Alert tone="error">{messageOf(revoke.error)}</Alert> : null}
    </div>
  );
}

export function Invites() {
  return (
    <Section title="Invite people">
      <div className="space-y-6">
        <InviteForm />
        <PendingInvites />
      </div>
    </Section>
  );
}
