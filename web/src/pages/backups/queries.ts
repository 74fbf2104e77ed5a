// Backups: the API's wire models by name, and the queries and mutations of the /backups page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { uuid } from "../../lib/format";
import { useOrganization } from "../../org/organization";

type Schemas = components["schemas"];
export type Backup = Schemas["BackupOut"];
export type BackupList = Schemas["BackupListOut"];
export type BackupCreate = Schemas["BackupCreateIn"];
export type BackupSchedule = Schemas["BackupScheduleOut"];

export const PAGE_SIZE = 20;
/** How often the list is fetched again while a backup is being taken, verified or restored. */
export const BUSY_POLL_MS = 2000;

export function backupsKey(organizationId: string) {
  return ["backups", organizationId] as const;
}

export function isBusy(b: Backup): boolean {
  return b.status === "pending" || (b.status === "completed" && b.verification === "pending") || b.restore_status === "restoring";
}

export function useBackupPage(cursor: string | undefined, limit = PAGE_SIZE) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...backupsKey(organizationId), cursor ?? "", limit],
    queryFn: (): Promise<BackupList> =>
      unwrap(api.GET("/api/backups", { params: { header, query: cursor ? { limit, cursor } : { limit } } })),
    refetchInterval: (query) => (query.state.data?.backups.some(isBusy) ? BUSY_POLL_MS : false),
  });
}

/** Take a backup (retry-safe: one Idempotency-Key per submission). */
export function useCreateBackup() {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BackupCreate): Promise<Backup> =>
      unwrap(api.POST("/api/backups", { params: { header: { ...header, "Idempotency-Key": uuid() } }, body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: backupsKey(organizationId) }),
        queryClient.invalidateQueries({ queryKey: schedulesKey(organizationId) }),
      ]),
  });
}

export function useBackupAction(backupId: string) {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  const params = { params: { header, path: { backup_id: backupId } } };
  return useMutation({
    mutationFn: (what: "restore" | "delete"): Promise<unknown> =>
      what === "restore"
        ? unwrap(api.POST("/api/backups/{backup_id}/restore", params))
        : unwrap(api.DELETE("/api/backups/{backup_id}", params)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: backupsKey(organizationId) }),
  });
}

export function schedulesKey(organizationId: string) {
  return ["backup-schedules", organizationId] as const;
}

export function useSchedules() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: schedulesKey(organizationId),
    queryFn: () => unwrap(api.GET("/api/backup-schedules", { params: { header, query: { limit: 100 } } })),
  });
}

export function useStopSchedule(scheduleId: string) {
  const { organizationId, header } = useOrganization();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (): Promise<unknown> =>
      unwrap(api.DELETE("/api/backup-schedules/{schedule_id}", { params: { header, path: { schedule_id: scheduleId } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: schedulesKey(organizationId) }),
  });
}
