import { useState } from "react";

import { Button } from "./Button";

/** Cursor paging: the cursors of the pages seen so far (index 0 = the first page, no cursor). */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setCursors((c) => [...c, cursor]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

/** Previous/next page buttons; shown only when there is more than one page. */
export function Pager({
  label,
  page,
  nextCursor,
  onPrevious,
  onNext,
}: {
  label: string;
  page: number;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) {
  if (page === 1 && !nextCursor) return null;
  return (
    <nav aria-label={label} className="mt-4 flex items-center justify-between gap-3">
      <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </Button>
      <span className="text-sm text-slate-700">Page {page}</span>
      <Button variant="secondary" disabled={!nextCursor} onClick={() => nextCursor && onNext(nextCursor)}>
        Next page
      </Button>
    </nav>
  );
}
