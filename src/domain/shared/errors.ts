/**
 * Typed errors with their meaning. One middleware maps them to problem+json; nothing else does.
 * `code` is stable and machine-readable; `message` is for people and never carries internals.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The thing does not exist, or the caller may not know that it does. */
export class NotFound extends DomainError {
  readonly code = 'not_found';
}

/** The command does not fit the current state (e.g. cancelling a Failed order). */
export class Conflict extends DomainError {
  readonly code = 'conflict';
}

/** A business rule refuses the command (unknown or deleted product, not enough stock). */
export class BusinessRuleViolated extends DomainError {
  readonly code = 'business_rule_violated';
}

/** Input that is well-formed JSON but not a valid value (e.g. a price with three decimals). */
export class InvalidInput extends DomainError {
  readonly code = 'invalid_input';
}

/** The stream moved on since it was read: optimistic concurrency lost the race. */
export class ConcurrencyError extends DomainError {
  readonly code = 'concurrency';
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Stream ${streamId} is at revision ${actual}, expected ${expected}`);
  }
}

/** A precondition sent by the client (If-Match) does not hold. */
export class PreconditionFailed extends DomainError {
  readonly code = 'precondition_failed';
}

export class Unauthorized extends DomainError {
  readonly code = 'unauthorized';
}

export class Forbidden extends DomainError {
  readonly code = 'forbidden';
}

export class TooManyRequests extends DomainError {
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A required dependency is down; the caller may retry later. */
export class Unavailable extends DomainError {
  readonly code = 'unavailable';
}
