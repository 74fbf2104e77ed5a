import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

import { ApiError, messageOf } from "../../api/errors";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { Alert } from "../../ui/States";
import { forgetSetup, paymentMethodsKey, saveMethod } from "./queries";

/**
 * Back from saving a PayPal account: an approved setup token is saved once (POST /api/billing/payment-methods,
 * with an Idempotency-Key) in the organization it was started in, and the saved methods are fetched again.
 */
export function MethodReturn({
  outcome,
  setupToken,
  setup,
}: {
  outcome: string;
  setupToken: string;
  setup: { organizationId: string } | null;
}) {
  const { organizationId } = useOrganization();
  const organization = setup?.organizationId ?? organizationId;
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (token: string) => saveMethod(token, { "X-Organization-Id": organization }),
    onSuccess: (_, token) => {
      forgetSetup(token);
      void queryClient.invalidateQueries({ queryKey: paymentMethodsKey(organization) });
    },
  });
  const { mutate } = save;
  const handled = useRef(false);
  useEffect(() => {
    if (handled.current) return;
    handled.current = true;
    if (outcome === "vaulted") mutate(setupToken);
    else forgetSetup(setupToken);
  }, [outcome, setupToken, mutate]);

  if (outcome !== "vaulted") {
    return (
      <Alert tone="info" title="Saving the PayPal account was cancelled">
        Nothing was saved. Each top-up can still be approved at PayPal, or save an account again later.
      </Alert>
    );
  }
  if (save.isError) {
    const error = save.error;
    const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
    return (
      <Alert tone="error" title="The PayPal account could not be saved">
        <p>{messageOf(error)}</p>
        {retryable ? (
          <Button variant="secondary" className="mt-3" onClick={() => mutate(setupToken)}>
            Try again
          </Button>
        ) : null}
      </Alert>
    );
  }
  if (save.isSuccess) {
    return (
      <Alert tone="success" title={`PayPal account saved: ${save.data.label}`}>
        Choose it under Add funds to top up in one step, without approving each payment at PayPal.
      </Alert>
    );
  }
  return <Alert tone="info">Saving your PayPal account…</Alert>;
}
