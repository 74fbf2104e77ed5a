import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { Reconciliation } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { TextField } from "../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Pager, useCursors } from "../../ui/Pager";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { withIdempotencyKey } from "../billing/queries";
import { useFormErrors } from "../useFormErrors";

const RECONCILIATIONS = ["admin", "reconciliations"] as const;
const ADJUST_LABELS: Record<string, string> = { organization_id: "Organization ID", amount: "Amount", reason: "Reason" };
const FINDINGS: Record<Reconciliation["findings"][number]["action"], string> = {
  credited: "credited now (was missing from the ledger)",
  debited: "refund debited now (was missing from the ledger)",
  unknown_to_paypal: "in the ledger, unknown to PayPal",
  amount_mismatch: "amounts differ",
  not_ours: "not one of ours",
};

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, "validation_error", message, [{ field, message }]);
}

/** A manual credit (> 0) or debit (< 0) of an organization's wallet, with the reason on the ledger. */
function Adjustment() {
  const [organization, setOrganization] = useState("");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in ADJUST_LABELS);
  const adjust = useMutation({
    mutationFn: () =>
      withIdempotencyKey((key) =>
        unwrap(
          api.POST("/api/admin/billing/adjustments", {
            params: { header: { "Idempotency-Key": key } },
            body: { organization_id: organization.trim(), amount: amount.trim(), reason: reason.trim() },
          }),
        ),
      ),
    onSuccess: () => {
      setAmount("");
      setReason("");
    },
    onError: fail,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    adjust.reset();
    if (!organization.trim()) return fail(invalid("organization_id", "Enter the organization's ID."));
    if (!/^-?\d+(\.\d{1,2})?$/.test(amount.trim()) || Number(amount) === 0) {
      return fail(invalid("amount", "Enter a non-zero amount in dollars, like 10 or -2.50."));
    }
    adjust.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={ADJUST_LABELS} />
      {adjust.isSuccess ? (
        <Alert tone="success" title="Adjustment recorded">
          {formatMoney(adjust.data.amount, adjust.data.currency)} for {organization.trim()}; the balance is now{" "}
          {formatMoney(adjust.data.balance_after, adjust.data.currency)}.
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id={fieldId("organization_id")}
          label="Organization ID"
          value={organization}
          onChange={(e) => setOrganization(e.target.value)}
          error={errors.fields.organization_id}
          autoComplete="off"
        />
        <TextField
          id={fieldId("amount")}
          label="Amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.fields.amount}
          hint="US dollars: positive credits, negative debits (never below a zero balance)."
          inputMode="decimal"
          autoComplete="off"
        />
      </div>
      <TextField
        id={fieldId("reason")}
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.fields.reason}
        hint="Shown to the customer on the transaction; at least 3 characters."
        autoComplete="off"
      />
      <Button type="submit" busy={adjust.isPending}>
        Record adjustment
      </Button>
    </form>
  );
}

function ReconciliationItem({ r }: { r: Reconciliation }) {
  return (
    <li className="space-y-1 py-3">
      <p className="font-semibold text-slate-900">
        {r.day}{" "}
        <span className="text-sm font-normal text-slate-700">· ran {formatDateTime(r.ran_at)}</span>
      </p>
      <p className="text-sm text-slate-700">
        {r.paypal_captures} PayPal captures · {r.ledger_topups} ledger top-ups · {r.matched} matched
      </p>
      {r.findings.length === 0 ? (
        <p className="text-sm text-green-800">No findings.</p>
      ) : (
        <ul className="list-disc space-y-1 pl-5 text-sm text-amber-950">
          {r.findings.map((f) => (
            <li key={f.capture_id} className="break-all">
              Capture {f.capture_id} ({formatMoney(f.amount)}{f.organization_id ? `, organization ${f.organization_id}` : ""}):{" "}
              {FINDINGS[f.action]}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function Reconciliations() {
  const queryClient = useQueryClient();
  const { cursor, page, next, previous } = useCursors();
  const [day, setDay] = useState("");
  const list = useQuery({
    queryKey: [...RECONCILIATIONS, cursor ?? ""],
    queryFn: () =>
      unwrap(api.GET("/api/admin/billing/reconciliations", { params: { query: cursor ? { limit: 10, cursor } : { limit: 10 } } })),
  });
  const run = useMutation({
    mutationFn: () =>
      withIdempotencyKey((key) =>
        unwrap(
          api.POST("/api/admin/billing/reconciliations", {
            params: { header: { "Idempotency-Key": key } },
            body: day ? { day } : {},
          }),
        ),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: RECONCILIATIONS }),
  });
  const items = list.data?.reconciliations ?? [];
  return (
    <div className="space-y-4">
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          run.mutate();
        }}
      >
        <TextField label="Day (UTC)" type="date" value={day} onChange={(e) => setDay(e.target.value)} hint="Empty: yesterday." />
        <Button type="submit" variant="secondary" busy={run.isPending}>
          Reconcile now
        </Button>
      </form>
      {run.isError ? <ErrorState error={run.error} title="The reconciliation did not run" /> : null}
      {list.isPending ? <Loading label="Loading reconciliations…" /> : null}
      {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 && page === 1 ? (
        <EmptyState title="No reconciliations yet">They run daily for the day before, or now with the button above.</EmptyState>
      ) : null}
      {items.length > 0 ? (
        <ul aria-label="Reconciliations" className="divide-y divide-slate-200">
          {items.map((r) => (
            <ReconciliationItem key={r.id} r={r} />
          ))}
        </ul>
      ) : null}
      {list.isSuccess ? (
        <Pager label="Reconciliation pages" page={page} nextCursor={list.data.next_cursor} onPrevious={previous} onNext={next} />
      ) : null}
    </div>
  );
}

export default function Payments() {
  useDocumentTitle("Payments");
  return (
    <>
      <PageHeader
        title="Payments"
        description="PayPal reconciliation and manual wallet adjustments. Only administrators see this page."
      />
      <div className="space-y-6">
        <Section title="Adjust a wallet">
          <Adjustment />
        </Section>
        <Section title="Reconciliation with PayPal">
          <Reconciliations />
        </Section>
      </div>
    </>
  );
}
