import type { Minor } from '../shared/index.js';
import type { ProductEvent } from './events.js';

/**
 * What the inventory aggregate needs to decide. `reservations` holds the units each open order
 * holds; `settled` remembers orders whose reservation was rejected or released, so that a
 * redelivered reservation for them stays a no-op instead of reserving twice.
 */
type ProductFacts = {
  productId: string;
  name: string;
  price: Minor;
  stock: number;
  reservations: ReadonlyMap<string, number>;
  settled: ReadonlySet<string>;
};

export type UnknownProduct = { status: 'Unknown' };
export type ActiveProduct = { status: 'Active' } & ProductFacts;
export type DeletedProduct = { status: 'Deleted' } & ProductFacts;
export type Product = UnknownProduct | ActiveProduct | DeletedProduct;

export const initialProduct = (): Product => ({ status: 'Unknown' });

export const reservedUnits = (product: ProductFacts): number => {
  let total = 0;
  for (const quantity of product.reservations.values()) total += quantity;
  return total;
};

/** Units not held by any order: what new orders may take. */
export const availableUnits = (product: Product): number =>
  product.status === 'Active' ? product.stock - reservedUnits(product) : 0;

const withReservation = (reservations: ReadonlyMap<string, number>, orderId: string, quantity: number) =>
  new Map(reservations).set(orderId, quantity);

const withoutReservation = (reservations: ReadonlyMap<string, number>, orderId: string) => {
  const next = new Map(reservations);
  next.delete(orderId);
  return next;
};

const settle = (settled: ReadonlySet<string>, orderId: string) => new Set(settled).add(orderId);

export const evolveProduct = (state: Product, event: ProductEvent): Product => {
  if (event.type === 'ProductAdded') {
    const { productId, name, price, stock } = event.data;
    return { status: 'Active', productId, name, price, stock, reservations: new Map(), settled: new Set() };
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
      return { ...state, reservations: withReservation(state.reservations, event.data.orderId, event.data.quantity) };
    case 'StockReservationRejected':
      return { ...state, settled: settle(state.settled, event.data.orderId) };
    case 'StockReleased':
      return {
        ...state,
        reservations: withoutReservation(state.reservations, event.data.orderId),
        settled: settle(state.settled, event.data.orderId),
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
};
