import { Link } from "react-router";

import { formatDateTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { useWallet } from "./queries";

const link = "font-semibold underline underline-offset-2";

/**
 * On every page of an organization whose balance ran out: suspended (its containers were stopped) or in
 * the grace period before that. Says why and how to resume. Nothing while the wallet is fine or unknown.
 */
export default function SuspensionBanner() {
  const wallet = useWallet();
  const data = wallet.data;
  if (!data || data.status === "active") return null;
  if (data.status === "suspended") {
    return (
      <div role="alert" className="mb-6 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900">
        <p className="font-semibold">This organization is suspended</p>
        <p className="mt-1">
          Its balance ran out{data.suspended_at ? ` (suspended ${formatDateTime(data.suspended_at)})` : ""}, so its
          containers were stopped and nothing new can be deployed. Their data is kept for now.{" "}
          <Link to="/billing" className={link}>
            Add funds
          </Link>{" "}
          to resume: the stopped containers start again once the balance is above zero.
        </p>
      </div>
    );
  }
  return (
    <div role="status" className="mb-6 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="font-semibold">Your balance has run out</p>
      <p className="mt-1">
        The wallet holds {formatMoney(data.balance, data.currency)}. If it stays empty, this organization is suspended
        and its containers are stopped.{" "}
        <Link to="/billing" className={link}>
          Add funds
        </Link>{" "}
        to keep them running.
      </p>
    </div>
  );
}
