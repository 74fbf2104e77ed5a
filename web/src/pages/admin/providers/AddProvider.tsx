import { type SyntheticEvent, useState } from "react";

import type { ProviderType, ProviderWithSecret } from "../../../api/types";
import { Button } from "../../../ui/Button";
import { ErrorSummary, fieldId } from "../../../ui/ErrorSummary";
import { SelectField, TextField } from "../../../ui/Field";
import { useFormErrors } from "../../useFormErrors";
import { useAddProvider } from "./queries";

const LABELS: Record<string, string> = {
  name: "Name",
  type: "Type",
  api_key: "API key",
  "configuration.base_url": "API URL",
};
export const TYPES: { value: ProviderType; label: string }[] = [
  { value: "linode", label: "Linode (Akamai)" },
  { value: "digitalocean", label: "DigitalOcean (not supported yet)" },
  { value: "aws", label: "AWS (not supported yet)" },
  { value: "gcp", label: "Google Cloud (not supported yet)" },
];

export function AddProvider({ onAdded }: { onAdded: (provider: ProviderWithSecret) => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState<ProviderType>("linode");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in LABELS);
  const add = useAddProvider();
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    add.mutate(
      {
        name: name.trim(),
        type,
        api_key: apiKey.trim(),
        configuration: baseUrl.trim() ? { base_url: baseUrl.trim() } : {},
      },
      {
        onSuccess: (provider) => {
          setName("");
          setApiKey("");
          setBaseUrl("");
          onAdded(provider);
        },
        onError: fail,
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Add a provider">
      <ErrorSummary errors={errors} summaryRef={summary} labels={LABELS} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          id={fieldId("name")}
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.fields.name}
          autoComplete="off"
        />
        <SelectField
          id={fieldId("type")}
          label="Type"
          value={type}
          onChange={(e) => setType(e.target.value as ProviderType)}
          error={errors.fields.type}
        >
          {TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </SelectField>
        <TextField
          id={fieldId("api_key")}
          label="API key"
          type="password"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          error={errors.fields.api_key}
          hint="Stored encrypted; only its last four characters are shown again."
          autoComplete="off"
        />
        <TextField
          id={fieldId("configuration.base_url")}
          label="API URL (optional)"
          value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          error={errors.fields["configuration.base_url"]}
          hint="Leave empty for the provider's own API (locally: the Linode sandbox)."
          autoComplete="off"
        />
      </div>
      <Button type="submit" busy={add.isPending}>
        Add provider
      </Button>
    </form>
  );
}
