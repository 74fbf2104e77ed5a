import { useOrganization } from "../../org/organization";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Alert } from "../../ui/States";
import { AuditTrail } from "./AuditTrail";

/** /audit: the organization's own trail (sign-ins, money, deletions), for its owners. */
export default function OrganizationAudit() {
  useDocumentTitle("Audit log");
  const { current } = useOrganization();
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Who did what in ${current?.name ?? "this organization"}, when and from where. Entries are never changed or removed.`}
      />
      {current && current.role !== "owner" ? (
        <Alert tone="error">Only the organization's owners may read its audit log.</Alert>
      ) : (
        <AuditTrail platform={false} />
      )}
    </>
  );
}
