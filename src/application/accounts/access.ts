import type { Actor } from '../ports/security.js';

/** Customers see only their own orders; admins and auditors see every order. */
const seesOnlyOwnOrders = (actor: Actor) => actor.role === 'customer';

/**
 * Whether the actor may see an order of this owner. To anyone who may not, the order does not
 * exist: callers answer exactly as for a missing order, so its id reveals nothing.
 */
export const maySeeOrderOf = (actor: Actor, ownerId: unknown): boolean =>
  !seesOnlyOwnOrders(actor) || ownerId === actor.userId;

/** Whose orders a listing shows: a customer's own whatever was asked, otherwise the owner asked for (all when none). */
export const ownerToList = (actor: Actor, requested: string | undefined): string | undefined =>
  seesOnlyOwnOrders(actor) ? actor.userId : requested;
