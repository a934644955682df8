export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Tags for tracing (correlation id, causing event id); adapters may pass them on as headers. */
  tags?: Readonly<Record<string, string>>;
};

export type SentMail = { messageId: string };

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): Promise<void>;
}
