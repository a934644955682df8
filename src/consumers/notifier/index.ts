export { startNotifier, type NotifierDeps, type RunningNotifier } from './notifier.js';
export { resolveNotifierSettings, type NotifierSettings } from './settings.js';
export { EMAIL_LEDGER, type EmailEntry, type EmailStatus } from './ledger.js';
export {
  emailBacklog,
  type EmailBacklog,
  listEmailDeadLetters,
  redriveEmailDeadLetters,
  type EmailDeadLetter,
} from './deadLetters.js';
