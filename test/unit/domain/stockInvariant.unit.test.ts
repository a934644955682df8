import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, fold } from '../../../src/domain/index.js';
import {
  availableUnits,
  productDecider,
  reservedUnits,
} from '../../../src/domain/products/index.js';
import type { Product, ProductCommand, ProductEvent } from '../../../src/domain/products/index.js';

const orderPool = ['order-a', 'order-b', 'order-c', 'order-d'] as const;

/** Commands for one product; invalid values are included on purpose, and must be refused. */
const productCommand = (productId: string): fc.Arbitrary<ProductCommand> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .integer({ min: -1, max: 12 })
        .map((stock): ProductCommand => ({ type: 'UpdateProduct', data: { productId, stock } })),
    },
    {
      weight: 14,
      arbitrary: fc
        .tuple(fc.constantFrom(...orderPool), fc.integer({ min: -1, max: 6 }))
        .map(([orderId, quantity]): ProductCommand => ({
          type: 'ReserveStock',
          data: { productId, orderId, quantity },
        })),
    },
    {
      weight: 8,
      arbitrary: fc.constantFrom(...orderPool).map((orderId): ProductCommand => ({
        type: 'ReleaseStock',
        data: { productId, orderId, reason: 'order_cancelled' },
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constant<ProductCommand>({ type: 'DeleteProduct', data: { productId } }),
    },
  );

const scenario = fc.tuple(fc.integer({ min: 0, max: 10 }), fc.uuid()).chain(([stock, productId]) =>
  fc.record({
    added: fc.constant<ProductEvent>({
      type: 'ProductAdded',
      data: { productId, name: 'Widget', price: 100, stock, addedBy: 'admin' },
    }),
    commands: fc.array(productCommand(productId), { minLength: 1, maxLength: 40, size: 'medium' }),
  }),
);

type Step = { command: ProductCommand; before: Product; events: ProductEvent[]; after: Product };

/** Runs decide → evolve for each command, skipping the ones the decider refuses. */
const run = (added: ProductEvent, commands: ProductCommand[]) => {
  let state = productDecider.evolve(productDecider.initialState(), added);
  const log: ProductEvent[] = [added];
  const steps: Step[] = [];
  for (const command of commands) {
    let events: ProductEvent[];
    try {
      events = productDecider.decide(command, state);
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    const before = state;
    for (const event of events) state = productDecider.evolve(state, event);
    log.push(...events);
    steps.push({ command, before, events, after: state });
  }
  return { state, log, steps };
};

const expectInvariants = (state: Product, log: readonly ProductEvent[]) => {
  expect(availableUnits(state)).to.be.at.least(0);
  if (state.status === 'Unknown') return;
  expect(state.stock).to.be.at.least(reservedUnits(state));
  // The running total kept beside the reservations is always their sum.
  expect(reservedUnits(state)).to.equal(
    [...state.reservations.values()].reduce((sum, quantity) => sum + quantity, 0),
  );
  for (const quantity of state.reservations.values()) expect(quantity).to.be.above(0);
  for (const orderId of state.reservations.keys())
    expect(state.settled.has(orderId)).to.equal(false);
  // Per order, the reservation history is one of: nothing, reserved, reserved then released, rejected.
  for (const orderId of orderPool) {
    const history = log
      .filter((event) => 'orderId' in event.data && event.data.orderId === orderId)
      .map((event) => event.type)
      .join(',');
    expect([
      '',
      'StockReserved',
      'StockReserved,StockReleased',
      'StockReservationRejected',
    ]).to.include(history);
  }
};

describe('stock invariants (property)', () => {
  it('given any command sequence, stock is never oversold and orders reserve at most once', () => {
    fc.assert(
      fc.property(scenario, ({ added, commands }) => {
        const { steps } = run(added, commands);
        const log: ProductEvent[] = [added];
        for (const step of steps) {
          log.push(...step.events);
          expectInvariants(step.after, log);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('given an order settled (released or rejected), it is never reserved again', () => {
    fc.assert(
      fc.property(scenario, ({ added, commands }) => {
        const settled = new Set<string>();
        for (const { events } of run(added, commands).steps) {
          for (const event of events) {
            if (event.type === 'StockReserved')
              expect(settled.has(event.data.orderId)).to.equal(false);
            if (event.type === 'StockReleased' || event.type === 'StockReservationRejected') {
              settled.add(event.data.orderId);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when a reserve or release is redelivered, it produces no events', () => {
    fc.assert(
      fc.property(scenario, ({ added, commands }) => {
        for (const { command, after } of run(added, commands).steps) {
          if (command.type !== 'ReserveStock' && command.type !== 'ReleaseStock') continue;
          expect(productDecider.decide(command, after)).to.deep.equal([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('replaying the event log from initialState gives the same state', () => {
    fc.assert(
      fc.property(scenario, ({ added, commands }) => {
        const { state, log } = run(added, commands);
        expect(fold(productDecider, log)).to.deep.equal(state);
      }),
      { numRuns: 300 },
    );
  });
});
