/** Helpers shared by the benchmark files (bench/*.bench.ts). Not a benchmark itself. */

/** One printed row: the case measured and its metrics, already formatted or as plain numbers. */
export interface BenchRow {
  case: string;
  [metric: string]: string | number;
}

/** Several tables under titles, and lines printed after them; `failed`: a target was missed (non-zero exit). */
export interface BenchTables {
  tables: Array<{ title: string; rows: BenchRow[] }>;
  notes?: string[];
  failed?: boolean;
}

export type Benchmark = () => Promise<BenchRow[] | BenchTables>;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** Milliseconds taken by fn, with a monotonic clock. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface PoolResult {
  latenciesMs: number[];
  wallMs: number;
}

/** Runs `total` calls of fn with at most `concurrency` in flight; every call must succeed. */
export async function runPool(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<void>,
): Promise<PoolResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      latenciesMs.push(await timeMs(() => fn(i)));
    }
  };
  const wallMs = await timeMs(() => Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker)));
  return { latenciesMs, wallMs };
}

export const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const perSecond = (count: number, wallMs: number): string =>
  `${Math.round((count * 1000) / wallMs).toLocaleString('en-US')}/s`;
