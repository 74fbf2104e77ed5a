import type { ContainerStatus, Host } from "../api/types";

const styles: Record<ContainerStatus | Host["status"], string> = {
  provisioning: "bg-blue-100 text-blue-900 ring-blue-300",
  running: "bg-green-100 text-green-900 ring-green-300",
  stopped: "bg-slate-200 text-slate-800 ring-slate-300",
  exited: "bg-amber-100 text-amber-900 ring-amber-300",
  error: "bg-red-100 text-red-900 ring-red-300",
  active: "bg-green-100 text-green-900 ring-green-300",
  draining: "bg-amber-100 text-amber-900 ring-amber-300",
};

export function StatusBadge({ status }: { status: ContainerStatus | Host["status"] }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${styles[status]}`}>
      {status === "provisioning" ? (
        <span className="mr-1.5 size-2 animate-pulse rounded-full bg-blue-700" aria-hidden="true" />
      ) : null}
      {status}
    </span>
  );
}
