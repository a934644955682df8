import { InvalidInput } from './errors.js';

/** Money is an integer count of minor units (cents) everywhere inside the service. */
export type Minor = number;

const DECIMAL = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/** Parses a non-negative decimal amount with at most two decimals into minor units, exactly. */
export const toMinor = (amount: number | string): Minor => {
  const text = typeof amount === 'number' ? String(amount) : amount;
  const match = DECIMAL.exec(text);
  if (!match) throw new InvalidInput(`${text} is not an amount with at most two decimals`);
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.slice(1).padEnd(2, '0') || '0');
};

/** Minor units back to the decimal number the API speaks. */
export const fromMinor = (minor: Minor): number => minor / 100;
