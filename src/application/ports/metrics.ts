/** Gauge values read when metrics are scraped: each sample is one set of label values. */
export type GaugeSample = { labels: Record<string, string>; value: number };

/**
 * What the service measures. Counters and histograms are fed as things happen; gauges are read
 * on scrape from the stores themselves (read models, checkpoints, queue), so they cannot drift.
 */
export interface Metrics {
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  cacheLookup(result: 'hit' | 'miss' | 'error'): void;
  gauge(
    name: string,
    help: string,
    labelNames: readonly string[],
    collect: () => Promise<GaugeSample[]>,
  ): void;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}
