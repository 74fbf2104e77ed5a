import { useState } from "react";

import type { ProviderWithSecret } from "../../../api/types";
import { Button } from "../../../ui/Button";
import { SelectField } from "../../../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../../../ui/Page";
import { EmptyState, ErrorState, Loading } from "../../../ui/States";
import { AddProvider } from "./AddProvider";
import { Costs } from "./Costs";
import { PriceChanges, ProviderPlans } from "./Plans";
import { ProviderCard } from "./ProviderCard";
import { useProviders } from "./queries";
import { Reconciliation } from "./Reconciliation";

/** The webhook secret of a provider just added: answered once, for Linode event relays. */
function WebhookSecret({ provider, onDone }: { provider: ProviderWithSecret; onDone: () => void }) {
  return (
    <section aria-labelledby="webhook-secret-title" className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-amber-950 sm:p-6">
      <h2 id="webhook-secret-title" className="text-lg font-semibold">
        {provider.name} was added: its webhook secret is shown only now
      </h2>
      <p className="mt-1 text-sm">
        Linode events relayed to POST /api/webhooks/linode are signed with it (X-CS-Provider-Id: {provider.id}).
      </p>
      <code className="mt-2 block rounded-md bg-white px-3 py-2 font-mono text-sm break-all ring-1 ring-amber-300">
        {provider.webhook_secret}
      </code>
      <Button className="mt-3" onClick={onDone}>
        Done
      </Button>
    </section>
  );
}

export default function Providers() {
  useDocumentTitle("Providers");
  const providers = useProviders();
  const list = providers.data?.providers ?? [];
  const [chosen, setChosen] = useState("");
  const [added, setAdded] = useState<ProviderWithSecret | null>(null);
  const current = list.find((p) => p.id === chosen) ?? list[0];
  return (
    <>
      <PageHeader
        title="Providers"
        description="The cloud accounts VPS are resold from, their plans and our markup, costs against revenue, and what reconciliation found. Only administrators see this page."
      />
      <div className="space-y-6">
        {added?.webhook_secret ? <WebhookSecret provider={added} onDone={() => setAdded(null)} /> : null}
        <Section title="Service providers">
          {providers.isPending ? <Loading label="Loading providers…" /> : null}
          {providers.isError ? <ErrorState error={providers.error} onRetry={() => void providers.refetch()} /> : null}
          {providers.isSuccess && list.length === 0 ? (
            <EmptyState title="No providers">Add a Linode account below to sell VPS.</EmptyState>
          ) : null}
          {list.length > 0 ? (
            <ul aria-label="Providers" className="-mx-4 divide-y divide-slate-200 sm:-mx-6">
              {list.map((p) => (
                <ProviderCard key={p.id} provider={p} />
              ))}
            </ul>
          ) : null}
        </Section>
        <Section title="Add a provider">
          <AddProvider onAdded={setAdded} />
        </Section>
        {current ? (
          <>
            {list.length > 1 ? (
              <SelectField label="Show plans, costs and reconciliation of" value={current.id} onChange={(e) => setChosen(e.target.value)}>
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </SelectField>
            ) : null}
            <Section title={`Plans of ${current.name}`}>
              <ProviderPlans providerId={current.id} />
            </Section>
            <Section title="Price changes at the last sync">
              <PriceChanges changes={current.price_changes} />
            </Section>
            <Section title="Costs and revenue">
              <Costs key={current.id} providerId={current.id} />
            </Section>
            <Section title="Reconciliation">
              <Reconciliation key={current.id} providerId={current.id} />
            </Section>
          </>
        ) : null}
      </div>
    </>
  );
}
