import { describe, expect, it } from "vitest";

import type { Metrics } from "../../api/types";
import { appendSample, MAX_SAMPLES, type Sample } from "./metricsHistory";

function reading(at: string, rx: number, cpu = 1.5): Metrics {
  return {
    container_id: "c1",
    collected_at: at,
    cpu_percent: cpu,
    memory: { used_bytes: 10 * 1024 * 1024, limit_bytes: 64 * 1024 * 1024, percent: 15.6 },
    network: { rx_bytes: rx, tx_bytes: 0 },
    block_io: { read_bytes: 0, write_bytes: 0 },
    pids: 2,
    replicas: [],
  };
}

describe("metrics history", () => {
  it("turns network totals into bytes per second between readings", () => {
    // Given two readings 2 s apart with 1000 more bytes received
    let history: Sample[] = [];
    history = appendSample(history, reading("2026-01-01T00:00:00Z", 5000));
    history = appendSample(history, reading("2026-01-01T00:00:02Z", 6000));
    // Then the second shows 500 B/s and memory in MiB
    expect(history.map((s) => s.rxPerSecond)).toEqual([0, 500]);
    expect(history[1]?.memoryMiB).toBe(10);
  });

  it("ignores a reading it already has and keeps the newest samples only", () => {
    let history: Sample[] = [];
    for (let i = 0; i < MAX_SAMPLES + 5; i += 1) {
      history = appendSample(history, reading(new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), i));
    }
    const again = appendSample(history, reading(new Date(Date.UTC(2026, 0, 1, 0, 0, 3)).toISOString(), 3));
    expect(history).toHaveLength(MAX_SAMPLES);
    expect(again).toBe(history);
  });
});
