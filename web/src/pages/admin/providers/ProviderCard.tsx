import { type SyntheticEvent, useId, useState } from "react";

import { messageOf } from "../../../api/errors";
import type { Provider } from "../../../api/types";
import { formatDateTime } from "../../../lib/format";
import { Button } from "../../../ui/Button";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { TextField } from "../../../ui/Field";
import { Alert } from "../../../ui/States";
import { TYPES } from "./AddProvider";
import { useRemoveProvider, useSyncPlans, useTestProvider, useUpdateProvider } from "./queries";

function RotateKey({
  provider,
  rotate,
  onDone,
}: {
  provider: Provider;
  rotate: ReturnType<typeof useUpdateProvider>;
  onDone: () => void;
}) {
  const [key, setKey] = useState("");
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    rotate.mutate({ api_key: key.trim() }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3" aria-label={`Rotate the key of ${provider.name}`}>
      <TextField
        className="min-w-56 flex-1"
        label="New API key"
        type="password"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        error={rotate.isError ? messageOf(rotate.error) : undefined}
        autoComplete="off"
      />
      <Button type="submit" busy={rotate.isPending}>
        Save new key
      </Button>
      <Button variant="secondary" onClick={onDone}>
        Cancel
      </Button>
    </form>
  );
}

/** One provider account: what it is, its key's last four, and the admin's actions on it. */
export function ProviderCard({ provider }: { provider: Provider }) {
  const titleId = useId();
  const [rotating, setRotating] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const test = useTestProvider(provider.id);
  const sync = useSyncPlans(provider.id);
  const update = useUpdateProvider(provider.id);
  const rotate = useUpdateProvider(provider.id);
  const remove = useRemoveProvider(provider.id);
  const typeLabel = TYPES.find((t) => t.value === provider.type)?.label ?? provider.type;
  return (
    <li className="space-y-3 px-4 py-4" aria-labelledby={titleId}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <h3 id={titleId} className="font-semibold text-slate-900">
          {provider.name}
        </h3>
        <span className="text-sm text-slate-700">{typeLabel}</span>
        <span className={`text-xs font-semibold ${provider.active ? "text-green-800" : "text-slate-700"}`}>
          {provider.active ? "active" : "inactive"}
        </span>
      </div>
      <p className="text-sm text-slate-700">
        API key <span className="font-mono">••••{provider.api_key_last_four}</span> · {provider.regions} regions ·{" "}
        {provider.synced_at ? `plans synced ${formatDateTime(provider.synced_at)}` : "plans never synced"}
        {provider.configuration.base_url ? ` · ${provider.configuration.base_url}` : ""}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => test.mutate()} busy={test.isPending}>
          Test credentials<span className="sr-only"> of {provider.name}</span>
        </Button>
        <Button variant="secondary" onClick={() => sync.mutate()} busy={sync.isPending}>
          Sync plans<span className="sr-only"> of {provider.name}</span>
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            rotate.reset();
            setRotating(true);
          }}
          disabled={rotating}
        >
          Rotate key<span className="sr-only"> of {provider.name}</span>
        </Button>
        <Button variant="secondary" onClick={() => update.mutate({ active: !provider.active })} busy={update.isPending}>
          {provider.active ? "Deactivate" : "Activate"}
          <span className="sr-only"> {provider.name}</span>
        </Button>
        <Button variant="danger" onClick={() => setConfirming(true)} disabled={remove.isPending}>
          Delete<span className="sr-only"> {provider.name}</span>
        </Button>
      </div>
      {rotating ? (
        <RotateKey
          provider={provider}
          rotate={rotate}
          onDone={() => setRotating(false)}
        />
      ) : null}
      <div aria-live="polite" className="space-y-2">
        {test.isSuccess ? (
          <Alert tone="success" title="The credentials work">
            Account {test.data.account}: {test.data.regions} regions, {test.data.types} plan types, {test.data.instances}{" "}
            instances.
          </Alert>
        ) : null}
        {test.isError ? <Alert tone="error" title="The credentials were refused">{messageOf(test.error)}</Alert> : null}
        {sync.isSuccess ? (
          <Alert tone="success" title="Plans synced">
            {sync.data.added.length} added, {sync.data.changed.length} with a new price, {sync.data.unchanged} unchanged,{" "}
            {sync.data.withdrawn.length} withdrawn; {sync.data.regions} regions.
          </Alert>
        ) : null}
        {sync.isError ? <Alert tone="error" title="The plans could not be synced">{messageOf(sync.error)}</Alert> : null}
        {rotate.isSuccess ? <Alert tone="success">The new key is stored; only its last four are shown.</Alert> : null}
        {update.isError ? <Alert tone="error">{messageOf(update.error)}</Alert> : null}
        {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete provider ${provider.name}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(undefined, { onSettled: () => setConfirming(false) })}
      >
        Its plans go with it and its key is forgotten. A provider where customers still have VPS cannot be deleted;
        deactivate it instead.
      </ConfirmDialog>
    </li>
  );
}
