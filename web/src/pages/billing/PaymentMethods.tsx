import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";

import { api, unwrap } from "../../api/client";
import { messageOf } from "../../api/errors";
import type { PaymentMethod } from "../../api/types";
import { formatDateTime } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { Alert, ErrorState, Loading } from "../../ui/States";
import { browser, paymentMethodsKey, rememberSetup, startSavingMethod, usePaymentMethods } from "./queries";

function MethodItem({ method }: { method: PaymentMethod }) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/billing/payment-methods/{method_id}", { params: { header, path: { method_id: method.id } } })),
    onSettled: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: paymentMethodsKey(organizationId) });
    },
  });
  return (
    <li className="flex flex-wrap items-center gap-x-6 gap-y-2 py-3">
      <div className="min-w-0 flex-1 basis-48">
        <p className="font-semibold break-all text-slate-900">{method.label}</p>
        <p className="text-sm text-slate-700">
          {method.provider === "paypal" ? "PayPal" : method.provider} · saved {formatDateTime(method.created_at)}
        </p>
      </div>
      <Button variant="danger" onClick={() => setConfirming(true)} disabled={remove.isPending}>
        Remove<span className="sr-only"> {method.label}</span>
      </Button>
      {remove.isError ? (
        <div className="basis-full">
          <Alert tone="error">{messageOf(remove.error)}</Alert>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Remove ${method.label}?`}
        confirmLabel="Remove"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
      >
        Top-ups with it stop working; PayPal forgets the saved account too. Your balance is not affected.
      </ConfirmDialog>
    </li>
  );
}

/**
 * Save a PayPal account: the browser goes to PayPal's approval page and comes back to
 * /billing?paypal=vaulted&token=<setup token> (see MethodReturn), where the account is saved.
 */
function SaveAccount() {
  const { organizationId, header } = useOrganization();
  const start = useMutation({
    mutationFn: () => startSavingMethod(header),
    onSuccess: (setup) => {
      rememberSetup(setup.setup_token, { organizationId });
      browser.open(setup.approval_url);
    },
  });
  // Back from PayPal with the browser's Back button: the page may come back as it was left (bfcache).
  const { reset } = start;
  useEffect(() => {
    const restored = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener("pageshow", restored);
    return () => window.removeEventListener("pageshow", restored);
  }, [reset]);
  return (
    <div className="mt-4 space-y-3 border-t border-slate-200 pt-4">
      {start.isError ? <Alert tone="error">{messageOf(start.error)}</Alert> : null}
      {start.isSuccess ? <Alert tone="info">Taking you to PayPal to save your account…</Alert> : null}
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Button variant="secondary" onClick={() => start.mutate()} busy={start.isPending || start.isSuccess}>
          Save a PayPal account
        </Button>
        <p className="min-w-0 flex-1 basis-48 text-sm text-slate-700">
          Approve it at PayPal once; top-ups with it are then charged at once.
        </p>
      </div>
    </div>
  );
}

function MethodList() {
  const methods = usePaymentMethods();
  const list = methods.data?.payment_methods ?? [];
  if (methods.isPending) return <Loading label="Loading payment methods…" />;
  if (methods.isError) return <ErrorState error={methods.error} onRetry={() => void methods.refetch()} />;
  if (list.length === 0) {
    return <p className="text-sm text-slate-700">No saved payment methods: each top-up is approved at PayPal.</p>;
  }
  return (
    <ul aria-label="Saved payment methods" className="divide-y divide-slate-200">
      {list.map((m) => (
        <MethodItem key={m.id} method={m} />
      ))}
    </ul>
  );
}

/** PayPal accounts saved for one-step top-ups; each can be removed, and another one saved. */
export function PaymentMethods() {
  return (
    <>
      <MethodList />
      <SaveAccount />
    </>
  );
}
