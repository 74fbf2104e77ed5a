import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useState } from "react";

import { ApiError } from "../../api/errors";
import { amountProblem, formatMoney } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { ErrorSummary, fieldId } from "../../ui/ErrorSummary";
import { SelectField, TextField } from "../../ui/Field";
import { Alert } from "../../ui/States";
import { useFormErrors } from "../useFormErrors";
import { addFunds, billingKey, browser, rememberTopUp, usePaymentMethods } from "./queries";

const LABELS: Record<string, string> = { amount: "Amount", payment_method: "Payment method" };
const PAYPAL = "paypal";

/**
 * Top up the wallet: with PayPal the browser goes to PayPal's approval page and comes back to /billing
 * (see PayPalReturn); a saved payment method is charged at once.
 */
export function AddFunds() {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  const methods = usePaymentMethods().data?.payment_methods ?? [];
  const [amount, setAmount] = useState("");
  const [picked, setMethod] = useState(PAYPAL);
  // A saved method removed meanwhile (or not loaded yet) is not offered: PayPal then.
  const method = picked === PAYPAL || methods.some((m) => m.id === picked) ? picked : PAYPAL;
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useMutation({
    mutationFn: () => addFunds(amount.trim(), method, header),
    onSuccess: (topUp) => {
      if (topUp.status === "pending" && topUp.approval_url && topUp.order_id) {
        rememberTopUp(topUp.order_id, { organizationId, amount: amount.trim() });
        browser.open(topUp.approval_url);
        return;
      }
      setAmount("");
      void queryClient.invalidateQueries({ queryKey: billingKey(organizationId) });
    },
    onError: fail,
  });
  const leaving = add.isSuccess && add.data.status === "pending" && Boolean(add.data.approval_url);
  // Back from PayPal with the browser's Back button: the page may come back as it was left (bfcache).
  const { reset } = add;
  useEffect(() => {
    const restored = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, [reset]);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    add.reset();
    const problem = amountProblem(amount);
    if (problem) {
      fail(new ApiError(400, "validation_error", problem, [{ field: "amount", message: problem }]));
      return;
    }
    add.mutate();
  };

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
      {add.isSuccess && add.data.status === "completed" ? (
        <Alert tone="success" title="Funds added">
          Your balance is now {formatMoney(add.data.new_balance)}.
        </Alert>
      ) : null}
      {leaving ? <Alert tone="info">Taking you to PayPal to approve the payment…</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id={fieldId("amount")}
          label="Amount"
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={errors.fields.amount}
          hint="In US dollars, for example 25 or 12.50."
          inputMode="decimal"
          autoComplete="off"
        />
        <SelectField
          id={fieldId("payment_method")}
          label="Payment method"
          value={method}
          onChange={(e) => setMethod(e.target.value)}
          error={errors.fields.payment_method}
          hint={method === PAYPAL ? "You approve the payment at PayPal, then come back here." : "Charged at once."}
        >
          <option value={PAYPAL}>PayPal</option>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>
              Saved: {m.label}
            </option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" busy={add.isPending || leaving}>
        {method === PAYPAL ? "Continue to PayPal" : "Add funds"}
      </Button>
    </form>
  );
}
