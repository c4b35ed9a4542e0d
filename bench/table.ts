/** One table of benchmark results, printed by `npm run bench` and pasted into BENCHMARKS.md. */
export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table: the method in brief, the ratios, what was not comparable. */
  notes?: string[];
}
