import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { MemberUpdate, OrgRole } from "../../api/types";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";

// Teams are small: one page of the largest size holds them (the API pages beyond that).
const LIMIT = 100;

export function teamKey(organizationId: string) {
  return ["team", organizationId] as const;
}

export function projectsKey(organizationId: string) {
  return ["projects", organizationId] as const;
}

export function useMembers() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...teamKey(organizationId), "members"],
    queryFn: () => unwrap(api.GET("/api/organization/members", { params: { header, query: { limit: LIMIT } } })),
  });
}

export function useInvites(enabled: boolean) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...teamKey(organizationId), "invites"],
    queryFn: () => unwrap(api.GET("/api/organization/invites", { params: { header } })),
    enabled,
  });
}

export function useProjects() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: projectsKey(organizationId),
    queryFn: () => unwrap(api.GET("/api/projects", { params: { header, query: { limit: LIMIT } } })),
  });
}

/** After a change to members: this team's lists, and the caller's own organizations (their role may change). */
function useRefresh() {
  const queryClient = useQueryClient();
  const { organizationId } = useOrganization();
  return () => {
    void queryClient.invalidateQueries({ queryKey: teamKey(organizationId) });
    void queryClient.invalidateQueries({ queryKey: ["organizations"] });
  };
}

export function useUpdateMember() {
  const { header } = useOrganization();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: MemberUpdate }) =>
      unwrap(api.PUT("/api/organization/members/{user_id}", { params: { header, path: { user_id: userId } }, body })),
    onSuccess: refresh,
  });
}

export function useRemoveMember() {
  const { header } = useOrganization();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE("/api/organization/members/{user_id}", { params: { header, path: { user_id: userId } } })),
    onSuccess: refresh,
  });
}

export function useLeave() {
  const { header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/organization/leave", { params: { header } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["organizations"] }),
  });
}

export function useInvite() {
  const { header } = useOrganization();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: { email: string; role: OrgRole; project_ids?: string[] }) =>
      unwrap(
        api.POST("/api/organization/invites", { params: { header: { ...header, "Idempotency-Key": uuid() } }, body }),
      ),
    onSuccess: refresh,
  });
}

export function useRevokeInvite() {
  const { header } = useOrganization();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (inviteId: string) =>
      unwrap(api.DELETE("/api/organization/invites/{invite_id}", { params: { header, path: { invite_id: inviteId } } })),
    onSuccess: refresh,
  });
}

function useProjectChange<T>(change: (header: { "X-Organization-Id": string }, input: T) => Promise<unknown>) {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: T) => change(header, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: projectsKey(organizationId) }),
  });
}

export function useCreateProject() {
  return useProjectChange((header, body: { name: string; description?: string }) =>
    unwrap(api.POST("/api/projects", { params: { header: { ...header, "Idempotency-Key": uuid() } }, body })),
  );
}

export function useRenameProject() {
  return useProjectChange((header, { id, name }: { id: string; name: string }) =>
    unwrap(api.PUT("/api/projects/{project_id}", { params: { header, path: { project_id: id } }, body: { name } })),
  );
}

export function useDeleteProject() {
  return useProjectChange((header, id: string) =>
    unwrap(api.DELETE("/api/projects/{project_id}", { params: { header, path: { project_id: id } } })),
  );
}
