import { ConcurrencyError } from '../../domain/shared/errors.js';

/** An error as it crosses threads: structured cloning keeps neither classes nor their fields. */
export type WireError =
  | { kind: 'concurrency'; streamId: string; expected: string; actual: string }
  | { kind: 'range'; message: string }
  | { kind: 'error'; name: string; message: string; code?: string };

export const toWire = (error: unknown): WireError => {
  if (error instanceof ConcurrencyError) {
    const { streamId, expected, actual } = error;
    return { kind: 'concurrency', streamId, expected, actual };
  }
  if (error instanceof RangeError) return { kind: 'range', message: error.message };
  const {
    name = 'Error',
    message = String(error),
    code,
  } = error as { name?: string; message?: string; code?: unknown };
  return { kind: 'error', name, message, ...(typeof code === 'string' ? { code } : {}) };
};

export const fromWire = (wire: WireError): Error => {
  if (wire.kind === 'concurrency')
    return new ConcurrencyError(wire.streamId, wire.expected, wire.actual);
  if (wire.kind === 'range') return new RangeError(wire.message);
  return Object.assign(new Error(wire.message), {
    name: wire.name,
    ...(wire.code ? { code: wire.code } : {}),
  });
};

/** What each request of a group came to: its outcome, or why it was refused. */
export type Outcome<T> = { outcome: T } | { error: unknown };
export type WireOutcome<T> = { outcome: T } | { error: WireError };

export const outcomesToWire = <T>(outcomes: readonly Outcome<T>[]): WireOutcome<T>[] =>
  outcomes.map((result) => ('error' in result ? { error: toWire(result.error) } : result));

export const outcomesFromWire = <T>(outcomes: readonly WireOutcome<T>[]): Outcome<T>[] =>
  outcomes.map((result) => ('error' in result ? { error: fromWire(result.error) } : result));
