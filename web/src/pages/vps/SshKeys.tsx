import { type SyntheticEvent, useId, useState } from "react";

import { ApiError, messageOf } from "../../api/errors";
import type { SshKey } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { useAddSshKey, useRemoveSshKey, useSshKeys } from "./queries";

// The form's fields carry a prefix: the page around it (the profile's name form) may have a "name" too.
const LABELS: Record<string, string> = { "ssh_key.name": "Key name", "ssh_key.public_key": "Public key" };

function prefixed(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const fields = error.fields.map((f) => (`ssh_key.${f.field}` in LABELS ? { ...f, field: `ssh_key.${f.field}` } : f));
  return new ApiError(error.status, error.code, error.message, fields);
}

function AddKey() {
  const [name, setName] = useState("");
  const [publicKey, setPublicKey] = useState("");
  const keyId = useId();
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useAddSshKey();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    add.reset();
    add.mutate(
      { name: name.trim(), public_key: publicKey.trim() },
      {
        onSuccess: () => {
          setName("");
          setPublicKey("");
        },
        onError: (error) => fail(prefixed(error)),
      },
    );
  };
  const keyError = errors.fields["ssh_key.public_key"];
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Add an SSH key">
      <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
      {add.isSuccess ? <Alert tone="success">Key {add.data.name} was added.</Alert> : null}
      <TextField
        id={fieldId("ssh_key.name")}
        label="Key name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields["ssh_key.name"]}
        hint="To tell your keys apart, e.g. laptop."
        autoComplete="off"
      />
      <div>
        <label htmlFor={fieldId("ssh_key.public_key")} className="mb-1 block text-sm font-medium text-slate-800">
          Public key
        </label>
        <textarea
          id={fieldId("ssh_key.public_key")}
          value={publicKey}
          onChange={(e) => setPublicKey(e.target.value)}
          rows={3}
          spellCheck={false}
          aria-invalid={keyError ? true : undefined}
          aria-describedby={`${keyId}-hint${keyError ? ` ${keyId}-error` : ""}`}
          className={`block w-full rounded-md border px-3 py-2 font-mono text-xs ${keyError ? "border-red-700" : "border-slate-400"}`}
        />
        {keyError ? (
          <p id={`${keyId}-error`} className="mt-1 text-sm font-medium text-red-800">
            {keyError}
          </p>
        ) : null}
        <p id={`${keyId}-hint`} className="mt-1 text-xs text-slate-600">
          One line as in ~/.ssh/id_ed25519.pub: ssh-ed25519 AAAA… you@laptop
        </p>
      </div>
      <Button type="submit" busy={add.isPending}>
        Add key
      </Button>
    </form>
  );
}

function KeyRow({ sshKey }: { sshKey: SshKey }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useRemoveSshKey();
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 py-3">
      <div className="min-w-0">
        <p className="font-medium break-all text-slate-900">{sshKey.name}</p>
        <p className="font-mono text-xs break-all text-slate-700">{sshKey.fingerprint}</p>
        <p className="text-xs text-slate-600">Added {formatDateTime(sshKey.created_at)}</p>
        {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      </div>
      <Button variant="secondary" onClick={() => setConfirming(true)} disabled={remove.isPending}>
        Remove<span className="sr-only"> key {sshKey.name}</span>
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Remove key ${sshKey.name}?`}
        confirmLabel="Remove"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(sshKey.id, { onSettled: () => setConfirming(false) })}
      >
        New VPS cannot use it any more. VPS that have it keep it in root&apos;s authorized_keys.
      </ConfirmDialog>
    </li>
  );
}

/** The signed-in user's SSH public keys (for root on new VPS): list, add, remove. On /vps and /profile. */
export function SshKeys() {
  const keys = useSshKeys();
  const list = keys.data?.ssh_keys ?? [];
  return (
    <div className="space-y-4">
      {keys.isPending ? <Loading label="Loading your SSH keys…" /> : null}
      {keys.isError ? <ErrorState error={keys.error} onRetry={() => void keys.refetch()} /> : null}
      {keys.isSuccess && list.length === 0 ? (
        <p className="text-sm text-slate-700">No SSH keys yet. Add one to log in to new VPS without a password.</p>
      ) : null}
      {list.length > 0 ? (
        <ul aria-label="SSH keys" className="divide-y divide-slate-200">
          {list.map((k) => (
            <KeyRow key={k.id} sshKey={k} />
          ))}
        </ul>
      ) : null}
      <AddKey />
    </div>
  );
}
