import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { orderWorkflow, outcomeOf } from '../../../src/application/orderProcessing/index.js';
import type {
  OrderWorkflowInput as Input,
  OrderWorkflowOutput as Output,
  OrderWorkflowState,
} from '../../../src/application/orderProcessing/index.js';
import type { RejectionReason } from '../../../src/domain/products/index.js';
import { NotFound, fold } from '../../../src/domain/shared/index.js';
import { given as givenDecider } from '../../support/decider.js';

/** Given what the workflow has heard and asked, when it hears `input`, then it asks exactly this. */
const given = (history: readonly (Input | Output)[] = []) =>
  givenDecider<OrderWorkflowState, Input, Input | Output>(orderWorkflow, history);

/** Builders bound to one fresh order of two lines: a (2 units) then b (1 unit). */
const anOrder = () => {
  const orderId = randomUUID();
  const [a, b] = [randomUUID(), randomUUID()];
  const items = [
    { productId: a, quantity: 2, unitPrice: 100 },
    { productId: b, quantity: 1, unitPrice: 300 },
  ];
  const release = (productId: string, reason: string): Output => ({
    type: 'ReleaseStock',
    data: { productId, orderId, reason },
  });
  return {
    orderId,
    a,
    b,
    placed: (): Input => ({
      type: 'OrderPlaced',
      data: { orderId, userId: randomUUID(), items, totalAmount: 500 },
    }),
    message: (message: 'OrderPlaced' | 'OrderCancelled' = 'OrderPlaced'): Input => ({
      type: 'OrderMessageReceived',
      data: { orderId, message },
    }),
    reserve: (productId: string): Output => ({
      type: 'ReserveStock',
      data: { productId, orderId, quantity: productId === a ? 2 : 1 },
    }),
    reserved: (productId: string): Input => ({
      type: 'StockReserved',
      data: { orderId, productId },
    }),
    released: (productId: string): Input => ({
      type: 'StockReleased',
      data: { orderId, productId },
    }),
    rejected: (
      productId: string,
      productName: string,
      reason: RejectionReason = 'insufficient_stock',
    ): Input => ({
      type: 'StockReservationRejected',
      data: { orderId, productId, productName, reason },
    }),
    notFound: (productId: string): Input => ({
      type: 'ProductNotFound',
      data: { orderId, productId },
    }),
    compensate: (productId: string) => release(productId, 'compensation: order failed'),
    releaseAll: (reason: string) => [release(a, reason), release(b, reason)],
    markProcessed: (): Output => ({ type: 'MarkOrderProcessed', data: { orderId } }),
    fail: (productId: string, reason: RejectionReason, name: string): Output => ({
      type: 'FailOrder',
      data: { orderId, reason, product: { id: productId, name } },
    }),
    processed: (): Input => ({ type: 'OrderProcessed', data: { orderId } }),
    cancelled: (): Input => ({
      type: 'OrderCancelled',
      data: { orderId, reason: 'changed my mind' },
    }),
    failed: (): Input => ({
      type: 'OrderFailed',
      data: { orderId, reason: 'insufficient_stock', product: { id: b, name: 'Scarce' } },
    }),
  };
};

