// The operators' package form: text fields in, the API's PackageIn out (an empty limit is unlimited).
import type { PackageIn } from "../resources/model";

export const LIMIT_FIELDS = [
  { key: "containers", label: "Containers", hint: "A count", numeric: true },
  { key: "cpu", label: "vCPU", hint: "Cores (4) or millicores (500m)", numeric: false },
  { key: "memory", label: "Memory", hint: "For example 8Gi", numeric: false },
  { key: "storage", label: "Storage", hint: "For example 100Gi", numeric: false },
  { key: "vps", label: "VPS instances", hint: "A count", numeric: true },
  { key: "backups", label: "Backups", hint: "A count", numeric: true },
] as const;

export const PRICE_FIELDS = [
  { key: "cpu_per_vcpu_hour", label: "Per vCPU-hour (USD)" },
  { key: "memory_per_gib_hour", label: "Per GiB-hour of memory (USD)" },
  { key: "storage_per_gib_month", label: "Per GiB-month of storage (USD)" },
] as const;

export type LimitKey = (typeof LIMIT_FIELDS)[number]["key"];
export type PriceKey = (typeof PRICE_FIELDS)[number]["key"];

export interface PackageForm {
  name: string;
  description: string;
  limits: Record<LimitKey, string>;
  prices: Record<PriceKey, string>;
}

export function emptyPackageForm(): PackageForm {
  return {
    name: "",
    description: "",
    limits: { containers: "", cpu: "", memory: "", storage: "", vps: "", backups: "" },
    prices: { cpu_per_vcpu_hour: "", memory_per_gib_hour: "", storage_per_gib_month: "" },
  };
}

/** A count as a number when it is one; anything else is sent as written, so the API names the field. */
function count(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
}

function quantity(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}

export function toPackageRequest(form: PackageForm): PackageIn {
  const l = form.limits;
  const priced = PRICE_FIELDS.some((f) => form.prices[f.key].trim() !== "");
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    limits: {
      containers: count(l.containers),
      cpu: quantity(l.cpu),
      memory: quantity(l.memory),
      storage: quantity(l.storage),
      vps: count(l.vps),
      backups: count(l.backups),
    },
    pricing: priced
      ? {
          cpu_per_vcpu_hour: form.prices.cpu_per_vcpu_hour.trim() || "0",
          memory_per_gib_hour: form.prices.memory_per_gib_hour.trim() || "0",
          storage_per_gib_month: form.prices.storage_per_gib_month.trim() || "0",
        }
      : null,
  };
}
