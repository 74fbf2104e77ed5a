import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router";

import { api, unwrap } from "../../api/client";
import { ApiError, messageOf } from "../../api/errors";
import { useSignedIn } from "../../auth/session";
import { formatDateTime } from "../../lib/format";
import { useOrganization } from "../../org/organization";
import { ROLE_DESCRIPTIONS } from "../../org/roles";
import { Button } from "../../ui/Button";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert, Loading } from "../../ui/States";

function Problem({ error }: { error: unknown }) {
  const gone = error instanceof ApiError && (error.status === 404 || error.status === 409);
  return (
    <Alert tone="error" title={gone ? "This invitation cannot be used" : "This could not be loaded"}>
      <p>{messageOf(error)}</p>
      <p className="mt-2">
        <Link to="/dashboard" className="underline">
          Go to your dashboard
        </Link>
      </p>
    </Alert>
  );
}

export default function AcceptInvite() {
  useDocumentTitle("Invitation");
  const token = useParams().token ?? "";
  const { user } = useSignedIn();
  const { select } = useOrganization();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: ["invite", token],
    queryFn: () => unwrap(api.GET("/api/invites/{token}", { params: { path: { token } } })),
    retry: false,
  });
  const accept = useMutation({
    mutationFn: () => unwrap(api.POST("/api/invites/{token}/accept", { params: { path: { token } } })),
    onSuccess: async (joined) => {
      await queryClient.invalidateQueries({ queryKey: ["organizations"] });
      select(joined.organization_id);
      void navigate("/collaboration", { replace: true });
    },
  });
  const decline = useMutation({
    mutationFn: () => unwrap(api.POST("/api/invites/{token}/decline", { params: { path: { token } } })),
  });
  const invite = preview.data;
  return (
    <>
      <PageHeader title="Invitation" />
      {preview.isPending ? <Loading label="Opening the invitation…" /> : null}
      {preview.isError ? <Problem error={preview.error} /> : null}
      {invite ? (
        <Section title={`Join ${invite.organization_name}`}>
          <div className="space-y-4 text-sm text-slate-800">
            <p>
              {invite.invited_by_name} invited <strong>{invite.email}</strong> to {invite.organization_name} as{" "}
              <strong>{invite.role}</strong>: {ROLE_DESCRIPTIONS[invite.role].toLowerCase()}.
            </p>
            <p className="text-slate-700">The invitation works once and expires {formatDateTime(invite.expires_at)}.</p>
            {!invite.for_you ? (
              <Alert tone="warning">
                You are signed in as {user.email}, but the invitation was sent to {invite.email}. Sign in with that
                address to accept it.
              </Alert>
            ) : decline.isSuccess ? (
              <Alert tone="success">You declined the invitation.</Alert>
            ) : (
              <div className="flex flex-wrap gap-2">
                <Button onClick={() => accept.mutate()} busy={accept.isPending} disabled={decline.isPending}>
                  Accept and join
                </Button>
                <Button variant="secondary" onClick={() => decline.mutate()} busy={decline.isPending} disabled={accept.isPending}>
                  Decline
                </Button>
              </div>
            )}
            {accept.isError ? <Problem error={accept.error} /> : null}
            {decline.isError ? <Problem error={decline.error} /> : null}
          </div>
        </Section>
      ) : null}
    </>
  );
}
