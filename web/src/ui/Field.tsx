import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";

const control =
  "block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-sm min-h-10 " +
  "placeholder:text-slate-500 disabled:bg-slate-100";

function controlClass(invalid: boolean): string {
  return `${control} ${invalid ? "border-red-700" : "border-slate-400"}`;
}

interface Described {
  label: ReactNode;
  /** The API's (or the form's) message for this field. */
  error?: string | undefined;
  hint?: ReactNode;
  /** Hide the label visually (it is still read out), for compact rows. */
  srOnlyLabel?: boolean;
}

function useDescribed(error: string | undefined, hint: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return { id, hintId, errorId, describedBy };
}

function Extra({ hint, hintId, error, errorId }: { hint: ReactNode; hintId?: string | undefined; error?: string | undefined; errorId?: string | undefined }) {
  return (
    <>
      {error ? (
        <p id={errorId} className="mt-1 text-sm font-medium text-red-800">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </>
  );
}

export function TextField({
  label,
  error,
  hint,
  srOnlyLabel = false,
  className = "",
  id: givenId,
  ...input
}: Described & InputHTMLAttributes<HTMLInputElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  const inputId = givenId ?? id;
  return (
    <div className={className}>
      <label htmlFor={inputId} className={srOnlyLabel ? "sr-only" : "mb-1 block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <input
        id={inputId}
        className={controlClass(Boolean(error))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <Extra hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function SelectField({
  label,
  error,
  hint,
  srOnlyLabel = false,
  className = "",
  children,
  id: givenId,
  ...select
}: Described & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, hintId, errorId, describedBy } = useDescribed(error, hint);
  const selectId = givenId ?? id;
  return (
    <div className={className}>
      <label htmlFor={selectId} className={srOnlyLabel ? "sr-only" : "mb-1 block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <select
        id={selectId}
        className={controlClass(Boolean(error))}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...select}
      >
        {children}
      </select>
      <Extra hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

export function CheckboxField({
  label,
  error,
  className = "",
  ...input
}: Omit<Described, "hint" | "srOnlyLabel"> & InputHTMLAttributes<HTMLInputElement>) {
  const { id, errorId, describedBy } = useDescribed(error, undefined);
  return (
    <div className={className}>
      <div className="flex min-h-10 items-center gap-2">
        <input
          id={id}
          type="checkbox"
          className="size-4 accent-blue-700"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...input}
        />
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
      </div>
      <Extra hint={undefined} error={error} errorId={errorId} />
    </div>
  );
}
