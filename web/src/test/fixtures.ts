import type {
  Container,
  Invoice,
  PaymentMethod,
  Provider,
  SshKey,
  Transaction,
  Vps,
  VpsPlan,
  Wallet,
} from "../api/types";

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
    project_id: null,
    created_by: "user-1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    cluster_id: null,
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

export function vps(overrides: Partial<Vps> = {}): Vps {
  return {
    id: "vps-1",
    vps_id: "vps-1",
    organization_id: "org-1",
    label: "web-1",
    status: "running",
    status_reason: null,
    plan_id: "plan-nano",
    plan_name: "Linode 1024",
    region: "us-east",
    ip_address: "192.0.2.10",
    ipv4: ["192.0.2.10"],
    ipv6: "2600:3c00::f03c:91ff:fe24:1",
    price_per_hour: "0.009000",
    ssh_key_ids: [],
    project_id: null,
    running_since: "2026-11-02T10:00:00Z",
    created_at: "2026-11-02T09:59:00Z",
    updated_at: "2026-11-02T10:00:00Z",
    ...overrides,
  };
}

export function plan(overrides: Partial<VpsPlan> = {}): VpsPlan {
  return {
    id: "plan-nano",
    provider_id: "prov-1",
    name: "Linode 1024",
    provider_plan_id: "g6-nanode-1",
    vcpus: 1,
    memory_mb: 1024,
    disk_mb: 25600,
    transfer_mb: 1000,
    price_per_hour: "0.009000",
    price_per_month: "6.00",
    markup_price: "6.00",
    active: true,
    base_price: null,
    base_price_per_hour: null,
    markup: null,
    ...overrides,
  };
}

export function sshKey(overrides: Partial<SshKey> = {}): SshKey {
  return {
    id: "key-1",
    name: "laptop",
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO4 me@laptop",
    fingerprint: "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    created_at: "2026-11-01T08:00:00Z",
    ...overrides,
  };
}

export function provider(overrides: Partial<Provider> = {}): Provider {
  return {
    id: "prov-1",
    name: "Linode sandbox",
    type: "linode",
    supported: true,
    active: true,
    configuration: {},
    api_key_last_four: "oken",
    regions: 11,
    synced_at: "2026-11-01T08:00:00Z",
    price_changes: [],
    events_after: null,
    created_at: "2026-11-01T08:00:00Z",
    updated_at: "2026-11-01T08:00:00Z",
    ...overrides,
  };
}
