// Money as the billing API sends it: decimal strings ("12.50", rates "0.012000") in the wallet's currency.

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, maxDigits: number): Intl.NumberFormat {
  const key = `${currency}:${maxDigits}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: maxDigits,
      });
    } catch {
      // An unknown currency code: plain digits with the code after them.
      format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: maxDigits });
    }
    formats.set(key, format);
  }
  return format;
}

function format(amount: string, currency: string, maxDigits: number): string {
  const value = Number(amount);
  if (amount.trim() === "" || !Number.isFinite(value)) return `${amount} ${currency}`;
  const f = currencyFormat(currency, maxDigits);
  const text = f.format(value);
  return f.resolvedOptions().style === "currency" ? text : `${text} ${currency}`;
}

/** "12.50", "USD" -> "$12.50"; "-3.00" -> "-$3.00". */
export function formatMoney(amount: string, currency = "USD"): string {
  return format(amount, currency, 2);
}

/** A metered rate with up to six decimals: "0.012000" -> "$0.012"; "0.000000" -> "$0.00". */
export function formatRate(rate: string, currency = "USD"): string {
  return format(rate, currency, 6);
}

function about(value: number, unit: string): string {
  const n = Math.max(1, Math.round(value));
  return `about ${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** How long the balance lasts, for people: null -> "no charges running", 70 -> "about 3 days". */
export function formatRunway(hours: number | null): string {
  if (hours === null) return "no charges running";
  if (hours <= 0) return "used up";
  if (hours < 1) return "less than an hour";
  if (hours < 36) return about(hours, "hour");
  const days = hours / 24;
  if (days < 14) return about(days, "day");
  if (days < 61) return about(days / 7, "week");
  if (days < 730) return about(days / 30, "month");
  return "more than 2 years";
}

/** Metered minutes: 45 -> "45 min", 150 -> "2.5 h", 6000 -> "100 h". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = minutes / 60;
  const text = hours >= 100 ? Math.round(hours).toString() : hours.toFixed(1).replace(/\.0$/, "");
  return `${text} h`;
}

/**
 * What is wrong with an amount typed into the add-funds form (null: nothing). The API checks its limits;
 * this only catches what is not an amount at all.
 */
export function amountProblem(text: string): string | null {
  const value = text.trim();
  if (value === "") return "Enter an amount.";
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return "Enter an amount in dollars, like 25 or 12.50.";
  if (Number(value) <= 0) return "Enter an amount above zero.";
  return null;
}

/** The months a usage report can be asked for, newest first: ["2026-11", "2026-10", …]. */
export function recentMonths(now: Date, count = 12): string[] {
  const months: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`);
  }
  return months;
}

/** "2026-11" -> "November 2026". */
export function formatMonth(period: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
  return date.toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
}
