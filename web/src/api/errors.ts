// The API answers every error as {"error": {"code", "message", "details"}}; field problems are
// details: [{"field": "resources.cpu", "message": "..."}]. This turns any failure into one ApiError.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  /** The message for one field (dotted path as the API names it, e.g. "ports.0.host"). */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }

  /** Field errors keyed by field path; the first message wins. */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields) map[f.field] ??= f.message;
    return map;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fieldList(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  const out: FieldError[] = [];
  for (const item of details) {
    if (isRecord(item) && typeof item.field === "string") {
      out.push({ field: item.field, message: typeof item.message === "string" ? item.message : "is invalid" });
    }
  }
  return out;
}

/** Build an ApiError from a response status and its parsed JSON body (whatever shape it has). */
export function apiError(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (error) {
    const code = typeof error.code === "string" ? error.code : `http_${status}`;
    const message = typeof error.message === "string" ? error.message : `The server answered ${status}.`;
    return new ApiError(status, code, message, fieldList(error.details));
  }
  return new ApiError(status, `http_${status}`, `The server answered ${status}.`);
}

export function networkError(cause: unknown): ApiError {
  const error = new ApiError(0, "network", "Cannot reach ContainerStacks. Check your connection and retry.");
  error.cause = cause;
  return error;
}

/** A readable message for anything thrown. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
