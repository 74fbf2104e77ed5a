import type { Container } from "../api/types";

export function container(overrides: Partial<Container> = {}): Container {
  return {
    id: "01HCONTAINER",
    name: "web",
    image: "containerstacks/hello:local",
    status: "running",
    status_reason: null,
    exit_code: null,
    resources: { cpu: "0.5", memory: "64Mi", storage: null },
    environment: {},
    ports: [{ container: 80, host: null, protocol: "tcp" }],
    volumes: [],
    replicas: 1,
    project_id: null,
    created_by: "user-1",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}
