import type { ContainerStatus, Host, VpsStatus } from "../api/types";

type Status = ContainerStatus | Host["status"] | VpsStatus;

const MOVING = "bg-blue-100 text-blue-900 ring-blue-300";
const styles: Record<Status, string> = {
  provisioning: MOVING,
  running: "bg-green-100 text-green-900 ring-green-300",
  stopped: "bg-slate-200 text-slate-800 ring-slate-300",
  exited: "bg-amber-100 text-amber-900 ring-amber-300",
  error: "bg-red-100 text-red-900 ring-red-300",
  active: "bg-green-100 text-green-900 ring-green-300",
  draining: "bg-amber-100 text-amber-900 ring-amber-300",
  booting: MOVING,
  rebooting: MOVING,
  shutting_down: MOVING,
  migrating: MOVING,
  deleting: "bg-amber-100 text-amber-900 ring-amber-300",
  deleted: "bg-slate-200 text-slate-800 ring-slate-300",
};

/** A status as a coloured pill; statuses on their way somewhere pulse ("shutting_down" reads "shutting down"). */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${styles[status]}`}>
      {styles[status] === MOVING ? <span className="mr-1.5 size-2 animate-pulse rounded-full bg-blue-700" aria-hidden="true" /> : null}
      {status.replace("_", " ")}
    </span>
  );
}
