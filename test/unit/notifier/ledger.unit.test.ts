import { expect } from 'chai';
import type { RecordedEvent } from '../../../src/application/ports/index.js';
import type { OrderEvent } from '../../../src/domain/orders/index.js';
import {
  afterFailure,
  backoffMs,
  claimed,
  redact,
  sent,
  type EmailEntry,
} from '../../../src/consumers/notifier/ledger.js';
import { toEntry } from '../../../src/consumers/notifier/recorder.js';
import { resolveNotifierSettings } from '../../../src/consumers/notifier/index.js';
import { notifierSettings } from '../../support/settings.js';

const now = new Date('2030-01-01T12:00:00.000Z');
const settings = { backoffBaseMs: 1_000, backoffMaxMs: 60_000, maxAttempts: 4 };
const placed = {
  orderId: 'o-1',
  userId: 'u-1',
  items: [{ productId: 'p-1', quantity: 2, unitPrice: 450 }],
  totalAmount: 900,
};

const recorded = (event: OrderEvent, recordedAt = now): RecordedEvent & OrderEvent =>
  ({
    ...event,
    id: 'e-1',
    streamId: 'order-o-1',
    revision: 1,
    position: 42,
    recordedAt,
    metadata: { correlationId: 'c-1' },
  }) as RecordedEvent & OrderEvent;

const pending = (): EmailEntry =>
  toEntry(recorded({ type: 'OrderProcessed', data: { orderId: 'o-1' } }), placed, now, 0);

describe('notifier: ledger entries', () => {
  it('given an order event, when recorded, then the entry is keyed by the event id and holds ids and order facts, no personal data', () => {
    const entry = toEntry(
      recorded({
        type: 'OrderFailed',
        data: {
          orderId: 'o-1',
          reason: 'insufficient_stock',
          product: { id: 'p-1', name: 'Teapot' },
        },
      }),
      placed,
      now,
      0,
    );
    expect(entry).to.include({
      _id: 'e-1',
      kind: 'failed',
      orderId: 'o-1',
      userId: 'u-1',
      correlationId: 'c-1',
      reason: 'insufficient stock for Teapot',
    });
    expect(entry).to.include({
      status: 'pending',
      attempts: 0,
      position: 42,
      version: 0,
      totalAmount: 900,
    });
    expect(JSON.stringify(entry)).not.to.match(/@/);
  });

  it('given an event older than the stale limit, when recorded, then it is skipped rather than sent', () => {
    const old = recorded(
      { type: 'OrderProcessed', data: { orderId: 'o-1' } },
      new Date(now.getTime() - 3_600_001),
    );
    expect(toEntry(old, placed, now, 3_600_000)).to.include({
      status: 'skipped',
      lastError: 'event too old to notify about',
    });
    expect(toEntry(old, placed, now, 0).status).to.equal('pending');
  });

  it('given an order stream without OrderPlaced, when recorded, then the entry is failed with that reason', () => {
    const entry = toEntry(
      recorded({ type: 'OrderProcessed', data: { orderId: 'o-1' } }),
      null,
      now,
      0,
    );
    expect(entry).to.include({ status: 'failed', lastError: 'order o-1 has no OrderPlaced event' });
  });

  it('given a pending entry, when claimed, then it counts an attempt and holds a lease; reclaiming an abandoned claim counts it in doubt', () => {
    const claim = claimed(pending(), now, 5_000);
    expect(claim).to.include({
      status: 'sending',
      attempts: 1,
      version: 1,
      inDoubt: 0,
      leaseUntil: '2030-01-01T12:00:05.000Z',
    });
    expect(claimed(claim, now, 5_000)).to.include({ attempts: 2, inDoubt: 1, version: 2 });
    expect(sent(claim, now, 'm-1')).to.include({
      status: 'sent',
      messageId: 'm-1',
      leaseUntil: null,
      version: 2,
    });
  });

  it('given a transient failure, when handled, then it is retried later, after a delay that doubles and stays capped', () => {
    const claim = claimed(pending(), now, 5_000);
    const next = afterFailure(
      claim,
      now,
      { permanent: false, message: 'throttled' },
      settings,
      () => 1,
    );
    expect(next).to.include({
      status: 'pending',
      lastError: 'throttled',
      nextAttemptAt: '2030-01-01T12:00:01.000Z',
    });
    expect(
      [1, 2, 3, 7, 20].map((attempts) => backoffMs(attempts, settings, () => 1)),
    ).to.deep.equal([1_000, 2_000, 4_000, 60_000, 60_000]);
    expect(backoffMs(3, settings, () => 0)).to.equal(2_000);
  });

  it('given a permanent failure or the last attempt, when handled, then the entry is failed with the reason', () => {
    const claim = claimed(pending(), now, 5_000);
    expect(
      afterFailure(
        claim,
        now,
        { permanent: true, message: 'SES MessageRejected: rejected' },
        settings,
      ),
    ).to.include({
      status: 'failed',
      lastError: 'SES MessageRejected: rejected',
      failedAt: now.toISOString(),
    });
    const last = { ...claim, attempts: 4 };
    expect(afterFailure(last, now, { permanent: false, message: 'down' }, settings)).to.include({
      status: 'failed',
      lastError: 'gave up after 4 attempts: down',
    });
  });

  it('given an error naming an address, when stored, then the address is redacted', () => {
    expect(redact('Email address is not verified: ada@example.test, <bob@example.test>')).to.equal(
      'Email address is not verified: <address>, <<address>>',
    );
  });

  it('given settings that would break the lease or backoff, when resolved, then they are refused', () => {
    expect(() =>
      resolveNotifierSettings(notifierSettings({ leaseMs: 1_000, sendTimeoutMs: 1_000 })),
    ).to.throw(RangeError, /leaseMs/);
    expect(() => resolveNotifierSettings(notifierSettings({ concurrency: 0 }))).to.throw(
      RangeError,
      /concurrency/,
    );
    expect(() =>
      resolveNotifierSettings(notifierSettings({ backoffBaseMs: 10, backoffMaxMs: 5 })),
    ).to.throw(RangeError, /backoffMaxMs/);
    expect(() => resolveNotifierSettings(notifierSettings({ currency: 'nope' }))).to.throw(
      RangeError,
    );
    expect(resolveNotifierSettings(notifierSettings()).concurrency).to.equal(4);
  });
});
