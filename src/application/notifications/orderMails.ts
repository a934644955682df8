import type { Minor } from '../../domain/shared/index.js';
import { composeMail, type Block, type MailContent } from './layout.js';

/** One mail per order status change; the name is what the ledger and the logs call it. */
export const orderMailKinds = ['confirmation', 'processed', 'failed', 'cancelled'] as const;
export type OrderMailKind = (typeof orderMailKinds)[number];

export type OrderMailItem = { name: string; quantity: number; unitPrice: Minor };

export type OrderMailInput = {
  kind: OrderMailKind;
  appName: string;
  /** ISO 4217 code the amounts are shown in. */
  currency: string;
  customerName: string;
  orderId: string;
  items: readonly OrderMailItem[];
  totalAmount: Minor;
  /** Why it failed or was cancelled. */
  reason?: string | null;
};

const statusOf: Record<OrderMailKind, string> = {
  confirmation: 'Pending',
  processed: 'Processed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Short enough for a subject line, long enough to tell a customer's orders apart. */
export const shortOrderId = (orderId: string): string => orderId.slice(0, 8);

const subjectOf = (kind: OrderMailKind, orderId: string): string => {
  const id = shortOrderId(orderId);
  switch (kind) {
    case 'confirmation':
      return `We have received your order ${id}`;
    case 'processed':
      return `Your order ${id} has been processed`;
    case 'failed':
      return `Your order ${id} could not be completed`;
    case 'cancelled':
      return `Your order ${id} has been cancelled`;
    default: {
      const _exhaustive: never = kind;
      throw new TypeError(`unknown order mail ${String(_exhaustive)}`);
    }
  }
};

const leadOf = (kind: OrderMailKind): string[] => {
  switch (kind) {
    case 'confirmation':
      return ['Thank you for your order. We will email you again once it has been processed.'];
    case 'processed':
      return ['Good news: your order has been processed and the items are reserved for you.'];
    case 'failed':
      return ['We are sorry: we could not complete your order. Nothing is held for it any more.'];
    case 'cancelled':
      return ['Your order has been cancelled. Any items reserved for it have been released.'];
    default: {
      const _exhaustive: never = kind;
      throw new TypeError(`unknown order mail ${String(_exhaustive)}`);
    }
  }
};

export const formatMoney = (minor: Minor, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);

/** The four order mails: one layout, the same facts (order id, status, items, total) in each. */
export const orderMail = (input: OrderMailInput): MailContent => {
  const money = (minor: Minor) => formatMoney(minor, input.currency);
  const facts: [string, string][] = [
    ['Order', input.orderId],
    ['Status', statusOf[input.kind]],
  ];
  if ((input.kind === 'failed' || input.kind === 'cancelled') && input.reason)
    facts.push(['Reason', input.reason]);
  const blocks: Block[] = [
    { kind: 'paragraph', text: `Hello ${input.customerName},` },
    ...leadOf(input.kind).map((text): Block => ({ kind: 'paragraph', text })),
    { kind: 'facts', rows: facts },
    {
      kind: 'table',
      columns: [
        { title: 'Item' },
        { title: 'Qty', align: 'right' },
        { title: 'Unit price', align: 'right' },
        { title: 'Amount', align: 'right' },
      ],
      rows: input.items.map((item) => [
        item.name,
        String(item.quantity),
        money(item.unitPrice),
        money(item.quantity * item.unitPrice),
      ]),
      total: ['Total', money(input.totalAmount)],
    },
    { kind: 'paragraph', text: `The ${input.appName} team` },
  ];
  return composeMail({ subject: subjectOf(input.kind, input.orderId), blocks });
};
