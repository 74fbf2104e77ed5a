import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../../test/fixtures";
import { json, mockApi, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import type { AlertEvent, AlertRule, SeriesPoint } from "./queries";

const WEB = container({ id: "c-web", name: "web" });
const KINDS = { container_exited: "A container stopped", low_balance: "The balance is low" };
const NO_FEED = { "GET /api/notifications": () => json(200, { notifications: [], unread_count: 0, next_cursor: null }) };

function point(minute: number, overrides: Partial<SeriesPoint> = {}): SeriesPoint {
  return {
    at: `2026-03-01T10:${String(minute).padStart(2, "0")}:00Z`,
    samples: 1,
    cpu_percent: 10 + minute,
    cpu_percent_max: 10 + minute,
    memory_bytes: 64 * 2 ** 20,
    memory_limit_bytes: 256 * 2 ** 20,
    network_rx_bytes: 1024,
    network_tx_bytes: 2048,
    block_read_bytes: 0,
    block_write_bytes: 4096,
    ...overrides,
  };
}

function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: "01HEVENT1",
    rule_id: "01HRULE",
    rule_name: "busy CPU",
    subject: "c-web",
    state: "firing",
    message: "cpu_percent is 95 % (above 80 %) for 5 minutes.",
    value: 95,
    at: "2026-03-01T10:05:00Z",
    resolved_at: null,
    ...overrides,
  };
}

function monitoring(rules: AlertRule[] = [], events: AlertEvent[] = []) {
  return {
    ...ORGANIZATIONS,
    ...NO_FEED,
    "GET /api/containers": () => json(200, { containers: [WEB], next_cursor: null }),
    "GET /api/metrics/system": () =>
      json(200, {
        scope: "organization",
        collected_at: "2026-03-01T10:05:00Z",
        hosts: null,
        organization: {
          collected_at: "2026-03-01T10:05:00Z",
          containers: 2,
          running: 1,
          cpu_percent: 15,
          memory_used_bytes: 64 * 2 ** 20,
          memory_limit_bytes: 256 * 2 ** 20,
          network_rx_bytes: 0,
          network_tx_bytes: 0,
          block_read_bytes: 0,
          block_write_bytes: 0,
        },
      }),
    "GET /api/metrics/containers/c-web/history": (request: Request) => {
      const step = Number(new URL(request.url).searchParams.get("step"));
      return json(200, {
        container_id: "c-web",
        from: "2026-03-01T09:06:00Z",
        to: "2026-03-01T10:06:00Z",
        step,
        points: [point(0), point(1), point(2, { cpu_percent: 42, cpu_percent_max: 50 })],
      });
    },
    "GET /api/alerts": () => json(200, { rules, event_kinds: KINDS }),
    "GET /api/alerts/events": () => json(200, { events, next_cursor: null }),
  };
}

describe("the monitoring page", () => {
  it("charts a container's CPU, memory, network and disk and shows the organization's totals", { timeout: 15_000 }, async () => {
    signedIn();
    const requests = mockApi(monitoring());
    renderApp("/monitoring");
    expect(await screen.findByRole("img", { name: /^CPU: 42\.0 % at the end, peak 50\.0 %/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Memory: 64\.0 MiB of 256 MiB/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Network: 3\.0 KiB in, 6\.0 KiB out/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /^Disk: 0 B read, 12\.0 KiB written/ })).toBeInTheDocument();
    expect(await screen.findByText("1 of 2")).toBeInTheDocument();

    // When a longer range is chosen, the chart asks for coarser steps
    const person = userEvent.setup();
    await person.selectOptions(screen.getByLabelText("Range"), "24h");
    await waitFor(() =>
      expect(requests.some((r) => r.url.includes("/history") && new URL(r.url).searchParams.get("step") === "900")).toBe(true),
    );
  });

  it("adds a sustained CPU rule for a container", { timeout: 15_000 }, async () => {
    signedIn();
    let rules: AlertRule[] = [];
    const requests = mockApi({
      ...monitoring(),
      "GET /api/alerts": () => json(200, { rules, event_kinds: KINDS }),
      "POST /api/alerts": async (request) => {
        const body = (await request.json()) as AlertRule;
        rules = [{ ...body, id: "01HRULE", firing: [], created_at: "2026-03-01T10:00:00Z" }];
        return json(201, rules[0]);
      },
    });
    renderApp("/monitoring");
    const form = await screen.findByRole("form", { name: "Add an alert rule" });
    const person = userEvent.setup();
    await person.type(within(form).getByLabelText("Name"), "busy CPU");
    await person.clear(within(form).getByLabelText("Threshold"));
    await person.type(within(form).getByLabelText("Threshold"), "90");
    await person.selectOptions(within(form).getByLabelText("Container"), "c-web");
    await person.type(within(form).getByLabelText("Email to (optional)"), "ops@example.com");
    await person.click(within(form).getByRole("button", { name: "Add rule" }));

    const list = await screen.findByRole("list", { name: "Alert rules" });
    expect(list).toHaveTextContent("CPU % (100 = one core) above 90 for 5 min on web");
    const post = requests.find((r) => r.method === "POST");
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await post?.json()).toEqual({
      name: "busy CPU",
      kind: "metric",
      metric: "cpu_percent",
      comparator: "gt",
      threshold: 90,
      duration_minutes: 5,
      container_id: "c-web",
      emails: ["ops@example.com"],
    });
  });

  it("shows why a rule was refused at its field", async () => {
    signedIn();
    mockApi({
      ...monitoring(),
      "POST /api/alerts": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "metric.container_id: String should have at least 1 character",
            details: [{ field: "metric.container_id", message: "String should have at least 1 character" }],
          },
        }),
    });
    renderApp("/monitoring");
    const form = await screen.findByRole("form", { name: "Add an alert rule" });
    const person = userEvent.setup();
    await person.type(within(form).getByLabelText("Name"), "cpu");
    await person.click(within(form).getByRole("button", { name: "Add rule" }));
    await waitFor(() => expect(within(form).getByLabelText("Container")).toHaveAttribute("aria-invalid", "true"));
  });

  it("lists firing and resolved events", async () => {
    signedIn();
    mockApi(monitoring([], [event({ id: "01HEVENT2" }), event({ state: "resolved", resolved_at: "2026-03-01T10:09:00Z" })]));
    renderApp("/monitoring");
    const list = await screen.findByRole("list", { name: "Alert events" });
    const items = within(list).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("firing");
    expect(items[1]).toHaveTextContent("resolved");
    expect(items[0]).toHaveTextContent("cpu_percent is 95 % (above 80 %) for 5 minutes.");
  });
});
