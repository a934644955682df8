import express from 'express';
import type { Accounts, AccessTokens } from '../application/accounts/index.js';
import type { OrderHandler } from '../application/orders/index.js';
import type { Logger, Metrics } from '../application/ports/index.js';
import type { DeadLetters } from '../consumers/deadLetters.js';
import type { ProductHandler } from '../application/products/index.js';
import type { ProjectionAdmin, Queries } from '../projections/index.js';
import type { Drain } from './middleware/drain.js';
import type { WaitForPosition } from './middleware/minPosition.js';
import { jsonBody } from './middleware/jsonBody.js';
import { API_HEADERS, securityHeaders } from './middleware/securityHeaders.js';
import { notFoundHandler, problemHandler } from './middleware/problems.js';
import { requestContext } from './middleware/requestContext.js';
import { openApiRouter } from './openapi/index.js';
import { adminDeadLettersRouter } from './routes/adminDeadLetters.js';
import { adminProjectionsRouter } from './routes/adminProjections.js';
import { accessLogRouter, auditRouter } from './routes/audit.js';
import { authRouter } from './routes/auth.js';
import type { Audit } from '../audit/index.js';
import { ordersRouter } from './routes/orders.js';
import { productsRouter } from './routes/products.js';

export type AppDeps = {
  logger: Logger;
  accounts: Accounts;
  tokens: AccessTokens;
  orders: OrderHandler;
  products: ProductHandler;
  queries: Queries;
  waitForPosition: WaitForPosition;
  deadLetters: DeadLetters;
  audit: Audit;
  /** Projection status and rebuilds (admin); absent, the routes are not mounted. */
  projectionAdmin?: ProjectionAdmin;
  bodyLimit: string;
  trustProxy: boolean;
  /** Reports whether each dependency answers; 503 when any does not. */
  readiness: () => Promise<Record<string, 'ok' | 'down' | 'degraded'>>;
  metrics: Metrics;
  drain: Drain;
};

export const createApp = (deps: AppDeps) => {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('query parser', 'simple');
  app.use(securityHeaders(API_HEADERS));
  app.use(requestContext(deps.logger, deps.metrics));
  app.use(deps.drain.middleware);

  // The API first, its routers mounted on the app itself: every layer before them and every
  // router level costs each API request a path test (and a re-parse of its URL).
  app.use('/api', jsonBody(deps.bodyLimit));
  app.use('/api/orders', ordersRouter(deps));
  app.use('/api/products', productsRouter(deps));
  app.use('/api/auth', authRouter(deps.accounts));
  app.use('/api/audit', auditRouter(deps));
  app.use('/api/admin/access-log', accessLogRouter(deps));
  app.use('/api/admin/dead-letters', adminDeadLettersRouter(deps));
  if (deps.projectionAdmin)
    app.use(
      '/api/admin/projections',
      adminProjectionsRouter({ projectionAdmin: deps.projectionAdmin, tokens: deps.tokens }),
    );

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every((state) => state !== 'down');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await deps.metrics.render();
    res.type(contentType).send(body);
  });
  app.use(openApiRouter());

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
};
