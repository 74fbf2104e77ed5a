import { useState } from "react";
import { useNavigate } from "react-router";

import { messageOf } from "../../api/errors";
import { useSignedIn } from "../../auth/session";
import { useOrganization } from "../../org/organization";
import { ROLE_DESCRIPTIONS, useRole } from "../../org/roles";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { PageHeader, Section, useDocumentTitle } from "../../ui/Page";
import { Alert } from "../../ui/States";
import { Invites } from "./Invites";
import { Members } from "./Members";
import { Projects } from "./Projects";
import { useLeave, useProjects } from "./queries";

function Leave() {
  const { user } = useSignedIn();
  const { current, select } = useOrganization();
  const navigate = useNavigate();
  const leave = useLeave();
  const [confirm, setConfirm] = useState(false);
  const name = current?.name ?? "this organization";
  return (
    <Section title="Leave">
      <p className="mb-3 text-sm text-slate-700">
        You lose access to {name} at once. Its last owner cannot leave: make another member an owner first.
      </p>
      <Button variant="danger" onClick={() => setConfirm(true)}>
        Leave {name}
      </Button>
      {leave.isError ? (
        <div className="mt-3">
          <Alert tone="error">{messageOf(leave.error)}</Alert>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm}
        title={`Leave ${name}?`}
        confirmLabel="Leave"
        busy={leave.isPending}
        onCancel={() => setConfirm(false)}
        onConfirm={() =>
          leave.mutate(undefined, {
            onSuccess: () => {
              select(user.default_organization_id);
              void navigate("/dashboard", { replace: true });
            },
            onSettled: () => setConfirm(false),
          })
        }
      >
        To come back you need a new invitation.
      </ConfirmDialog>
    </Section>
  );
}

export default function Collaboration() {
  useDocumentTitle("Team");
  const { current } = useOrganization();
  const { role, canManage } = useRole();
  const projects = useProjects();
  return (
    <>
      <PageHeader
        title="Team"
        description={
          role ? (
            <>
              Members, invitations and projects of {current?.name}. Your role: <strong>{role}</strong> (
              {ROLE_DESCRIPTIONS[role].toLowerCase()}).
            </>
          ) : undefined
        }
      />
      <div className="space-y-6">
        <Members projects={projects.data?.projects ?? []} />
        {canManage ? <Invites /> : null}
        <Projects />
        <Leave />
      </div>
    </>
  );
}
