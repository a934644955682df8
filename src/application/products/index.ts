import { createCommandHandler } from '../commandHandler.js';
import type { CommandHandler } from '../commandHandler.js';
import type { EventStore } from '../ports/index.js';
import { availableUnits, productDecider } from '../../domain/products/index.js';
import type { Product, ProductCommand, ProductEvent } from '../../domain/products/index.js';
import type { ProductAtPlacement } from '../../domain/orders/index.js';

export type ProductHandler = CommandHandler<Product, ProductCommand, ProductEvent>;

export const createProductHandler = (eventStore: EventStore): ProductHandler =>
  createCommandHandler({ eventStore, decider: productDecider });

/** What order placement needs to know about a product right now. */
export const toProductAtPlacement = (product: Product): ProductAtPlacement =>
  product.status === 'Unknown'
    ? { status: 'Unknown' }
    : {
        status: product.status,
        name: product.name,
        price: product.price,
        available: availableUnits(product),
      };
