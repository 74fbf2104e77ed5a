import type { RefObject } from "react";

import type { FormErrors } from "../pages/useFormErrors";

/** The id of the control that shows an API field ("resources.cpu" -> "field-resources-cpu"). */
export function fieldId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** What went wrong, at the top of a form: focused after a failed submit, each field error links to its field. */
export function ErrorSummary({
  errors,
  summaryRef,
  labels = {},
}: {
  errors: FormErrors;
  summaryRef: RefObject<HTMLDivElement | null>;
  /** A readable name per field path (a map, or a function for list items such as "ports.0.host"). */
  labels?: Record<string, string> | ((field: string) => string);
}) {
  const labelOf = (field: string) => (typeof labels === "function" ? labels(field) : (labels[field] ?? field));
  const fieldEntries = Object.entries(errors.fields);
  const count = fieldEntries.length + errors.general.length;
  if (count === 0) return null;
  return (
    <div
      ref={summaryRef}
      tabIndex={-1}
      role="alert"
      className="mb-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900"
    >
      <p className="font-semibold">
        {count === 1 ? "There is a problem" : `There are ${count} problems`}
      </p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {errors.general.map((message) => (
          <li key={message}>{message}</li>
        ))}
        {fieldEntries.map(([field, message]) => (
          <li key={field}>
            <a className="underline" href={`#${fieldId(field)}`}>
              {labelOf(field)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
