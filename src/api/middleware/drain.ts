import type { RequestHandler } from 'express';
import { sendProblem } from './problems.js';

/**
 * Graceful shutdown for HTTP: once draining, requests in flight finish, new ones get 503 with
 * `Connection: close` (so load balancers and clients move on), and `idle()` resolves when the
 * last request in flight has answered.
 */
export const createDrain = () => {
  let draining = false;
  let inFlight = 0;
  let wake: (() => void) | undefined;

  const middleware: RequestHandler = (req, res, next) => {
    if (draining && req.path !== '/healthz') {
      // Read the body first: closing a socket with unread bytes makes the kernel send a reset,
      // and the client would see ECONNRESET instead of this answer.
      const refuse = () => {
        if (res.headersSent) return;
        res.setHeader('Connection', 'close');
        res.setHeader('Retry-After', '1');
        sendProblem(res, {
          status: 503,
          slug: 'unavailable',
          title: 'Service unavailable',
          detail: 'the server is shutting down',
        });
      };
      req.once('end', refuse);
      req.once('error', refuse);
      req.resume();
      return;
    }
    inFlight += 1;
    // 'close' follows every response exactly once: sent in full, or cut off by the client.
    res.on('close', () => {
      inFlight -= 1;
      if (inFlight === 0) wake?.();
    });
    next();
  };

  return {
    middleware,
    draining: () => draining,
    inFlight: () => inFlight,
    start: () => {
      draining = true;
    },
    idle: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve;
          }),
  };
};

export type Drain = ReturnType<typeof createDrain>;
