import type { Operation } from '../operation.js';
import { adminOperations } from './admin.js';
import { authOperations } from './auth.js';
import { orderOperations } from './orders.js';
import { productOperations } from './products.js';
import { projectionOperations } from './projections.js';
import { systemOperations } from './system.js';

export const operations: readonly Operation[] = [
  ...authOperations,
  ...productOperations,
  ...orderOperations,
  ...adminOperations,
  ...projectionOperations,
  ...systemOperations,
];
