import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { Invoice, MethodSetup, PaymentMethod, TopUp, Wallet } from "../../api/types";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";

type OrgHeader = { "X-Organization-Id": string };

/** Everything billing shows for one organization (invalidated together after money moved). */
export function billingKey(organizationId: string) {
  return ["billing", organizationId] as const;
}

export function walletKey(organizationId: string) {
  return [...billingKey(organizationId), "wallet"] as const;
}

/**
 * The wallet (balance, burn rate, runway, active/grace/suspended): fetched again whenever a page that shows
 * it opens (a container deployed a moment ago changes the burn rate) and every minute while one is open.
 */
export function useWallet() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: walletKey(organizationId),
    queryFn: (): Promise<Wallet> => unwrap(api.GET("/api/billing/wallet", { params: { header } })),
    staleTime: 0,
    refetchInterval: 60_000,
  });
}

export function paymentMethodsKey(organizationId: string) {
  return [...billingKey(organizationId), "payment-methods"] as const;
}

/** PayPal accounts saved for one-step top-ups. */
export function usePaymentMethods() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: paymentMethodsKey(organizationId),
    queryFn: () => unwrap(api.GET("/api/billing/payment-methods", { params: { header } })),
  });
}

/** A request that moves money: one fresh Idempotency-Key, reused once when the network lost the answer. */
export async function withIdempotencyKey<T>(send: (key: string) => Promise<T>): Promise<T> {
  const key = uuid();
  try {
    return await send(key);
  } catch (error) {
    if (error instanceof ApiError && error.status === 0) return send(key);
    throw error;
  }
}

export function addFunds(amount: string, paymentMethod: string, header: OrgHeader): Promise<TopUp> {
  return withIdempotencyKey((key) =>
    unwrap(
      api.POST("/api/billing/wallet/add-funds", {
        params: { header: { ...header, "Idempotency-Key": key } },
        body: { amount, payment_method: paymentMethod },
      }),
    ),
  );
}

export function captureFunds(orderId: string, header: OrgHeader): Promise<TopUp> {
  return withIdempotencyKey((key) =>
    unwrap(
      api.POST("/api/billing/wallet/add-funds/{order_id}/capture", {
        params: { header: { ...header, "Idempotency-Key": key }, path: { order_id: orderId } },
      }),
    ),
  );
}

/** Start saving a PayPal account: PayPal's approval page for a new setup token. */
export function startSavingMethod(header: OrgHeader): Promise<MethodSetup> {
  return withIdempotencyKey((key) =>
    unwrap(
      api.POST("/api/billing/payment-methods/setup", { params: { header: { ...header, "Idempotency-Key": key } } }),
    ),
  );
}

/** Save the PayPal account of a setup token the payer approved. */
export function saveMethod(setupToken: string, header: OrgHeader): Promise<PaymentMethod> {
  return withIdempotencyKey((key) =>
    unwrap(
      api.POST("/api/billing/payment-methods", {
        params: { header: { ...header, "Idempotency-Key": key } },
        body: { setup_token: setupToken },
      }),
    ),
  );
}

/** What the browser does outside the app (replaced in tests: jsdom navigates and downloads nothing). */
export const browser = {
  /** Leave the app for `url` (PayPal's approval page). */
  open(url: string): void {
    window.location.assign(url);
  },
  /** Save `blob` as a download named `filename`. */
  save(blob: Blob, filename: string): void {
    const href = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = href;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 30_000);
  },
};

/** The invoice's PDF (the route needs the bearer token, so no plain link): fetched, then saved. */
export async function downloadInvoice(invoice: Invoice, header: OrgHeader): Promise<void> {
  const blob = await unwrap(
    api.GET("/api/billing/invoices/{invoice_id}/pdf", {
      params: { header, path: { invoice_id: invoice.id } },
      headers: { Accept: "application/pdf" },
      parseAs: "blob",
    }),
  );
  browser.save(blob, `${invoice.invoice_number}.pdf`);
}

// A PayPal top-up or account saving leaves the app; what it was is remembered for the return (same tab:
// sessionStorage). Storage may be unavailable (private mode); the return then uses the current organization.
function remember(key: string, value: object): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing remembered.
  }
}

function recall(key: string): Record<string, unknown> | null {
  try {
    const raw = sessionStorage.getItem(key);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
  } catch {
    // Unreadable: as if nothing was remembered.
  }
  return null;
}

function forget(key: string): void {
  try {
    sessionStorage.removeItem(key);
  } catch {
    // Nothing to forget.
  }
}

interface PendingTopUp {
  organizationId: string;
  amount: string;
}

const topUpKey = (orderId: string) => `cs.topup.${orderId}`;

export function rememberTopUp(orderId: string, pending: PendingTopUp): void {
  remember(topUpKey(orderId), pending);
}

/** The top-up started for `orderId` in this tab (null: not started here, or storage unavailable). */
export function recallTopUp(orderId: string): PendingTopUp | null {
  const value = recall(topUpKey(orderId));
  if (typeof value?.organizationId === "string" && typeof value.amount === "string") {
    return { organizationId: value.organizationId, amount: value.amount };
  }
  return null;
}

export function forgetTopUp(orderId: string): void {
  forget(topUpKey(orderId));
}

interface PendingSetup {
  organizationId: string;
}

const setupKey = (setupToken: string) => `cs.vault.${setupToken}`;

export function rememberSetup(setupToken: string, pending: PendingSetup): void {
  remember(setupKey(setupToken), pending);
}

/** The account saving started for `setupToken` in this tab (null: not started here, or storage unavailable). */
export function recallSetup(setupToken: string): PendingSetup | null {
  const value = recall(setupKey(setupToken));
  return typeof value?.organizationId === "string" ? { organizationId: value.organizationId } : null;
}

export function forgetSetup(setupToken: string): void {
  forget(setupKey(setupToken));
}
