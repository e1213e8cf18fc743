import { ratio, type Target } from "./results.js";

/** The columns of the main table: scenario, figure, mcp-tools, SDK v1, vs v1, SDK v2, vs v2, target. */
const WIDTHS = [30, 19, 11, 11, 8, 11, 8, 18];

/** The line under the column headings. */
export const RULE = WIDTHS.map((width) => "-".repeat(width)).join(" ");

/** One figure of ours beside SDK v1's (and SDK v2's, when given), with the ratios. */
export function figure(
  title: string,
  name: string,
  ours: number,
  bare: number,
  v2: number | undefined,
  digits: number,
): string {
  return row([
    title,
    name,
    number(ours, digits),
    number(bare, digits),
    `${number(ratio(ours, bare), 2)}×`,
    v2 === undefined ? "" : number(v2, digits),
    v2 === undefined ? "" : `${number(ratio(ours, v2), 2)}×`,
  ]);
}

/** A target's verdict, in the last column. */
export function verdict(target: Target | undefined): string {
  if (!target) return "";
  return ` ${`${target.comparison} ${limitOf(target)} ${target.pass ? "PASS" : "MISS"}`.padStart(WIDTHS[7] ?? 0)}`;
}

/** A target on one line, under the table. */
export function describe(target: Target): string {
  const value = absolute(target)
    ? `${target.value.toFixed(target.unit === "ms" ? 2 : 1)} ${target.unit}`
    : `${target.value.toFixed(2)}${target.unit}`;
  return `${target.name}: ${value} (target ${target.comparison} ${limitOf(target)})`;
}

/** KB, MB and ms targets are amounts; the others are ratios. */
const absolute = (target: Target) => target.unit === "KB" || target.unit === "MB" || target.unit === "ms";
const limitOf = (target: Target) =>
  absolute(target) ? `${target.limit} ${target.unit}` : `${target.limit.toFixed(2)}×`;

export function row(cells: string[]): string {
  return cells
    .map((cell, index) => (index < 2 ? cell.padEnd(WIDTHS[index] ?? 0) : cell.padStart(WIDTHS[index] ?? 0)))
    .join(" ");
}

export const number = (value: number, digits: number) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
