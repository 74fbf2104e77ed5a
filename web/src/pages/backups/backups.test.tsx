import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../../test/fixtures";
import { json, mockApi, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import type { Backup } from "./queries";

const NO_FEED = { "GET /api/notifications": () => json(200, { notifications: [], unread_count: 0, next_cursor: null }) };
const DB = container({ id: "01HDB", name: "db", volumes: [{ name: "data", path: "/data", read_only: false }] });
const NO_SCHEDULES = { "GET /api/backup-schedules": () => json(200, { schedules: [], next_cursor: null }) };
const CONTAINERS = { "GET /api/containers": () => json(200, { containers: [DB, container()], next_cursor: null }) };

function backup(overrides: Partial<Backup> = {}): Backup {
  return {
    id: "01HBACKUP",
    organization_id: "org-1",
    container_id: DB.id,
    container_name: "db",
    volumes: ["data"],
    status: "completed",
    status_reason: null,
    size_bytes: 2048,
    checksum: "sha256:ab12cd34",
    encryption: "aws:kms",
    files: 3,
    schedule: "0 3 * * *",
    retention: 7,
    scheduled: false,
    verification: "verified",
    verification_reason: null,
    last_verified_at: "2026-01-02T03:04:00Z",
    restore_status: null,
    restore_reason: null,
    restored_at: null,
    created_at: "2026-01-02T03:00:00Z",
    completed_at: "2026-01-02T03:01:00Z",
    updated_at: "2026-01-02T03:04:00Z",
    ...overrides,
  };
}

describe("the backups page", () => {
  it("lists backups with size, checksum, when last verified restorable and the schedule", async () => {
    signedIn();
    mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      ...NO_SCHEDULES,
      "GET /api/backups": () =>
        json(200, {
          backups: [
            backup(),
            backup({ id: "01HBAD", verification: "failed", verification_reason: "The stored archive is corrupted", last_verified_at: null, schedule: null }),
          ],
          next_cursor: null,
        }),
    });
    renderApp("/backups");
    const list = await screen.findByRole("list", { name: "Backups" });
    const [good, bad] = within(list).getAllByRole("listitem");
    expect(good).toHaveTextContent("2.0 KiB");
    expect(good).toHaveTextContent("sha256:ab12cd34");
    expect(good).toHaveTextContent(/Verified restorable/);
    expect(good).toHaveTextContent("Schedule 0 3 * * * (UTC) · keeps 7");
    expect(bad).toHaveTextContent("Not verified: The stored archive is corrupted");
    expect(bad).toHaveTextContent("No schedule");
  });

  it("backs up a container with volumes on a schedule", { timeout: 15_000 }, async () => {
    signedIn();
    let listed: Backup[] = [];
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      ...NO_SCHEDULES,
      "GET /api/backups": () => json(200, { backups: listed, next_cursor: null }),
      "POST /api/backups": () => {
        listed = [backup({ status: "pending", verification: "pending", size_bytes: null, checksum: null, last_verified_at: null })];
        return json(202, listed[0]);
      },
    });
    renderApp("/backups");
    expect(await screen.findByText("No backups yet")).toBeInTheDocument();
    // only containers with volumes are offered
    const select = await screen.findByLabelText("Container");
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["db (data)"]);

    const person = userEvent.setup();
    await person.type(screen.getByLabelText("Schedule (optional)"), "0 3 * * *");
    await person.type(screen.getByLabelText("Keep (optional)"), "7");
    await person.click(screen.getByRole("button", { name: "Back up now" }));

    expect(await screen.findByText(/Being taken/)).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(await post?.json()).toEqual({ container_id: DB.id, schedule: "0 3 * * *", retention: 7 });
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shows why a schedule is refused at its field", async () => {
    signedIn();
    mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      ...NO_SCHEDULES,
      "GET /api/backups": () => json(200, { backups: [], next_cursor: null }),
      "POST /api/backups": () =>
        json(400, {
          error: {
            code: "validation_error",
            message: "The schedule never fires.",
            details: [{ field: "schedule", message: "The schedule '0 0 31 2 *' never fires." }],
          },
        }),
    });
    renderApp("/backups");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Schedule (optional)"), "0 0 31 2 *");
    await person.click(screen.getByRole("button", { name: "Back up now" }));
    expect(await screen.findByLabelText("Schedule (optional)")).toHaveAccessibleDescription(/never fires/);
  });

  it("restores only after confirmation", async () => {
    signedIn();
    let current = backup();
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      ...NO_SCHEDULES,
      "GET /api/backups": () => json(200, { backups: [current], next_cursor: null }),
      "POST /api/backups/01HBACKUP/restore": () => {
        current = backup({ restore_status: "restoring" });
        return json(202, current);
      },
    });
    renderApp("/backups");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Restore backup of db" }));
    const dialog = await screen.findByRole("dialog", { name: "Restore this backup?" });
    expect(dialog).toHaveTextContent("db is stopped");
    await person.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await person.click(screen.getByRole("button", { name: "Restore backup of db" }));
    await person.click(within(await screen.findByRole("dialog", { name: "Restore this backup?" })).getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(screen.getByText(/Restoring…/)).toBeInTheDocument());
    expect(screen.getByRole("button", { name: "Restore backup of db" })).toBeDisabled();
  });

  it("deletes a backup after confirmation", async () => {
    signedIn();
    let listed = [backup()];
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      ...NO_SCHEDULES,
      "GET /api/backups": () => json(200, { backups: listed, next_cursor: null }),
      "DELETE /api/backups/01HBACKUP": () => {
        listed = [];
        return json(204, null);
      },
    });
    renderApp("/backups");
    const person = userEvent.setup();
    await person.click(await screen.findByRole("button", { name: "Delete backup of db" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this backup?" });
    await person.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("No backups yet")).toBeInTheDocument();
    expect(requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
  });

  it("lists the schedules and stops one after confirmation", async () => {
    signedIn();
    let schedules = [
      {
        id: DB.id,
        container_id: DB.id,
        schedule: "0 3 * * *",
        retention: 7,
        volumes: [],
        next_run_at: "2026-01-03T03:00:00Z",
        last_run_at: null,
        last_backup_id: null,
        created_at: "2026-01-02T03:00:00Z",
      },
    ];
    const requests = mockApi({
      ...ORGANIZATIONS,
      ...NO_FEED,
      ...CONTAINERS,
      "GET /api/backups": () => json(200, { backups: [], next_cursor: null }),
      "GET /api/backup-schedules": () => json(200, { schedules, next_cursor: null }),
      [`DELETE /api/backup-schedules/${DB.id}`]: () => {
        schedules = [];
        return json(204, null);
      },
    });
    renderApp("/backups");
    const list = await screen.findByRole("list", { name: "Schedules" });
    expect(list).toHaveTextContent("db");
    expect(list).toHaveTextContent("0 3 * * * (UTC)");
    expect(list).toHaveTextContent("keeps 7 · all volumes");
    const person = userEvent.setup();
    await person.click(screen.getByRole("button", { name: "Stop schedule of db" }));
    const dialog = await screen.findByRole("dialog", { name: "Stop this schedule?" });
    await person.click(within(dialog).getByRole("button", { name: "Stop schedule" }));
    expect(await screen.findByText(/No schedules/)).toBeInTheDocument();
    expect(requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
  });
});
