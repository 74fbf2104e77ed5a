import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { ApiError } from "../../api/errors";
import type { BuildStatus, Image, ImageStatus, ImageUpload } from "../../api/types";
import { useOrganization } from "../../org/organization";
import { withIdempotencyKey } from "../billing/queries";

export const PAGE_SIZE = 20;
/** How often the list and a build's log are fetched again while an image is being loaded or built. */
export const BUSY_POLL_MS = 1500;
const MOVING: ReadonlySet<ImageStatus> = new Set<ImageStatus>(["loading", "building"]);

export function imagesKey(organizationId: string) {
  return ["images", organizationId] as const;
}

export function pollWhileMoving(list: Image[] | undefined): number | false {
  return list?.some((i) => MOVING.has(i.status)) ? BUSY_POLL_MS : false;
}

export function useImagesPage(cursor: string | undefined) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...imagesKey(organizationId), "page", cursor ?? ""],
    queryFn: () =>
      unwrap(api.GET("/api/images", { params: { header, query: cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE } } })),
    refetchInterval: (query) => pollWhileMoving(query.state.data?.images),
  });
}

export function useImageUsage() {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...imagesKey(organizationId), "usage"],
    queryFn: () => unwrap(api.GET("/api/images/usage", { params: { header } })),
  });
}

/** A build's state and log tail, fetched again every moment until it is ready or failed. */
export function useBuildStatus(buildId: string | null) {
  const { organizationId, header } = useOrganization();
  return useQuery({
    queryKey: [...imagesKey(organizationId), "build", buildId ?? ""],
    enabled: buildId !== null,
    queryFn: (): Promise<BuildStatus> =>
      unwrap(api.GET("/api/images/build/{build_id}/status", { params: { header, path: { build_id: buildId ?? "" } } })),
    refetchInterval: (query) => (query.state.data && !MOVING.has(query.state.data.status) && query.state.data.status !== "awaiting_upload" ? false : BUSY_POLL_MS),
  });
}

/** PUT `file` to a presigned URL with XMLHttpRequest (fetch reports no upload progress); `onProgress` gets 0..1. */
export function putWithProgress(
  upload: ImageUpload["upload"],
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(xhr.status, "upload_failed", `The upload was refused (HTTP ${xhr.status}); try again.`, []));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "network_error", "The upload did not reach the storage; check your connection.", []));
    xhr.send(file);
  });
}

export interface NewImage {
  name: string;
  tag: string;
  file: File;
  dockerfile?: string;
}

/** Announce (retry-safe), upload with progress, then complete: the image is then loaded or built in the background. */
export function useSendImage(onProgress: (fraction: number) => void) {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: async ({ name, tag, file, dockerfile }: NewImage): Promise<Image> => {
      onProgress(0);
      const body = { name, tag, size_bytes: file.size };
      const announced = await withIdempotencyKey((key) => {
        const params = { header: { ...header, "Idempotency-Key": key } };
        return dockerfile === undefined
          ? unwrap(api.POST("/api/images/upload", { params, body }))
          : unwrap(api.POST("/api/images/build", { params, body: { ...body, dockerfile } }));
      });
      await putWithProgress(announced.upload, file, onProgress);
      return unwrap(api.POST("/api/images/{image_id}/complete", { params: { header, path: { image_id: announced.image.id } } }));
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: imagesKey(organizationId) }),
  });
}

export function useDeleteImage() {
  const queryClient = useQueryClient();
  const { organizationId, header } = useOrganization();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/images/{image_id}", { params: { header, path: { image_id: id } } })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: imagesKey(organizationId) }),
  });
}
