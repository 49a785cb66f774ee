/**
 * Stage timings for the benchmark: each stage adds its wall time here; with SAMIZDAT_TIMINGS=FILE
 * the CLI writes them as JSON when it ends.
 */
const totals = new Map<string, number>();

export async function timed<T>(stage: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    addTiming(stage, performance.now() - start);
  }
}

export function addTiming(stage: string, ms: number): void {
  totals.set(stage, (totals.get(stage) ?? 0) + ms);
}

/** Counted events (layout passes, figures floated, chunks from the cache…), written beside the timings as `count.<name>`. */
const counters = new Map<string, number>();

export function addCount(name: string, n = 1): void {
  counters.set(name, (counters.get(name) ?? 0) + n);
}

export function counts(): Record<string, number> {
  return Object.fromEntries(counters);
}

export function timings(): Record<string, number> {
  return {
    ...Object.fromEntries([...totals].map(([k, v]) => [k, Math.round(v)])),
    ...Object.fromEntries([...counters].map(([k, v]) => [`count.${k}`, v])),
  };
}
