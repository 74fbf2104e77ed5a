import { type SyntheticEvent, useState } from "react";

import { messageOf } from "../../api/errors";
import { formatBytes, formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Pager, useCursors } from "../../ui/Pager";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { useContainerPage } from "../containers/queries";
import { useFormErrors } from "../useFormErrors";
import {
  type Backup,
  type BackupCreate,
  type BackupSchedule,
  useBackupAction,
  useBackupPage,
  useCreateBackup,
  useSchedules,
  useStopSchedule,
} from "./queries";

const LABELS: Record<string, string> = {
  container_id: "Container",
  volumes: "Volumes",
  schedule: "Schedule",
  retention: "Keep",
};
const known = (field: string) => (field.split(".")[0] ?? "") in LABELS;

function state(b: Backup): string {
  if (b.status === "pending") return "Being taken…";
  if (b.status === "failed") return `Failed: ${b.status_reason ?? "unknown reason"}`;
  if (b.restore_status === "restoring") return "Restoring…";
  return "Completed";
}

function verified(b: Backup): string {
  if (b.last_verified_at) return `Verified restorable ${formatDateTime(b.last_verified_at)}`;
  if (b.verification === "failed") return `Not verified: ${b.verification_reason ?? "the test restore failed"}`;
  if (b.status === "completed") return "Verifying…";
  return "Not verified";
}

function CreateBackup() {
  const containers = useContainerPage(undefined, 100);
  const [containerId, setContainerId] = useState("");
  const [volumes, setVolumes] = useState("");
  const [schedule, setSchedule] = useState("");
  const [retention, setRetention] = useState("");
  const { errors, fail, clear, summary } = useFormErrors(known);
  const create = useCreateBackup();
  const choices = (containers.data?.containers ?? []).filter((c) => c.volumes.length > 0);
  const chosen = containerId || choices[0]?.id || "";
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    const names = volumes
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    const body: BackupCreate = {
      container_id: chosen,
      ...(names.length ? { volumes: names } : {}),
      ...(schedule.trim() ? { schedule: schedule.trim() } : {}),
      ...(retention.trim() ? { retention: Number(retention) } : {}),
    };
    create.mutate(body, { onError: fail, onSuccess: () => setVolumes("") });
  };
  if (containers.isPending) return <Loading label="Loading containers…" />;
  if (choices.length === 0) {
    return <EmptyState title="Nothing to back up">Only containers with volumes can be backed up.</EmptyState>;
  }
  return (
    <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <ErrorSummary errors={errors} summaryRef={summary} labels={(f) => LABELS[f.split(".")[0] ?? f] ?? f} />
      </div>
      <SelectField
        id={fieldId("container_id")}
        label="Container"
        value={chosen}
        onChange={(e) => setContainerId(e.target.value)}
        error={errors.fields.container_id}
      >
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.volumes.map((v) => v.name).join(", ")})
          </option>
        ))}
      </SelectField>
      <TextField
        id={fieldId("volumes")}
        label="Volumes (optional)"
        value={volumes}
        onChange={(e) => setVolumes(e.target.value)}
        error={Object.entries(errors.fields).find(([f]) => f.startsWith("volumes"))?.[1]}
        hint="Comma-separated; empty backs up all of the container's volumes."
        autoComplete="off"
      />
      <TextField
        id={fieldId("schedule")}
        label="Schedule (optional)"
        value={schedule}
        onChange={(e) => setSchedule(e.target.value)}
        error={errors.fields.schedule}
        hint="Cron, UTC: minute hour day month weekday. '0 3 * * *' is every day at 03:00."
        placeholder="0 3 * * *"
        autoComplete="off"
      />
      <TextField
        id={fieldId("retention")}
        label="Keep (optional)"
        type="number"
        min={1}
        max={100}
        value={retention}
        onChange={(e) => setRetention(e.target.value)}
        error={errors.fields.retention}
        hint="How many backups of this container to keep; older ones are deleted."
      />
      <div className="sm:col-span-2">
        <Button type="submit" busy={create.isPending}>
          Back up now
        </Button>
        {create.isSuccess ? (
          <p role="status" className="mt-2 text-sm text-slate-700">
            The backup is being taken; it is listed below.
          </p>
        ) : null}
      </div>
    </form>
  );
}

