// Templates name their icon; it is drawn here (emoji fonts are not everywhere, SVG is).
const PATHS: Record<string, string> = {
  globe: "M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3zM21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z",
  database: "M19 6c0 1.7-3.1 3-7 3S5 7.7 5 6s3.1-3 7-3 7 1.3 7 3zM5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3",
  server: "M5.5 4h13A1.5 1.5 0 0 1 20 5.5v4a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 9.5v-4A1.5 1.5 0 0 1 5.5 4zM5.5 13h13a1.5 1.5 0 0 1 1.5 1.5v4a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 18.5v-4A1.5 1.5 0 0 1 5.5 13zM8 7.5h.01M8 16.5h.01",
  key: "M12 15a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM11 12l8-8M16 7l2 2M14 9l2 2",
  bolt: "M13 3 5 14h6l-1 7 8-11h-6l1-7z",
  box: "M4 8l8-4 8 4v8l-8 4-8-4V8zM4 8l8 4 8-4M12 12v8",
};

const TONES: Record<string, string> = {
  web: "bg-blue-100 text-blue-800",
  databases: "bg-violet-100 text-violet-800",
};

export function AppIcon({ name, category, size = "size-10" }: { name: string; category: string; size?: string }) {
  return (
    <span className={`inline-flex ${size} shrink-0 items-center justify-center rounded-lg ${TONES[category] ?? "bg-slate-100 text-slate-800"}`}>
      <svg viewBox="0 0 24 24" className="size-3/5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d={PATHS[name] ?? PATHS.box} />
      </svg>
    </span>
  );
}
