import { Button } from "../../ui/Button";

/** Previous / next page buttons for a cursor-paged list (hidden while there is only one page). */
export function Pager({
  page,
  next,
  onNext,
  onPrevious,
}: {
  page: number;
  next: string | null | undefined;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}) {
  if (page === 1 && !next) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-3">
      <Button variant="secondary" disabled={page === 1} onClick={onPrevious}>
        Previous page
      </Button>
      <span className="text-sm text-slate-700">Page {page}</span>
      <Button variant="secondary" disabled={!next} onClick={() => next && onNext(next)}>
        Next page
      </Button>
    </nav>
  );
}
