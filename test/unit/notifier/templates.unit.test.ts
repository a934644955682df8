import { expect } from 'chai';
import {
  orderMail,
  orderMailKinds,
  type OrderMailInput,
} from '../../../src/application/notifications/index.js';
import { existingAccountMail, otpMail } from '../../../src/application/accounts/index.js';

const orderId = '6f1c3f0e-8f5b-4d8e-9a53-2f0c6b7d9e41';
const input = (overrides: Partial<OrderMailInput> = {}): OrderMailInput => ({
  kind: 'confirmation',
  appName: 'Order Ledger',
  currency: 'USD',
  customerName: 'Ada Lovelace',
  orderId,
  items: [
    { name: 'Blue widget', quantity: 2, unitPrice: 450 },
    { name: 'Gadget Pro', quantity: 1, unitPrice: 1200 },
  ],
  totalAmount: 2100,
  ...overrides,
});

describe('notifier: mail templates', () => {
  it('given an order, when any status mail is rendered, then text and HTML both carry order id, status, items, prices and total', () => {
    for (const kind of orderMailKinds) {
      const mail = orderMail(input({ kind, reason: 'a reason' }));
      for (const part of [mail.text, mail.html]) {
        expect(part, kind).to.include(orderId);
        expect(part, kind).to.include('Blue widget');
        expect(part, kind).to.include('Gadget Pro');
        expect(part, kind).to.include('$4.50');
        expect(part, kind).to.include('$9.00');
        expect(part, kind).to.include('$12.00');
        expect(part, kind).to.include('$21.00');
        expect(part, kind).to.include('Ada Lovelace');
      }
    }
  });

  it('given each kind, when rendered, then the subject and status say which change it was', () => {
    const expected = {
      confirmation: ['We have received your order 6f1c3f0e', 'Status: Pending'],
      processed: ['Your order 6f1c3f0e has been processed', 'Status: Processed'],
      failed: ['Your order 6f1c3f0e could not be completed', 'Status: Failed'],
      cancelled: ['Your order 6f1c3f0e has been cancelled', 'Status: Cancelled'],
    } as const;
    for (const kind of orderMailKinds) {
      const mail = orderMail(input({ kind }));
      expect(mail.subject).to.equal(expected[kind][0]);
      expect(mail.text).to.match(new RegExp(`^${expected[kind][1]}$`, 'm'));
    }
  });

  it('given a failed order, when rendered, then the reason is shown; a processed mail shows none', () => {
    const failed = orderMail(input({ kind: 'failed', reason: 'only 1 of Blue widget available' }));
    expect(failed.text).to.match(/^Reason: only 1 of Blue widget available$/m);
    expect(failed.html).to.include('only 1 of Blue widget available');
    expect(orderMail(input({ kind: 'processed', reason: 'ignored' })).text).not.to.include(
      'Reason',
    );
  });

  it('given a line a column wide, when rendered as text, then quantities and amounts line up on the right', () => {
    const lines = orderMail(input()).text.split('\n');
    const header = lines.find((line) => line.startsWith('Item'))!;
    const rows = lines.filter((line) => /^(Blue widget|Gadget Pro)/.test(line));
    expect(rows).to.have.length(2);
    for (const row of rows) expect(row.length).to.equal(header.length);
    expect(lines.find((line) => line.trim().startsWith('Total'))?.length).to.equal(header.length);
  });

  it('given names with markup and line breaks, when rendered, then HTML escapes them and text keeps one line each', () => {
    const mail = orderMail(
      input({
        customerName: '<script>x</script>',
        items: [{ name: 'Bolt & "nut"\nset', quantity: 1, unitPrice: 100 }],
        totalAmount: 100,
      }),
    );
    expect(mail.html).not.to.include('<script>');
    expect(mail.html).to.include('&#60;script&#62;');
    expect(mail.html).to.include('Bolt &#38; &#34;nut&#34; set');
    expect(mail.text).to.match(/^Bolt & "nut" set +1 +\$1\.00 +\$1\.00$/m);
  });

  it('given the OTP templates, when rendered with the shared layout, then their wording and code format are kept', () => {
    const otp = otpMail({ code: '042137', ttlMinutes: 10, appName: 'Order Ledger' });
    expect(otp.subject).to.equal('Your Order Ledger verification code');
    expect(otp.text).to.match(/^Your Order Ledger verification code is: 042137$/m);
    expect(otp.text).to.include('It expires in 10 minutes and works once.');
    expect(otp.html).to.include('<strong>042137</strong>');
    const existing = existingAccountMail({ appName: 'Order Ledger' });
    expect(existing.text).to.include('already has an account');
    expect(existing.html).to.match(/^<!doctype html>/);
  });
});
