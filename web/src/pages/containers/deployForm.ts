// The deploy form's state and how it becomes the API's ContainerCreateIn.
import type { ContainerCreate } from "../../api/types";

export const SAMPLE_IMAGE = "containerstacks/hello:local";

export interface EnvRow {
  key: string;
  value: string;
}
export interface PortRow {
  container: string;
  host: string;
  protocol: "tcp" | "udp";
}
export interface VolumeRow {
  name: string;
  path: string;
  readOnly: boolean;
}

export interface DeployForm {
  name: string;
  image: string;
  cpu: string;
  memory: string;
  storage: string;
  environment: EnvRow[];
  ports: PortRow[];
  volumes: VolumeRow[];
  /** The project to deploy into ("" = none). */
  project: string;
  clusterId: string; // "" deploys to a Docker host
}

export function initialForm(): DeployForm {
  return {
    name: "",
    image: SAMPLE_IMAGE,
    cpu: "0.5",
    memory: "64Mi",
    storage: "",
    environment: [],
    ports: [{ container: "80", host: "", protocol: "tcp" }],
    volumes: [],
    project: "",
    clusterId: "",
  };
}

/** A number when the text is one, else the text (the API then names the field). */
function numberOrText(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
}

export function toRequest(form: DeployForm): ContainerCreate {
  const environment: Record<string, string> = {};
  for (const row of form.environment) {
    if (row.key.trim() || row.value) environment[row.key.trim()] = row.value;
  }
  return {
    name: form.name.trim(),
    image: form.image.trim(),
    resources: {
      cpu: form.cpu.trim(),
      memory: form.memory.trim(),
      ...(form.storage.trim() ? { storage: form.storage.trim() } : {}),
    },
    environment,
    ports: form.ports.map((p) => ({
      container: numberOrText(p.container),
      ...(p.host.trim() ? { host: numberOrText(p.host) } : {}),
      protocol: p.protocol,
    })),
    volumes: form.volumes.map((v) => ({ name: v.name.trim(), path: v.path.trim(), read_only: v.readOnly })),
    ...(form.project ? { project_id: form.project } : {}),
    ...(form.clusterId ? { cluster_id: form.clusterId } : {}),
  };
}

const SHOWN_LEAVES = { ports: ["container", "host", "protocol"], volumes: ["name", "path"] } as const;

/** The API names fields by dotted path; these are the ones the form can show an error at. */
export function formHasField(form: DeployForm, field: string): boolean {
  const [head, index, leaf, ...rest] = field.split(".");
  if (rest.length > 0) return false;
  switch (head) {
    case "name":
    case "image":
    case "environment":
    case "project_id":
    case "cluster_id":
      return index === undefined;
    case "ports":
    case "volumes": {
      if (index === undefined) return true;
      if (!/^\d+$/.test(index) || Number(index) >= form[head].length) return false;
      return leaf === undefined || (SHOWN_LEAVES[head] as readonly string[]).includes(leaf);
    }
    case "resources":
      return (index === "cpu" || index === "memory" || index === "storage") && leaf === undefined;
    default:
      return false;
  }
}

const NAMES: Record<string, string> = {
  name: "Name",
  image: "Image",
  "resources.cpu": "CPU",
  "resources.memory": "Memory",
  "resources.storage": "Storage",
  environment: "Environment",
  ports: "Ports",
  volumes: "Volumes",
  project_id: "Project",
  cluster_id: "Where to run",
};
const LEAVES: Record<string, string> = {
  container: "container port",
  host: "host port",
  protocol: "protocol",
  name: "name",
  path: "mount path",
  read_only: "read-only",
};

/** "ports.0.host" -> "Port 1 host port". */
export function fieldLabel(field: string): string {
  const known = NAMES[field];
  if (known) return known;
  const [head, index, leaf] = field.split(".");
  const item = head === "ports" ? "Port" : head === "volumes" ? "Volume" : head === "environment" ? "Variable" : null;
  if (!item || index === undefined) return field;
  const position = /^\d+$/.test(index) ? String(Number(index) + 1) : index;
  return [item, position, leaf ? (LEAVES[leaf] ?? leaf) : ""].join(" ").trim();
}
