import type { ProductEvent } from '../../domain/products/index.js';
import { productEventTypes } from '../../domain/products/index.js';
import { fromMinor } from '../../domain/shared/index.js';
import type { Recorded } from '../../application/ports/index.js';
import { iso } from '../engine/projection.js';
import type { ProjectedDoc, ReadModel } from '../engine/projection.js';

/** The catalog entry clients read: on-hand `stock`, `reserved` by open orders, and `available`. */
export type ProductDocument = ProjectedDoc & {
  name: string;
  price: number;
  stock: number;
  reserved: number;
  available: number;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
  _revision: number;
};

const withStock = (doc: ProductDocument, stock: number, reserved: number): ProductDocument => ({
  ...doc,
  stock,
  reserved,
  available: stock - reserved,
});

export const evolveProductDocument = (
  doc: ProductDocument | null,
  event: Recorded<ProductEvent>,
): ProductDocument | null => {
  const at = iso(event.recordedAt);
  const touched = { updatedAt: at, _revision: event.revision, _position: event.position };
  if (event.type === 'ProductAdded') {
    const { productId, name, price, stock } = event.data;
    return {
      _id: productId,
      name,
      price: fromMinor(price),
      stock,
      reserved: 0,
      available: stock,
      deleted: false,
      createdAt: at,
      ...touched,
    };
  }
  if (!doc) return null;
  const next = { ...doc, ...touched };
  switch (event.type) {
    case 'ProductUpdated':
      return {
        ...next,
        name: event.data.name ?? doc.name,
        price: event.data.price === undefined ? doc.price : fromMinor(event.data.price),
      };
    case 'StockAdjusted':
      return withStock(next, event.data.stock, doc.reserved);
    case 'ProductDeleted':
      return { ...next, deleted: true };
    case 'StockReserved':
      return withStock(next, doc.stock, doc.reserved + event.data.quantity);
    case 'StockReleased':
      return withStock(next, doc.stock, doc.reserved - event.data.quantity);
    case 'StockReservationRejected':
      return next;
    default:
      return next;
  }
};

export const productsReadModel: ReadModel<ProductDocument, ProductEvent> = {
  collection: 'products',
  eventTypes: productEventTypes,
  documentIds: (event) => [event.data.productId],
  evolve: (doc, event) => evolveProductDocument(doc, event),
  indexes: [{ fields: ['deleted', 'createdAt'] }],
};
