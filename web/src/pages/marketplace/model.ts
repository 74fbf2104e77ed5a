// The marketplace's wire types and the pure logic of its pages (prices, the deploy form).
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type Template = Schemas["TemplateOut"];
export type TemplateList = Schemas["TemplateListOut"];
export type EnvField = Schemas["EnvFieldOut"];
export type DeployRequest = Schemas["DeployIn"];

/** "6570.00" USD -> "$6,570.00". */
export function formatMoney(amount: string, currency: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(value);
}

/** An hourly rate with six decimals, shown with as many as it needs (at least two): "0.004380" -> "$0.00438". */
export function formatRate(amount: string, currency: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(value);
}

export type EnvValues = Record<string, string>;

/** The deploy form's first values: each field's default (secret fields start empty). */
export function initialValues(fields: EnvField[]): EnvValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.default ?? ""]));
}

/** The request: only the fields given a value (the API fills the template's defaults for the rest). */
export function toDeployRequest(name: string, values: EnvValues): DeployRequest {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (value !== "") environment[key] = value;
  return { name: name.trim(), environment };
}

/** The API names a missing field "environment.NAME". */
export function envFieldPath(name: string): string {
  return `environment.${name}`;
}

/** A container name suggested from the template: "static-site" -> "static-site-3f2a". */
export function suggestedName(slug: string, random: () => number = Math.random): string {
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${slug.slice(0, 40)}-${suffix}`;
}