function BackupItem({ backup }: { backup: Backup }) {
  const [asking, setAsking] = useState<"restore" | "delete" | null>(null);
  const action = useBackupAction(backup.id);
  const done = backup.status === "completed";
  return (
    <li className="space-y-2 px-4 py-4">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-64 text-sm">
          <h3 className="font-semibold text-slate-900">
            {backup.container_name} · {backup.volumes.join(", ")}
          </h3>
          <p className="text-slate-700">
            {state(backup)} · taken {formatDateTime(backup.created_at)}
            {backup.size_bytes !== null ? ` · ${formatBytes(backup.size_bytes)}` : ""}
          </p>
          <p className="text-slate-700">{verified(backup)}</p>
          {backup.checksum ? (
            <p className="text-xs break-all text-slate-600">
              Checksum <code>{backup.checksum}</code>
            </p>
          ) : null}
          <p className="text-xs text-slate-600">
            {backup.schedule ? `Schedule ${backup.schedule} (UTC)` : "No schedule"}
            {backup.retention ? ` · keeps ${backup.retention}` : ""}
            {backup.restore_status === "restored" && backup.restored_at ? ` · restored ${formatDateTime(backup.restored_at)}` : ""}
          </p>
          {backup.restore_status === "failed" ? (
            <p className="text-sm font-medium text-red-800">Restore failed: {backup.restore_reason}</p>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setAsking("restore")} disabled={!done || backup.restore_status === "restoring"}>
            Restore<span className="sr-only"> backup of {backup.container_name}</span>
          </Button>
          <Button variant="danger" onClick={() => setAsking("delete")} disabled={backup.status === "pending"}>
            Delete<span className="sr-only"> backup of {backup.container_name}</span>
          </Button>
        </div>
      </div>
      {action.isError ? <Alert tone="error">{messageOf(action.error)}</Alert> : null}
      <ConfirmDialog
        open={asking === "restore"}
        title="Restore this backup?"
        confirmLabel="Restore"
        busy={action.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => action.mutate("restore", { onSettled: () => setAsking(null) })}
      >
        {backup.container_name} is stopped, its volumes {backup.volumes.join(", ")} are replaced by this backup of{" "}
        {formatDateTime(backup.created_at)}, and it is started again. What changed since is lost.
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === "delete"}
        title="Delete this backup?"
        confirmLabel="Delete"
        busy={action.isPending}
        onCancel={() => setAsking(null)}
        onConfirm={() => action.mutate("delete", { onSettled: () => setAsking(null) })}
      >
        The archive of {formatDateTime(backup.created_at)} is removed for good.
      </ConfirmDialog>
    </li>
  );
}

function ScheduleItem({ schedule, name }: { schedule: BackupSchedule; name: string }) {
  const [asking, setAsking] = useState(false);
  const stop = useStopSchedule(schedule.id);
  return (
    <li className="flex flex-wrap items-start gap-x-4 gap-y-2 px-4 py-3 text-sm">
      <div className="min-w-0 flex-1 basis-64">
        <h3 className="font-semibold text-slate-900">{name}</h3>
        <p className="text-slate-700">
          <code>{schedule.schedule}</code> (UTC) · next {formatDateTime(schedule.next_run_at)}
          {schedule.retention ? ` · keeps ${schedule.retention}` : ""}
          {schedule.volumes.length ? ` · ${schedule.volumes.join(", ")}` : " · all volumes"}
        </p>
      </div>
      <Button variant="danger" onClick={() => setAsking(true)}>
        Stop schedule<span className="sr-only"> of {name}</span>
      </Button>
      {stop.isError ? <Alert tone="error">{messageOf(stop.error)}</Alert> : null}
      <ConfirmDialog
        open={asking}
        title="Stop this schedule?"
        confirmLabel="Stop schedule"
        busy={stop.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={() => stop.mutate(undefined, { onSettled: () => setAsking(false) })}
      >
        {name} is no longer backed up on its schedule. The backups taken so far stay.
      </ConfirmDialog>
    </li>
  );
}

function Schedules() {
  const schedules = useSchedules();
  const containers = useContainerPage(undefined, 100);
  const names = new Map((containers.data?.containers ?? []).map((c) => [c.id, c.name]));
  const list = schedules.data?.schedules ?? [];
  if (schedules.isPending) return <Loading label="Loading schedules…" />;
  if (schedules.isError) return <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />;
  if (list.length === 0) return <p className="text-sm text-slate-700">No schedules. Give a schedule when backing up.</p>;
  return (
    <ul aria-label="Schedules" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
      {list.map((s) => (
        <ScheduleItem key={s.id} schedule={s} name={names.get(s.container_id) ?? s.container_id} />
      ))}
    </ul>
  );
}

export default function BackupsPage() {
  useDocumentTitle("Backups");
  const cursors = useCursors();
  const page = useBackupPage(cursors.cursor);
  const list = page.data?.backups ?? [];
  return (
    <>
      <PageHeader
        title="Backups"
        description="Archives of your containers' volumes, encrypted, checked after upload and proven restorable by a test restore. Billed per GiB-month stored."
      />
      <div className="space-y-6">
        <Section title="Back up a container">
          <CreateBackup />
        </Section>
        <Section title="Schedules">
          <Schedules />
        </Section>
        <Section title="Backups">
          {page.isPending ? <Loading label="Loading backups…" /> : null}
          {page.isError ? <ErrorState error={page.error} onRetry={() => void page.refetch()} /> : null}
          {page.isSuccess && list.length === 0 ? <EmptyState title="No backups yet">Back up a container above.</EmptyState> : null}
          {list.length > 0 ? (
            <ul aria-label="Backups" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((b) => (
                <BackupItem key={b.id} backup={b} />
              ))}
            </ul>
          ) : null}
          <Pager label="Backups" page={cursors.page} nextCursor={page.data?.next_cursor} onPrevious={cursors.previous} onNext={cursors.next} />
        </Section>
      </div>
    </>
  );
}
