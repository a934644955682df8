import { pathToFileURL } from 'node:url';
import { compare, report } from './lib.js';
import type { BenchResult } from './lib.js';
import { startBenchService } from './support/benchService.js';
import { alternate, load, startChild } from './support/processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 5;
const CONNECTIONS = 50;
const TARGET = 0.5;
/**
 * The target is for the API role alone, as production runs it (each role its own process, see
 * docker-compose.yml): placing an order is the request, the decision and the append. Every role
 * in one process (`npm start`) is measured after it, for information: there the same CPU also
 * forwards, reserves, projects and mails each order. BENCH_PLACEMENT_ROLES=api measures only the
 * first.
 */
const CONFIGURATIONS: ReadonlyArray<{ roles: string[]; target: number }> = [
  { roles: ['api'], target: TARGET },
  ...(process.env.BENCH_PLACEMENT_ROLES === 'api' ? [] : [{ roles: [], target: 0 }]),
];

/**
 * Order placement (auth, validation, the product's read, decide, append with expected revision)
 * at 50 connections, beside a bare express JSON handler measured in the same run. Both servers run
 * in their own process; the load generator in this one. Target: at least half the baseline's rate.
 */
export const run = async (): Promise<BenchResult[]> => {
  const stops: Array<() => Promise<void>> = [];
  try {
    const baselineServer = await startChild('bench/support/bareExpress.ts', [], {}, /"port"/);
    stops.push(baselineServer.stop);
    const baselinePort = (JSON.parse(baselineServer.line) as { port: number }).port;
    const post =
      (
        name: string,
        target: string,
        body: string,
        pid: number | undefined,
        headers: Record<string, string> = {},
      ) =>
      () =>
        load(name, {
          url: target,
          method: 'POST',
          body,
          headers,
          connections: CONNECTIONS,
          seconds: SECONDS,
          ...(pid ? { pid } : {}),
        });
    const baseline = post(
      'bare express JSON handler',
      `http://127.0.0.1:${baselinePort}/api/orders`,
      JSON.stringify({
        items: [{ productId: '6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41', quantity: 1 }],
      }),
      baselineServer.child.pid,
    );

    const results: BenchResult[] = [];
    for (const { roles, target } of CONFIGURATIONS) {
      const serviceStops: Array<() => Promise<void>> = [];
      try {
        const service = await startBenchService({
          roles,
          stock: 1_000_000_000,
          stops: serviceStops,
        });
        const label =
          roles.length > 0 ? `${roles.join('+')} role alone` : 'every role in one process';
        const measured = await alternate(
          ROUNDS,
          post(
            `POST /api/orders (${label}, SQLite, synchronous=${process.env.SQLITE_SYNCHRONOUS ?? 'FULL'})`,
            `${service.url}/api/orders`,
            JSON.stringify({ items: [{ productId: service.product, quantity: 1 }] }),
            service.pid,
            { authorization: `Bearer ${service.customer}` },
          ),
          baseline,
        );
        results.push(
          compare(
            `Order placement at 50 connections, ${label}`,
            measured.subject,
            measured.baseline,
            target,
            `${SECONDS} s rounds, ${measured.notes}`,
          ),
        );
      } finally {
        for (const stop of serviceStops.reverse()) await stop().catch(() => {});
      }
    }
    return results;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(report(result));
}
