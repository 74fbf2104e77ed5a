import { Link } from "react-router";

import { formatMoney, formatRunway } from "../../lib/money";
import { LinkButton } from "../../ui/Button";
import { useWallet } from "./queries";
import { WalletStatusBadge } from "./WalletFigures";

/** The dashboard's wallet line: balance, how long it lasts, and the way to billing. */
export function WalletSummary() {
  const wallet = useWallet();
  const data = wallet.data;
  return (
    <section aria-label="Wallet" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
        <div className="min-w-0 flex-1 basis-56">
          <p className="text-sm font-medium text-slate-700">Balance</p>
          {data ? (
            <>
              <p className="mt-1 flex flex-wrap items-center gap-3">
                <span className="text-3xl font-bold text-slate-900" data-testid="dashboard-balance">
                  {formatMoney(data.balance, data.currency)}
                </span>
                {data.status !== "active" ? <WalletStatusBadge status={data.status} /> : null}
              </p>
              <p className="mt-1 text-sm text-slate-700">
                {data.runway_hours === null
                  ? "Nothing running is charged right now."
                  : `Lasts ${formatRunway(data.runway_hours)} at the current spending.`}
              </p>
            </>
          ) : (
            <p className="mt-1 text-sm text-slate-700">
              {wallet.isError ? (
                <>
                  The balance could not be loaded.{" "}
                  <Link to="/billing" className="text-blue-800 underline">
                    Open billing
                  </Link>
                </>
              ) : (
                "Loading the balance…"
              )}
            </p>
          )}
        </div>
        <div className="flex flex-wrap gap-2">
          <LinkButton to="/billing" variant="secondary">
            Add funds
          </LinkButton>
        </div>
      </div>
    </section>
  );
}
