import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";
import { useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { TicketStatus, TicketThread } from "../../api/types";
import { useSignedIn } from "../../auth/session";
import { uuid } from "../../lib/format";
import { Button, LinkButton } from "../../ui/Button";
import { SelectField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { Conversation, ReplyForm, TicketFacts } from "../support/parts";
import { ADMIN_TICKETS, useAgents, useAnyTicket } from "../support/queries";
import { STATUS_LABEL, STATUSES } from "../support/tickets";

function Handling({ thread }: { thread: TicketThread }) {
  const queryClient = useQueryClient();
  const agents = useAgents();
  const { user } = useSignedIn();
  const [status, setStatus] = useState<TicketStatus>(thread.status);
  const [assignee, setAssignee] = useState(thread.assignee_id ?? "");
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH("/api/admin/support/tickets/{ticket_id}", {
          params: { path: { ticket_id: thread.ticket_id } },
          body: { status, assignee_id: assignee || null },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ADMIN_TICKETS }),
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const others = (agents.data?.agents ?? []).filter((a) => a.id !== user.id);
  return (
    <form onSubmit={submit} className="space-y-4">
      {save.isSuccess ? <Alert tone="success">Saved. The customer is told of a new status by email.</Alert> : null}
      {save.isError ? <Alert tone="error">{messageOf(save.error)}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as TicketStatus)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Assigned to" value={assignee} onChange={(e) => setAssignee(e.target.value)}>
          <option value="">Nobody</option>
          <option value={user.id}>Me ({user.name})</option>
          {others.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.email})
            </option>
          ))}
          {assignee && assignee !== user.id && !others.some((a) => a.id === assignee) ? (
            <option value={assignee}>{assignee}</option>
          ) : null}
        </SelectField>
      </div>
      <Button type="submit" busy={save.isPending}>
        Save
      </Button>
    </form>
  );
}

/** One ticket for the support team (/admin/support/:id): the thread, a reply as support, status, assignee. */
export default function SupportTicket() {
  const { id = "" } = useParams();
  const ticket = useAnyTicket(id);
  const queryClient = useQueryClient();
  useDocumentTitle(ticket.data?.subject ?? "Ticket");
  const reply = useMutation({
    mutationFn: (message: string) =>
      unwrap(
        api.POST("/api/admin/support/tickets/{ticket_id}/replies", {
          params: { header: { "Idempotency-Key": uuid() }, path: { ticket_id: id } },
          body: { message },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ADMIN_TICKETS }),
  });

  if (ticket.isPending) return <Loading label="Loading the ticket…" />;
  if (ticket.isError) {
    return (
      <>
        <PageHeader title="Ticket" actions={<LinkButton to="/admin/support" variant="secondary">Support desk</LinkButton>} />
        <ErrorState error={ticket.error} onRetry={() => void ticket.refetch()} />
      </>
    );
  }
  const thread = ticket.data;
  return (
    <>
      <PageHeader
        title={thread.subject}
        description={`${thread.organization_name || thread.organization_id} · opened by ${thread.author_name || "Unknown"}`}
        actions={
          <LinkButton to="/admin/support" variant="ghost">
            Support desk
          </LinkButton>
        }
      />
      <TicketFacts thread={thread} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Conversation thread={thread} />
          <Section title="Reply as support">
            {thread.status === "closed" ? (
              <p className="text-sm text-slate-700">This ticket is closed. Set another status to reply.</p>
            ) : (
              <ReplyForm
                label="Your reply (mailed to the customer)"
                send={(message) => reply.mutateAsync(message)}
                busy={reply.isPending}
                error={reply.isError ? messageOf(reply.error) : undefined}
              />
            )}
          </Section>
        </div>
        <Section title="Handling">
          <Handling thread={thread} />
        </Section>
      </div>
    </>
  );
}
