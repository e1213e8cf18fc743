import type { MinuteCalls } from "@mcp-tools/core";

// Drawn on the server as SVG (presentation attributes, no style or script), so the strict CSP holds.
const WIDTH = 720;
const HEIGHT = 200;
const LEFT = 44;
const BOTTOM = 22;
const TOP = 8;
const CALLS = "#2357c6";
const ERRORS = "#b3261e";

/** The smallest of 1, 2, 5 × 10ⁿ at or above `value`: a y axis that reads easily. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((each) => each * power >= value) ?? 10;
  return step * power;
}

const clock = (iso: string) => iso.slice(11, 16);

/** Calls per minute as bars, the errors of each minute in red at its foot. */
export function CallsChart({ minutes }: { minutes: MinuteCalls[] }) {
  const top = niceCeiling(Math.max(...minutes.map((minute) => minute.calls), 1));
  const plotHeight = HEIGHT - BOTTOM - TOP;
  const slot = (WIDTH - LEFT) / Math.max(minutes.length, 1);
  const y = (count: number) => TOP + plotHeight - (count / top) * plotHeight;
  const errors = minutes.reduce((sum, minute) => sum + minute.errors, 0);
  const label = `Tool calls per minute, ${clock(minutes[0]?.minute ?? "")} to ${clock(minutes.at(-1)?.minute ?? "")} UTC; ${errors} errors`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} width="100%">
        <title>{label}</title>
        {[0, top / 2, top].map((tick) => (
          <g>
            <line x1={LEFT} x2={WIDTH} y1={y(tick)} y2={y(tick)} stroke="#dde1e7" />
            <text x={LEFT - 6} y={y(tick) + 4} text-anchor="end" font-size="11" fill="#5b6576">
              {String(tick)}
            </text>
          </g>
        ))}
        {minutes.map((minute, index) => {
          const x = LEFT + index * slot + slot * 0.15;
          const width = slot * 0.7;
          return (
            <g class="minute">
              <title>{`${clock(minute.minute)}: ${minute.calls} calls, ${minute.errors} errors`}</title>
              <rect x={x} y={y(minute.calls)} width={width} height={y(0) - y(minute.calls)} fill={CALLS} />
              {minute.errors > 0 && (
                <rect
                  class="errors"
                  x={x}
                  y={y(minute.errors)}
                  width={width}
                  height={y(0) - y(minute.errors)}
                  fill={ERRORS}
                />
              )}
              {index % 3 === 0 && (
                <text x={x + width / 2} y={HEIGHT - 6} text-anchor="middle" font-size="11" fill="#5b6576">
                  {clock(minute.minute)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="muted">
        <span class="swatch calls" /> calls <span class="swatch errors" /> errors (times in UTC)
      </figcaption>
    </figure>
  );
}
