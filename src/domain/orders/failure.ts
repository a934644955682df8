import type { OrderFailure, UnspecifiedFailure } from './events.js';

/**
 * The sentence people read for a failure (the API's failureReason, the mail): one wording
 * wherever it is shown. A reason this code does not know (a newer writer's) is shown as it is.
 */
export const describeFailure = (failure: OrderFailure | UnspecifiedFailure): string => {
  switch (failure.reason) {
    case 'insufficient_stock':
      return `insufficient stock for ${failure.product.name}`;
    case 'product_deleted':
      return `product ${failure.product.name} was deleted`;
    case 'product_unknown':
      return `product ${failure.product.id} does not exist`;
    case 'unspecified':
      return failure.description;
    default: {
      const _exhaustive: never = failure;
      return String((_exhaustive as { reason: unknown }).reason);
    }
  }
};
