export {
  createMailboxMailer,
  type MailboxMailerOptions,
  type MailboxLogger,
} from './mailboxMailer.js';
