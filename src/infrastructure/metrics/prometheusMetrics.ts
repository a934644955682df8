import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger, Metrics } from '../../application/ports/index.js';

/** prom-client behind the Metrics port, with its own registry (no global state between instances). */
export const createPrometheusMetrics = (logger: Logger, prefix = 'order_ledger_'): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  const http = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const cache = new Counter({
    name: `${prefix}cache_lookups_total`,
    help: 'Order lookups by cache result (hit ratio = hit / (hit + miss))',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  return {
    observeHttp: (method, route, status, seconds) =>
      http.observe({ method, route, status: String(status) }, seconds),
    cacheLookup: (result) => cache.inc({ result }),
    gauge: (name, help, labelNames, collect) => {
      new Gauge({
        name: `${prefix}${name}`,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          try {
            this.reset();
            for (const { labels, value } of await collect()) this.set(labels, value);
          } catch (error) {
            // A store that is down leaves the gauge empty for this scrape; /readyz says why.
            logger.warn({ err: error, metric: name }, 'metric collection failed');
          }
        },
      });
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
};
