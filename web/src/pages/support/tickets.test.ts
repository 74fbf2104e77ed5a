import { describe, expect, it } from "vitest";

import { checkTicket, customerActions, emptyTicket, filtersFrom, toTicketRequest } from "./tickets";

describe("the new-ticket form", () => {
  it("asks for a subject and a message before anything is sent", () => {
    expect(checkTicket(emptyTicket)).toEqual({
      subject: "Say in a few words what it is about.",
      message: "Describe the problem or question.",
    });
    expect(checkTicket({ ...emptyTicket, subject: "x".repeat(201), message: "ok" })).toEqual({
      subject: "At most 200 characters.",
    });
  });

  it("sends the seed's fields, a one-line subject and the linked container", () => {
    const form = { ...emptyTicket, subject: "  Cannot\tdeploy ", message: " It fails.\nSee logs. ", resource: "container:01ABC" };
    expect(toTicketRequest(form)).toEqual({
      subject: "Cannot deploy",
      message: "It fails.\nSee logs.",
      priority: "medium",
      category: "general",
      resource: { kind: "container", id: "01ABC" },
    });
    expect(toTicketRequest({ ...form, resource: "" })).not.toHaveProperty("resource");
  });
});

describe("ticket filters and actions", () => {
  it("reads known filter values from the address and ignores the rest", () => {
    expect(filtersFrom(new URLSearchParams("status=closed&priority=urgent&category=nope&x=1"))).toEqual({
      status: "closed",
      priority: "urgent",
    });
  });

  it("lets a customer reply to and close anything not closed, and reopen what is resolved or closed", () => {
    expect(customerActions("open")).toEqual({ reply: true, close: true, reopen: false });
    expect(customerActions("resolved")).toEqual({ reply: true, close: true, reopen: true });
    expect(customerActions("closed")).toEqual({ reply: false, close: false, reopen: true });
  });
});
