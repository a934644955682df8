import { expect } from 'chai';
import { TOKENS } from '../../../src/container.js';
import { runOrderWorkflow } from '../../../src/application/orderProcessing/index.js';
import type { OrderProcessingDeps } from '../../../src/application/orderProcessing/index.js';
import type { IntegrationMessage } from '../../../src/consumers/integrationMessages.js';
import { describeFailure, toOrderStreamId } from '../../../src/domain/orders/index.js';
import type { OrderFailed } from '../../../src/domain/orders/index.js';
import { availableUnits, toProductStreamId } from '../../../src/domain/products/index.js';
import { startTestSystem } from '../../support/testSystem.js';
import type { TestSystem } from '../../support/testSystem.js';
import { addProduct, place } from './support.js';

class Killed extends Error {}

const context = { userId: 'processor', role: 'system', correlationId: 'saga-crash' };

/**
 * The saga cut off at one step, as a SIGKILL would, then run again on the same message, as the
 * redelivery would. The crash e2e tests hit these windows only by chance; here each is certain.
 */
describe('order saga: redelivered after a crash at each step of a failing order', function () {
  let system: TestSystem;
  let deps: OrderProcessingDeps;

  before(async () => {
    system = await startTestSystem({}, []);
    deps = {
      orders: await system.container.get(TOKENS.orders),
      products: await system.container.get(TOKENS.products),
    };
  });
  after(() => system?.stop());

  const messageFor = async (orderId: string): Promise<IntegrationMessage> => {
    const eventStore = await system.container.get(TOKENS.eventStore);
    const [placed] = await eventStore.readStream(toOrderStreamId(orderId));
    return {
      type: 'OrderPlaced',
      version: 1,
      orderId,
      eventId: placed!.id,
      position: placed!.position,
      correlationId: orderId,
      occurredAt: placed!.recordedAt.toISOString(),
    };
  };
  /** Dies at the first command of `type`, before it is appended. */
  const dyingAt = (type: string): OrderProcessingDeps => ({
    orders: {
      ...deps.orders,
      handle: (streamId, command, ...rest) =>
        command.type === type
          ? Promise.reject(new Killed(type))
          : deps.orders.handle(streamId, command, ...rest),
    },
    products: {
      ...deps.products,
      handle: (streamId, command, ...rest) =>
        command.type === type
          ? Promise.reject(new Killed(type))
          : deps.products.handle(streamId, command, ...rest),
    },
  });
  const streamTypes = async (streamId: string) =>
    (await (await system.container.get(TOKENS.eventStore)).readStream(streamId)).map(
      (event) => event.type,
    );
  const available = async (productId: string) =>
    availableUnits((await deps.products.load(toProductStreamId(productId))).state);

  /** Plenty, then Scarce (taken by a rival first), then Spare: the order fails at its second line. */
  const failingOrder = async () => {
    const plenty = await addProduct(system, 'Plenty', 10);
    const scarce = await addProduct(system, 'Scarce', 1);
    const spare = await addProduct(system, 'Spare', 10);
    const rival = await place(system, [{ productId: scarce, quantity: 1 }]);
    const orderId = await place(system, [
      { productId: plenty, quantity: 2 },
      { productId: scarce, quantity: 1 },
      { productId: spare, quantity: 1 },
    ]);
    expect(await runOrderWorkflow(deps, await messageFor(rival), context)).to.equal('processed');
    return { plenty, scarce, spare, orderId, message: await messageFor(orderId) };
  };

  const expectFailedForScarce = async ({
    plenty,
    spare,
    orderId,
  }: {
    plenty: string;
    spare: string;
    orderId: string;
  }) => {
    const events = await (
      await system.container.get(TOKENS.eventStore)
    ).readStream(toOrderStreamId(orderId));
    expect(events.map((event) => event.type)).to.deep.equal(['OrderPlaced', 'OrderFailed']);
    expect(describeFailure(events[1]!.data as OrderFailed['data'])).to.equal(
      'insufficient stock for Scarce',
    );
    expect(await streamTypes(toProductStreamId(plenty))).to.deep.equal([
      'ProductAdded',
      'StockReserved',
      'StockReleased',
    ]);
    expect(
      await streamTypes(toProductStreamId(spare)),
      'the line after the rejection is never touched',
    ).to.deep.equal(['ProductAdded']);
    expect(await available(plenty)).to.equal(10);
  };

  it('given a crash after the compensation and before the failure, when the message comes again, then the order fails for the product that rejected it, not for the one released', async () => {
    const order = await failingOrder();
    await runOrderWorkflow(dyingAt('FailOrder'), order.message, context).then(
      () => expect.fail('the first attempt should have died'),
      (error: unknown) => expect(error).to.be.instanceOf(Killed),
    );
    expect(await streamTypes(toOrderStreamId(order.orderId))).to.deep.equal(['OrderPlaced']);

    expect(await runOrderWorkflow(deps, order.message, context)).to.equal('failed');
    await expectFailedForScarce(order);
  });

  it('given a crash after the rejection and before the compensation, when the message comes again, then the reservation is released and the order fails for the rejecting product', async () => {
    const order = await failingOrder();
    await runOrderWorkflow(dyingAt('ReleaseStock'), order.message, context).catch(
      (error: unknown) => expect(error).to.be.instanceOf(Killed),
    );
    expect(await available(order.plenty), 'still held by the dead attempt').to.equal(8);

    expect(await runOrderWorkflow(deps, order.message, context)).to.equal('failed');
    await expectFailedForScarce(order);
  });

  it('given a crash after the failure and before the acknowledgement, when the message comes again, then nothing more is appended', async () => {
    const order = await failingOrder();
    expect(await runOrderWorkflow(deps, order.message, context)).to.equal('failed');

    expect(await runOrderWorkflow(deps, order.message, context)).to.equal('released');
    await expectFailedForScarce(order);
  });
});
