import { randomUUID } from 'node:crypto';
import type {
  DocumentStore,
  EventStore,
  MailMessage,
  Mailer,
  NewEvent,
} from '../../../src/application/ports/index.js';
import { usersCollection, type UserDoc } from '../../../src/application/accounts/index.js';
import { toOrderStreamId, type OrderLine } from '../../../src/domain/orders/index.js';
import { toProductStreamId } from '../../../src/domain/products/index.js';
import type { NotifierSettings } from '../../../src/consumers/notifier/index.js';

/** Fast timings so retries and leases play out within a test; the guarantees do not depend on them. */
export const fastSettings: Partial<NotifierSettings> = {
  pollIntervalMs: 10,
  backoffBaseMs: 10,
  backoffMaxMs: 40,
  sendTimeoutMs: 1_000,
  leaseMs: 1_500,
  maxAttempts: 5,
};

const event = (type: string, data: unknown, correlationId: string): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { userId: 'test', correlationId, schemaVersion: 1 },
});

export const addUser = async (
  documents: DocumentStore,
  overrides: Partial<UserDoc> = {},
): Promise<UserDoc> => {
  const id = randomUUID();
  const user: UserDoc = {
    _id: id,
    name: 'Ada Lovelace',
    email: `ada-${id}@example.test`,
    phone: null,
    role: 'customer',
    passwordHash: 'not-a-hash',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
  await documents.collection<UserDoc>(usersCollection).put(user);
  return user;
};

export const addProduct = async (
  eventStore: EventStore,
  name: string,
  price: number,
): Promise<string> => {
  const productId = randomUUID();
  await eventStore.append(
    toProductStreamId(productId),
    [event('ProductAdded', { productId, name, price, stock: 100, addedBy: 'admin' }, randomUUID())],
    'no_stream',
  );
  return productId;
};

export type PlacedOrder = {
  orderId: string;
  userId: string;
  correlationId: string;
  eventIds: string[];
};

/** Appends events straight to the log, as the api and the processor would. */
export const orders = (eventStore: EventStore) => {
  const append = async (order: PlacedOrder, type: string, data: Record<string, unknown>) => {
    const appended = event(type, { orderId: order.orderId, ...data }, order.correlationId);
    await eventStore.append(toOrderStreamId(order.orderId), [appended], 'stream_exists');
    order.eventIds.push(appended.id);
    return appended.id;
  };
  return {
    place: async (userId: string, items: OrderLine[]): Promise<PlacedOrder> => {
      const order: PlacedOrder = {
        orderId: randomUUID(),
        userId,
        correlationId: randomUUID(),
        eventIds: [],
      };
      const totalAmount = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
      const placed = event(
        'OrderPlaced',
        { orderId: order.orderId, userId, items, totalAmount },
        order.correlationId,
      );
      await eventStore.append(toOrderStreamId(order.orderId), [placed], 'no_stream');
      order.eventIds.push(placed.id);
      return order;
    },
    processed: (order: PlacedOrder) => append(order, 'OrderProcessed', {}),
    failed: (order: PlacedOrder, reason: string) => append(order, 'OrderFailed', { reason }),
    cancelled: (order: PlacedOrder, reason: string) => append(order, 'OrderCancelled', { reason }),
  };
};

export type SentMessage = MailMessage & { messageId: string };

/** A Mailer that keeps what it was given; `failNext` scripts failures per recipient. */
export const recordingMailer = () => {
  const sent: SentMessage[] = [];
  const failures = new Map<string, Error[]>();
  const mailer: Mailer = {
    async send(message) {
      const planned = failures.get(message.to)?.shift();
      if (planned) throw planned;
      const messageId = `${randomUUID()}@test`;
      sent.push({ ...message, messageId });
      return { messageId };
    },
    async close() {},
  };
  return {
    mailer,
    sent,
    to: (email: string) => sent.filter((message) => message.to === email),
    failNext: (email: string, ...errors: Error[]) =>
      failures.set(email, [...(failures.get(email) ?? []), ...errors]),
  };
};

export const transientError = (message = 'SES Throttling: Maximum sending rate exceeded.') =>
  Object.assign(new Error(message), { permanent: false, throttled: true });
export const permanentError = (message: string) =>
  Object.assign(new Error(message), { permanent: true });

/** Polls until `condition` holds; bounded, so a broken notifier fails the test instead of hanging it. */
export const waitFor = async (
  what: string,
  condition: () => Promise<boolean> | boolean,
  { timeoutMs = 10_000, intervalMs = 10 } = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};
