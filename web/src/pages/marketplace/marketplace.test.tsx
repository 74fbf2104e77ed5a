import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { container } from "../../test/fixtures";
import { json, mockApi, ORG, ORGANIZATIONS, renderApp, signedIn } from "../../test/render";
import { formatMoney, formatRate, initialValues, suggestedName, type Template, toDeployRequest } from "./model";

function template(overrides: Partial<Template> = {}): Template {
  return {
    slug: "static-site",
    name: "Static web site",
    description: "A small web server.",
    icon: "globe",
    category: "web",
    version: "1.0.0",
    image: "containerstacks/market-static-site:1.0",
    source: "local",
    environment: [
      { name: "SITE_TITLE", label: "Site title", description: "The heading.", default: null, required: true, secret: false },
      { name: "SITE_MESSAGE", label: "Message", description: "", default: "Hello", required: false, secret: false },
    ],
    ports: [{ container: 8080, protocol: "tcp" }],
    volumes: [],
    resources: { cpu: "0.1", memory: "16Mi", storage: null },
    price: { currency: "USD", hourly: "9.000000", monthly: "6570.00" },
    deployable: true,
    why_not: null,
    ...overrides,
  };
}

describe("the marketplace", () => {
  it("shows cards with their monthly price and filters by category and search in the URL's terms", async () => {
    // Given a catalog of two apps in two categories
    signedIn();
    const nginx = template({ slug: "nginx", name: "NGINX", category: "web", source: "registry", deployable: false });
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/marketplace": (request) => {
        const category = new URL(request.url).searchParams.get("category");
        const all = [template(), nginx];
        return json(200, {
          templates: category === "databases" ? [] : all,
          categories: ["databases", "web"],
          next_cursor: null,
        });
      },
    });
    renderApp("/marketplace");
    // Then each app is a card with its price and whether it runs offline
    const cards = await screen.findByRole("list", { name: "Apps" });
    const site = within(cards).getByRole("link", { name: "Static web site" }).closest("li");
    expect(site).toHaveTextContent("$6,570.00 / month");
    expect(site).toHaveTextContent("Runs offline");
    expect(within(cards).getByRole("link", { name: "NGINX" }).closest("li")).toHaveTextContent("not on this stack");
    // When a category is chosen and words are searched
    const person = userEvent.setup();
    await person.click(screen.getByRole("button", { name: "databases" }));
    expect(await screen.findByText("No apps match")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "databases" })).toHaveAttribute("aria-pressed", "true");
    await person.type(screen.getByRole("searchbox", { name: "Search apps" }), "kv");
    await person.click(screen.getByRole("button", { name: "Search" }));
    // Then the API was asked for exactly that, in the organization acted in
    await waitFor(() => expect(requests.some((r) => new URL(r.url).search === "?limit=12&q=kv&category=databases")).toBe(true));
    expect(requests.at(-1)?.headers.get("X-Organization-Id")).toBe(ORG);
  });

  it("shows the hourly and monthly price and deploys with the template's fields, naming the missing one", async () => {
    // Given an app whose required field the API says is missing, then accepts
    signedIn();
    let attempts = 0;
    const requests = mockApi({
      ...ORGANIZATIONS,
      "GET /api/marketplace/static-site": () => json(200, template()),
      "POST /api/marketplace/static-site/deploy": () => {
        attempts += 1;
        if (attempts === 1) {
          return json(400, {
            error: {
              code: "validation_error",
              message: "Static web site needs SITE_TITLE.",
              details: [{ field: "environment.SITE_TITLE", message: "is required" }],
            },
          });
        }
        return json(202, container({ id: "01HAPP", name: "my-site", status: "provisioning" }));
      },
      "GET /api/containers/01HAPP": () => json(200, container({ id: "01HAPP", name: "my-site", status: "provisioning" })),
    });
    renderApp("/marketplace/static-site");
    expect(await screen.findByRole("heading", { level: 1, name: /Static web site/ })).toBeInTheDocument();
    expect(screen.getByText("$9.00")).toBeInTheDocument();
    expect(screen.getByText("$6,570.00")).toBeInTheDocument();
    const person = userEvent.setup();
    const name = screen.getByLabelText("Name");
    await person.clear(name);
    await person.type(name, "my-site");
    expect(screen.getByLabelText("Message")).toHaveValue("Hello");
    // When they deploy without the title
    await person.click(screen.getByRole("button", { name: "Deploy Static web site" }));
    // Then the missing field is named at the field
    const title = screen.getByLabelText("Site title (required)");
    await waitFor(() => expect(title).toHaveAttribute("aria-invalid", "true"));
    expect(title).toHaveAccessibleDescription(/is required/);
    // When they fill it in and deploy again
    await person.type(title, "Ann's site");
    await person.click(screen.getByRole("button", { name: "Deploy Static web site" }));
    // Then the new container's page opens, and the request carried the values and an Idempotency-Key
    expect(await screen.findByRole("heading", { level: 1, name: "my-site" })).toBeInTheDocument();
    const posts = requests.filter((r) => r.method === "POST");
    expect(await posts[1]?.json()).toEqual({ name: "my-site", environment: { SITE_TITLE: "Ann's site", SITE_MESSAGE: "Hello" } });
    expect(posts[1]?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("says why a registry app cannot be deployed here, without a form", async () => {
    signedIn();
    mockApi({
      ...ORGANIZATIONS,
      "GET /api/marketplace/nginx": () =>
        json(200, template({ slug: "nginx", name: "NGINX", source: "registry", deployable: false, why_not: "This stack never pulls images." })),
    });
    renderApp("/marketplace/nginx");
    expect(await screen.findByText("This stack never pulls images.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Deploy/ })).not.toBeInTheDocument();
  });

  it("says so when the app does not exist", async () => {
    signedIn();
    mockApi({ ...ORGANIZATIONS });
    renderApp("/marketplace/nope");
    expect(await screen.findByRole("heading", { level: 1, name: "App not found" })).toBeInTheDocument();
  });
});

describe("the marketplace's arithmetic", () => {
  it("formats money and rates, sends only filled fields and suggests a name", () => {
    expect(formatMoney("6570.00", "USD")).toBe("$6,570.00");
    expect(formatRate("0.004380", "USD")).toBe("$0.00438");
    expect(formatRate("9.000000", "USD")).toBe("$9.00");
    const secret = { name: "TOKEN", label: "Token", description: "", default: null, required: true, secret: true };
    expect(initialValues([secret, ...template().environment.slice(1)])).toEqual({ TOKEN: "", SITE_MESSAGE: "Hello" });
    expect(toDeployRequest(" web ", { A: "", B: "x" })).toEqual({ name: "web", environment: { B: "x" } });
    expect(suggestedName("static-site", () => 0.5)).toBe("static-site-8000");
  });
});
