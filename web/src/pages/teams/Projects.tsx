import { type SyntheticEvent, useState } from "react";

import { messageOf } from "../../api/errors";
import type { Project } from "../../api/types";
import { useRole } from "../../org/roles";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { Section } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { useCreateProject, useDeleteProject, useProjects, useRenameProject } from "./queries";

function ProjectRow({ project }: { project: Project }) {
  const { canManage } = useRole();
  const rename = useRenameProject();
  const remove = useDeleteProject();
  const [name, setName] = useState<string | null>(null);
  const [confirm, setConfirm] = useState(false);
  const busy = project.resource_count > 0;
  return (
    <li className="py-3">
      {name === null ? (
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <span className="min-w-0 flex-1 basis-48 font-semibold text-slate-900">{project.name}</span>
          <span className="text-sm text-slate-700">
            {project.resource_count === 1 ? "1 container" : `${project.resource_count} containers`}
          </span>
          {canManage ? (
            <>
              <Button variant="secondary" onClick={() => setName(project.name)}>
                Rename
              </Button>
              <Button
                variant="danger"
                onClick={() => setConfirm(true)}
                disabled={busy}
                title={busy ? "Move or delete its containers first" : undefined}
              >
                Delete
              </Button>
            </>
          ) : null}
        </div>
      ) : (
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            rename.mutate({ id: project.id, name: name.trim() }, { onSuccess: () => setName(null) });
          }}
        >
          <TextField label={`New name of ${project.name}`} value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit" busy={rename.isPending}>
            Save
          </Button>
          <Button variant="secondary" onClick={() => setName(null)}>
            Cancel
          </Button>
        </form>
      )}
      {rename.isError ? <Alert tone="error">{messageOf(rename.error)}</Alert> : null}
      {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      <ConfirmDialog
        open={confirm}
        title={`Delete ${project.name}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirm(false)}
        onConfirm={() => remove.mutate(project.id, { onSettled: () => setConfirm(false) })}
      >
        Members limited to this project lose access to it.
      </ConfirmDialog>
    </li>
  );
}

function NewProject() {
  const [name, setName] = useState("");
  const create = useCreateProject();
  const { errors, fail, clear, summary } = useFormErrors((f) => f === "name");
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    create.mutate({ name: name.trim() }, { onSuccess: () => setName(""), onError: fail });
  };
  return (
    <form onSubmit={submit} noValidate className="mt-4 space-y-2">
      <ErrorSummary errors={errors} summaryRef={summary} labels={{ name: "Project name" }} />
      <div className="flex flex-wrap items-start gap-2">
        <TextField
          id={fieldId("name")}
          label="Project name"
          className="min-w-0 flex-1 basis-56"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields.name}
          autoComplete="off"
        />
        <Button type="submit" busy={create.isPending} className="sm:mt-6">
          Create project
        </Button>
      </div>
    </form>
  );
}

export function Projects() {
  const { canManage } = useRole();
  const projects = useProjects();
  return (
    <Section title="Projects">
      <p className="mb-2 text-sm text-slate-700">
        Projects group containers. Developers, billing members and viewers can be limited to some of them.
      </p>
      {projects.isPending ? <Loading label="Loading projects…" /> : null}
      {projects.isError ? <ErrorState error={projects.error} onRetry={() => void projects.refetch()} /> : null}
      {projects.data && projects.data.projects.length === 0 ? (
        <p className="text-sm text-slate-700">No projects yet.</p>
      ) : null}
      {projects.data && projects.data.projects.length > 0 ? (
        <ul aria-label="Projects" className="divide-y divide-slate-200">
          {projects.data.projects.map((p) => (
            <ProjectRow key={p.id} project={p} />
          ))}
        </ul>
      ) : null}
      {canManage ? <NewProject /> : null}
    </Section>
  );
}
