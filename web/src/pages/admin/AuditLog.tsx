import { useSearchParams } from "react-router";

import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { AuditTrail, NO_FILTERS } from "../audit/AuditTrail";

/** /admin/audit: every organization's trail and the platform's own (?organization_id= narrows it). */
export default function AuditLog() {
  useDocumentTitle("Audit log");
  const [params] = useSearchParams();
  const organization = params.get("organization_id") ?? "";
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Security- and money-relevant actions across the platform, newest first. Entries are never changed or removed."
      />
      <AuditTrail key={organization} platform initial={{ ...NO_FILTERS, organization_id: organization }} />
    </>
  );
}
