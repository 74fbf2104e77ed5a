import { LinkButton } from "../ui/Button";
import { useDocumentTitle } from "../ui/Page";
import { PublicLayout } from "./PublicLayout";

export default function NotFound() {
  useDocumentTitle("Page not found");
  return (
    <PublicLayout>
      <div className="max-w-xl">
        <h1 className="text-2xl font-bold text-slate-900">Page not found</h1>
        <p className="mt-2 text-slate-700">There is no page at this address.</p>
        <div className="mt-6">
          <LinkButton to="/">Go to the start page</LinkButton>
        </div>
      </div>
    </PublicLayout>
  );
}
