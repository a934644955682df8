import { composeMail, type MailContent } from '../notifications/index.js';

/** Account mails share the layout of the order mails (src/application/notifications). */

export const otpMail = ({
  code,
  ttlMinutes,
  appName,
}: {
  code: string;
  ttlMinutes: number;
  appName: string;
}): MailContent =>
  composeMail({
    subject: `Your ${appName} verification code`,
    blocks: [
      { kind: 'code', label: `Your ${appName} verification code is:`, code },
      { kind: 'paragraph', text: `It expires in ${ttlMinutes} minutes and works once.` },
      {
        kind: 'paragraph',
        text: 'If you did not ask for it, ignore this mail: no account is created without the code.',
      },
    ],
  });

/** Sent instead of a code when the email already has an account, so the API answer stays the same. */
export const existingAccountMail = ({ appName }: { appName: string }): MailContent =>
  composeMail({
    subject: `Your ${appName} account`,
    blocks: [
      {
        kind: 'paragraph',
        text: `Someone asked to register this email address with ${appName}, but it already has an account.`,
      },
      {
        kind: 'paragraph',
        text: 'If that was you, sign in instead. If not, you can ignore this mail.',
      },
    ],
  });
