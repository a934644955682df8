import { Map as PersistentMap } from 'immutable';
import type { Minor } from '../shared/index.js';
import type { ProductEvent, RejectionReason } from './events.js';

/** How an order's reservation ended: refused (and why), or reserved and later given back. */
export type Settlement = RejectionReason | 'released';

/**
 * What the inventory aggregate needs to decide. `reservations` holds the units each open order
 * holds, and `reserved` their sum; `settled` remembers how each order whose reservation was
 * rejected or released ended, so that a redelivered reservation for them stays a no-op instead of
 * reserving twice, and the order workflow, redelivered after a crash, hears the same answer.
 * Both grow with the product's history (a Processed order keeps its reservation until it is
 * cancelled), so they are persistent collections: each event shares the previous state's entries
 * and costs O(log n), where a copy per event made folding a popular product's stream O(n²).
 */
type ProductFacts = {
  productId: string;
  name: string;
  price: Minor;
  stock: number;
  reservations: PersistentMap<string, number>;
  reserved: number;
  settled: PersistentMap<string, Settlement>;
};

export type UnknownProduct = { status: 'Unknown' };
export type ActiveProduct = { status: 'Active' } & ProductFacts;
export type DeletedProduct = { status: 'Deleted' } & ProductFacts;
export type Product = UnknownProduct | ActiveProduct | DeletedProduct;

export const initialProduct = (): Product => ({ status: 'Unknown' });

export const reservedUnits = (product: ProductFacts): number => product.reserved;

/** Units not held by any order: what new orders may take. */
export const availableUnits = (product: Product): number =>
  product.status === 'Active' ? product.stock - product.reserved : 0;

/** What this product has done with an order's reservation, as its state remembers it. */
export type ReservationOf =
  | { status: 'none' }
  | { status: 'held'; quantity: number }
  | { status: 'settled'; settlement: Settlement };

export const reservationOf = (product: Product, orderId: string): ReservationOf => {
  if (product.status === 'Unknown') return { status: 'none' };
  const quantity = product.reservations.get(orderId);
  if (quantity !== undefined) return { status: 'held', quantity };
  const settlement = product.settled.get(orderId);
  return settlement === undefined ? { status: 'none' } : { status: 'settled', settlement };
};

/** The state after `orderId` reserves `quantity` (replacing what it held, as a set does). */
const withReservation = (state: ProductFacts, orderId: string, quantity: number) => ({
  reservations: state.reservations.set(orderId, quantity),
  reserved: state.reserved - (state.reservations.get(orderId) ?? 0) + quantity,
});

const withoutReservation = (state: ProductFacts, orderId: string) => ({
  reservations: state.reservations.delete(orderId),
  reserved: state.reserved - (state.reservations.get(orderId) ?? 0),
});

export const evolveProduct = (state: Product, event: ProductEvent): Product => {
  if (event.type === 'ProductAdded') {
    const { productId, name, price, stock } = event.data;
    return {
      status: 'Active',
      productId,
      name,
      price,
      stock,
      reservations: PersistentMap(),
      reserved: 0,
      settled: PersistentMap(),
    };
  }
  if (state.status === 'Unknown') return state;
  switch (event.type) {
    case 'ProductUpdated':
      return {
        ...state,
        name: event.data.name ?? state.name,
        price: event.data.price ?? state.price,
      };
    case 'StockAdjusted':
      return { ...state, stock: event.data.stock };
    case 'ProductDeleted':
      return { ...state, status: 'Deleted' };
    case 'StockReserved':
      return { ...state, ...withReservation(state, event.data.orderId, event.data.quantity) };
    case 'StockReservationRejected':
      return { ...state, settled: state.settled.set(event.data.orderId, event.data.reason) };
    case 'StockReleased':
      return {
        ...state,
        ...withoutReservation(state, event.data.orderId),
        settled: state.settled.set(event.data.orderId, 'released'),
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
