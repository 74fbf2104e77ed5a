import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { json, mockApi, ORGANIZATIONS, renderApp, signedIn, user } from "../../test/render";
import { emptyPackageForm, toPackageRequest } from "./packageForm";

describe("the packages page", () => {
  it("adds a package with empty limits unlimited, showing the API's field errors at the fields", async () => {
    signedIn(user({ role: "admin" }));
    let attempts = 0;
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/admin/packages": () => json(200, { packages: [] }),
      "POST /api/admin/packages": () => {
        attempts += 1;
        return attempts === 1
          ? json(400, {
              error: {
                code: "validation_error",
                message: "limits.memory: does not have the expected format",
                details: [{ field: "limits.memory", message: "does not have the expected format" }],
              },
            })
          : json(201, { id: "p1", name: "Pro" });
      },
    });
    renderApp("/admin/packages");
    const person = userEvent.setup();
    await person.type(await screen.findByLabelText("Name"), "Pro");
    await person.type(screen.getByLabelText("Containers"), "50");
    await person.type(screen.getByLabelText("Memory"), "lots");
    await person.click(screen.getByRole("button", { name: "Add package" }));
    const memory = screen.getByLabelText("Memory");
    await waitFor(() => expect(memory).toHaveAttribute("aria-invalid", "true"));
    await person.clear(memory);
    await person.type(memory, "32Gi");
    await person.click(screen.getByRole("button", { name: "Add package" }));
    expect(await screen.findByText("Package Pro was added.")).toBeInTheDocument();
    const body: unknown = await requests.filter((r) => r.method === "POST")[1]?.json();
    expect(body).toEqual({
      name: "Pro",
      description: "",
      limits: { containers: 50, cpu: null, memory: "32Gi", storage: null, vps: null, backups: null },
      pricing: null,
    });
  });

  it("sends prices only when one is given", () => {
    const form = emptyPackageForm();
    form.prices.cpu_per_vcpu_hour = "0.5";
    expect(toPackageRequest(form).pricing).toEqual({ cpu_per_vcpu_hour: "0.5", memory_per_gib_hour: "0", storage_per_gib_month: "0" });
    expect(toPackageRequest(emptyPackageForm()).pricing).toBeNull();
  });
});
