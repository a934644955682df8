import type { Upcaster } from './upcast.js';

type LegacyLine = {
  productId: string;
  quantity: number;
  price?: number | string;
  unitPrice?: number;
};
type LegacyOrderPlaced = {
  orderId: string;
  userId: string;
  items: LegacyLine[];
  totalAmount: number | string;
};

/**
 * Legacy amounts were JavaScript numbers computed in floating point (3 × 19.99 is stored as
 * 59.97000000000001), so they are rounded to the nearest cent rather than parsed strictly.
 */
export const decimalToMinor = (amount: unknown): number => {
  const value = typeof amount === 'string' ? Number(amount) : amount;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${JSON.stringify(amount)} is not a decimal amount`);
  }
  const minor = Math.round(value * 100);
  if (!Number.isSafeInteger(minor)) throw new TypeError(`${value} is too large an amount`);
  return minor;
};

const isCurrentShape = (data: LegacyOrderPlaced) =>
  data.items.every((line) => typeof line.unitPrice === 'number' && line.price === undefined);

/**
 * OrderPlaced v0: orders imported from the original system, which kept money as decimals, with
 * the line price under `price`. v1 keeps integer minor units under `unitPrice` and `totalAmount`.
 * Data already in the v1 shape is returned as is, so an event that merely lacks its version
 * (written by a tool that forgot it) is not scaled a second time.
 */
export const orderPlacedV0: Upcaster = (data) => {
  const legacy = data as LegacyOrderPlaced;
  if (!Array.isArray(legacy?.items)) throw new TypeError('OrderPlaced has no items');
  if (isCurrentShape(legacy)) return data;
  const items = legacy.items.map(({ price, unitPrice: _unitPrice, ...line }) => ({
    ...line,
    unitPrice: decimalToMinor(price),
  }));
  return { ...legacy, items, totalAmount: decimalToMinor(legacy.totalAmount) };
};
