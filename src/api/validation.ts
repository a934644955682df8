import type { z } from 'zod';
import { DomainError } from '../domain/shared/index.js';

export type FieldIssue = { path: string; message: string };

/** The request does not match its schema (unknown fields included): 400. */
export class ValidationFailed extends DomainError {
  readonly code = 'validation';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(
      issues
        .map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message))
        .join('; '),
    );
  }
}

const pathOf = (path: readonly PropertyKey[]) =>
  path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  );

/** Parses untrusted input with a strict zod schema, or throws ValidationFailed with every issue. */
export const parse = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationFailed(
    result.error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message })),
  );
};
