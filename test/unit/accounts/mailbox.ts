import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Mail = {
  file: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  raw: string;
};

const unfold = (head: string) => head.replace(/\r\n[ \t]+/g, ' ');
const headerOf = (head: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(unfold(head))?.[1]?.trim();
const decodeQuotedPrintable = (body: string) =>
  Buffer.from(
    body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

const splitMessage = (raw: string) => {
  const at = raw.indexOf('\r\n\r\n');
  return { head: raw.slice(0, at), body: raw.slice(at + 4) };
};

/** Reads a mailbox folder as a mail client would: headers, then the text and html parts decoded. */
export const readMailbox = async (dir: string): Promise<Mail[]> => {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml'))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readFile(join(dir, file), 'utf8');
      const { head, body } = splitMessage(raw);
      const boundary = /boundary="([^"]+)"/.exec(headerOf(head, 'Content-Type') ?? '')?.[1];
      const parts = boundary
        ? body
            .split(`--${boundary}`)
            .slice(1, -1)
            .map((part) => splitMessage(part.replace(/^\r\n/, '')))
        : [{ head, body }];
      const partOf = (type: string) => {
        const part = parts.find((p) => headerOf(p.head, 'Content-Type')?.startsWith(type));
        return part && decodeQuotedPrintable(part.body.replace(/\r\n$/, ''));
      };
      return {
        file,
        raw,
        to: headerOf(head, 'To') ?? '',
        subject: headerOf(head, 'Subject') ?? '',
        text: partOf('text/plain') ?? '',
        ...(partOf('text/html') !== undefined && { html: partOf('text/html') }),
      };
    }),
  );
};

/** The code in the newest mail to `email`, read as the person would. */
export const otpFromMailbox = async (dir: string, email: string): Promise<string> => {
  const mails = (await readMailbox(dir)).filter((mail) => mail.to === email);
  const code = /verification code is: (\d{6})/.exec(mails.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mailed to ${email}`);
  return code;
};
