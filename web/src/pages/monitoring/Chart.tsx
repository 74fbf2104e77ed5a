// A small line chart in plain SVG: one or two series over time, with the range's high and low labelled.
import { formatTime } from "../../lib/format";

export interface Line {
  name: string;
  color: string;
  values: number[];
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { left: 64, right: 8, top: 8, bottom: 22 };

function path(values: number[], top: number, times: number[], start: number, span: number): string {
  const x = (t: number) => PAD.left + ((t - start) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / top) * (HEIGHT - PAD.top - PAD.bottom);
  return values.map((v, i) => `${i === 0 ? "M" : "L"}${x(times[i] ?? start).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
}

export function Chart({
  title,
  summary,
  times,
  lines,
  format,
}: {
  title: string;
  /** What the chart shows in words (read out instead of the drawing). */
  summary: string;
  /** Each point's time (ISO) */
  times: string[];
  lines: Line[];
  format: (value: number) => string;
}) {
  const stamps = times.map((t) => new Date(t).getTime());
  const start = stamps[0] ?? 0;
  const span = Math.max((stamps[stamps.length - 1] ?? start) - start, 1);
  const top = Math.max(...lines.flatMap((l) => l.values), 0) || 1;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="mb-2 text-sm font-semibold text-slate-900">
        {title} <span className="font-normal text-slate-700">· {summary}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-40 w-full" role="img" aria-label={`${title}: ${summary}`}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top} y2={PAD.top} stroke="#e2e8f0" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} stroke="#cbd5e1" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" fontSize="11" fill="#334155">
          {format(top)}
        </text>
        <text x={PAD.left - 6} y={HEIGHT - PAD.bottom} textAnchor="end" fontSize="11" fill="#334155">
          {format(0)}
        </text>
        {times.length > 0 ? (
          <>
            <text x={PAD.left} y={HEIGHT - 6} fontSize="11" fill="#334155">
              {formatTime(times[0] ?? "")}
            </text>
            <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" fontSize="11" fill="#334155">
              {formatTime(times[times.length - 1] ?? "")}
            </text>
          </>
        ) : null}
        {lines.map((l) =>
          l.values.length > 1 ? (
            <path key={l.name} d={path(l.values, top, stamps, start, span)} fill="none" stroke={l.color} strokeWidth="2" />
          ) : null,
        )}
      </svg>
      {lines.length > 1 ? (
        <p className="mt-1 flex gap-4 text-xs text-slate-700">
          {lines.map((l) => (
            <span key={l.name}>
              <span aria-hidden="true" style={{ color: l.color }}>
                ■
              </span>{" "}
              {l.name}
            </span>
          ))}
        </p>
      ) : null}
    </figure>
  );
}
