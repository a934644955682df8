import express from 'express';
import helmet from 'helmet';
import type { Accounts, AccessTokens } from '../application/accounts/index.js';
import type { OrderHandler } from '../application/orders/index.js';
import type { Logger, Metrics } from '../application/ports/index.js';
import type { DeadLetters } from '../consumers/deadLetters.js';
import type { ProductHandler } from '../application/products/index.js';
import type { ProjectionAdmin, Queries } from '../projections/index.js';
import type { Drain } from './middleware/drain.js';
import type { WaitForPosition } from './middleware/minPosition.js';
import { notFoundHandler, problemHandler, requireJson } from './middleware/problems.js';
import { requestContext } from './middleware/requestContext.js';
import { openApiRouter } from './openapi/index.js';
import { adminDeadLettersRouter } from './routes/adminDeadLetters.js';
import { adminProjectionsRouter } from './routes/adminProjections.js';
import { accessLogRouter, auditRouter } from './routes/audit.js';
import { authRouter } from './routes/auth.js';
import { orderHistoryRouter } from './routes/orderHistory.js';
import type { Audit } from '../application/audit/index.js';
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
  app.use(helmet());
  app.use(requestContext(deps.logger, deps.metrics));
  app.use(deps.drain.middleware);

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

  const api = express.Router();
  api.use(requireJson, express.json({ limit: deps.bodyLimit, strict: true }));
  api.use('/auth', authRouter(deps.accounts));
  api.use('/products', productsRouter(deps));
  // Before the orders router: /:id/timeline would otherwise not be reached.
  api.use('/orders', orderHistoryRouter(deps));
  api.use('/orders', ordersRouter(deps));
  api.use('/audit', auditRouter(deps));
  api.use('/admin/access-log', accessLogRouter(deps));
  api.use('/admin/dead-letters', adminDeadLettersRouter(deps));
  if (deps.projectionAdmin) api.use('/admin/projections', adminProjectionsRouter({ projectionAdmin: deps.projectionAdmin, tokens: deps.tokens }));
  app.use('/api', api);

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
};
