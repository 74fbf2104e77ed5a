import { useState } from "react";
import { useNavigate } from "react-router";

import { messageOf } from "../../api/errors";
import type { Container } from "../../api/types";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { CheckboxField } from "../../ui/Field";
import { Alert } from "../../ui/States";
import { type Action, useContainerAction, useDelete } from "./actions";
import { ScaleDialog } from "./ScaleDialog";

const DONE: Record<Action, string> = { start: "Started.", stop: "Stopped.", restart: "Restarted." };

export function ContainerActions({ container }: { container: Container }) {
  const navigate = useNavigate();
  const action = useContainerAction(container.id);
  const remove = useDelete(container.id);
  const [confirm, setConfirm] = useState<"stop" | "delete" | null>(null);
  const [scaling, setScaling] = useState(false);
  const [purge, setPurge] = useState(false);
  const busy = action.isPending || remove.isPending;
  const { status } = container;
  const canStart = status === "stopped" || status === "exited";
  const canStop = status === "running";
  const canRestart = status === "running" || status === "exited";
  const canScale = status === "running" || status === "stopped" || status === "exited";

  const run = (what: Action) => {
    setConfirm(null);
    action.mutate(what);
  };

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        {canStart ? (
          <Button onClick={() => run("start")} busy={action.isPending && action.variables === "start"} disabled={busy}>
            Start
          </Button>
        ) : null}
        {canStop ? (
          <Button variant="secondary" onClick={() => setConfirm("stop")} disabled={busy}>
            Stop
          </Button>
        ) : null}
        {canRestart ? (
          <Button variant="secondary" onClick={() => run("restart")} busy={action.isPending && action.variables === "restart"} disabled={busy}>
            Restart
          </Button>
        ) : null}
        {canScale ? (
          <Button variant="secondary" onClick={() => setScaling(true)} disabled={busy}>
            Scale
          </Button>
        ) : null}
        <Button variant="danger" onClick={() => setConfirm("delete")} disabled={busy || status === "provisioning"}>
          Delete
        </Button>
      </div>
      <div className="w-full max-w-md" aria-live="polite">
        {action.isError ? <Alert tone="error">{messageOf(action.error)}</Alert> : null}
        {action.isSuccess ? <p className="text-right text-sm text-slate-700">{DONE[action.variables]}</p> : null}
        {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      </div>

      <ConfirmDialog
        open={confirm === "stop"}
        title={`Stop ${container.name}?`}
        confirmLabel="Stop"
        tone="primary"
        busy={action.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("stop")}
      >
        It stops serving until you start it again. Its volumes and settings are kept.
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title={`Delete ${container.name}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          remove.mutate(purge, {
            onSuccess: () => {
              setConfirm(null);
              void navigate("/containers", { state: { notice: `${container.name} was deleted.` } });
            },
            onError: () => setConfirm(null),
          })
        }
      >
        <p>The container is removed from its host. This cannot be undone.</p>
        {container.volumes.length > 0 ? (
          <CheckboxField
            className="mt-3"
            label="Also delete its volumes and their data"
            checked={purge}
            onChange={(e) => setPurge(e.target.checked)}
          />
        ) : null}
      </ConfirmDialog>
      {scaling ? <ScaleDialog container={container} onClose={() => setScaling(false)} /> : null}
    </div>
  );
}
