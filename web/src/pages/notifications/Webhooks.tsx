import { type SyntheticEvent, useState } from "react";

import { messageOf } from "../../api/errors";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { CheckboxField, TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { DeliveryLog } from "./DeliveryLog";
import { type Webhook, type WebhookCreate, type WebhookCreated, useAddWebhook, useWebhookAction, useWebhooks } from "./queries";

const LABELS: Record<string, string> = { url: "URL", events: "Events", description: "Description" };
const known = (field: string) => field === "url" || field === "description" || field.startsWith("events");

function SecretOnce({ created, onDone }: { created: WebhookCreated; onDone: () => void }) {
  return (
    <Alert tone="success" title={`The endpoint ${created.url} was added.`}>
      <p>
        Its signing secret is shown this once: keep it where the receiver can read it. Each delivery carries{" "}
        <code>X-ContainerStacks-Signature: t=…,v1=…</code>, the HMAC-SHA256 of <code>{"<t>.<body>"}</code> with this secret.
      </p>
      <p className="mt-2">
        <span className="font-semibold">Signing secret: </span>
        <code className="break-all select-all" data-testid="webhook-secret">
          {created.secret}
        </code>
      </p>
      <Button variant="secondary" className="mt-3" onClick={onDone}>
        I have saved the secret
      </Button>
    </Alert>
  );
}

function AddWebhook({ kinds, onCreated }: { kinds: Record<string, string>; onCreated: (c: WebhookCreated) => void }) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const { errors, fail, clear, summary } = useFormErrors(known);
  const add = useAddWebhook();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    const body: WebhookCreate = {
      url: url.trim(),
      events: (all ? ["*"] : chosen) as WebhookCreate["events"],
      description: description.trim(),
    };
    add.mutate(body, {
      onSuccess: (created) => {
        setUrl("");
        setDescription("");
        onCreated(created);
      },
      onError: fail,
    });
  };
  const eventsError = Object.entries(errors.fields).find(([f]) => f.startsWith("events"))?.[1];
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={(f) => LABELS[f.split(".")[0] ?? f] ?? f} />
      <TextField
        id={fieldId("url")}
        label="URL"
        type="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.fields.url}
        hint="https://… on the public internet; no user name or password in it. Redirects are not followed."
        autoComplete="off"
        placeholder="https://hooks.example.com/containerstacks"
      />
      <TextField
        id={fieldId("description")}
        label="Description (optional)"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.fields.description}
        maxLength={200}
        autoComplete="off"
      />
      <fieldset id={fieldId("events")} aria-describedby={eventsError ? `${fieldId("events")}-error` : undefined}>
        <legend className="mb-1 text-sm font-medium text-slate-800">Events</legend>
        <CheckboxField label="All events, including kinds added later" checked={all} onChange={(e) => setAll(e.target.checked)} />
        {all ? null : (
          <div className="mt-1 grid gap-x-6 sm:grid-cols-2">
            {Object.entries(kinds).map(([kind, meaning]) => (
              <CheckboxField
                key={kind}
                label={
                  <>
                    <code>{kind}</code> <span className="text-slate-600">— {meaning}</span>
                  </>
                }
                checked={chosen.includes(kind)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, kind] : c.filter((k) => k !== kind)))}
              />
            ))}
          </div>
        )}
        {eventsError ? (
          <p id={`${fieldId("events")}-error`} className="mt-1 text-sm font-medium text-red-800">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" busy={add.isPending}>
        Add endpoint
      </Button>
    </form>
  );
}

function WebhookItem({ webhook }: { webhook: Webhook }) {
  const [confirming, setConfirming] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const action = useWebhookAction(webhook.id);
  const logId = `deliveries-${webhook.id}`;
  return (
    <li className="space-y-3 px-4 py-4">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <div className="min-w-0 flex-1 basis-64">
          <h3 className="font-semibold break-all text-slate-900">{webhook.url}</h3>
          {webhook.description ? <p className="text-sm text-slate-700">{webhook.description}</p> : null}
          <p className="text-xs text-slate-600">
            Events: {webhook.events.join(", ")} · added {formatDateTime(webhook.created_at)}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => action.mutate("test", { onSuccess: () => setShowLog(true) })} busy={action.isPending && action.variables === "test"}>
            Send test event<span className="sr-only"> to {webhook.url}</span>
          </Button>
          <Button variant="secondary" aria-expanded={showLog} aria-controls={logId} onClick={() => setShowLog((s) => !s)}>
            Delivery log<span className="sr-only"> of {webhook.url}</span>
          </Button>
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={action.isPending}>
            Remove<span className="sr-only"> {webhook.url}</span>
          </Button>
        </div>
      </div>
      {action.isError ? <Alert tone="error">{messageOf(action.error)}</Alert> : null}
      {action.isSuccess && action.variables === "test" ? <Alert tone="success">A test event is on its way.</Alert> : null}
      <div id={logId} hidden={!showLog}>
        {showLog ? <DeliveryLog webhookId={webhook.id} label={webhook.url} /> : null}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Remove this endpoint?"
        confirmLabel="Remove"
        busy={action.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => action.mutate("remove", { onSettled: () => setConfirming(false) })}
      >
        <span className="break-all">{webhook.url}</span> gets no more events, including those waiting for a retry.
      </ConfirmDialog>
    </li>
  );
}

export default function WebhooksPage() {
  useDocumentTitle("Webhooks");
  const webhooks = useWebhooks();
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const list = webhooks.data?.webhooks ?? [];
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Your own systems get this organization's events as signed JSON POSTs, retried with backoff when they fail."
      />
      <div className="space-y-6">
        {created ? <SecretOnce created={created} onDone={() => setCreated(null)} /> : null}
        <Section title="Endpoints">
          {webhooks.isPending ? <Loading label="Loading endpoints…" /> : null}
          {webhooks.isError ? <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} /> : null}
          {webhooks.isSuccess && list.length === 0 ? (
            <EmptyState title="No endpoints">Add a URL below to receive events as they happen.</EmptyState>
          ) : null}
          {list.length > 0 ? (
            <ul aria-label="Endpoints" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((w) => (
                <WebhookItem key={w.id} webhook={w} />
              ))}
            </ul>
          ) : null}
        </Section>
        <Section title="Add an endpoint">
          <AddWebhook kinds={webhooks.data?.event_kinds ?? {}} onCreated={setCreated} />
        </Section>
      </div>
    </>
  );
}
