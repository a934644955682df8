import {
  orderHistoryQuery,
  params as timelineParams,
  timelineQuery,
} from '../../routes/orderHistory.js';
import { orderListQuery, orderParams, placeOrderBody } from '../../routes/orders.js';
import { orderTimeline } from '../historySchemas.js';
import { order, orderCancelled, orderList, orderPlaced } from '../schemas.js';
import { problems, written } from '../operation.js';
import type { Operation } from '../operation.js';

const tags = ['Orders'];

export const orderOperations: readonly Operation[] = [
  {
    method: 'post',
    path: '/api/orders',
    operationId: 'placeOrder',
    summary: 'Place an order',
    description:
      'Lines for the same product are merged. Processing is asynchronous: the order starts Pending. ' +
      'With an `Idempotency-Key`, a repeat answers 201 with the same order as it stands now ' +
      '(`Idempotent-Replayed: true`); the same key for a different order is 409.',
    tags,
    roles: ['customer'],
    headers: ['Idempotency-Key'],
    body: placeOrderBody,
    responses: [
      {
        status: 201,
        description: 'Placed (or replayed)',
        schema: orderPlaced,
        headers: [...(written ?? []), { name: 'Location', required: true }, 'Idempotent-Replayed'],
      },
    ],
    problems: problems({ body: true, roles: true }, 409, 422),
  },
  {
    method: 'get',
    path: '/api/orders',
    operationId: 'listOrders',
    summary: 'Orders, newest first, a page at a time',
    description:
      "Customers see their own (`userId` is ignored for them); admins and auditors see all, or one user's.",
    tags,
    roles: ['customer', 'admin', 'auditor'],
    query: orderListQuery,
    headers: ['X-Min-Position'],
    responses: [{ status: 200, description: 'One page of orders', schema: orderList }],
    problems: problems({ token: true }),
  },
  {
    method: 'get',
    path: '/api/orders/{id}',
    operationId: 'getOrder',
    summary: 'One order',
    description:
      "Another customer's order is 404, like a missing one. With `asOf` or `atRevision` (one of them) " +
      'the order is answered as it was then, folded from its events.',
    tags,
    roles: ['customer', 'admin', 'auditor'],
    pathParams: orderParams,
    query: orderHistoryQuery,
    headers: ['X-Min-Position'],
    responses: [
      {
        status: 200,
        description: 'The order; its ETag is the stream revision',
        schema: order,
        headers: [{ name: 'ETag', required: true }],
      },
    ],
    problems: problems({ token: true }, 404),
  },
  {
    method: 'delete',
    path: '/api/orders/{id}',
    operationId: 'cancelOrder',
    summary: 'Cancel an order',
    description:
      'The order is kept, as Cancelled, and its reserved stock is released. A Failed order is 409.',
    tags,
    roles: ['customer', 'admin'],
    pathParams: orderParams,
    headers: ['If-Match'],
    responses: [
      { status: 200, description: 'Cancelled', schema: orderCancelled, headers: written },
    ],
    problems: problems({ roles: true }, 404, 409, 412),
  },
  {
    method: 'get',
    path: '/api/orders/{id}/timeline',
    operationId: 'getOrderTimeline',
    summary: 'Every event of an order and the stock events it caused, in log order',
    description:
      'Each entry carries its metadata and the order as it stood after it. Every read is recorded in the access log.',
    tags,
    roles: ['customer', 'admin', 'auditor'],
    pathParams: timelineParams,
    query: timelineQuery,
    responses: [{ status: 200, description: 'One page of the timeline', schema: orderTimeline }],
    problems: problems({ token: true }, 404),
  },
];
