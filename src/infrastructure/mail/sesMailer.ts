import { SESClient, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import type { MailMessage, Mailer } from '../../application/ports/index.js';
import { assertHeaderValue } from './mime.js';

export type SesMailerOptions = {
  /** Sender, e.g. `Order Ledger <orders@example.com>`; must be a verified SES identity. */
  from: string;
  region: string;
  /** Another SES-API endpoint (aws-ses-v2-local in tests); the AWS endpoint when absent. */
  endpoint?: string;
  /** SES configuration set, for event publishing (deliveries, bounces, complaints). */
  configurationSet?: string;
  /** Static credentials; the AWS default chain (env, profile, role) when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** SDK attempts per send (1 = no SDK retry); the notifier adds its own backoff on top. */
  maxAttempts?: number;
  connectionTimeoutMs?: number;
  /**
   * Without one a hung connection would hold a sender slot for ever. maxAttempts × this (plus the
   * SDK's pauses) should stay under the notifier's sendTimeoutMs, or a slow send is retried while
   * the first may still land.
   */
  requestTimeoutMs?: number;
  /** A client of one's own (tests, sharing); the options above that configure a client are then ignored. */
  client?: SESClient;
};

export type MailFailureKind = 'permanent' | 'throttled' | 'transient';

/**
 * What a failed send means for a retry. `permanent` is the flag the notifier reads (the Mail port
 * declares no error types), so this stays the one place that knows SES error names.
 */
export class SesMailError extends Error {
  override name = 'SesMailError';
  readonly permanent: boolean;
  readonly throttled: boolean;
  constructor(
    readonly kind: MailFailureKind,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.permanent = kind === 'permanent';
    this.throttled = kind === 'throttled';
  }
}

/** About this message, so retrying cannot help: a rejected or malformed address or content. */
const PERMANENT = new Set(['MessageRejected', 'InvalidParameterValue']);
/**
 * Account-wide send rate or daily quota. Configuration problems (MailFromDomainNotVerified,
 * ConfigurationSetDoesNotExist, AccountSendingPaused) stay transient on purpose: an operator
 * fixes them, and the mail should then go out rather than sit among the dead letters.
 */
const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

export const classifySesError = (error: unknown): SesMailError => {
  const {
    name = 'Error',
    message = String(error),
    $retryable,
  } = (error ?? {}) as {
    name?: string;
    message?: string;
    $retryable?: { throttling?: boolean };
  };
  const kind: MailFailureKind = PERMANENT.has(name)
    ? 'permanent'
    : THROTTLING.has(name) || $retryable?.throttling
      ? 'throttled'
      : 'transient';
  return new SesMailError(kind, name, `SES ${name}: ${message}`, { cause: error });
};

/** SES tags allow ASCII letters, digits, `_` and `-`, up to 256 characters. */
const tagText = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

export const toSendEmailInput = (
  message: MailMessage,
  { from, configurationSet }: Pick<SesMailerOptions, 'from' | 'configurationSet'>,
): SendEmailCommandInput => {
  const content = (data: string) => ({ Data: data, Charset: 'UTF-8' });
  const tags = Object.entries(message.tags ?? {}).map(([name, value]) => ({
    Name: tagText(name),
    Value: tagText(value),
  }));
  return {
    Source: from,
    Destination: { ToAddresses: [message.to] },
    Message: {
      Subject: content(message.subject),
      Body: {
        Text: content(message.text),
        ...(message.html === undefined ? {} : { Html: content(message.html) }),
      },
    },
    ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
    ...(tags.length > 0 ? { Tags: tags } : {}),
  };
};

/** The production Mailer: one SES SendEmail (v1 API) per message, text and HTML alternatives. */
export const createSesMailer = (options: SesMailerOptions): Mailer => {
  assertHeaderValue('From', options.from);
  const owned = options.client === undefined;
  const client =
    options.client ??
    new SESClient({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: options.maxAttempts ?? 3,
      cacheMiddleware: true, // the middleware stack is built once, not on every send
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 3_000,
        requestTimeout: options.requestTimeoutMs ?? 5_000,
      },
    });

  return {
    async send(message) {
      // The same refusals as the mailbox adapter, so both pass one contract.
      assertHeaderValue('To', message.to);
      assertHeaderValue('Subject', message.subject);
      if (!message.to.includes('@')) throw new TypeError('mail recipient must be an email address');
      try {
        const { MessageId } = await client.send(
          new SendEmailCommand(toSendEmailInput(message, options)),
        );
        if (!MessageId)
          throw new SesMailError(
            'transient',
            'NoMessageId',
            'SES accepted the mail but returned no MessageId',
          );
        return { messageId: MessageId };
      } catch (error) {
        throw error instanceof SesMailError ? error : classifySesError(error);
      }
    },
    async close() {
      if (owned) client.destroy();
    },
  };
};
