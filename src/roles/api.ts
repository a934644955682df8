import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../application/ports/index.js';
import type { Drain } from '../api/middleware/drain.js';
import type { RunningRole } from './running.js';

export type RunningApi = RunningRole & { url: string };

/** How long no new connection or request must arrive before the listener closes. */
const QUIET_MS = 250;

/**
 * Listens; stop() drains: new requests get 503 while those in flight finish. The listener closes
 * only once nothing is in flight and nothing new has arrived for a moment, so a connection still
 * in the accept queue gets its 503 instead of a reset; after `graceMs`, connections are cut.
 */
export const startApi = async ({
  app,
  port,
  host,
  logger,
  drain,
  graceMs,
}: {
  app: Express;
  port: number;
  host: string;
  logger: Logger;
  drain: Drain;
  graceMs: number;
}): Promise<RunningApi> => {
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  let lastActivity = Date.now();
  server.on('connection', () => (lastActivity = Date.now()));
  server.on('request', () => (lastActivity = Date.now()));
  const { port: actual } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`;
  logger.info({ url }, 'api listening');
  const done = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    url,
    done,
    stop: async () => {
      drain.start();
      const deadline = Date.now() + graceMs;
      logger.info({ inFlight: drain.inFlight() }, 'draining requests');
      while (
        Date.now() < deadline &&
        (drain.inFlight() > 0 || Date.now() - lastActivity < QUIET_MS)
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const left = Math.max(0, deadline - Date.now());
      const timedOut = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), left)),
      ]);
      if (timedOut) {
        logger.warn({ inFlight: drain.inFlight() }, 'grace period over; closing connections');
        server.closeAllConnections();
        await closed;
      }
    },
  };
};
