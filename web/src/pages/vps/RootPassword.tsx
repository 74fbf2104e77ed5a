import { useState } from "react";

import type { VpsCreated } from "../../api/types";
import { Button } from "../../ui/Button";

/** What the browser does outside the page (replaced in tests). */
export const clipboard = {
  write: (text: string): Promise<void> => navigator.clipboard.writeText(text),
};

/** The generated root password of a VPS just bought: the API answers it once and never again. */
export function RootPassword({ vps, onDone }: { vps: VpsCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  const copy = () => {
    clipboard.write(vps.root_password).then(
      () => setCopied("yes"),
      () => setCopied("failed"),
    );
  };
  return (
    <section
      aria-labelledby="root-password-title"
      className="rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-amber-950 shadow-sm sm:p-6"
    >
      <h2 id="root-password-title" className="text-lg font-semibold">
        Root password for {vps.label}: shown only now
      </h2>
      <p className="mt-1 text-sm">
        Copy it and keep it somewhere safe. ContainerStacks does not keep it and cannot show it again
        {vps.ssh_key_ids.length > 0 ? "; you can also log in as root with the SSH keys you chose" : ""}.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <code data-testid="root-password" className="max-w-full min-w-0 rounded-md bg-white px-3 py-2 font-mono text-sm break-all ring-1 ring-amber-300">
          {vps.root_password}
        </code>
        <Button variant="secondary" onClick={copy}>
          Copy password
        </Button>
        <span aria-live="polite" className="text-sm">
          {copied === "yes" ? "Copied." : copied === "failed" ? "Could not copy: select it and copy by hand." : ""}
        </span>
      </div>
      <Button className="mt-4" onClick={onDone}>
        I have saved it
      </Button>
    </section>
  );
}
