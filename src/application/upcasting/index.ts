export * from './upcast.js';
export * from './withUpcasting.js';
export * from './registry.js';
export { decimalToMinor } from './orderPlacedV0.js';
