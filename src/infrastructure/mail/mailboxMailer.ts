import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  systemClock,
  type Clock,
  type MailMessage,
  type Mailer,
} from '../../application/ports/index.js';
import {
  assertHeaderValue,
  crlf,
  encodeHeaderText,
  headerLines,
  mailDate,
  multipartAlternative,
  textPart,
} from './mime.js';

/** Structurally a pino logger. */
export type MailboxLogger = { info(fields: object, message: string): void };

export type MailboxMailerOptions = {
  dir: string;
  from: string;
  logger: MailboxLogger;
  clock?: Clock;
};

const tagHeaders = (tags: Readonly<Record<string, string>> = {}): [string, string][] =>
  Object.entries(tags).map(([name, value]) => [
    `X-Tag-${name.replace(/[^A-Za-z0-9-]/g, '-')}`,
    encodeHeaderText(value.replace(/[\r\n]+/g, ' ')),
  ]);

/**
 * The embedded Mailer: each message becomes an RFC 5322 `.eml` file in `dir`, named so that a
 * directory listing sorts by time, and one log line says it went (never what it said).
 */
export const createMailboxMailer = ({
  dir,
  from,
  logger,
  clock = systemClock,
}: MailboxMailerOptions): Mailer => {
  assertHeaderValue('From', from);
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  let sequence = 0;

  const render = (message: MailMessage, messageId: string, date: Date): string => {
    const boundary = `=_alt_${randomUUID()}`;
    const headers = headerLines([
      ['From', from],
      ['To', message.to],
      ['Subject', encodeHeaderText(message.subject)],
      ['Date', mailDate(date)],
      ['Message-ID', `<${messageId}>`],
      ['MIME-Version', '1.0'],
      ...tagHeaders(message.tags),
    ]);
    if (message.html === undefined) return headers + textPart('plain', message.text);
    return (
      headers +
      headerLines([['Content-Type', `multipart/alternative; boundary="${boundary}"`]]) +
      crlf +
      multipartAlternative(boundary, [
        textPart('plain', message.text),
        textPart('html', message.html),
      ])
    );
  };

  return {
    async send(message) {
      assertHeaderValue('To', message.to);
      assertHeaderValue('Subject', message.subject);
      if (!message.to.includes('@')) throw new TypeError('mail recipient must be an email address');
      const id = randomUUID();
      const messageId = `${id}@${domain}`;
      const date = clock.now();
      const stamp = date.toISOString().replace(/[-:.]/g, '');
      const file = `${stamp}-${String(sequence++).padStart(6, '0')}-${id}.eml`;
      await mkdir(dir, { recursive: true });
      // Written aside and renamed, so whoever watches the folder never reads half a message.
      const temporary = join(dir, `.${file}.tmp`);
      await writeFile(temporary, render(message, messageId, date), { mode: 0o600 });
      await rename(temporary, join(dir, file));
      logger.info({ to: message.to, subject: message.subject, file }, 'mail written to mailbox');
      return { messageId };
    },
    async close() {},
  };
};
