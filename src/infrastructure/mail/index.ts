export {
  createMailboxMailer,
  type MailboxMailerOptions,
  type MailboxLogger,
} from './mailboxMailer.js';
export {
  classifySesError,
  createSesMailer,
  SesMailError,
  toSendEmailInput,
  type MailFailureKind,
  type SesMailerOptions,
} from './sesMailer.js';
