// The /resources page's wire types and arithmetic.
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type OrgResources = Schemas["OrgResourcesOut"];
export type Limit = Schemas["LimitOut"];
export type Package = Schemas["PackageOut"];
export type PackageIn = Schemas["PackageIn"];

/** How full a limit is, 0..100 (null: unlimited). A limit of 0 with nothing used is empty; anything used is full. */
export function percentUsed(limit: Pick<Limit, "used" | "limit">): number | null {
  if (limit.limit === null) return null;
  if (limit.limit <= 0) return limit.used > 0 ? 100 : 0;
  return Math.min(100, Math.round((limit.used / limit.limit) * 1000) / 10);
}

export type Level = "ok" | "high" | "full";

/** Above 75 % high, at 100 % (or over, after a lowered limit) full. */
export function level(percent: number | null): Level {
  if (percent === null || percent < 75) return "ok";
  return percent >= 100 ? "full" : "high";
}

/** "3 of 10 containers", "0.3 vCPU of 4 vCPU", "2 backups (unlimited)". */
export function usageText(limit: Limit): string {
  if (limit.limit_display === null) return `${limit.used_display} (unlimited)`;
  const used = limit.unit === "count" ? String(limit.used) : limit.used_display;
  return `${used} of ${limit.limit_display}`;
}

/** "containers" -> "Containers"; "vCPU" stays as it is. */
export function heading(label: string): string {
  return /^[a-z][a-z]/.test(label) ? label.charAt(0).toUpperCase() + label.slice(1) : label;
}
