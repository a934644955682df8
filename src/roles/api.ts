import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from '../application/ports/index.js';

export type RunningApi = { url: string; stop(): Promise<void> };

/** Listens; stop() refuses new connections, lets requests in flight finish, then closes idle sockets. */
export const startApi = async ({ app, port, host, logger }: { app: Express; port: number; host: string; logger: Logger }) => {
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port: actual } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`;
  logger.info({ url }, 'api listening');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  } satisfies RunningApi;
};
