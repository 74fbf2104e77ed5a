import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import { formatTime } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { CheckboxField, SelectField } from "../../ui/Field";
import { Section } from "../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../ui/States";
import { useShownContainer } from "./ContainerShell";

export const FOLLOW_POLL_MS = 2000;
const TAILS = [50, 100, 500, 1000];

export default function Logs() {
  const c = useShownContainer();
  const { organizationId, header } = useOrganization();
  const [tail, setTail] = useState(100);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const logId = useId();
  const waiting = c.status === "provisioning";
  const logs = useQuery({
    queryKey: ["containers", organizationId, "logs", c.id, tail],
    queryFn: () =>
      unwrap(
        api.GET("/api/logs/containers/{container_id}", {
          params: { header, path: { container_id: c.id }, query: { tail } },
        }),
      ),
    enabled: !waiting,
    refetchInterval: follow ? FOLLOW_POLL_MS : false,
  });
  const lines = logs.data?.lines ?? [];
  const replicas = new Set(lines.map((l) => l.replica)).size > 1;

  // While following, keep the newest line in view.
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [follow, logs.data]);

  return (
    <Section
      title="Logs"
      actions={
        <div className="flex flex-wrap items-end gap-3">
          <SelectField label="Lines" value={tail} onChange={(e) => setTail(Number(e.target.value))} className="w-28">
            {TAILS.map((n) => (
              <option key={n} value={n}>
                last {n}
              </option>
            ))}
          </SelectField>
          <CheckboxField label="Follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <Button variant="secondary" onClick={() => void logs.refetch()} busy={logs.isFetching && !follow}>
            Refresh
          </Button>
        </div>
      }
    >
      {waiting ? <Loading label="Logs appear once the container is running…" /> : null}
      {!waiting && logs.isPending ? <Loading label="Loading logs…" /> : null}
      {logs.isError ? (
        logs.error instanceof ApiError && logs.error.status === 409 ? (
          <EmptyState title="No logs right now">{logs.error.message}</EmptyState>
        ) : (
          <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
        )
      ) : null}
      {logs.isSuccess && lines.length === 0 ? (
        <EmptyState title="No log lines yet">The container has not written anything to stdout or stderr.</EmptyState>
      ) : null}
      {lines.length > 0 ? (
        <div
          ref={box}
          id={logId}
          role="log"
          aria-label={`Log of ${c.name}`}
          tabIndex={0}
          className="max-h-[60vh] overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100"
        >
          {lines.map((line, i) => (
            <div key={`${line.timestamp}-${i}`} className="whitespace-pre-wrap break-all">
              <span className="text-slate-400">{formatTime(line.timestamp)} </span>
              {replicas ? <span className="text-slate-400">[{line.replica}] </span> : null}
              {line.stream === "stderr" ? <span className="text-amber-300">stderr </span> : null}
              <span>{line.message}</span>
            </div>
          ))}
        </div>
      ) : null}
    </Section>
  );
}
