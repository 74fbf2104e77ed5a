import { describe, expect, it } from "vitest";

import { fieldLabel, formHasField, initialForm, SAMPLE_IMAGE, toRequest } from "./deployForm";

describe("the deploy form", () => {
  it("starts with the sample image and its web port", () => {
    const form = initialForm();
    expect(form.image).toBe(SAMPLE_IMAGE);
    expect(form.ports).toEqual([{ container: "80", host: "", protocol: "tcp" }]);
  });

  it("sends only what was filled in", () => {
    // Given a form with an empty host port, no storage and one variable
    const form = {
      ...initialForm(),
      name: " web ",
      environment: [{ key: "MODE", value: "demo" }],
      volumes: [{ name: "data", path: "/data", readOnly: true }],
    };
    // When it becomes a request
    const request = toRequest(form);
    // Then empty optional fields are left out and numbers are numbers
    expect(request).toEqual({
      name: "web",
      image: SAMPLE_IMAGE,
      resources: { cpu: "0.5", memory: "64Mi" },
      environment: { MODE: "demo" },
      ports: [{ container: 80, protocol: "tcp" }],
      volumes: [{ name: "data", path: "/data", read_only: true }],
    });
  });

  it("shows an API field error at the field that exists on the form", () => {
    const form = initialForm();
    expect(formHasField(form, "resources.cpu")).toBe(true);
    expect(formHasField(form, "ports.0.host")).toBe(true);
    expect(formHasField(form, "ports.3.host")).toBe(false);
    expect(formHasField(form, "environment.A")).toBe(false);
    expect(formHasField(form, "body")).toBe(false);
  });

  it("names list fields the way a person reads them", () => {
    expect(fieldLabel("ports.0.host")).toBe("Port 1 host port");
    expect(fieldLabel("volumes.1.path")).toBe("Volume 2 mount path");
    expect(fieldLabel("resources.memory")).toBe("Memory");
  });
});
