import type { Metrics } from "../../api/types";

export interface Sample {
  /** Milliseconds since the epoch. */
  at: number;
  label: string;
  cpuPercent: number;
  memoryMiB: number;
  memoryLimitMiB: number;
  /** Network bytes per second since the previous sample (0 for the first). */
  rxPerSecond: number;
  txPerSecond: number;
  rxTotal: number;
  txTotal: number;
}

export const MAX_SAMPLES = 60;
const MIB = 1024 * 1024;

/** Append a reading to the history (rates from the difference with the previous one), keeping the last 60. */
export function appendSample(history: Sample[], metrics: Metrics): Sample[] {
  const at = new Date(metrics.collected_at).getTime();
  const previous = history[history.length - 1];
  if (previous && previous.at >= at) return history;
  const seconds = previous ? (at - previous.at) / 1000 : 0;
  const rate = (now: number, before: number | undefined) =>
    seconds > 0 && before !== undefined ? Math.max(0, (now - before) / seconds) : 0;
  const sample: Sample = {
    at,
    label: new Date(at).toLocaleTimeString(undefined, { hour12: false }),
    cpuPercent: Math.round(metrics.cpu_percent * 100) / 100,
    memoryMiB: Math.round((metrics.memory.used_bytes / MIB) * 10) / 10,
    memoryLimitMiB: Math.round((metrics.memory.limit_bytes / MIB) * 10) / 10,
    rxPerSecond: Math.round(rate(metrics.network.rx_bytes, previous?.rxTotal)),
    txPerSecond: Math.round(rate(metrics.network.tx_bytes, previous?.txTotal)),
    rxTotal: metrics.network.rx_bytes,
    txTotal: metrics.network.tx_bytes,
  };
  return [...history, sample].slice(-MAX_SAMPLES);
}
