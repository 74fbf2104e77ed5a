import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { ApiError, messageOf } from "../../api/errors";
import { formatMoney } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/States";
import { billingKey, captureFunds, forgetTopUp, recallTopUp } from "./queries";

/**
 * PayPal sends the payer back to /billing?paypal=approved&token=<order id> (or paypal=cancelled). An approved
 * order is captured here (with an Idempotency-Key; capturing twice credits once) and the address is
 * cleaned, so a reload does not ask again.
 */
export function PayPalReturn() {
  const [params, setParams] = useSearchParams();
  const [landing] = useState(() => ({ outcome: params.get("paypal"), orderId: params.get("token") }));
  const [pending] = useState(() => (landing.orderId ? recallTopUp(landing.orderId) : null));
  const { organizationId } = useOrganization();
  // The top-up belongs to the organization it was started in, whichever is selected now.
  const organization = pending?.organizationId ?? organizationId;
  const queryClient = useQueryClient();
  const capture = useMutation({
    mutationFn: (orderId: string) => captureFunds(orderId, { "X-Organization-Id": organization }),
    onSuccess: (_, orderId) => {
      forgetTopUp(orderId);
      void queryClient.invalidateQueries({ queryKey: billingKey(organization) });
    },
  });
  const { mutate } = capture;
  const handled = useRef(false);
  useEffect(() => {
    if (handled.current || !landing.outcome) return;
    handled.current = true;
    setParams({}, { replace: true });
    if (!landing.orderId) return;
    if (landing.outcome === "approved") mutate(landing.orderId);
    else forgetTopUp(landing.orderId);
  }, [landing, mutate, setParams]);

  if (landing.outcome === "cancelled") {
    return (
      <Alert tone="info" title="Payment cancelled">
        You cancelled at PayPal, so nothing was charged. Add funds again whenever you are ready.
      </Alert>
    );
  }
  if (landing.outcome !== "approved" || !landing.orderId) return null;
  const orderId = landing.orderId;
  if (capture.isError) {
    const error = capture.error;
    const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
    return (
      <Alert tone="error" title="The payment could not be completed">
        <p>{messageOf(error)}</p>
        {retryable ? (
          <Button variant="secondary" className="mt-3" onClick={() => mutate(orderId)}>
            Try again
          </Button>
        ) : null}
      </Alert>
    );
  }
  if (capture.isSuccess) {
    if (capture.data.status === "pending") {
      return (
        <Alert tone="info" title="PayPal is still processing the payment">
          Your balance goes up as soon as PayPal completes it; nothing more to do here.
        </Alert>
      );
    }
    return (
      <Alert tone="success" title="Payment received">
        {pending ? `${formatMoney(pending.amount)} was added. ` : ""}Your balance is now{" "}
        {formatMoney(capture.data.new_balance)}.
      </Alert>
    );
  }
  return <Alert tone="info">Confirming your payment with PayPal…</Alert>;
}
