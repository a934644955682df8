import { orderFailedV1 } from './orderFailedV1.js';
import { orderPlacedV0 } from './orderPlacedV0.js';
import type { UpcasterRegistry } from './upcast.js';

/**
 * Every shape change of every event type, keyed by the version it upgrades from. Adding a
 * version: raise the type's version (schemaVersionOf), add the step here, and keep the older
 * steps, since the log keeps the older events forever.
 */
export const upcasters: UpcasterRegistry = {
  OrderPlaced: { 0: orderPlacedV0 },
  OrderFailed: { 1: orderFailedV1 },
};
