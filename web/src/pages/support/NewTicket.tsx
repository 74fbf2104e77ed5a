import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useState } from "react";
import { useNavigate } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { TicketCreate } from "../../api/types";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button, LinkButton } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { useFormErrors } from "../useFormErrors";
import { ticketKey, ticketsKey } from "./queries";
import {
  CATEGORIES,
  CATEGORY_LABEL,
  checkTicket,
  emptyTicket,
  MESSAGE_MAX,
  PRIORITIES,
  PRIORITY_LABEL,
  SUBJECT_MAX,
  type TicketForm,
  toTicketRequest,
} from "./tickets";

const LABELS: Record<string, string> = {
  subject: "Subject",
  message: "Message",
  priority: "Priority",
  category: "Category",
  resource: "About",
};

/** POST with one Idempotency-Key per attempt; a lost answer is retried once with the same key. */
async function create(body: TicketCreate, header: { "X-Organization-Id": string }) {
  const params = { header: { ...header, "Idempotency-Key": uuid() } };
  try {
    return await unwrap(api.POST("/api/support/tickets", { params, body }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) return unwrap(api.POST("/api/support/tickets", { params, body }));
    throw error;
  }
}

function useContainerChoices() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: ["containers", organizationId, "choices"],
    queryFn: () => unwrap(api.GET("/api/containers", { params: { header, query: { limit: 100 } } })),
    staleTime: 60_000,
  });
}

export default function NewTicket() {
  useDocumentTitle("New ticket");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  const [form, setForm] = useState<TicketForm>(emptyTicket);
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const [local, setLocal] = useState<Record<string, string>>({});
  const containers = useContainerChoices();
  // The form's own problems take the focus too, as the API's do.
  useEffect(() => {
    if (Object.keys(local).length > 0) summary.current?.focus();
  }, [local, summary]);
  const open = useMutation({
    mutationFn: () => create(toTicketRequest(form), header),
    onSuccess: (ticket) => {
      void queryClient.invalidateQueries({ queryKey: ticketsKey(organizationId) });
      queryClient.removeQueries({ queryKey: ticketKey(organizationId, ticket.ticket_id) });
      void navigate(`/support/${ticket.ticket_id}`, { state: { notice: "Your ticket was sent; support has been told." } });
    },
    onError: fail,
  });
  const set = (patch: Partial<TicketForm>) => setForm((f) => ({ ...f, ...patch }));
  const error = (field: string) => local[field] ?? errors.fields[field];
  const shownErrors = { fields: { ...errors.fields, ...local }, general: errors.general };
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    const problems = checkTicket(form);
    setLocal(problems);
    if (Object.keys(problems).length === 0) open.mutate();
  };

  return (
    <>
      <PageHeader title="New ticket" description="The support team gets it by email at once and answers here." />
      <ErrorSummary errors={shownErrors} summaryRef={summary} labels={LABELS} />
      <form onSubmit={submit} noValidate className="max-w-3xl space-y-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <TextField
          id={fieldId("subject")}
          label="Subject"
          value={form.subject}
          onChange={(e) => set({ subject: e.target.value })}
          error={error("subject")}
          maxLength={SUBJECT_MAX}
          autoComplete="off"
        />
        <div className="grid gap-4 sm:grid-cols-3">
          <SelectField id={fieldId("priority")} label="Priority" value={form.priority} onChange={(e) => set({ priority: e.target.value as TicketForm["priority"] })} error={error("priority")}>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABEL[p]}
              </option>
            ))}
          </SelectField>
          <SelectField id={fieldId("category")} label="Category" value={form.category} onChange={(e) => set({ category: e.target.value as TicketForm["category"] })} error={error("category")}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABEL[c]}
              </option>
            ))}
          </SelectField>
          <SelectField id={fieldId("resource")} label="About" value={form.resource} onChange={(e) => set({ resource: e.target.value })} error={error("resource")} hint="Optional: the container it concerns.">
            <option value="">Nothing in particular</option>
            {(containers.data?.containers ?? []).map((c) => (
              <option key={c.id} value={`container:${c.id}`}>
                Container {c.name}
              </option>
            ))}
          </SelectField>
        </div>
        <div>
          <label htmlFor={fieldId("message")} className="mb-1 block text-sm font-medium text-slate-800">
            Message
          </label>
          <textarea
            id={fieldId("message")}
            value={form.message}
            onChange={(e) => set({ message: e.target.value })}
            rows={8}
            maxLength={MESSAGE_MAX}
            aria-invalid={error("message") ? true : undefined}
            aria-describedby={error("message") ? `${fieldId("message")}-error` : undefined}
            className={`block w-full rounded-md border px-3 py-2 text-sm ${error("message") ? "border-red-700" : "border-slate-400"}`}
          />
          {error("message") ? (
            <p id={`${fieldId("message")}-error`} className="mt-1 text-sm font-medium text-red-800">
              {error("message")}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-3">
          <Button type="submit" busy={open.isPending}>
            Send ticket
          </Button>
          <LinkButton to="/support" variant="secondary">
            Cancel
          </LinkButton>
        </div>
      </form>
    </>
  );
}
