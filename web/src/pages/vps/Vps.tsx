import { useState } from "react";

import type { VpsCreated } from "../../api/types";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { BuyVps } from "./BuyVps";
import { RootPassword } from "./RootPassword";
import { SshKeys } from "./SshKeys";
import { VpsList } from "./VpsList";

export default function VpsPage() {
  useDocumentTitle("VPS");
  // The answer to the last purchase: its root password is on screen until the customer says it is saved.
  const [bought, setBought] = useState<VpsCreated | null>(null);
  return (
    <>
      <PageHeader
        title="VPS"
        description="Virtual private servers with root access, run for you at our provider and paid from your wallet by the hour."
      />
      <div className="space-y-6">
        {bought ? <RootPassword vps={bought} onDone={() => setBought(null)} /> : null}
        <Section title="Your VPS">
          <VpsList />
        </Section>
        <Section title="Buy a VPS">
          <BuyVps onBought={setBought} />
        </Section>
        <Section title="Your SSH keys">
          <SshKeys />
        </Section>
      </div>
    </>
  );
}
