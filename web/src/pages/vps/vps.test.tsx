import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { Vps } from "../../api/types";
import { plan, sshKey, vps } from "../../test/fixtures";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import { BUSY_POLL_MS, pollWhileMoving } from "./queries";
import { clipboard } from "./RootPassword";

const REGIONS = {
  regions: [
    { id: "us-east", label: "Newark, NJ", country: "us", status: "ok", provider_id: "prov-1" },
    { id: "eu-west", label: "London, UK", country: "gb", status: "ok", provider_id: "prov-1" },
  ],
};
const PLANS = {
  plans: [plan(), plan({ id: "plan-2", name: "Linode 2048", memory_mb: 2048, price_per_hour: "0.018000", price_per_month: "12.00" })],
};

function vpsApi(list: () => Vps[], more: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    ...ORGANIZATIONS,
    "GET /api/billing/wallet": () => json(200, { organization_id: ORG, balance: "25.00", currency: "USD", burn_rate_per_hour: "0", runway_hours: null, status: "active", suspended_at: null }),
    "GET /api/vps": () => json(200, { vps: list(), next_cursor: null }),
    "GET /api/vps/plans": () => json(200, PLANS),
    "GET /api/vps/regions": () => json(200, REGIONS),
    "GET /api/users/ssh-keys": () => json(200, { ssh_keys: [sshKey()] }),
    ...more,
  });
}

