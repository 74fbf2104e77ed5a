import { describe, expect, it } from "vitest";

import { apiError } from "./errors";

describe("apiError", () => {
  it("keeps the API's code, message and every field problem", () => {
    // Given the API's error shape with two field problems
    const body = {
      error: {
        code: "validation_error",
        message: "resources.cpu: does not have the expected format",
        details: [
          { field: "resources.cpu", message: "does not have the expected format" },
          { field: "ports.0.host", message: "Input should be greater than or equal to 1024" },
        ],
      },
    };
    // When it is read
    const error = apiError(400, body);
    // Then each field has its message
    expect(error.code).toBe("validation_error");
    expect(error.fieldMessage("resources.cpu")).toBe("does not have the expected format");
    expect(error.fieldMap()).toEqual({
      "resources.cpu": "does not have the expected format",
      "ports.0.host": "Input should be greater than or equal to 1024",
    });
  });

  it("says what happened when the body is not the API's shape", () => {
    const error = apiError(502, "<html>Bad gateway</html>");
    expect(error.message).toBe("The server answered 502.");
    expect(error.fields).toEqual([]);
  });
});
