import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { MailMessage, Mailer } from '../../src/application/ports/index.js';
import { otpMail } from '../../src/application/accounts/index.js';
import { orderMail } from '../../src/application/notifications/index.js';

/** A mail as the receiving side sees it; line breaks as `\n`. */
export type DeliveredMail = {
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
};

export type OpenMailer = () => Promise<{
  mailer: Mailer;
  from: string;
  /** Everything delivered to `to` so far, oldest first. */
  deliveredTo(to: string): Promise<DeliveredMail[]>;
  cleanup(): Promise<void>;
}>;

const address = () => `contract-${randomUUID()}@example.test`;

const rejects = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected the send to be refused');
};

/** One suite for every Mail adapter: what was sent is what arrives, and unsafe input is refused. */
export const mailerContract = (adapterName: string, open: OpenMailer) => {
  describe(`Mailer contract: ${adapterName}`, () => {
    let handle: Awaited<ReturnType<OpenMailer>>;
    beforeEach(async () => (handle = await open()));
    afterEach(() => handle.cleanup());

    const sendAndRead = async (message: MailMessage) => {
      const { messageId } = await handle.mailer.send(message);
      const delivered = await handle.deliveredTo(message.to);
      return { messageId, delivered };
    };

    it('given a text-only mail, when sent, then it arrives from the sender with its subject and text and no HTML part', async () => {
      const to = address();
      const { messageId, delivered } = await sendAndRead({
        to,
        subject: 'Plain',
        text: 'Line one\nLine two',
      });
      expect(messageId).to.be.a('string').and.not.equal('');
      expect(delivered).to.have.length(1);
      expect(delivered[0]).to.deep.include({
        messageId,
        from: handle.from,
        to,
        subject: 'Plain',
        text: 'Line one\nLine two',
      });
      expect(delivered[0]?.html).to.equal(undefined);
    });

    it('given text and HTML, when sent, then both alternatives arrive as given', async () => {
      const to = address();
      const html = '<!doctype html><html><body><p>Hello <strong>there</strong></p></body></html>';
      const { delivered } = await sendAndRead({ to, subject: 'Both', text: 'Hello there', html });
      expect(delivered[0]).to.deep.include({ text: 'Hello there', html });
    });

    it('given two mails, when sent, then each has its own message id', async () => {
      const to = address();
      const first = await handle.mailer.send({ to, subject: 'One', text: '1' });
      const second = await handle.mailer.send({ to, subject: 'Two', text: '2' });
      expect(first.messageId).not.to.equal(second.messageId);
      expect(
        (await handle.deliveredTo(to)).map((mail) => [mail.messageId, mail.subject]),
      ).to.deep.equal([
        [first.messageId, 'One'],
        [second.messageId, 'Two'],
      ]);
    });

    it('given non-ASCII text in the subject and body, when sent, then it arrives unchanged', async () => {
      const to = address();
      const subject = 'Grüße from the café — 注文 №7';
      const { delivered } = await sendAndRead({
        to,
        subject,
        text: 'Crème brûlée × 2 = €9.00',
        html: '<p>Crème brûlée</p>',
      });
      expect(delivered[0]).to.deep.include({
        subject,
        text: 'Crème brûlée × 2 = €9.00',
        html: '<p>Crème brûlée</p>',
      });
    });

    it('given tags for tracing, when sent, then the mail is accepted and delivered', async () => {
      const to = address();
      const tags = { correlationId: randomUUID(), eventId: randomUUID(), kind: 'confirmation' };
      const { delivered } = await sendAndRead({ to, subject: 'Tagged', text: 'x', tags });
      expect(delivered).to.have.length(1);
    });

    it('given the shared templates (an OTP and an order mail), when sent, then they arrive exactly as rendered', async () => {
      const to = address();
      const otp = otpMail({ code: '042137', ttlMinutes: 10, appName: 'Order Ledger' });
      const order = orderMail({
        kind: 'failed',
        appName: 'Order Ledger',
        currency: 'USD',
        customerName: 'Ada',
        orderId: randomUUID(),
        reason: 'only 1 of Blue widget available',
        items: [{ name: 'Blue widget', quantity: 2, unitPrice: 450 }],
        totalAmount: 900,
      });
      await handle.mailer.send({ to, ...otp });
      await handle.mailer.send({ to, ...order });
      const delivered = await handle.deliveredTo(to);
      expect(delivered.map(({ subject, text, html }) => ({ subject, text, html }))).to.deep.equal([
        otp,
        order,
      ]);
    });

    it('given a line break in the recipient or subject, when sent, then it is refused and nothing is delivered', async () => {
      const to = address();
      for (const message of [
        { to: `${to}\r\nBcc: eve@example.test`, subject: 'x', text: 'x' },
        { to, subject: 'x\nBcc: eve@example.test', text: 'x' },
      ]) {
        expect(await rejects(handle.mailer.send(message))).to.be.instanceOf(TypeError);
      }
      expect(await handle.deliveredTo(to)).to.deep.equal([]);
    });

    it('given a recipient that is not an email address, when sent, then it is refused', async () => {
      expect(
        await rejects(handle.mailer.send({ to: 'nobody', subject: 'x', text: 'x' })),
      ).to.be.instanceOf(TypeError);
    });
  });
};
