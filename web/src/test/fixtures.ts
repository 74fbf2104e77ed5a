import type { Container, Invoice, PaymentMethod, Transaction, Wallet } from "../api/types";

export function container(overrides: Partial<Container> = {}): Container {
  return {
    id: "01HCONTAINER",
    name: "web",
    image: "containerstacks/hello:local",
    status: "running",
    status_reason: null,
    exit_code: null,
    resources: { cpu: "0.5", memory: "64Mi", storage: null },
    environment: {},
    ports: [{ container: 80, host: null, protocol: "tcp" }],
    volumes: [],
    replicas: 1,
    created_by: "user-1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

export function wallet(overrides: Partial<Wallet> = {}): Wallet {
  return {
    organization_id: "org-1",
    balance: "25.00",
    currency: "USD",
    burn_rate_per_hour: "0.350000",
    runway_hours: 71.43,
    status: "active",
    suspended_at: null,
    ...overrides,
  };
}

export function transaction(overrides: Partial<Transaction> = {}): Transaction {
  return {
    id: "01HTX",
    type: "topup",
    amount: "25.00",
    balance_after: "25.00",
    currency: "USD",
    description: "Wallet top-up (PayPal)",
    reference: "CAPTURE1",
    resource_id: null,
    resource_name: null,
    period_start: null,
    period_end: null,
    quantity_minutes: null,
    reason: null,
    created_by: "user-1",
    created_at: "2026-11-02T10:00:00Z",
    ...overrides,
  };
}

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  const party = { name: "", address: "", email: "", tax_id: "" };
  return {
    id: "inv-1",
    invoice_number: "CS-2026-000007",
    period: "2026-10",
    status: "paid",
    amount: "12.10",
    tax: "2.10",
    tax_name: "VAT",
    currency: "USD",
    line_items: [],
    seller: { ...party, name: "ContainerStacks" },
    buyer: { ...party, name: "Ann's organization" },
    created_at: "2026-11-01T03:00:00Z",
    due_date: "2026-11-15T00:00:00Z",
    paid_at: "2026-11-01T03:00:00Z",
    ...overrides,
  };
}

export function paymentMethod(overrides: Partial<PaymentMethod> = {}): PaymentMethod {
  return {
    id: "pm-1",
    provider: "paypal",
    label: "PayPal p***@example.com",
    created_at: "2026-11-20T08:00:00Z",
    ...overrides,
  };
}
