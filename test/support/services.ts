import type { Server } from 'node:http';
import { eventStoreContainer, mongoContainer, redisContainer } from './containers.js';
import { startLocalFerretDb, startLocalRedis, type Started } from './localServers.js';

/**
 * Real servers for contract and e2e tests, one per test process, found in this order:
 * an explicit URL in the environment → a container when a Docker engine answers → a local binary
 * or in-process server on a free loopback port → none, with the reasons each way failed.
 */
export type ServiceName = 'redis' | 'mongo' | 'sqs' | 'ses' | 'eventstore';
export type Service = { url: string; kind: 'env' | 'container' | 'local'; stop(): Promise<void> };
export type ServiceLookup =
  { service: Service; reason?: undefined } | { service: null; reason: string };

type Way = { kind: Service['kind']; start: () => Promise<Started | string> };

const fromEnv = (variable: string): Way => ({
  kind: 'env',
  start: async () => {
    const url = process.env[variable];
    return url ? { url, stop: async () => {} } : `${variable} not set`;
  },
});

async function startFauxqs(): Promise<Started | string> {
  try {
    const { startFauxqs: start } = await import('fauxqs');
    const server = await start({ port: 0, host: '127.0.0.1', logger: false });
    return { url: server.address, stop: () => server.stop() };
  } catch (error) {
    return `fauxqs failed to start: ${(error as Error).message}`;
  }
}

async function startSesLocal(): Promise<Started | string> {
  try {
    // CommonJS: from Node's ESM the start function sits on the default export's `default`;
    // loaders that honour __esModule (tsx) hand it over as the default export itself.
    type Start = (config: { host: string; port: number }) => Promise<Server>;
    const module = (await import('aws-ses-v2-local')) as unknown as {
      default: Start | { default: Start };
    };
    const start = typeof module.default === 'function' ? module.default : module.default.default;
    const server = await start({ host: '127.0.0.1', port: 0 });
    const address = server.address();
    if (typeof address !== 'object' || !address) return 'aws-ses-v2-local gave no address';
    return {
      url: `http://127.0.0.1:${address.port}`,
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  } catch (error) {
    return `aws-ses-v2-local failed to start: ${(error as Error).message}`;
  }
}

const ways: Record<ServiceName, Way[]> = {
  redis: [
    fromEnv('REDIS_URL'),
    { kind: 'container', start: redisContainer },
    { kind: 'local', start: startLocalRedis },
  ],
  mongo: [
    fromEnv('MONGODB_URL'),
    { kind: 'container', start: mongoContainer },
    { kind: 'local', start: startLocalFerretDb },
  ],
  sqs: [fromEnv('SQS_ENDPOINT'), { kind: 'local', start: startFauxqs }],
  ses: [fromEnv('SES_ENDPOINT'), { kind: 'local', start: startSesLocal }],
  eventstore: [
    fromEnv('EVENTSTORE_URL'),
    { kind: 'container', start: eventStoreContainer },
    {
      kind: 'local',
      start: async () => 'no local EventStoreDB server exists (not in Debian, npm or the Go proxy)',
    },
  ],
};

const lookups = new Map<ServiceName, Promise<ServiceLookup>>();
const running = new Set<Service>();

async function resolve(name: ServiceName): Promise<ServiceLookup> {
  const reasons: string[] = [];
  for (const way of ways[name]) {
    const started = await way.start();
    if (typeof started === 'string') {
      reasons.push(`${way.kind}: ${started}`);
      continue;
    }
    let stopped: Promise<void> | undefined;
    const service: Service = {
      url: started.url,
      kind: way.kind,
      // Idempotent, and forgets the memo so a later lookup starts a fresh server.
      stop: () => {
        stopped ??= (async () => {
          running.delete(service);
          lookups.delete(name);
          await started.stop();
        })();
        return stopped;
      },
    };
    running.add(service);
    return { service };
  }
  return { service: null, reason: `${name} unavailable: ${reasons.join('; ')}` };
}

/** Memoized: every caller in the process shares one server. */
export function lookupService(name: ServiceName): Promise<ServiceLookup> {
  let lookup = lookups.get(name);
  if (!lookup) {
    lookup = resolve(name);
    lookups.set(name, lookup);
  }
  return lookup;
}

const serviceOf = (name: ServiceName) => async (): Promise<Service | null> =>
  (await lookupService(name)).service;

export const redisService = serviceOf('redis');
export const mongoService = serviceOf('mongo');
export const sqsService = serviceOf('sqs');
export const sesService = serviceOf('ses');
export const eventStoreService = serviceOf('eventstore');

/** Stops every server this process started, newest first; the mocha root hook calls it. */
export async function stopServices(): Promise<void> {
  for (const service of [...running].reverse()) await service.stop();
}

const services: readonly ServiceName[] = ['redis', 'mongo', 'sqs', 'ses', 'eventstore'];

/**
 * REQUIRE_SERVICES turns "skip when unavailable" into a failure: `1`/`true` means every service
 * but eventstore (no server can be had without Docker), `all` adds it, or a comma list of names.
 */
export function requiredServices(value = process.env.REQUIRE_SERVICES): Set<ServiceName> {
  const text = (value ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no'].includes(text)) return new Set();
  if (['1', 'true', 'yes'].includes(text))
    return new Set(services.filter((s) => s !== 'eventstore'));
  if (text === 'all') return new Set(services);
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !services.includes(n as ServiceName));
  if (unknown.length > 0) {
    throw new Error(
      `REQUIRE_SERVICES names unknown services ${unknown.join(', ')}; known: ${services.join(', ')}`,
    );
  }
  return new Set(names as ServiceName[]);
}

declare global {
  var __skippedSuites: string[] | undefined;
}

/**
 * For a suite's `before` hook: returns the service, or fails the suite (when REQUIRE_SERVICES
 * names it) or skips it, recording the reason for the reporter to print at the end.
 */
export async function requireService(
  ctx: Mocha.Context,
  name: ServiceName,
  getter: () => Promise<Service | null> = serviceOf(name),
): Promise<Service> {
  // Pulling an image or starting a server can take long; this bounds a hang, it measures nothing.
  ctx.timeout(Math.max(ctx.timeout(), 300_000));
  const service = await getter();
  if (service) return service;
  const reason = (await lookups.get(name))?.reason ?? `${name} unavailable`;
  if (requiredServices().has(name)) {
    throw new Error(`${reason} (required by REQUIRE_SERVICES=${process.env.REQUIRE_SERVICES})`);
  }
  const suite = ctx.test?.parent?.fullTitle() || name;
  (globalThis.__skippedSuites ??= []).push(`${suite} — ${reason}`);
  ctx.skip();
}
