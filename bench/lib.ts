/**
 * Benchmarks report a measurement beside a baseline measured in the same run, as a ratio.
 * No wall-clock thresholds live in tests; targets live here and are reported, not asserted.
 */
export type Measurement = {
  name: string;
  value: number;
  unit: string;
  p50Ms?: number;
  p99Ms?: number;
  peakRssMb?: number;
};

export type BenchResult = {
  title: string;
  subject: Measurement;
  baseline: Measurement;
  /** subject.value / baseline.value */
  ratio: number;
  /** The ratio the issue asks for, e.g. 0.5 for "at least half the baseline"; 0 when the figure is for information. */
  target: number;
  notes?: string;
};

export const compare = (
  title: string,
  subject: Measurement,
  baseline: Measurement,
  target: number,
  notes?: string,
): BenchResult => ({
  title,
  subject,
  baseline,
  ratio: subject.value / baseline.value,
  target,
  notes,
});

/** Nearest-rank percentile over latencies in milliseconds. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
};

/** Runs `fn` for `seconds` (or `count` iterations) and returns operations per second. */
export const rate = async (
  fn: () => unknown,
  { count, seconds }: { count?: number; seconds?: number },
) => {
  const started = process.hrtime.bigint();
  const deadline = seconds === undefined ? undefined : started + BigInt(Math.round(seconds * 1e9));
  let done = 0;
  while (
    (count === undefined || done < count) &&
    (deadline === undefined || process.hrtime.bigint() < deadline)
  ) {
    await fn();
    done += 1;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations: done, seconds: elapsed, perSecond: done / elapsed };
};

const fmt = (m: Measurement) =>
  `${m.value.toFixed(m.value >= 100 ? 0 : 2)} ${m.unit}` +
  (m.p50Ms !== undefined ? ` p50 ${m.p50Ms.toFixed(2)} ms` : '') +
  (m.p99Ms !== undefined ? ` p99 ${m.p99Ms.toFixed(2)} ms` : '') +
  (m.peakRssMb !== undefined ? ` peak RSS ${m.peakRssMb.toFixed(0)} MB` : '');

export const report = (result: BenchResult): string =>
  [
    `## ${result.title}`,
    `  ${result.subject.name}: ${fmt(result.subject)}`,
    `  ${result.baseline.name} (baseline): ${fmt(result.baseline)}`,
    result.target > 0
      ? `  ratio ${result.ratio.toFixed(2)} (target ≥ ${result.target}) ${result.ratio >= result.target ? 'MET' : 'NOT MET'}`
      : `  ratio ${result.ratio.toFixed(2)} (for information: no target)`,
    ...(result.notes ? [`  ${result.notes}`] : []),
  ].join('\n');
