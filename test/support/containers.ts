import type { Started } from './localServers.js';

/**
 * Containers are the second way to a service, after an explicit URL. Whether a Docker engine
 * answers is asked once: testcontainers' runtime lookup throws at once without one.
 */
let runtime: Promise<string | null> | undefined;

export function containerRuntimeMissing(): Promise<string | null> {
  runtime ??= (async () => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      await getContainerRuntimeClient();
      return null;
    } catch (error) {
      return `no container runtime (${(error as Error).message})`;
    }
  })();
  return runtime;
}

type Spec = {
  image: string;
  port: number;
  env?: Record<string, string>;
  wait: 'log' | 'http';
  /** A log line for `log`, a path answering 2xx for `http`. */
  ready: string | RegExp;
  url: (host: string, port: number) => string;
};

async function startContainer(spec: Spec): Promise<Started | string> {
  const missing = await containerRuntimeMissing();
  if (missing) return missing;
  try {
    const { GenericContainer, Wait } = await import('testcontainers');
    const wait =
      spec.wait === 'log'
        ? Wait.forLogMessage(spec.ready)
        : Wait.forHttp(String(spec.ready), spec.port).forStatusCodeMatching((s) => s < 300);
    const container = await new GenericContainer(spec.image)
      .withExposedPorts(spec.port)
      .withEnvironment(spec.env ?? {})
      .withWaitStrategy(wait)
      .start();
    return {
      url: spec.url(container.getHost(), container.getMappedPort(spec.port)),
      stop: async () => void (await container.stop()),
    };
  } catch (error) {
    return `container ${spec.image} failed to start: ${(error as Error).message}`;
  }
}

export const redisContainer = () =>
  startContainer({
    image: 'redis:7',
    port: 6379,
    wait: 'log',
    ready: 'Ready to accept connections',
    url: (host, port) => `redis://${host}:${port}`,
  });

export const mongoContainer = () =>
  startContainer({
    image: 'mongo:7',
    port: 27017,
    wait: 'log',
    ready: /Waiting for connections/,
    url: (host, port) => `mongodb://${host}:${port}/`,
  });

export const eventStoreContainer = () =>
  startContainer({
    image: process.env.EVENTSTORE_IMAGE ?? 'eventstore/eventstore:24.10',
    port: 2113,
    env: {
      EVENTSTORE_INSECURE: 'true',
      EVENTSTORE_CLUSTER_SIZE: '1',
      EVENTSTORE_MEM_DB: 'true',
      EVENTSTORE_RUN_PROJECTIONS: 'All',
      EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
    },
    wait: 'http',
    ready: '/health/live',
    url: (host, port) => `esdb://${host}:${port}?tls=false`,
  });
