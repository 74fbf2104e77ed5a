// Names for the admin area's and the audit trail's wire models (generated from /api/openapi.json).
import type { components } from "../../api/schema";

type Schemas = components["schemas"];

export type AdminUser = Schemas["AdminUserOut"];
export type AdminOrganization = Schemas["AdminOrganizationOut"];
export type OrganizationDetail = Schemas["AdminOrganizationDetailOut"];
export type PlatformStats = Schemas["PlatformStatsOut"];
export type MonthMoney = Schemas["MonthMoneyOut"];
export type AuditEntry = Schemas["AuditEntryOut"];
