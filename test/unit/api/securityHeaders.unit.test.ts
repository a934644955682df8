import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import helmet from 'helmet';
import { securityHeaders } from '../../../src/api/middleware/securityHeaders.js';

/** The headers a real express app answers with, given one middleware in front of a plain route. */
const headersBehind = async (middleware: express.RequestHandler) => {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get('/', (_req, res) => void res.json({ ok: true }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const headers = Object.fromEntries(response.headers);
    delete headers.date;
    return headers;
  } finally {
    server.close();
    server.closeAllConnections();
  }
};

describe('security headers', () => {
  it("given helmet's defaults, when worked out once, then responses carry exactly the headers helmet itself sets", async () => {
    const fromHelmet = await headersBehind(helmet());
    const worked = await headersBehind(securityHeaders());
    expect(worked).to.deep.equal(fromHelmet);
    expect(worked).to.include({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(worked['content-security-policy']).to.match(/default-src 'self'/);
  });

  it('given options that make a header depend on the request, then it refuses to start instead of freezing one', () => {
    // Helmet's documented nonce pattern: the value comes from the response being answered.
    const nonce = (_req: unknown, res: unknown) =>
      `'nonce-${(res as { locals: { cspNonce: string } }).locals.cspNonce}'`;
    const perRequest = { directives: { scriptSrc: ["'self'", nonce] } };
    expect(() => securityHeaders({ contentSecurityPolicy: perRequest })).to.throw(
      /same on every response/,
    );
  });
});
