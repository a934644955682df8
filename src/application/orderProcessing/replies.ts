import type { Order, OrderEvent } from '../../domain/orders/index.js';
import { reservationOf } from '../../domain/products/index.js';
import type { Product } from '../../domain/products/index.js';
import type { StockReplied } from './state.js';

/**
 * The order's stream as the workflow hears it, from the order as its handler folds it (cached,
 * so a redelivery does not re-read the stream from the start): the placement, then how it ended.
 */
export const seenOnOrderStream = (order: Order): OrderEvent[] => {
  if (order.status === 'None') return [];
  const { orderId, userId, items, totalAmount } = order;
  const placed: OrderEvent = {
    type: 'OrderPlaced',
    data: { orderId, userId, items: [...items], totalAmount },
  };
  const processed: OrderEvent = { type: 'OrderProcessed', data: { orderId } };
  switch (order.status) {
    case 'Pending':
      return [placed];
    case 'Processed':
      return [placed, processed];
    case 'Failed':
      return [placed, { type: 'OrderFailed', data: { orderId, ...order.failure } }];
    case 'Cancelled':
      return [
        placed,
        ...(order.cancelledFrom === 'Processed' ? [processed] : []),
        { type: 'OrderCancelled', data: { orderId, reason: order.cancelReason } },
      ];
    default: {
      const _exhaustive: never = order;
      return [];
    }
  }
};

/** How the order ended, past its placement: what a final step that lost a race hears. */
export const endingOf = (order: Order): OrderEvent[] =>
  seenOnOrderStream(order).filter((event) => event.type !== 'OrderPlaced');

/**
 * A product's answer to this order, read from the state its handler returns. The product
 * remembers how each order's reservation settled, so a step repeated after a crash (appending
 * nothing) is answered exactly as the first time.
 */
export const answerOf = (product: Product, orderId: string, productId: string): StockReplied[] => {
  const reservation = reservationOf(product, orderId);
  switch (reservation.status) {
    case 'none':
      return [];
    case 'held':
      return [{ type: 'StockReserved', data: { orderId, productId } }];
    case 'settled': {
      const { settlement } = reservation;
      if (settlement === 'released')
        return [{ type: 'StockReleased', data: { orderId, productId } }];
      const productName = product.status === 'Unknown' ? productId : product.name;
      return [
        {
          type: 'StockReservationRejected',
          data: { orderId, productId, productName, reason: settlement },
        },
      ];
    }
    default: {
      const _exhaustive: never = reservation;
      return [];
    }
  }
};