function actions(requests: Request[]): string[] {
  return requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${new URL(r.url).pathname}`);
}

// Whole-app renders with several steps each: a busy machine needs more than the default 5 s.
describe("the VPS page", { timeout: 20_000 }, () => {
  it("lists the plans on sale with their prices per hour and month", async () => {
    signedIn();
    vpsApi(() => []);
    renderApp("/vps");
    const plans = within(await screen.findByRole("list", { name: "Plans" }));
    expect(plans.getByRole("radio", { name: /Linode 1024/ })).toBeChecked();
    expect(plans.getByText("$0.009 per hour · $6.00 per month")).toBeInTheDocument();
    expect(plans.getByText("$0.018 per hour · $12.00 per month")).toBeInTheDocument();
    expect(plans.getByText("1 vCPU · 2 GB memory · 25 GB disk")).toBeInTheDocument();
    expect(screen.getByText("No VPS yet")).toBeInTheDocument();
  });

  it("buys a VPS with the chosen plan, region, label and SSH key, and shows the root password only now", async () => {
    // Given a customer with an SSH key on the VPS page
    signedIn();
    let list: Vps[] = [];
    const write = vi.spyOn(clipboard, "write").mockResolvedValue(undefined);
    const requests = vpsApi(() => list, {
      "POST /api/vps/create": () => {
        list = [vps({ id: "vps-9", label: "db-1", status: "provisioning", ip_address: null, ipv4: [], ipv6: null })];
        return json(202, { ...list[0], ssh_key_ids: ["key-1"], root_password: "Xy7-secret.Root+pass" });
      },
    });
    renderApp("/vps");
    const person = userEvent.setup();
    // When they choose the bigger plan, London, a label and their key, and buy
    await person.click(await screen.findByRole("radio", { name: /Linode 2048/ }));
    await person.selectOptions(screen.getByLabelText("Region"), "eu-west");
    await person.type(screen.getByLabelText("Label"), "db-1");
    await person.click(screen.getByRole("checkbox", { name: /laptop/ }));
    await person.click(screen.getByRole("button", { name: "Buy VPS" }));

    // Then the root password is shown with a clear note that it is shown only now
    const panel = within(await screen.findByRole("region", { name: "Root password for db-1: shown only now" }));
    expect(panel.getByTestId("root-password")).toHaveTextContent("Xy7-secret.Root+pass");
    expect(panel.getByText(/cannot show it again/)).toBeInTheDocument();
    // And it can be copied
    await person.click(panel.getByRole("button", { name: "Copy password" }));
    expect(write).toHaveBeenCalledWith("Xy7-secret.Root+pass");
    expect(await panel.findByText("Copied.")).toBeInTheDocument();
    // And the request asked for that plan, region, label and key, retry-safe, in the organization
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ plan_id: "plan-2", region: "eu-west", label: "db-1", ssh_key_ids: ["key-1"] });
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers.get("X-Organization-Id")).toBe(ORG);
    // And the new VPS is listed while it is provisioned
    const item = within(await screen.findByRole("list", { name: "VPS" }));
    expect(await item.findByText("provisioning")).toBeInTheDocument();
    expect(item.getByText("No IP address yet")).toBeInTheDocument();
    // When they say it is saved, Then the password is gone from the page
    await person.click(panel.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByText("Xy7-secret.Root+pass")).not.toBeInTheDocument();
  });

  it("says what is wrong with the label without asking the API, and shows the API's refusal", async () => {
    signedIn();
    const requests = vpsApi(() => [], {
      "POST /api/vps/create": () =>
        json(402, {
          error: {
            code: "insufficient_funds",
            message: "A VPS on plan Linode 1024 needs 0.22 in the wallet (24 hours at its price); add funds first.",
            details: { field: "plan_id" },
          },
        }),
    });
    renderApp("/vps");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Label"), "-bad");
    await person.click(screen.getByRole("button", { name: "Buy VPS" }));
    expect(screen.getByLabelText("Label")).toHaveAccessibleDescription(/starting with a letter or digit/);
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await person.clear(screen.getByLabelText("Label"));
    await person.type(screen.getByLabelText("Label"), "web-2");
    await person.click(screen.getByRole("button", { name: "Buy VPS" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("needs 0.22 in the wallet");
  });

  it("lists instances with their status and addresses, and reboots and boots them", async () => {
    signedIn();
    const requests = vpsApi(() => [vps(), vps({ id: "vps-2", label: "stopped-1", status: "stopped", ipv4: [], ipv6: null })], {
      "POST /api/vps/vps-1/reboot": () => json(202, vps({ status: "rebooting" })),
      "POST /api/vps/vps-2/boot": () => json(202, vps({ id: "vps-2", status: "booting" })),
    });
    renderApp("/vps");
    const person = userEvent.setup();
    const list = within(await screen.findByRole("list", { name: "VPS" }));
    expect(await list.findByText("192.0.2.10")).toBeInTheDocument();
    expect(list.getByText("running")).toBeInTheDocument();
    expect(list.getByText("stopped")).toBeInTheDocument();
    await person.click(list.getByRole("button", { name: "Reboot web-1" }));
    await person.click(list.getByRole("button", { name: "Boot stopped-1" }));
    await waitFor(() =>
      expect(actions(requests)).toEqual(["POST /api/vps/vps-1/reboot", "POST /api/vps/vps-2/boot"]),
    );
  });

  it("shuts down and deletes a VPS only after confirming", async () => {
    signedIn();
    const requests = vpsApi(() => [vps()], {
      "POST /api/vps/vps-1/shutdown": () => json(202, vps({ status: "shutting_down" })),
      "DELETE /api/vps/vps-1": () => json(202, vps({ status: "deleting" })),
    });
    renderApp("/vps");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Shut down web-1" }));
    await person.click(within(screen.getByRole("dialog", { name: "Shut down web-1?" })).getByRole("button", { name: "Shut down" }));
    await person.click(screen.getByRole("button", { name: "Delete web-1" }));
    const confirm = screen.getByRole("dialog", { name: "Delete web-1?" });
    expect(confirm).toHaveTextContent("cannot be undone");
    await person.click(within(confirm).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(actions(requests)).toEqual(["POST /api/vps/vps-1/shutdown", "DELETE /api/vps/vps-1"]));
  });

  it("shows why a suspended organization cannot boot its VPS", async () => {
    signedIn();
    vpsApi(() => [vps({ status: "stopped" })], {
      "POST /api/vps/vps-1/boot": () =>
        json(402, { error: { code: "payment_required", message: "This organization is suspended …; add funds to resume it." } }),
    });
    renderApp("/vps");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Boot web-1" }));
    expect(await screen.findByText(/add funds to resume it/)).toBeInTheDocument();
  });

  it("checks again quickly while a VPS is on its way somewhere", () => {
    expect(pollWhileMoving([vps(), vps({ status: "provisioning" })])).toBe(BUSY_POLL_MS);
    expect(pollWhileMoving([vps({ status: "shutting_down" })])).toBe(BUSY_POLL_MS);
    expect(pollWhileMoving([vps(), vps({ status: "stopped" })])).toBeGreaterThan(BUSY_POLL_MS);
  });
});

describe("SSH keys", { timeout: 20_000 }, () => {
  it("adds a key on the profile, showing the API's problem at the field first", async () => {
    signedIn();
    let keys = [sshKey()];
    let attempts = 0;
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/users/profile": () => json(200, { id: "user-1", email: "ann@example.test", name: "Ann", role: "user", default_organization_id: ORG, created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" }),
      "GET /api/users/ssh-keys": () => json(200, { ssh_keys: keys }),
      "POST /api/users/ssh-keys": () => {
        attempts += 1;
        if (attempts === 1) {
          return json(400, { error: { code: "validation_error", message: "Not an OpenSSH public key.", details: [{ field: "public_key", message: "Not an OpenSSH public key." }] } });
        }
        keys = [...keys, sshKey({ id: "key-2", name: "desktop" })];
        return json(201, keys[1]);
      },
    });
    renderApp("/profile");
    const person = userEvent.setup();
    const section = within(await screen.findByRole("region", { name: "SSH keys" }));
    expect(await section.findByText("laptop")).toBeInTheDocument();
    await person.type(section.getByLabelText("Key name"), "desktop");
    await person.type(section.getByLabelText("Public key"), "not a key");
    await person.click(section.getByRole("button", { name: "Add key" }));
    await waitFor(() => expect(section.getByLabelText("Public key")).toHaveAccessibleDescription(/Not an OpenSSH public key/));
    await person.clear(section.getByLabelText("Public key"));
    await person.type(section.getByLabelText("Public key"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO4 me@desktop");
    await person.click(section.getByRole("button", { name: "Add key" }));
    expect(await section.findByText("Key desktop was added.")).toBeInTheDocument();
    const post = requests.filter((r) => r.method === "POST")[1];
    expect(await post?.json()).toEqual({ name: "desktop", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO4 me@desktop" });
  });

  it("removes a key after confirming", async () => {
    signedIn();
    const requests = vpsApi(() => [], { "DELETE /api/users/ssh-keys/key-1": () => json(204, null) });
    renderApp("/vps");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Remove key laptop" }));
    await person.click(within(screen.getByRole("dialog", { name: "Remove key laptop?" })).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(requests.some((r) => r.method === "DELETE")).toBe(true));
  });
});
