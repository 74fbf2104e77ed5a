import { type SyntheticEvent, useId, useState } from "react";

import { messageOf } from "../../api/errors";
import type { Image, ImageStatus } from "../../api/types";
import { formatBytes, formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { TextField } from "../../ui/Field";
import { PageHeader, useDocumentTitle } from "../../ui/Page";
import { Pager, useCursors } from "../../ui/Pager";
import { Alert, EmptyState, ErrorState, Loading } from "../../ui/States";
import { useBuildStatus, useDeleteImage, useImagesPage, useImageUsage, useSendImage } from "./queries";

const STYLES: Record<ImageStatus, string> = {
  awaiting_upload: "bg-slate-200 text-slate-800 ring-slate-300",
  loading: "bg-blue-100 text-blue-900 ring-blue-300",
  building: "bg-blue-100 text-blue-900 ring-blue-300",
  ready: "bg-green-100 text-green-900 ring-green-300",
  error: "bg-red-100 text-red-900 ring-red-300",
};

function ImageBadge({ status }: { status: ImageStatus }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${STYLES[status]}`}>
      {status.replace("_", " ")}
    </span>
  );
}

function Progress({ fraction, label }: { fraction: number; label: string }) {
  const percent = Math.round(fraction * 100);
  return (
    <div className="space-y-1">
      <progress aria-label={label} value={percent} max={100} className="h-2 w-full" />
      <p className="text-xs text-slate-700" aria-live="polite">
        {percent}% uploaded
      </p>
    </div>
  );
}

function BuildLog({ buildId }: { buildId: string }) {
  const status = useBuildStatus(buildId);
  if (status.isPending) return <Loading label="Loading the build log…" />;
  if (status.isError) return <ErrorState error={status.error} onRetry={() => void status.refetch()} />;
  const { data } = status;
  return (
    <section aria-label={`Build log of ${data.reference}`} className="space-y-2">
      <div className="flex items-center gap-2">
        <h3 className="font-semibold text-slate-900">Build of {data.reference}</h3>
        <ImageBadge status={data.status} />
      </div>
      {data.status === "error" && data.status_reason ? <Alert tone="error">{data.status_reason}</Alert> : null}
      <pre aria-label="Build log" className="rounded-md bg-slate-900 p-3 font-mono text-xs break-all whitespace-pre-wrap text-slate-100">
        {data.log_tail.length > 0 ? data.log_tail.join("\n") : "Waiting for the build to start…"}
      </pre>
    </section>
  );
}

function SendImage({ kind, onStarted }: { kind: "upload" | "build"; onStarted: (image: Image) => void }) {
  const [name, setName] = useState("");
  const [tag, setTag] = useState("latest");
  const [dockerfile, setDockerfile] = useState("FROM scratch\nCOPY busybox /bin/busybox\n");
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const send = useSendImage(setProgress);
  const fileId = useId();
  const dockerfileId = useId();
  const building = kind === "build";
  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (!file) return;
    send.mutate(
      { name: name.trim(), tag: tag.trim(), file, ...(building ? { dockerfile } : {}) },
      { onSuccess: (image) => onStarted(image) },
    );
  };
  return (
    <form onSubmit={submit} className="space-y-4" aria-label={building ? "Build an image" : "Upload an image"}>
      {send.isError ? <Alert tone="error">{messageOf(send.error)}</Alert> : null}
      {send.isSuccess ? (
        <Alert tone="success">
          {building ? "Building" : "Loading"} {send.data.reference} on the hosts.
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} hint="Lowercase, e.g. web" autoComplete="off" />
        <TextField label="Tag" value={tag} onChange={(e) => setTag(e.target.value)} autoComplete="off" />
      </div>
      {building ? (
        <div>
          <label htmlFor={dockerfileId} className="mb-1 block text-sm font-medium text-slate-800">
            Dockerfile
          </label>
          <textarea
            id={dockerfileId}
            value={dockerfile}
            onChange={(e) => setDockerfile(e.target.value)}
            rows={6}
            spellCheck={false}
            className="block w-full rounded-md border border-slate-400 px-3 py-2 font-mono text-xs"
          />
          <p className="mt-1 text-xs text-slate-600">
            FROM scratch or one of your images, cs.local/&lt;name&gt;:&lt;tag&gt;. Builds have no network.
          </p>
        </div>
      ) : null}
      <div>
        <label htmlFor={fileId} className="mb-1 block text-sm font-medium text-slate-800">
          {building ? "Build context (tar)" : "Image tarball (docker save)"}
        </label>
        <input
          id={fileId}
          type="file"
          accept=".tar,.tar.gz,.tgz,application/x-tar"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          className="block text-sm"
        />
        {file ? <p className="mt-1 text-xs text-slate-600">{formatBytes(file.size)}</p> : null}
      </div>
      {progress !== null && send.isPending ? <Progress fraction={progress} label={building ? "Context upload" : "Image upload"} /> : null}
      <Button type="submit" busy={send.isPending} disabled={!file || !name.trim()}>
        {building ? "Build image" : "Upload image"}
      </Button>
    </form>
  );
}

function ImageRow({ image, onShowLog }: { image: Image; onShowLog: (id: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteImage();
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3">
      <div className="min-w-0">
        <div className="flex flex-wrap items-center gap-2">
          <p className="font-mono text-sm font-semibold break-all text-slate-900">{image.reference}</p>
          <ImageBadge status={image.status} />
        </div>
        <p className="text-xs text-slate-700">
          {image.source === "build" ? "Built" : "Uploaded"} {formatDateTime(image.created_at)}
          {image.status === "ready" ? ` · ${formatBytes(image.size_bytes)}` : ""}
          {image.digest ? ` · ${image.digest.slice(0, 19)}` : ""}
        </p>
        {image.status === "error" && image.status_reason ? <p className="mt-1 text-sm text-red-800">{image.status_reason}</p> : null}
        {remove.isError ? <Alert tone="error">{messageOf(remove.error)}</Alert> : null}
      </div>
      <div className="flex gap-2">
        {image.source === "build" ? (
          <Button variant="secondary" onClick={() => onShowLog(image.id)}>
            Build log<span className="sr-only"> of {image.reference}</span>
          </Button>
        ) : null}
        <Button variant="danger" onClick={() => setConfirming(true)} disabled={remove.isPending || image.status === "loading" || image.status === "building"}>
          Delete<span className="sr-only"> {image.reference}</span>
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Delete ${image.reference}?`}
        confirmLabel="Delete"
        busy={remove.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => remove.mutate(image.id, { onSettled: () => setConfirming(false) })}
      >
        It is removed from every host. Containers that use it must be deleted first.
      </ConfirmDialog>
    </li>
  );
}

