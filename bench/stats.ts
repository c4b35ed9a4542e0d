/**
 * Summaries shared by every benchmark: the median of several runs (robust to the one run the
 * machine was busy), the range (so a reader sees how much the runs spread), the ratio of two
 * medians from the same run, and the Markdown rendering of a table.
 */
import type { BenchTable } from './table.js';

/** The middle value, or the mean of the two middle values; NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

interface Range {
  min: number;
  max: number;
}

/** The smallest and largest value; both NaN for no values. */
function range(values: readonly number[]): Range {
  if (values.length === 0) return { min: Number.NaN, max: Number.NaN };
  return { min: Math.min(...values), max: Math.max(...values) };
}

/**
 * The order of the sides in run `turn`: rotated by one each run, so that no side always goes
 * first (after the other's garbage, or into a cache the other warmed).
 */
export function rotate<T>(items: readonly T[], turn: number): T[] {
  const shift = items.length === 0 ? 0 : turn % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** A number with a fixed count of decimals, or "n/a" when it is not finite. */
function formatNumber(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** "12.3 (11.9–13.0)": the median of the values and their range. */
export function formatMedianRange(values: readonly number[], digits = 1): string {
  const { min, max } = range(values);
  return `${formatNumber(median(values), digits)} (${formatNumber(min, digits)}–${formatNumber(max, digits)})`;
}

/** A count that should not vary between runs: "7", or "7–8" when the runs differed. */
export function formatCount(values: readonly number[]): string {
  const { min, max } = range(values);
  return min === max ? String(min) : `${min}–${max}`;
}

/** `a / b` as "0.42×"; "n/a" when either is not a positive finite number. */
export function ratio(a: number, b: number, digits = 2): string {
  if (!(Number.isFinite(a) && Number.isFinite(b) && b > 0 && a >= 0)) return 'n/a';
  return `${(a / b).toFixed(digits)}×`;
}

/** A byte count in KiB or MiB, whichever reads better. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/** A cell may not break the table: pipes escaped, newlines folded to spaces. */
function escapeCell(cell: string): string {
  return cell.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function formatRow(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

/** A column of figures (every cell empty, "n/a" or starting with a digit) is right-aligned. */
function isFigureColumn(table: BenchTable, index: number): boolean {
  if (index === 0) return false;
  return table.rows.every((row) => /^(|n\/a|[-+]?\d.*)$/s.test((row[index] ?? '').trim()));
}

/**
 * A table as Markdown: a level-3 heading with the title, the table (columns of figures
 * right-aligned, the others left-aligned), and the notes as a bullet list under it.
 */
export function formatTable(table: BenchTable): string {
  const width = table.columns.length;
  const align = table.columns.map((_, index) => (isFigureColumn(table, index) ? '--:' : ':--'));
  const lines = [`### ${table.title}`, '', formatRow(table.columns), formatRow(align)];
  for (const row of table.rows) {
    const padded = [...row, ...Array<string>(Math.max(0, width - row.length)).fill('')];
    lines.push(formatRow(padded.slice(0, Math.max(width, row.length))));
  }
  if (table.notes !== undefined && table.notes.length > 0) {
    lines.push('', ...table.notes.map((note) => `- ${note}`));
  }
  return lines.join('\n');
}
