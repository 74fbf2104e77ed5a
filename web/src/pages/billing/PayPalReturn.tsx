import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";

import { ApiError, messageOf } from "../../api/errors";
import { formatMoney } from "../../lib/money";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/States";
import { MethodReturn } from "./MethodReturn";
import { billingKey, captureFunds, forgetTopUp, recallSetup, recallTopUp } from "./queries";

/**
 * PayPal sends the payer back to /billing?paypal=approved&token=<order id> (or paypal=cancelled) after a
 * top-up, and to /billing?paypal=vaulted&token=<setup token> (or paypal=cancelled) after saving an account
 * (see MethodReturn). The address is cleaned at once, so a reload does not act again.
 */
export function PayPalReturn() {
  const [params, setParams] = useSearchParams();
  const [landing] = useState(() => {
    const token = params.get("token");
    return { outcome: params.get("paypal"), token, setup: token ? recallSetup(token) : null };
  });
  const cleaned = useRef(false);
  useEffect(() => {
    if (cleaned.current || !landing.outcome) return;
    cleaned.current = true;
    setParams({}, { replace: true });
  }, [landing, setParams]);

  const { outcome, token, setup } = landing;
  if (outcome === "vaulted" || (outcome === "cancelled" && token && setup)) {
    return token ? <MethodReturn outcome={outcome} setupToken={token} setup={setup} /> : null;
  }
  if (outcome === "cancelled") {
    return <TopUpCancelled orderId={token} />;
  }
  if (outcome !== "approved" || !token) return null;
  return <TopUpReturn orderId={token} />;
}

function TopUpCancelled({ orderId }: { orderId: string | null }) {
  useEffect(() => {
    if (orderId) forgetTopUp(orderId);
  }, [orderId]);
  return (
    <Alert tone="info" title="Payment cancelled">
      You cancelled at PayPal, so nothing was charged. Add funds again whenever you are ready.
    </Alert>
  );
}

/** An approved order is captured (with an Idempotency-Key; capturing twice credits once). */
function TopUpReturn({ orderId }: { orderId: string }) {
  const [pending] = useState(() => recallTopUp(orderId));
  const { organizationId } = useOrganization();
  // The top-up belongs to the organization it was started in, whichever is selected now.
  const organization = pending?.organizationId ?? organizationId;
  const queryClient = useQueryClient();
  const capture = useMutation({
    mutationFn: (id: string) => captureFunds(id, { "X-Organization-Id": organization }),
    onSuccess: (_, id) => {
      forgetTopUp(id);
      void queryClient.invalidateQueries({ queryKey: billingKey(organization) });
    },
  });
  const { mutate } = capture;
  const handled = useRef(false);
  useEffect(() => {
    if (handled.current) return;
    handled.current = true;
    mutate(orderId);
  }, [orderId, mutate]);

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
