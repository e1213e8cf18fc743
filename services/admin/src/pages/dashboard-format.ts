// Formatting shared by the dashboard, sessions and notes pages; plain strings, escaped by JSX.

/** "2026-01-01 12:00:05 UTC": readable, and the same for every viewer whatever their zone. */
export function formatTime(iso: string | Date): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** "12.5 %", or "–" when there was nothing to divide. */
export function percent(rate: number, calls: number): string {
  return calls === 0 ? "–" : `${(rate * 100).toFixed(1)} %`;
}

/** The transports in the order people think of them, then any other. */
export function transportsOf(counts: Record<string, number>): string[] {
  const known = ["streamable-http", "sse", "stdio"];
  return [
    ...known,
    ...Object.keys(counts)
      .filter((name) => !known.includes(name))
      .sort(),
  ];
}
