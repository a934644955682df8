import { orderPlacedV0 } from './orderPlacedV0.js';
import type { UpcasterRegistry } from './upcast.js';

/**
 * Every shape change of every event type, keyed by the version it upgrades from. Adding a
 * version: raise CURRENT_SCHEMA_VERSION, add the step here, and keep the older steps, since the
 * log keeps the older events forever.
 */
export const upcasters: UpcasterRegistry = {
  OrderPlaced: { 0: orderPlacedV0 },
};
