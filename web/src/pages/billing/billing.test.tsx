import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { PaymentMethod, Wallet } from "../../api/types";
import { invoice, paymentMethod, transaction, wallet } from "../../test/fixtures";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn, user } from "../../test/render";
import { browser, recallSetup, rememberSetup, rememberTopUp } from "./queries";

const EMPTY = {
  "GET /api/billing/transactions": () => json(200, { transactions: [], next_cursor: null }),
  "GET /api/billing/invoices": () => json(200, { invoices: [], next_cursor: null }),
  "GET /api/billing/payment-methods": () => json(200, { payment_methods: [] }),
  "GET /api/billing/usage": () => json(200, { period: "2026-11", resources: [], total: "0.00", unbilled_total: "0.00" }),
  "GET /api/containers": () => json(200, { containers: [], next_cursor: null }),
};

function billingApi(current: () => Wallet, more: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({ ...ORGANIZATIONS, ...EMPTY, "GET /api/billing/wallet": () => json(200, current()), ...more });
}

describe("the billing page", () => {
  it("shows the balance, what it costs per hour and how long it lasts", async () => {
    // Given a wallet with $25 spending $0.35 an hour
    signedIn();
    billingApi(() => wallet());
    // When the billing page opens
    renderApp("/billing");
    // Then the wallet's figures read as a person would say them
    const figures = within(await screen.findByRole("region", { name: "Wallet" }));
    expect(await figures.findByText("$25.00")).toBeInTheDocument();
    expect(figures.getByText("$0.35 per hour")).toBeInTheDocument();
    expect(figures.getByText("About 3 days")).toBeInTheDocument();
  });

  it("starts a PayPal top-up with an Idempotency-Key and sends the browser to PayPal's approval page", async () => {
    // Given a user on the billing page, and an API that answers a PayPal order to approve
    signedIn();
    const open = vi.spyOn(browser, "open").mockImplementation(() => undefined);
    const requests = billingApi(() => wallet(), {
      "POST /api/billing/wallet/add-funds": () =>
        json(200, {
          status: "pending",
          transaction_id: null,
          new_balance: "25.00",
          order_id: "ORDER1",
          approval_url: "http://127.0.0.1:9999/checkoutnow?token=ORDER1",
        }),
    });
    renderApp("/billing");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Amount"), "10.50");

    // When they continue to PayPal
    await person.click(screen.getByRole("button", { name: "Continue to PayPal" }));

    // Then the browser goes to the approval page
    await waitFor(() => expect(open).toHaveBeenCalledWith("http://127.0.0.1:9999/checkoutnow?token=ORDER1"));
    // And the request asked for the typed amount with PayPal, retry-safe, in the user's organization
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ amount: "10.50", payment_method: "paypal" });
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("says what is wrong with the amount without asking the API", async () => {
    signedIn();
    const requests = billingApi(() => wallet());
    renderApp("/billing");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Amount"), "12.345");
    await person.click(screen.getByRole("button", { name: "Continue to PayPal" }));
    expect(screen.getByLabelText("Amount")).toHaveAccessibleDescription(/like 25 or 12.50/);
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("shows the API's limits at the amount", async () => {
    signedIn();
    billingApi(() => wallet(), {
      "POST /api/billing/wallet/add-funds": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "Add between 5.00 and 1000.00 USD at a time.",
            details: [{ field: "amount", message: "Add between 5.00 and 1000.00 USD at a time." }],
          },
        }),
    });
    renderApp("/billing");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Amount"), "1");
    await person.click(screen.getByRole("button", { name: "Continue to PayPal" }));
    await waitFor(() => expect(screen.getByLabelText("Amount")).toHaveAccessibleDescription(/Add between 5.00 and 1000.00/));
  });

  it("captures the approved order on the way back from PayPal and shows the new balance", async () => {
    // Given a top-up of $25 started in this tab, approved at PayPal
    signedIn();
    rememberTopUp("ORDER1", { organizationId: ORG, amount: "25" });
    let current = wallet({ balance: "0.00", runway_hours: 0 });
    const requests = billingApi(() => current, {
      "POST /api/billing/wallet/add-funds/ORDER1/capture": () => {
        current = wallet({ balance: "25.00" });
        return json(200, { status: "completed", transaction_id: "CAP1", new_balance: "25.00", order_id: "ORDER1" });
      },
    });

    // When PayPal sends the browser back
    renderApp("/billing?paypal=approved&token=ORDER1");

    // Then the payment is confirmed with the amount and the new balance
    const notice = await screen.findByText("Payment received");
    expect(notice.parentElement).toHaveTextContent("$25.00 was added. Your balance is now $25.00.");
    // And the wallet shows it
    const figures = within(screen.getByRole("region", { name: "Wallet" }));
    expect(await figures.findByText("$25.00")).toBeInTheDocument();
    // And the capture was asked for once, retry-safe, in the organization the top-up was started in
    const captures = requests.filter((r) => r.method === "POST");
    expect(captures).toHaveLength(1);
    expect(captures[0]?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(captures[0]?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("says so when the payment was cancelled at PayPal, and captures nothing", async () => {
    signedIn();
    const requests = billingApi(() => wallet());
    renderApp("/billing?paypal=cancelled&token=ORDER1");
    expect(await screen.findByText("Payment cancelled")).toBeInTheDocument();
    expect(screen.getByText(/nothing was charged/)).toBeInTheDocument();
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("shows why a capture failed", async () => {
    signedIn();
    billingApi(() => wallet(), {
      "POST /api/billing/wallet/add-funds/ORDER1/capture": () =>
        json(402, { error: { code: "payment_declined", message: "PayPal declined the payment; try another payment method." } }),
    });
    renderApp("/billing?paypal=approved&token=ORDER1");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The payment could not be completed");
    expect(alert).toHaveTextContent("PayPal declined the payment");
  });

  it("lists transactions a page at a time with the cursor", async () => {
    signedIn();
    const requests = billingApi(() => wallet(), {
      "GET /api/billing/transactions": (request) =>
        new URL(request.url).searchParams.get("cursor") === "next-1"
          ? json(200, { transactions: [transaction({ id: "t2", description: "Older top-up" })], next_cursor: null })
          : json(200, { transactions: [transaction()], next_cursor: "next-1" }),
    });
    renderApp("/billing");
    const table = await screen.findByRole("table", { name: "Transactions, newest first" });
    expect(within(table).getByText("Wallet top-up (PayPal)")).toBeInTheDocument();
    expect(within(table).getByText("+$25.00")).toBeInTheDocument();
    const person = userEvent.setup();
    const pages = screen.getByRole("navigation", { name: "Transaction pages" });
    await person.click(within(pages).getByRole("button", { name: "Next page" }));
    expect(await screen.findByText("Older top-up")).toBeInTheDocument();
    expect(requests.some((r) => new URL(r.url).searchParams.get("cursor") === "next-1")).toBe(true);
  });

  it("downloads an invoice's PDF with the session's token", async () => {
    // Given an invoice
    signedIn();
    const save = vi.spyOn(browser, "save").mockImplementation(() => undefined);
    const requests = billingApi(() => wallet(), {
      "GET /api/billing/invoices": () => json(200, { invoices: [invoice()], next_cursor: null }),
      "GET /api/billing/invoices/inv-1/pdf": () =>
        new Response("%PDF-1.7", { status: 200, headers: { "Content-Type": "application/pdf" } }),
    });
    renderApp("/billing");
    const person = userEvent.setup();
    // When its PDF is asked for
    await person.click(await screen.findByRole("button", { name: "Download PDF of invoice CS-2026-000007" }));
    // Then it is saved under the invoice's number, fetched with the token and as a PDF
    await waitFor(() => expect(save).toHaveBeenCalledWith(expect.anything(), "CS-2026-000007.pdf"));
    expect(save.mock.calls[0]?.[0].type).toBe("application/pdf");
    const pdf = requests.find((r) => r.url.endsWith("/pdf"));
    expect(pdf?.headers.get("Authorization")).toBe("Bearer token-1");
    expect(pdf?.headers.get("Accept")).toBe("application/pdf");
  });

  it("shows the month's usage per resource with its cost", async () => {
    signedIn();
    billingApi(() => wallet(), {
      "GET /api/billing/usage": () =>
        json(200, {
          period: "2026-11",
          resources: [
            {
              resource_id: "c1",
              name: "hello-web",
              kind: "container",
              minutes: 120,
              cost: "0.70",
              unbilled_minutes: 30,
              unbilled_cost: "0.18",
            },
          ],
          total: "0.70",
          unbilled_total: "0.18",
        }),
    });
    renderApp("/billing");
    const row = (await screen.findByText("hello-web")).closest("tr");
    expect(row).toHaveTextContent("2.5 h");
    expect(row).toHaveTextContent("$0.70");
    expect(row).toHaveTextContent("$0.18");
  });
});

describe("saving a PayPal account", () => {
  it("starts at PayPal with an Idempotency-Key, remembering the setup for the way back", async () => {
    // Given a user on the billing page, and an API that answers a setup token to approve
    signedIn();
    const open = vi.spyOn(browser, "open").mockImplementation(() => undefined);
    const requests = billingApi(() => wallet(), {
      "POST /api/billing/payment-methods/setup": () =>
        json(201, { setup_token: "SETUP1", approval_url: "http://127.0.0.1:9999/checkoutnow?token=SETUP1" }),
    });
    renderApp("/billing");
    const person = userEvent.setup();

    // When they ask to save a PayPal account
    await person.click(await screen.findByRole("button", { name: "Save a PayPal account" }));

    // Then the browser goes to PayPal's approval page
    await waitFor(() => expect(open).toHaveBeenCalledWith("http://127.0.0.1:9999/checkoutnow?token=SETUP1"));
    expect(screen.getByText("Taking you to PayPal to save your account…")).toBeInTheDocument();
    // And the request was retry-safe, in the user's organization, which is remembered for the return
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get("X-Organization-Id")).toBe(ORG);
    expect(recallSetup("SETUP1")).toEqual({ organizationId: ORG });
  });

  it("saves the approved account once on the way back, lists it and offers it for top-ups", async () => {
    // Given a saving started in this tab and approved at PayPal
    signedIn();
    rememberSetup("SETUP1", { organizationId: ORG });
    let saved: PaymentMethod[] = [];
    const requests = billingApi(() => wallet(), {
      "GET /api/billing/payment-methods": () => json(200, { payment_methods: saved }),
      "POST /api/billing/payment-methods": () => {
        saved = [paymentMethod()];
        return json(201, paymentMethod());
      },
    });

    // When PayPal sends the browser back (in StrictMode, where effects run twice)
    renderApp("/billing?paypal=vaulted&token=SETUP1", { strict: true });

    // Then the account is saved and named
    expect(await screen.findByText("PayPal account saved: PayPal p***@example.com")).toBeInTheDocument();
    // And listed with the saved methods, and offered under Add funds
    const list = await screen.findByRole("list", { name: "Saved payment methods" });
    expect(within(list).getByRole("button", { name: "Remove PayPal p***@example.com" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Saved: PayPal p***@example.com" })).toBeInTheDocument();
    // And it was asked for once, retry-safe, with the setup token, in the organization it was started in
    const posts = requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(await posts[0]?.json()).toEqual({ setup_token: "SETUP1" });
    expect(posts[0]?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(posts[0]?.headers.get("X-Organization-Id")).toBe(ORG);
    expect(recallSetup("SETUP1")).toBeNull();
  });

  it("says so when the saving was cancelled at PayPal, and saves nothing", async () => {
    signedIn();
    rememberSetup("SETUP1", { organizationId: ORG });
    const requests = billingApi(() => wallet());
    renderApp("/billing?paypal=cancelled&token=SETUP1");
    expect(await screen.findByText("Saving the PayPal account was cancelled")).toBeInTheDocument();
    expect(screen.queryByText("Payment cancelled")).toBeNull();
    expect(requests.some((r) => r.method === "POST")).toBe(false);
    expect(recallSetup("SETUP1")).toBeNull();
  });

  it("shows the API's reason when the account cannot be saved", async () => {
    signedIn();
    const message = "PayPal does not accept this setup token: it is expired or not approved by the payer yet.";
    billingApi(() => wallet(), {
      "POST /api/billing/payment-methods": () =>
        json(400, { error: { code: "validation_error", message, details: [{ field: "setup_token", message }] } }),
    });
    renderApp("/billing?paypal=vaulted&token=SETUP1");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The PayPal account could not be saved");
    expect(alert).toHaveTextContent(message);
    expect(within(alert).queryByRole("button", { name: "Try again" })).toBeNull();
  });

  it("tops up with a saved account in one step, without leaving the page", async () => {
    // Given a saved PayPal account and a $25 wallet
    signedIn();
    const open = vi.spyOn(browser, "open").mockImplementation(() => undefined);
    let current = wallet();
    const requests = billingApi(() => current, {
      "GET /api/billing/payment-methods": () => json(200, { payment_methods: [paymentMethod()] }),
      "POST /api/billing/wallet/add-funds": () => {
        current = wallet({ balance: "35.00" });
        return json(200, { status: "completed", transaction_id: "TX1", new_balance: "35.00", order_id: "ORDER2" });
      },
    });
    renderApp("/billing");
    const person = userEvent.setup();
    await person.selectOptions(
      await screen.findByLabelText("Payment method"),
      await screen.findByRole("option", { name: "Saved: PayPal p***@example.com" }),
    );
    await person.type(screen.getByLabelText("Amount"), "10");

    // When they add funds with it
    await person.click(screen.getByRole("button", { name: "Add funds" }));

    // Then the funds are added at once, and the wallet shows the new balance
    expect(await screen.findByText("Funds added")).toBeInTheDocument();
    const figures = within(screen.getByRole("region", { name: "Wallet" }));
    expect(await figures.findByText("$35.00")).toBeInTheDocument();
    expect(open).not.toHaveBeenCalled();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ amount: "10", payment_method: "pm-1" });
  });
});

describe("a suspended organization", () => {
  it("sees why and how to resume on every page", async () => {
    // Given an organization suspended because its balance ran out
    signedIn();
    billingApi(() => wallet({ balance: "0.00", runway_hours: 0, status: "suspended", suspended_at: "2026-11-20T08:00:00Z" }));
    // When any page opens
    renderApp("/containers");
    // Then a banner says why, and links to billing to add funds
    const banner = await screen.findByRole("alert");
    expect(banner).toHaveTextContent("This organization is suspended");
    expect(banner).toHaveTextContent("balance ran out");
    expect(within(banner).getByRole("link", { name: "Add funds" })).toHaveAttribute("href", "/billing");
  });

  it("is warned while the balance is at zero, before the suspension", async () => {
    signedIn();
    billingApi(() => wallet({ balance: "0.00", runway_hours: 0, status: "grace" }));
    renderApp("/dashboard");
    expect(await screen.findByText("Your balance has run out")).toBeInTheDocument();
  });

  it("sees no banner while the wallet is fine", async () => {
    signedIn();
    billingApi(() => wallet());
    renderApp("/dashboard");
    expect(await screen.findByTestId("dashboard-balance")).toHaveTextContent("$25.00");
    expect(screen.queryByText(/suspended|run out/)).toBeNull();
  });
});

describe("the dashboard", () => {
  it("shows the balance and how long it lasts, with the way to billing", async () => {
    signedIn();
    billingApi(() => wallet());
    renderApp("/dashboard");
    const card = within(await screen.findByRole("region", { name: "Wallet" }));
    expect(await card.findByText("$25.00")).toBeInTheDocument();
    expect(card.getByText("Lasts about 3 days at the current spending.")).toBeInTheDocument();
    expect(card.getByRole("link", { name: "Add funds" })).toHaveAttribute("href", "/billing");
  });
});

describe("the payments page for administrators", () => {
  it("records a manual adjustment with a reason and an Idempotency-Key", async () => {
    signedIn(user({ role: "admin" }));
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/billing/wallet": () => json(200, wallet()),
      "GET /api/admin/billing/reconciliations": () => json(200, { reconciliations: [], next_cursor: null }),
      "POST /api/admin/billing/adjustments": () =>
        json(201, transaction({ type: "adjustment", amount: "5.00", balance_after: "30.00", description: "Adjustment" })),
    });
    renderApp("/admin/payments");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Organization ID"), "org-9");
    await person.type(screen.getByLabelText("Amount"), "5");
    await person.type(screen.getByLabelText("Reason"), "Goodwill credit");
    await person.click(screen.getByRole("button", { name: "Record adjustment" }));
    expect(await screen.findByText("Adjustment recorded")).toBeInTheDocument();
    expect(screen.getByText(/the balance is now \$30.00/)).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ organization_id: "org-9", amount: "5", reason: "Goodwill credit" });
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
