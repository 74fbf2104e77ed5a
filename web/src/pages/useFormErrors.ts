import { useCallback, useEffect, useRef, useState } from "react";

import { ApiError, messageOf } from "../api/errors";

export interface FormErrors {
  /** Field path (as the API names it) -> message. */
  fields: Record<string, string>;
  /** Problems that belong to no field on the form (or the whole request). */
  general: string[];
}

const NONE: FormErrors = { fields: {}, general: [] };

/**
 * Split an API error into messages at the fields the form has and the rest. `known` says whether the form
 * shows a field (an API field such as "body" or one the form lacks goes to `general`).
 */
export function splitErrors(error: unknown, known: (field: string) => boolean): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, general: [messageOf(error)] };
  if (error.fields.length === 0) return { fields: {}, general: [error.message] };
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const f of error.fields) {
    if (known(f.field)) fields[f.field] ??= f.message;
    else general.push(f.field === "body" ? f.message : `${f.field}: ${f.message}`);
  }
  return { fields, general };
}

/** Form error state plus a ref for the summary, which takes focus when a submit fails. */
export function useFormErrors(known: (field: string) => boolean) {
  const [errors, setErrors] = useState<FormErrors>(NONE);
  const summary = useRef<HTMLDivElement>(null);
  const fail = (error: unknown) => setErrors(splitErrors(error, known));
  // Once the summary is on screen, it takes the focus so the problems are read out first.
  useEffect(() => {
    if (errors.general.length > 0 || Object.keys(errors.fields).length > 0) summary.current?.focus();
  }, [errors]);
  const clear = useCallback(() => setErrors(NONE), []);
  return { errors, fail, clear, summary };
}
