import type { Wallet, WalletStatus } from "../../api/types";
import { formatMoney, formatRate, formatRunway } from "../../lib/money";

const STATUS: Record<WalletStatus, { label: string; style: string }> = {
  active: { label: "Active", style: "bg-green-100 text-green-900 ring-green-300" },
  grace: { label: "Balance used up", style: "bg-amber-100 text-amber-900 ring-amber-300" },
  suspended: { label: "Suspended", style: "bg-red-100 text-red-900 ring-red-300" },
};

export function WalletStatusBadge({ status }: { status: WalletStatus }) {
  const { label, style } = STATUS[status];
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${style}`}>
      {label}
    </span>
  );
}

/** "about 3 days" -> "About 3 days" (for a figure on its own). */
export function runwayFigure(hours: number | null): string {
  const text = formatRunway(hours);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Balance, spending per hour and how long the balance lasts, as three figures. */
export function WalletFigures({ wallet }: { wallet: Wallet }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-3">
      <div>
        <dt className="text-sm font-medium text-slate-700">Balance</dt>
        <dd className="mt-1 text-3xl font-bold text-slate-900" data-testid="wallet-balance">
          {formatMoney(wallet.balance, wallet.currency)}
        </dd>
      </div>
      <div>
        <dt className="text-sm font-medium text-slate-700">Spending</dt>
        <dd className="mt-1 text-lg font-semibold text-slate-900">
          {formatRate(wallet.burn_rate_per_hour, wallet.currency)} per hour
        </dd>
      </div>
      <div>
        <dt className="text-sm font-medium text-slate-700">Lasts</dt>
        <dd className="mt-1 text-lg font-semibold text-slate-900">{runwayFigure(wallet.runway_hours)}</dd>
      </div>
    </dl>
  );
}
