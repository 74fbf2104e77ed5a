import { useRole } from "../../org/roles";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { ErrorState, Loading } from "../../ui/States";
import { AddFunds } from "./AddFunds";
import { Invoices } from "./Invoices";
import { PaymentMethods } from "./PaymentMethods";
import { PayPalReturn } from "./PayPalReturn";
import { useWallet } from "./queries";
import { Transactions } from "./Transactions";
import { Usage } from "./Usage";
import { WalletFigures, WalletStatusBadge } from "./WalletFigures";

export default function Billing() {
  useDocumentTitle("Billing");
  const wallet = useWallet();
  const { canPay } = useRole();
  return (
    <>
      <PageHeader
        title="Billing"
        description="A prepaid wallet pays for what runs, by the minute: add funds, see what it costs, download invoices."
      />
      <div className="space-y-6">
        <PayPalReturn />
        <div className="grid gap-6 lg:grid-cols-2">
          <Section
            title="Wallet"
            actions={wallet.isSuccess ? <WalletStatusBadge status={wallet.data.status} /> : undefined}
          >
            {wallet.isPending ? <Loading label="Loading the wallet…" /> : null}
            {wallet.isError ? <ErrorState error={wallet.error} onRetry={() => void wallet.refetch()} /> : null}
            {wallet.isSuccess ? (
              <>
                <WalletFigures wallet={wallet.data} />
                <p className="mt-4 text-sm text-slate-700">
                  {wallet.data.runway_hours === null
                    ? "Nothing in this organization is charged while nothing runs."
                    : "How long the balance lasts at the current spending; containers are charged by the minute."}
                </p>
              </>
            ) : null}
          </Section>
          <Section title="Add funds">
            {canPay ? (
              <AddFunds />
            ) : (
              <p className="text-sm text-slate-700">
                Adding funds needs the owner, admin or billing role in this organization.
              </p>
            )}
          </Section>
        </div>
        <Section title="Usage">
          <Usage />
        </Section>
        <Section title="Transactions">
          <Transactions />
        </Section>
        <Section title="Invoices">
          <Invoices />
        </Section>
        {canPay ? (
          <Section title="Saved payment methods">
            <PaymentMethods />
          </Section>
        ) : null}
      </div>
    </>
  );
}
