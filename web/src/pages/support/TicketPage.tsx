import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocation, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { TicketThread } from "../../api/types";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button, LinkButton } from "../../ui/Button";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { Conversation, LocalMailNote, ReplyForm, TicketFacts } from "./parts";
import { ticketKey, ticketsKey, useTicket } from "./queries";
import { customerActions } from "./tickets";

export default function TicketPage() {
  const { id = "" } = useParams();
  const ticket = useTicket(id);
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  useDocumentTitle(ticket.data?.subject ?? "Ticket");
  const state: unknown = useLocation().state;
  const notice =
    typeof state === "object" && state !== null && "notice" in state && typeof state.notice === "string" ? state.notice : null;
  const path = { ticket_id: id };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ticketKey(organizationId, id) });
    void queryClient.invalidateQueries({ queryKey: ticketsKey(organizationId) });
  };
  const reply = useMutation({
    mutationFn: (message: string) =>
      unwrap(
        api.POST("/api/support/tickets/{ticket_id}/replies", {
          params: { header: { ...header, "Idempotency-Key": uuid() }, path },
          body: { message },
        }),
      ),
    onSuccess: refresh,
  });
  const change = useMutation({
    mutationFn: (what: "close" | "reopen") =>
      what === "close"
        ? unwrap(api.POST("/api/support/tickets/{ticket_id}/close", { params: { header, path } }))
        : unwrap(api.POST("/api/support/tickets/{ticket_id}/reopen", { params: { header, path } })),
    onSuccess: (updated) => {
      queryClient.setQueryData<TicketThread>(ticketKey(organizationId, id), (old) => (old ? { ...old, ...updated } : old));
      refresh();
    },
  });

  if (ticket.isPending) return <Loading label="Loading the ticket…" />;
  if (ticket.isError) {
    return (
      <>
        <PageHeader title="Ticket" actions={<LinkButton to="/support" variant="secondary">All tickets</LinkButton>} />
        <ErrorState error={ticket.error} onRetry={() => void ticket.refetch()} />
      </>
    );
  }
  const thread = ticket.data;
  const can = customerActions(thread.status);
  return (
    <>
      <PageHeader
        title={thread.subject}
        description={`Opened by ${thread.author_name || "Unknown"}`}
        actions={
          <>
            {can.close ? (
              <Button variant="secondary" onClick={() => change.mutate("close")} busy={change.isPending && change.variables === "close"}>
                Close ticket
              </Button>
            ) : null}
            {can.reopen ? (
              <Button variant="secondary" onClick={() => change.mutate("reopen")} busy={change.isPending && change.variables === "reopen"}>
                Reopen ticket
              </Button>
            ) : null}
            <LinkButton to="/support" variant="ghost">
              All tickets
            </LinkButton>
          </>
        }
      />
      {notice ? (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {change.isError ? (
        <div className="mb-4">
          <Alert tone="error">{messageOf(change.error)}</Alert>
        </div>
      ) : null}
      <TicketFacts thread={thread} />
      <Conversation thread={thread} />
      <div className="mt-6">
        <Section title="Reply">
          {can.reply ? (
            <ReplyForm
              label="Your reply"
              send={(message) => reply.mutateAsync(message)}
              busy={reply.isPending}
              error={reply.isError ? messageOf(reply.error) : undefined}
            />
          ) : (
            <p className="text-sm text-slate-700">This ticket is closed. Reopen it to write again.</p>
          )}
        </Section>
      </div>
      <LocalMailNote />
    </>
  );
}
