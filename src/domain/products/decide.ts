import { BusinessRuleViolated, Conflict, InvalidInput, NotFound } from '../shared/index.js';
import type { Decider } from '../shared/index.js';
import type {
  AddProduct,
  DeleteProduct,
  ProductCommand,
  ReleaseStock,
  ReserveStock,
  UpdateProduct,
} from './commands.js';
import type { ProductEvent } from './events.js';
import { availableUnits, evolveProduct, initialProduct, reservedUnits } from './product.js';
import type { ActiveProduct, Product } from './product.js';

const assertStock = (stock: number) => {
  if (!Number.isSafeInteger(stock) || stock < 0)
    throw new InvalidInput('stock must be an integer of 0 or more');
};
const assertPrice = (price: number) => {
  if (!Number.isSafeInteger(price) || price < 0)
    throw new InvalidInput('price must be 0 or more, in minor units');
};
const assertName = (name: string) => {
  if (name.trim().length === 0) throw new InvalidInput('name must not be empty');
};

const requireActive = (state: Product, productId: string): ActiveProduct => {
  if (state.status !== 'Active') throw new NotFound(`product ${productId} not found`);
  return state;
};

export const addProduct = ({ data }: AddProduct, state: Product): ProductEvent[] => {
  if (state.status !== 'Unknown') throw new Conflict(`product ${data.productId} already exists`);
  assertName(data.name);
  assertPrice(data.price);
  assertStock(data.stock);
  return [{ type: 'ProductAdded', data: { ...data, name: data.name.trim() } }];
};

export const updateProduct = ({ data }: UpdateProduct, state: Product): ProductEvent[] => {
  const product = requireActive(state, data.productId);
  const events: ProductEvent[] = [];
  const name = data.name?.trim();
  if (name !== undefined) assertName(name);
  if (data.price !== undefined) assertPrice(data.price);
  const details = {
    ...(name !== undefined && name !== product.name ? { name } : {}),
    ...(data.price !== undefined && data.price !== product.price ? { price: data.price } : {}),
  };
  if (Object.keys(details).length > 0) {
    events.push({ type: 'ProductUpdated', data: { productId: product.productId, ...details } });
  }
  if (data.stock !== undefined && data.stock !== product.stock) {
    assertStock(data.stock);
    const reserved = reservedUnits(product);
    if (data.stock < reserved) {
      throw new BusinessRuleViolated(
        `stock cannot be set below the ${reserved} units reserved by orders`,
        {
          reserved,
        },
      );
    }
    events.push({
      type: 'StockAdjusted',
      data: { productId: product.productId, stock: data.stock, previous: product.stock },
    });
  }
  return events;
};

export const deleteProduct = ({ data }: DeleteProduct, state: Product): ProductEvent[] => {
  const product = requireActive(state, data.productId);
  return [{ type: 'ProductDeleted', data: { productId: product.productId } }];
};

/**
 * Reserves units for an order, at most once per order. A reservation that cannot be met is an
 * event (StockReservationRejected), not an error: the order processor turns it into OrderFailed.
 */
export const reserveStock = ({ data }: ReserveStock, state: Product): ProductEvent[] => {
  if (!Number.isSafeInteger(data.quantity) || data.quantity <= 0) {
    throw new InvalidInput('quantity must be a positive integer');
  }
  if (state.status === 'Unknown') throw new NotFound(`product ${data.productId} not found`);
  if (state.reservations.has(data.orderId) || state.settled.has(data.orderId)) return [];
  const available = availableUnits(state);
  if (state.status === 'Deleted' || available < data.quantity) {
    const reason = state.status === 'Deleted' ? 'product_deleted' : 'insufficient_stock';
    return [{ type: 'StockReservationRejected', data: { ...data, available, reason } }];
  }
  return [{ type: 'StockReserved', data }];
};

/** Gives back what an order holds; releasing what is not held is a no-op (idempotent). */
export const releaseStock = ({ data }: ReleaseStock, state: Product): ProductEvent[] => {
  if (state.status === 'Unknown') throw new NotFound(`product ${data.productId} not found`);
  const quantity = state.reservations.get(data.orderId);
  if (quantity === undefined) return [];
  return [{ type: 'StockReleased', data: { ...data, quantity } }];
};

export const decideProduct = (command: ProductCommand, state: Product): ProductEvent[] => {
  switch (command.type) {
    case 'AddProduct':
      return addProduct(command, state);
    case 'UpdateProduct':
      return updateProduct(command, state);
    case 'DeleteProduct':
      return deleteProduct(command, state);
    case 'ReserveStock':
      return reserveStock(command, state);
    case 'ReleaseStock':
      return releaseStock(command, state);
    default: {
      const _exhaustive: never = command;
      throw new Error(`Unknown command ${(_exhaustive as ProductCommand).type}`);
    }
  }
};

export const productDecider: Decider<Product, ProductCommand, ProductEvent> = {
  decide: decideProduct,
  evolve: evolveProduct,
  initialState: initialProduct,
};
