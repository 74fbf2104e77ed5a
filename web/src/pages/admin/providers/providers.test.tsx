import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Provider } from "../../../api/types";
import { plan, provider } from "../../../test/fixtures";
import { json, mockApi, ORGANIZATIONS, renderApp, signedIn, user } from "../../../test/render";

const ADMIN_PLAN = plan({
  base_price: "5.00",
  base_price_per_hour: "0.007500",
  markup: { type: "percent", value: "20.00" },
});
const COSTS = {
  provider_id: "prov-1",
  period_start: "2026-11-01T00:00:00Z",
  period_end: "2026-11-03T00:00:00Z",
  total: { id: "total", label: "All instances", instances: 2, hours: "30.00", provider_cost: "0.23", revenue: "0.27", margin: "0.04" },
  by_plan: [{ id: "plan-nano", label: "Linode 1024", instances: 2, hours: "30.00", provider_cost: "0.23", revenue: "0.27", margin: "0.04" }],
  by_organization: [{ id: "org-7", label: "org-7", instances: 2, hours: "30.00", provider_cost: "0.23", revenue: "0.27", margin: "0.04" }],
};
const REPORT = {
  id: "rec-1",
  provider_id: "prov-1",
  ran_at: "2026-11-02T12:00:00Z",
  provider_instances: 2,
  records: 2,
  orphans: [{ kind: "orphan", provider_instance_id: "4711", vps_id: null, organization_id: null, label: "stray-1", status: "running" }],
  ghosts: [{ kind: "ghost", provider_instance_id: "4712", vps_id: "vps-3", organization_id: "org-7", label: "db-1", status: "running" }],
};

function providersApi(list: () => Provider[], more: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    ...ORGANIZATIONS,
    "GET /api/providers": () => json(200, { providers: list() }),
    "GET /api/vps/plans": () => json(200, { plans: [ADMIN_PLAN] }),
    "GET /api/providers/prov-1/costs": () => json(200, COSTS),
    "GET /api/providers/prov-1/reconciliations": () => json(200, { reconciliations: [], next_cursor: null }),
    ...more,
  });
}

function admin() {
  signedIn(user({ role: "admin" }));
}

