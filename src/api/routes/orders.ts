import { readModels } from '../../subscriptions.js';
import { Router } from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import { maySeeOrderOf, ownerToList } from '../../application/accounts/index.js';
import type { AccessTokens } from '../../application/accounts/index.js';
import { placeOrder } from '../../application/orders/index.js';
import type { OrderHandler, PlacedOrder } from '../../application/orders/index.js';
import type { ProductHandler } from '../../application/products/index.js';
import { MAX_ORDER_LINES, orderStatuses, toOrderStreamId } from '../../domain/orders/index.js';
import { NotFound } from '../../domain/shared/index.js';
import type { Queries } from '../../projections/index.js';
import { evolveOrderDocument, publicView } from '../../projections/index.js';
import { etagOf, ifMatchOf, setWritten } from '../http.js';
import { actorOf, authenticate, requireRole } from '../middleware/authenticate.js';
import type { WaitForPosition } from '../middleware/minPosition.js';
import { messageContextOf } from '../middleware/requestContext.js';
import { parse } from '../validation.js';
import { orderAsOf, orderTimeline } from './orderHistory.js';
import type { Audit } from '../../audit/index.js';

export const placeOrderBody = z.strictObject({
  items: z
    .array(z.strictObject({ productId: z.uuid(), quantity: z.number().int().min(1).max(100_000) }))
    .min(1)
    .max(MAX_ORDER_LINES),
});
export const idempotencyKey = z.string().min(1).max(200).optional();
export const orderParams = z.strictObject({ id: z.uuid() });
export const orderStatus = z.enum(orderStatuses);
export const orderListQuery = z.strictObject({
  status: orderStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  userId: z.uuid().optional(),
});

export type OrdersRouterDeps = {
  orders: OrderHandler;
  products: ProductHandler;
  queries: Queries;
  tokens: AccessTokens;
  waitForPosition: WaitForPosition;
  audit: Pick<Audit, 'orderAt' | 'orderTimeline'>;
};

export const ordersRouter = ({
  orders,
  products,
  queries,
  tokens,
  waitForPosition,
  audit,
}: OrdersRouterDeps) => {
  const router = Router();
  router.use(authenticate(tokens));

  /**
   * Another customer's order is answered exactly like a missing one. From the order's stream, not
   * the read model: a write's own checks and answer must not depend on the projection's lag.
   */
  const readable = async (res: Response, id: string) => {
    const order = await queries.loadOrderFromStream(id);
    if (!order || !maySeeOrderOf(actorOf(res), order.userId))
      throw new NotFound(`order ${id} not found`);
    return order;
  };

  /**
   * The order just placed, as the read model will hold it: folded from the one event appended, with
   * the time the event store recorded it, so the answer costs no read; an Idempotency-Key replay
   * appended nothing and reads the order from the stream.
   */
  const placedOrder = async (res: Response, placed: PlacedOrder) => {
    const [event, ...more] = placed.events;
    const { revision, position, recordedAt } = placed;
    const appended =
      event && more.length === 0 && position !== undefined && recordedAt
        ? evolveOrderDocument(null, { ...event, revision, position, recordedAt })
        : null;
    return appended ?? readable(res, placed.orderId);
  };

  router.post('/', requireRole('customer'), async (req, res) => {
    const { items } = parse(placeOrderBody, req.body);
    const key = parse(idempotencyKey, req.headers['idempotency-key']);
    const context = messageContextOf(res);
    const placed = await placeOrder(
      { orders, products },
      { userId: context.userId, items, ...(key ? { idempotencyKey: key } : {}) },
      context,
    );
    const order = await placedOrder(res, placed);
    setWritten(res, placed.revision, placed.position);
    if (placed.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res
      .status(201)
      .location(`/api/orders/${placed.orderId}`)
      .json({
        success: true,
        order: publicView(order),
        message: 'Order placed successfully and sent to queue',
      });
  });

  router.get('/', requireRole('customer', 'admin', 'auditor'), async (req, res) => {
    const query = parse(orderListQuery, req.query);
    const userId = ownerToList(actorOf(res), query.userId);
    await waitForPosition(req, readModels.orders.name);
    const page = await queries.listOrders({
      limit: query.limit,
      ...(userId ? { userId } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    res.json({ success: true, orders: page.items.map(publicView), nextCursor: page.nextCursor });
  });

  /**
   * Cache → read model, so a read right after a write may not see it yet: the write's
   * X-Event-Position sent back as X-Min-Position waits for the projection and skips older cache entries.
   */
  router.get(
    '/:id',
    requireRole('customer', 'admin', 'auditor'),
    orderAsOf(audit),
    async (req, res) => {
      const { id } = parse(orderParams, req.params);
      const minPosition = await waitForPosition(req, readModels.orders.name);
      const order = await queries.readOrderThroughCache(id, minPosition);
      if (!order || !maySeeOrderOf(actorOf(res), order.userId))
        throw new NotFound(`order ${id} not found`);
      // Rendered when it was cached: sent as it is.
      res.setHeader('ETag', etagOf(order.revision));
      res.type('json').send(order.body);
    },
  );

  router.get('/:id/timeline', ...orderTimeline(audit));

  router.delete('/:id', requireRole('customer', 'admin'), async (req, res) => {
    const { id } = parse(orderParams, req.params);
    await readable(res, id);
    const actor = actorOf(res);
    const result = await orders.handle(
      toOrderStreamId(id),
      {
        type: 'CancelOrder',
        data: {
          orderId: id,
          reason: actor.role === 'admin' ? 'cancelled by an admin' : 'cancelled by the customer',
        },
      },
      messageContextOf(res),
      { ifMatch: ifMatchOf(req) },
    );
    setWritten(res, result.revision, result.position);
    res.json({ success: true, message: 'Order cancelled successfully' });
  });

  return router;
};
