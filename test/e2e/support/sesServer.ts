import type { Server } from 'node:http';

/** One mail as aws-ses-v2-local's GET /store lists it. */
export type StoredEmail = {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
};

/** Everything the SES server at `url` accepted so far (its store is shared by every server in this process). */
export const sesStore = async (url: string): Promise<StoredEmail[]> => {
  const response = await fetch(`${url}/store`);
  if (!response.ok) throw new Error(`GET ${url}/store answered ${response.status}`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
};

type Start = (config: { host: string; port: number }) => Promise<Server>;

/**
 * aws-ses-v2-local on a port of our choosing, so it can be stopped and started again at the same
 * address (an outage the client cannot tell from a real one). The store lives in the module, so
 * mails accepted before a restart are still listed after it.
 */
export const startSesServer = async (port: number) => {
  // CommonJS: the start function is the default export's `default` from Node's ESM, the default itself under tsx.
  const module = (await import('aws-ses-v2-local')) as unknown as {
    default: Start | { default: Start };
  };
  const start = typeof module.default === 'function' ? module.default : module.default.default;
  let server: Server | undefined;
  const up = async () => {
    server = await start({ host: '127.0.0.1', port });
  };
  const down = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      const closing = server;
      server = undefined;
      closing.close(() => resolve());
      closing.closeAllConnections();
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, stop: down, restart: up };
};
