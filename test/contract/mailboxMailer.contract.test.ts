import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailboxMailer } from '../../src/infrastructure/mail/index.js';
import { readMailbox } from '../unit/accounts/mailbox.js';
import { mailerContract, type DeliveredMail } from './mailer.contract.js';

/** RFC 2047 encoded words back to text; adjacent words join without the folding space. */
const decodeWords = (header: string) =>
  header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_match, base64: string) =>
      Buffer.from(base64, 'base64').toString('utf8'),
    );

const messageIdOf = (raw: string) => /^Message-ID: <([^>]+)>/im.exec(raw)?.[1] ?? '';
const fromOf = (raw: string) => /^From: (.*)$/im.exec(raw)?.[1]?.trim() ?? '';
const lf = (text: string) => text.replace(/\r\n/g, '\n');

describe('mailbox mailer', () => {
  const from = 'Order Ledger <orders@example.test>';

  mailerContract('mailbox', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailbox-contract-'));
    return {
      mailer: createMailboxMailer({ dir, from, logger: { info: () => {} } }),
      from,
      deliveredTo: async (to) =>
        (await readMailbox(dir))
          .filter((mail) => mail.to === to)
          .map((mail): DeliveredMail => ({
            messageId: messageIdOf(mail.raw),
            from: fromOf(mail.raw),
            to: mail.to,
            subject: decodeWords(mail.subject),
            text: lf(mail.text),
            ...(mail.html === undefined ? {} : { html: lf(mail.html) }),
          })),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  });
});