/** The organization's images: upload a docker save tarball or build from a Dockerfile, both with progress. */
export default function ImagesPage() {
  useDocumentTitle("Images");
  const { cursor, page, next, previous } = useCursors();
  const list = useImagesPage(cursor);
  const usage = useImageUsage();
  const [buildId, setBuildId] = useState<string | null>(null);
  const items = list.data?.images ?? [];
  return (
    <div className="space-y-8">
      <PageHeader
        title="Images"
        description={
          <>
            Your organization&apos;s own images. Deploy one as <code>cs.local/&lt;name&gt;:&lt;tag&gt;</code>; no other organization can.
            {usage.data ? ` ${formatBytes(usage.data.used_bytes)} of ${formatBytes(usage.data.limit_bytes)} used.` : ""}
          </>
        }
      />
      <section aria-labelledby="images-list" className="space-y-2">
        <h2 id="images-list" className="text-lg font-semibold text-slate-900">
          Your images
        </h2>
        {list.isPending ? <Loading label="Loading your images…" /> : null}
        {list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && items.length === 0 && page === 1 ? (
          <EmptyState title="No images yet">Upload a docker save tarball or build one below.</EmptyState>
        ) : null}
        {items.length > 0 ? (
          <ul aria-label="Images" className="divide-y divide-slate-200">
            {items.map((i) => (
              <ImageRow key={i.id} image={i} onShowLog={setBuildId} />
            ))}
          </ul>
        ) : null}
        <Pager label="Image pages" page={page} nextCursor={list.data?.next_cursor} onPrevious={previous} onNext={next} />
      </section>
      {buildId ? <BuildLog buildId={buildId} /> : null}
      <div className="grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="upload-heading" className="space-y-3">
          <h2 id="upload-heading" className="text-lg font-semibold text-slate-900">
            Upload an image
          </h2>
          <SendImage kind="upload" onStarted={() => undefined} />
        </section>
        <section aria-labelledby="build-heading" className="space-y-3">
          <h2 id="build-heading" className="text-lg font-semibold text-slate-900">
            Build an image
          </h2>
          <SendImage kind="build" onStarted={(image) => setBuildId(image.id)} />
        </section>
      </div>
    </div>
  );
}