describe('order workflow', () => {
  describe('every line reserved', () => {
    it('reserves the lines one at a time, in order, then marks the order processed', () => {
      const o = anOrder();
      given([o.placed()])
        .when(o.message())
        .then([o.reserve(o.a)]);
      given([o.placed(), o.reserve(o.a)])
        .when(o.reserved(o.a))
        .then([o.reserve(o.b)]);
      given([o.placed(), o.reserve(o.a), o.reserved(o.a), o.reserve(o.b)])
        .when(o.reserved(o.b))
        .then([o.markProcessed()]);
      given([
        o.placed(),
        o.reserve(o.a),
        o.reserved(o.a),
        o.reserve(o.b),
        o.reserved(o.b),
        o.markProcessed(),
      ])
        .when(o.processed())
        .then([]);
    });

    it('asks nothing more while a reservation is out', () => {
      const o = anOrder();
      given([o.placed(), o.reserve(o.a)])
        .when(o.message())
        .then([]);
    });
  });

  describe('a line refused', () => {
    const upToB = (o: ReturnType<typeof anOrder>) => [
      o.placed(),
      o.reserve(o.a),
      o.reserved(o.a),
      o.reserve(o.b),
    ];

    it('given the second line short, then the first is released and the order fails naming the second product', () => {
      const o = anOrder();
      given(upToB(o))
        .when(o.rejected(o.b, 'Scarce'))
        .then([o.compensate(o.a), o.fail(o.b, 'insufficient_stock', 'Scarce')]);
    });

    it('given the compensation and the failure asked, when their answers come, then nothing more is asked', () => {
      const o = anOrder();
      const asked = [
        ...upToB(o),
        o.rejected(o.b, 'Scarce'),
        o.compensate(o.a),
        o.fail(o.b, 'insufficient_stock', 'Scarce'),
      ];
      given(asked).when(o.released(o.a)).then([]);
      given([...asked, o.released(o.a)])
        .when(o.failed())
        .then([]);
    });

    it('given a deleted product, then the order fails for it and the line after it is never asked', () => {
      const o = anOrder();
      given([o.placed(), o.reserve(o.a)])
        .when(o.rejected(o.a, 'Discontinued', 'product_deleted'))
        .then([o.fail(o.a, 'product_deleted', 'Discontinued')]);
    });

    it('given an unknown product, then what was reserved is released and the order fails naming the id', () => {
      const o = anOrder();
      given(upToB(o))
        .when(o.notFound(o.b))
        .then([
          o.compensate(o.a),
          {
            type: 'FailOrder',
            data: { orderId: o.orderId, reason: 'product_unknown', product: { id: o.b } },
          },
        ]);
    });
  });

  describe('cancellation', () => {
    const allReserved = (o: ReturnType<typeof anOrder>) => [
      o.placed(),
      o.reserve(o.a),
      o.reserved(o.a),
      o.reserve(o.b),
      o.reserved(o.b),
    ];

    it('given a cancel racing the final step, when the order is heard cancelled, then every reservation is given back', () => {
      const o = anOrder();
      given([...allReserved(o), o.markProcessed()])
        .when(o.cancelled())
        .then(o.releaseAll('order cancelled'));
    });

    it('given a cancel racing the failure, when the order is heard cancelled, then every line is released again (a no-op where nothing is held)', () => {
      const o = anOrder();
      given([
        o.placed(),
        o.reserve(o.a),
        o.rejected(o.a, 'Scarce'),
        o.fail(o.a, 'insufficient_stock', 'Scarce'),
      ])
        .when(o.cancelled())
        .then(o.releaseAll('order cancelled'));
    });

    it('given an OrderCancelled message, then every line is released, whatever the order was', () => {
      const o = anOrder();
      given([o.placed(), o.processed(), o.cancelled()])
        .when(o.message('OrderCancelled'))
        .then(o.releaseAll('order cancelled'));
      given([o.placed(), o.processed()])
        .when(o.message('OrderCancelled'))
        .then(o.releaseAll('order cancelled'));
    });

    it('given a cancelled order, when its placement message comes, then every line is released', () => {
      const o = anOrder();
      given([o.placed(), o.cancelled()]).when(o.message()).then(o.releaseAll('order cancelled'));
    });
  });

  describe('redelivery after a crash: the stream and the products answer as before, and only what remains is asked', () => {
    /**
     * Each crash point: what the runner folds again (the order's stream, then each repeated step's
     * answer, which the product remembers), the answer heard last, and what is still to be asked.
     */
    const crashes = (o: ReturnType<typeof anOrder>) => [
      {
        at: 'after the first reservation: the walk starts again at the first line',
        heard: [o.placed()],
        when: o.message(),
        then: [o.reserve(o.a)],
      },
      {
        at: 'after every reservation, before the final step: the order is marked processed',
        heard: [o.placed(), o.reserve(o.a), o.reserved(o.a), o.reserve(o.b)],
        when: o.reserved(o.b),
        then: [o.markProcessed()],
      },
      {
        at: 'after the compensation, before the failure: the released line is passed',
        heard: [o.placed(), o.reserve(o.a)],
        when: o.released(o.a),
        then: [o.reserve(o.b)],
      },
      {
        at: 'after the compensation, before the failure: the order fails for the product that refused, releasing nothing twice',
        heard: [o.placed(), o.reserve(o.a), o.released(o.a), o.reserve(o.b)],
        when: o.rejected(o.b, 'Scarce'),
        then: [o.fail(o.b, 'insufficient_stock', 'Scarce')],
      },
      {
        at: 'after the failure, before the acknowledgement: every line is released, appending nothing where nothing is held',
        heard: [o.placed(), o.failed()],
        when: o.message(),
        then: o.releaseAll('order failed'),
      },
      {
        at: 'after the order was processed: nothing is asked',
        heard: [o.placed(), o.processed()],
        when: o.message(),
        then: [],
      },
    ];
    for (const { at } of crashes(anOrder()))
      it(at, () => {
        const crash = crashes(anOrder()).find((candidate) => candidate.at === at)!;
        given(crash.heard).when(crash.when).then(crash.then);
      });
  });

  it('given an order the log does not have, when its message comes, then it is NotFound', () => {
    given([])
      .when(anOrder().message())
      .thenThrows(NotFound, /not in the log/);
  });

  describe('outcome', () => {
    const end = (history: readonly (Input | Output)[]) => fold(orderWorkflow, history);

    it('is processed or failed when this run settled the order, released when it gave stock back, skipped otherwise', () => {
      const o = anOrder();
      expect(
        outcomeOf([o.reserve(o.a), o.markProcessed()], end([o.placed(), o.processed()])),
      ).to.equal('processed');
      expect(
        outcomeOf(
          [o.compensate(o.a), o.fail(o.b, 'insufficient_stock', 'S')],
          end([o.placed(), o.failed()]),
        ),
      ).to.equal('failed');
      expect(
        outcomeOf(
          [o.markProcessed(), ...o.releaseAll('order cancelled')],
          end([o.placed(), o.cancelled()]),
        ),
      ).to.equal('released');
      expect(outcomeOf(o.releaseAll('order failed'), end([o.placed(), o.failed()]))).to.equal(
        'released',
      );
      expect(outcomeOf([], end([o.placed(), o.processed()]))).to.equal('skipped');
    });
  });
});
