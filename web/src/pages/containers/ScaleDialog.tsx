import { type SyntheticEvent, useEffect, useId, useRef, useState } from "react";

import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import type { Container } from "../../api/types";
import { useFormErrors } from "../useFormErrors";
import { useScale } from "./actions";

const LABELS = { replicas: "Replicas", "resources.cpu": "CPU", "resources.memory": "Memory" };

/** Change replicas (redeploys) and/or CPU and memory (applied in place). */
export function ScaleDialog({ container, onClose }: { container: Container; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [replicas, setReplicas] = useState(String(container.replicas));
  const [cpu, setCpu] = useState(container.resources.cpu);
  const [memory, setMemory] = useState(container.resources.memory);
  const scale = useScale(container.id);
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
  }, []);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    const body: { replicas?: number; resources?: { cpu: string; memory: string } } = {};
    const wanted = /^\d+$/.test(replicas.trim()) ? Number(replicas.trim()) : (replicas as unknown as number);
    if (wanted !== container.replicas) body.replicas = wanted;
    if (cpu !== container.resources.cpu || memory !== container.resources.memory) {
      body.resources = { cpu: cpu.trim(), memory: memory.trim() };
    }
    if (!body.replicas && !body.resources) {
      onClose();
      return;
    }
    scale.mutate(body, { onSuccess: onClose, onError: fail });
  };

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg bg-white p-0 text-slate-900 shadow-xl"
    >
      <form onSubmit={submit} noValidate className="space-y-4 p-6">
        <h2 id={titleId} className="text-lg font-semibold">
          Scale {container.name}
        </h2>
        <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
        <TextField
          id={fieldId("replicas")}
          label="Replicas"
          inputMode="numeric"
          value={replicas}
          onChange={(e) => setReplicas(e.target.value)}
          error={errors.fields.replicas}
          hint="Changing replicas redeploys the container."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            id={fieldId("resources.cpu")}
            label="CPU"
            value={cpu}
            onChange={(e) => setCpu(e.target.value)}
            error={errors.fields["resources.cpu"]}
          />
          <TextField
            id={fieldId("resources.memory")}
            label="Memory"
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
            error={errors.fields["resources.memory"]}
          />
        </div>
        <div className="flex flex-wrap justify-end gap-3 pt-2">
          <Button variant="secondary" onClick={onClose} disabled={scale.isPending}>
            Cancel
          </Button>
          <Button type="submit" busy={scale.isPending}>
            Apply
          </Button>
        </div>
      </form>
    </dialog>
  );
}
