import type { MailMessage } from '../ports/index.js';

type Content = Pick<MailMessage, 'subject' | 'text' | 'html'>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:sans-serif">${body}</body></html>`;

export const otpMail = ({
  code,
  ttlMinutes,
  appName,
}: {
  code: string;
  ttlMinutes: number;
  appName: string;
}): Content => {
  const subject = `Your ${appName} verification code`;
  return {
    subject,
    text: [
      `Your ${appName} verification code is: ${code}`,
      '',
      `It expires in ${ttlMinutes} minutes and works once.`,
      'If you did not ask for it, ignore this mail: no account is created without the code.',
    ].join('\n'),
    html: page(
      subject,
      `<p>Your ${escapeHtml(appName)} verification code is:</p>` +
        `<p style="font-size:24px;letter-spacing:4px"><strong>${escapeHtml(code)}</strong></p>` +
        `<p>It expires in ${ttlMinutes} minutes and works once.</p>` +
        '<p>If you did not ask for it, ignore this mail: no account is created without the code.</p>',
    ),
  };
};

/** Sent instead of a code when the email already has an account, so the API answer stays the same. */
export const existingAccountMail = ({ appName }: { appName: string }): Content => {
  const subject = `Your ${appName} account`;
  return {
    subject,
    text: [
      `Someone asked to register this email address with ${appName}, but it already has an account.`,
      '',
      'If that was you, sign in instead. If not, you can ignore this mail.',
    ].join('\n'),
    html: page(
      subject,
      `<p>Someone asked to register this email address with ${escapeHtml(appName)}, but it already has an account.</p>` +
        '<p>If that was you, sign in instead. If not, you can ignore this mail.</p>',
    ),
  };
};
