import { expect } from 'chai';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createMailboxMailer } from '../../../src/infrastructure/mail/index.js';
import { fixedClock, memoryLogger, readMailbox, tempDir } from './fixtures.js';

describe('mailbox mailer', () => {
  let root: string;
  beforeEach(async () => (root = await tempDir()));
  afterEach(() => rm(root, { recursive: true, force: true }));

  const mailerIn = (dir: string) => {
    const { logger, lines } = memoryLogger();
    const clock = fixedClock(new Date('2030-05-06T07:08:09.010Z'));
    return {
      mailer: createMailboxMailer({
        dir,
        from: 'Order Ledger <no-reply@example.test>',
        logger,
        clock,
      }),
      lines,
      clock,
    };
  };

  it('creates the folder and writes an RFC 5322 message with the headers a client needs', async () => {
    const dir = join(root, 'nested', 'mailbox');
    const { mailer } = mailerIn(dir);
    const { messageId } = await mailer.send({
      to: 'ada@example.test',
      subject: 'Hello',
      text: 'Plain body',
    });
    const [mail] = await readMailbox(dir);
    expect(mail?.raw).to.match(/^From: Order Ledger <no-reply@example\.test>\r\n/);
    expect(mail?.raw).to.include('To: ada@example.test\r\n');
    expect(mail?.raw).to.include('Subject: Hello\r\n');
    expect(mail?.raw).to.include('Date: Mon, 06 May 2030 07:08:09 +0000\r\n');
    expect(mail?.raw).to.include(`Message-ID: <${messageId}>\r\n`);
    expect(mail?.raw).to.include('Content-Type: text/plain; charset=utf-8\r\n');
    expect(mail?.raw).to.not.include('multipart');
    expect(mail?.text).to.equal('Plain body');
    expect(messageId).to.match(/^[0-9a-f-]{36}@example\.test$/);
    expect(mail?.file).to.include(messageId.split('@')[0]);
  });

  it('sends text and html as multipart/alternative', async () => {
    const { mailer } = mailerIn(root);
    await mailer.send({
      to: 'ada@example.test',
      subject: 'Both',
      text: 'the text',
      html: '<p>the html</p>',
    });
    const [mail] = await readMailbox(root);
    expect(mail?.raw).to.match(/Content-Type: multipart\/alternative; boundary="[^"]+"/);
    expect(mail?.text).to.equal('the text');
    expect(mail?.html).to.equal('<p>the html</p>');
  });

  it('keeps non-ASCII text and long lines intact, with no line over 78 characters', async () => {
    const { mailer } = mailerIn(root);
    const text = `Grüße, Zoë — ${'long line '.repeat(30)}\nsecond = line  \n`;
    await mailer.send({ to: 'zoe@example.test', subject: 'Grüße from the café', text });
    const [mail] = await readMailbox(root);
    expect(mail?.text).to.equal(text.replace(/\n/g, '\r\n'));
    expect(mail?.subject).to.match(/^=\?UTF-8\?B\?/);
    for (const line of mail?.raw.split('\r\n') ?? []) expect(line.length).to.be.at.most(78);
  });

  it('names files so that listing sorts by time of sending', async () => {
    const { mailer, clock } = mailerIn(root);
    for (const subject of ['first', 'second', 'third']) {
      await mailer.send({ to: 'ada@example.test', subject, text: subject });
      if (subject === 'second') clock.advance(1);
    }
    const mails = await readMailbox(root);
    expect(mails.map((mail) => mail.subject)).to.deep.equal(['first', 'second', 'third']);
    expect((await readdir(root)).filter((name) => !name.endsWith('.eml'))).to.deep.equal([]);
  });

  it('logs one line with recipient, subject and file, never the body', async () => {
    const { mailer, lines } = mailerIn(root);
    await mailer.send({
      to: 'ada@example.test',
      subject: 'Code',
      text: 'secret 123456',
      html: '<b>123456</b>',
    });
    expect(lines).to.have.length(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).to.include({ to: 'ada@example.test', subject: 'Code' });
    expect(line.file).to.match(/\.eml$/);
    expect(lines[0]).to.not.include('123456');
  });

  it('refuses header injection through the recipient or subject', async () => {
    const { mailer } = mailerIn(root);
    const attempts = [
      { to: 'ada@example.test\r\nBcc: eve@example.test', subject: 'x', text: 'x' },
      { to: 'ada@example.test', subject: 'x\nBcc: eve@example.test', text: 'x' },
    ];
    for (const message of attempts) {
      let error: unknown;
      await mailer.send(message).catch((thrown: unknown) => (error = thrown));
      expect(error).to.be.instanceOf(TypeError);
    }
    expect(await readMailbox(root)).to.deep.equal([]);
  });

  it('passes tags on as headers', async () => {
    const { mailer } = mailerIn(root);
    await mailer.send({
      to: 'ada@example.test',
      subject: 's',
      text: 't',
      tags: { correlationId: 'abc-123' },
    });
    const [mail] = await readMailbox(root);
    expect(mail?.raw).to.include('X-Tag-correlationId: abc-123\r\n');
  });
});