function sent(requests: Request[]): string[] {
  return requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${new URL(r.url).pathname}`);
}

// Whole-app renders with several steps each: a busy machine needs more than the default 5 s.
describe("the providers page", { timeout: 20_000 }, () => {
  it("is for administrators only, who find it in the navigation", async () => {
    signedIn();
    providersApi(() => []);
    renderApp("/providers");
    expect(await screen.findByText("Only platform administrators may open this page.")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Providers" })).not.toBeInTheDocument();
  });

  it("shows each provider with its key's last four only, tests its credentials and syncs its plans", async () => {
    admin();
    const requests = providersApi(() => [provider()], {
      "POST /api/providers/prov-1/test": () => json(200, { ok: true, account: "sandbox", regions: 11, types: 5, instances: 3 }),
      "POST /api/providers/prov-1/sync-plans": () =>
        json(200, { added: [], changed: [{ plan: ADMIN_PLAN, old_base_price: "4.00", old_price_per_month: "4.80" }], unchanged: 4, withdrawn: [], regions: 11 }),
    });
    renderApp("/providers");
    const person = userEvent.setup();
    expect(await screen.findByRole("link", { name: "Providers" })).toBeInTheDocument();
    const card = within(await screen.findByRole("listitem", { name: "Linode sandbox" }));
    expect(card.getByText("••••oken")).toBeInTheDocument();
    await person.click(card.getByRole("button", { name: "Test credentials of Linode sandbox" }));
    expect(await card.findByText("Account sandbox: 11 regions, 5 plan types, 3 instances.")).toBeInTheDocument();
    await person.click(card.getByRole("button", { name: "Sync plans of Linode sandbox" }));
    expect(await card.findByText(/0 added, 1 with a new price, 4 unchanged, 0 withdrawn/)).toBeInTheDocument();
    expect(sent(requests)).toEqual(["POST /api/providers/prov-1/test", "POST /api/providers/prov-1/sync-plans"]);
  });

  it("adds a provider and shows its webhook secret once", async () => {
    admin();
    const requests = providersApi(() => [], {
      "POST /api/providers": () => json(201, { ...provider({ id: "prov-2", name: "Linode prod", api_key_last_four: "wxyz" }), webhook_secret: "whsec-shown-once" }),
    });
    renderApp("/providers");
    const person = userEvent.setup();
    const form = within(await screen.findByRole("form", { name: "Add a provider" }));
    await person.type(form.getByLabelText("Name"), "Linode prod");
    await person.type(form.getByLabelText("API key"), "secret-token-wxyz");
    await person.click(form.getByRole("button", { name: "Add provider" }));
    expect(await screen.findByText("whsec-shown-once")).toBeInTheDocument();
    expect(screen.getByText(/its webhook secret is shown only now/)).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ name: "Linode prod", type: "linode", api_key: "secret-token-wxyz", configuration: {} });
    await person.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByText("whsec-shown-once")).not.toBeInTheDocument();
  });

  it("rotates a key, deactivates and deletes a provider after confirming", async () => {
    admin();
    const requests = providersApi(() => [provider()], {
      "PUT /api/providers/prov-1": () => json(200, { ...provider(), webhook_secret: null }),
      "DELETE /api/providers/prov-1": () => json(204, null),
    });
    renderApp("/providers");
    const person = userEvent.setup();
    const card = within(await screen.findByRole("listitem", { name: "Linode sandbox" }));
    await person.click(card.getByRole("button", { name: "Rotate key of Linode sandbox" }));
    await person.type(card.getByLabelText("New API key"), "new-token-1234");
    await person.click(card.getByRole("button", { name: "Save new key" }));
    expect(await card.findByText(/The new key is stored/)).toBeInTheDocument();
    await person.click(card.getByRole("button", { name: "Deactivate Linode sandbox" }));
    await person.click(card.getByRole("button", { name: "Delete Linode sandbox" }));
    await person.click(within(screen.getByRole("dialog", { name: "Delete provider Linode sandbox?" })).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(sent(requests)).toEqual(["PUT /api/providers/prov-1", "PUT /api/providers/prov-1", "DELETE /api/providers/prov-1"]));
    const puts = requests.filter((r) => r.method === "PUT");
    expect(await puts[0]?.json()).toEqual({ api_key: "new-token-1234" });
    expect(await puts[1]?.json()).toEqual({ active: false });
  });

  it("sets a plan's markup and switches it off, and lists the prices changed at the last sync", async () => {
    admin();
    const changes = [{ plan_id: "plan-nano", name: "Linode 1024", old_base_price: "4.00", base_price: "5.00", old_price_per_month: "4.80", price_per_month: "6.00" }];
    const requests = providersApi(() => [provider({ price_changes: changes })], {
      "PUT /api/vps/plans/plan-nano": () => json(200, ADMIN_PLAN),
    });
    renderApp("/providers");
    const person = userEvent.setup();
    const plans = within(await screen.findByRole("list", { name: "Plans of the provider" }));
    expect(await plans.findByText(/Provider \$5\.00 a month · markup 20\.00 %/)).toBeInTheDocument();
    await person.click(plans.getByRole("button", { name: "Set markup of Linode 1024" }));
    await person.selectOptions(plans.getByLabelText("Markup type"), "fixed");
    await person.clear(plans.getByLabelText("USD a month"));
    await person.type(plans.getByLabelText("USD a month"), "2.50");
    await person.click(plans.getByRole("button", { name: "Save markup" }));
    await person.click(plans.getByRole("button", { name: "Deactivate Linode 1024" }));
    await waitFor(() => expect(requests.filter((r) => r.method === "PUT")).toHaveLength(2));
    const [markup, off] = requests.filter((r) => r.method === "PUT");
    expect(await markup?.json()).toEqual({ markup: { type: "fixed", value: "2.50" } });
    expect(await off?.json()).toEqual({ active: false });
    const changed = within(screen.getByRole("table", { name: "Plans whose price changed at the last sync" }));
    expect(changed.getByRole("row", { name: /Linode 1024/ })).toHaveTextContent("$4.00 → $5.00$4.80 → $6.00");
  });

  it("shows costs against revenue for a period, and reconciles now", async () => {
    admin();
    let reports: (typeof REPORT)[] = [];
    const requests = providersApi(() => [provider()], {
      "GET /api/providers/prov-1/reconciliations": () => json(200, { reconciliations: reports, next_cursor: null }),
      "POST /api/providers/prov-1/reconcile": () => {
        reports = [REPORT];
        return json(200, REPORT);
      },
    });
    renderApp("/providers");
    const person = userEvent.setup();
    const totals = within(await screen.findByTestId("cost-totals"));
    expect(totals.getByText("$0.27")).toBeInTheDocument();
    expect(screen.getByRole("table", { name: "By plan" })).toHaveTextContent("Linode 1024");
    expect(screen.getByRole("table", { name: "By organization" })).toHaveTextContent("org-7");
    await person.clear(screen.getByLabelText("From"));
    await person.type(screen.getByLabelText("From"), "2026-10-01");
    await person.clear(screen.getByLabelText("To"));
    await person.type(screen.getByLabelText("To"), "2026-10-31");
    await person.click(screen.getByRole("button", { name: "Show costs" }));
    await waitFor(() =>
      expect(requests.map((r) => new URL(r.url)).some((u) => u.pathname.endsWith("/costs") && u.searchParams.get("from") === "2026-10-01T00:00:00Z" && u.searchParams.get("to") === "2026-11-01T00:00:00Z")).toBe(true),
    );
    expect(screen.getByText(/No reconciliation has run yet/)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Reconcile now" }));
    const report = within(await screen.findByTestId("reconciliation-report"));
    expect(report.getByText(/stray-1 \(running\) · instance 4711/)).toBeInTheDocument();
    expect(report.getByText(/db-1 \(running\) · instance 4712 · VPS vps-3/)).toBeInTheDocument();
  });
});
