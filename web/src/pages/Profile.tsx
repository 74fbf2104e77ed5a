import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { api, unwrap } from "../api/client";
import type { User } from "../api/types";
import { useSession, useSignedIn } from "../auth/session";
import { formatDateTime } from "../lib/format";
import { useOrganization } from "../org/organization";
import { Button } from "../ui/Button";
import { ErrorSummary, fieldId } from "../ui/ErrorSummary";
import { TextField } from "../ui/Field";
import { PageHeader, Section, useDocumentTitle } from "../ui/Page";
import { Alert, ErrorState, Loading } from "../ui/States";
import { useFormErrors } from "./useFormErrors";
import { SshKeys } from "./vps/SshKeys";

function NameForm({ user }: { user: User }) {
  const { updateUser } = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const { errors, fail, clear, summary } = useFormErrors((f) => f === "name");
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/users/profile", { body: { name } })),
    onSuccess: (updated) => {
      updateUser(updated);
      queryClient.setQueryData(["profile", updated.id], updated);
    },
    onError: fail,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    save.reset();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={{ name: "Name" }} />
      {save.isSuccess ? <Alert tone="success">Your name was saved.</Alert> : null}
      <TextField
        id={fieldId("name")}
        label="Name"
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.fields.name}
      />
      <TextField label="Email" type="email" value={user.email} readOnly hint="Your email cannot be changed yet." />
      <Button type="submit" busy={save.isPending}>
        Save
      </Button>
    </form>
  );
}

const PASSWORD_LABELS = { current_password: "Current password", new_password: "New password" };

function PasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const { errors, fail, clear, summary } = useFormErrors((f) => f in PASSWORD_LABELS);
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PUT("/api/users/profile", { body: { current_password: current, new_password: next } })),
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
    onError: fail,
  });
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    clear();
    save.reset();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <ErrorSummary errors={errors} summaryRef={summary} labels={PASSWORD_LABELS} />
      {save.isSuccess ? <Alert tone="success">Your password was changed.</Alert> : null}
      <TextField
        id={fieldId("current_password")}
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.fields.current_password}
      />
      <TextField
        id={fieldId("new_password")}
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        error={errors.fields.new_password}
        hint="At least 8 characters."
      />
      <Button type="submit" busy={save.isPending}>
        Change password
      </Button>
    </form>
  );
}

export default function Profile() {
  useDocumentTitle("Profile");
  const { user: signedIn } = useSignedIn();
  const { organizations } = useOrganization();
  const profile = useQuery({
    queryKey: ["profile", signedIn.id],
    queryFn: () => unwrap(api.GET("/api/users/profile")),
  });
  return (
    <>
      <PageHeader title="Profile" description="Your name, password, SSH keys for new VPS and the organizations you belong to." />
      {profile.isPending ? <Loading label="Loading your profile…" /> : null}
      {profile.isError ? <ErrorState error={profile.error} onRetry={() => void profile.refetch()} /> : null}
      {profile.data ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <Section title="Account">
            <NameForm user={profile.data} />
            <p className="mt-4 text-xs text-slate-600">
              Member since {formatDateTime(profile.data.created_at)} · role {profile.data.role}
            </p>
          </Section>
          <Section title="Password">
            <PasswordForm />
          </Section>
          <Section title="SSH keys">
            <SshKeys />
          </Section>
          <Section title="Organizations">
            {organizations.length === 0 ? (
              <p className="text-sm text-slate-700">You are not a member of any organization.</p>
            ) : (
              <ul className="divide-y divide-slate-200">
                {organizations.map((o) => (
                  <li key={o.id} className="flex flex-wrap justify-between gap-2 py-2 text-sm">
                    <span className="font-medium text-slate-900">{o.name}</span>
                    <span className="text-slate-700">{o.role}</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </div>
      ) : null}
    </>
  );
}
