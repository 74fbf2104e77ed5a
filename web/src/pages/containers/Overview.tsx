import type { ReactNode } from "react";

import { formatDateTime } from "../../lib/format";
import { Section } from "../../ui/Page";
import { useShownContainer } from "./ContainerShell";

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-1 gap-1 py-2 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-700">{term}</dt>
      <dd className="text-sm break-all text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default function Overview() {
  const c = useShownContainer();
  const env = Object.entries(c.environment);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Section title="Details">
        <dl className="divide-y divide-slate-200">
          <Row term="Id">
            <code>{c.id}</code>
          </Row>
          <Row term="Image">{c.image}</Row>
          <Row term="Resources">
            {c.resources.cpu} CPU · {c.resources.memory} memory
            {c.resources.storage ? ` · ${c.resources.storage} storage` : ""}
          </Row>
          <Row term="Replicas">{c.replicas}</Row>
          <Row term="Runs on">{c.cluster_id ? "a Kubernetes cluster" : "a Docker host"}</Row>
          <Row term="Created">{formatDateTime(c.created_at)}</Row>
          <Row term="Updated">{formatDateTime(c.updated_at)}</Row>
        </dl>
      </Section>
      <Section title="Ports">
        {c.ports.length === 0 ? (
          <p className="text-sm text-slate-700">No ports are published.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 text-slate-700">
                <th scope="col" className="py-2 font-medium">Container</th>
                <th scope="col" className="py-2 font-medium">Host</th>
                <th scope="col" className="py-2 font-medium">Protocol</th>
              </tr>
            </thead>
            <tbody>
              {c.ports.map((p) => (
                <tr key={`${p.container}/${p.protocol}`} className="border-b border-slate-100">
                  <td className="py-2">{p.container}</td>
                  <td className="py-2">{c.cluster_id ? "none (the cluster's Service)" : (p.host ?? "chosen by the host")}</td>
                  <td className="py-2 uppercase">{p.protocol}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Environment">
        {env.length === 0 ? (
          <p className="text-sm text-slate-700">No variables.</p>
        ) : (
          <dl className="divide-y divide-slate-200">
            {env.map(([key, value]) => (
              <Row key={key} term={key}>
                <code>{value}</code>
              </Row>
            ))}
          </dl>
        )}
      </Section>
      <Section title="Volumes">
        {c.volumes.length === 0 ? (
          <p className="text-sm text-slate-700">No volumes.</p>
        ) : (
          <dl className="divide-y divide-slate-200">
            {c.volumes.map((v) => (
              <Row key={v.name} term={v.name}>
                {v.path}
                {v.read_only ? " (read-only)" : ""}
              </Row>
            ))}
          </dl>
        )}
      </Section>
    </div>
  );
}
