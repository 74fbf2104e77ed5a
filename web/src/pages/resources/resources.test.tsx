import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { json, mockApi, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import { heading, level, type OrgResources, percentUsed } from "./model";

const PACKAGE = {
  id: "default",
  name: "Starter",
  description: "Every new organization starts on this package.",
  is_default: true,
  limits: { containers: 10, cpu: "4", memory: "8Gi", storage: "100Gi", vps: 3, backups: null },
  pricing: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

function resources(): OrgResources {
  return {
    package: PACKAGE,
    limits: [
      { name: "containers", label: "containers", unit: "count", used: 10, limit: 10, used_display: "10 containers", limit_display: "10 containers" },
      { name: "cpu", label: "vCPU", unit: "millicores", used: 300, limit: 4000, used_display: "0.3 vCPU", limit_display: "4 vCPU" },
      { name: "backups", label: "backups", unit: "count", used: 2, limit: null, used_display: "2 backups", limit_display: null },
    ],
    pricing: { currency: "USD", cpu_per_vcpu_hour: "0.012000", memory_per_gib_hour: "0.004000", storage_per_gib_month: "0.100000" },
  };
}

describe("the resources page", () => {
  it("shows each limit against its usage as a bar, the package and the prices", async () => {
    signedIn();
    mockApi({ ...ORGANIZATIONS, "GET /api/resources": () => json(200, resources()) });
    renderApp("/resources");
    expect(await screen.findByRole("heading", { level: 2, name: "Package: Starter" })).toBeInTheDocument();
    const bars = screen.getAllByRole("progressbar");
    expect(bars).toHaveLength(2); // an unlimited one has no bar
    expect(bars[0]).toHaveAttribute("aria-valuenow", "100");
    expect(bars[0]).toHaveAccessibleName("Containers");
    expect(bars[0]).toHaveAttribute("aria-valuetext", "10 of 10 containers");
    expect(bars[1]).toHaveAttribute("aria-valuetext", "0.3 vCPU of 4 vCPU");
    expect(screen.getByText(/At the limit/)).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Limits" })).getByText("2 backups (unlimited)")).toBeInTheDocument();
    expect(screen.getByText("$0.012")).toBeInTheDocument();
  });

  it("computes how full a limit is", () => {
    expect(percentUsed({ used: 1, limit: 3 })).toBe(33.3);
    expect(percentUsed({ used: 12, limit: 10 })).toBe(100);
    expect(percentUsed({ used: 0, limit: 0 })).toBe(0);
    expect(percentUsed({ used: 5, limit: null })).toBeNull();
    expect([level(10), level(80), level(100), level(null)]).toEqual(["ok", "high", "full", "ok"]);
    expect([heading("containers"), heading("vCPU"), heading("VPS instances")]).toEqual(["Containers", "vCPU", "VPS instances"]);
  });
});
