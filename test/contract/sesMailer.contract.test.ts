import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createSesMailer, SesMailError } from '../../src/infrastructure/mail/index.js';
import { requireService } from '../support/services.js';
import { freePort } from '../support/processes.js';
import { mailerContract, type DeliveredMail } from './mailer.contract.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const from = 'Order Ledger <orders@example.test>';

type StoredEmail = {
  messageId: string;
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
};

describe('SES mailer', function () {
  let url: string;
  before(async function () {
    url = (await requireService(this, 'ses')).url;
  });

  mailerContract('SES', async () => {
    const mailer = createSesMailer({
      from,
      region,
      endpoint: url,
      credentials,
      configurationSet: 'orders',
    });
    return {
      mailer,
      from,
      deliveredTo: async (to) => {
        const { emails } = (await (await fetch(`${url}/store`)).json()) as {
          emails: StoredEmail[];
        };
        return emails
          .filter((email) => email.destination.to.includes(to))
          .map((email): DeliveredMail => ({
            messageId: email.messageId,
            from: email.from,
            to,
            subject: email.subject,
            text: email.body.text ?? '',
            ...(email.body.html === undefined ? {} : { html: email.body.html }),
          }));
      },
      cleanup: () => mailer.close(),
    };
  });
});

// Needs no SES server: a stub endpoint answers as SES does, so the real SDK parses real error replies.
describe('SES mailer beyond the contract: what SES is sent and what its errors mean', () => {
  let server: Server;
  let fakeUrl: string;
  let requests: URLSearchParams[];
  let reply: { status: number; body: string };
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push(new URLSearchParams(body));
        res.writeHead(reply.status, { 'content-type': 'text/xml' }).end(reply.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fakeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    requests = [];
    reply = { status: 200, body: ok('m-1') };
  });

  const ok = (id: string) =>
    `<SendEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendEmailResult><MessageId>${id}</MessageId></SendEmailResult></SendEmailResponse>`;
  const error = (code: string, message: string) =>
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
  const mailer = (endpoint = fakeUrl) =>
    createSesMailer({
      from,
      region,
      endpoint,
      credentials,
      configurationSet: 'orders',
      maxAttempts: 1,
    });
  const failureOf = async (endpoint?: string): Promise<SesMailError> => {
    const ses = mailer(endpoint);
    try {
      await ses.send({ to: 'ada@example.test', subject: 's', text: 't' });
    } catch (thrown) {
      expect(thrown).to.be.instanceOf(SesMailError);
      return thrown as SesMailError;
    } finally {
      await ses.close();
    }
    return expect.fail('expected the send to fail');
  };

  it('given a configuration set and tags, when sending, then SendEmail carries them, tag values made SES-safe', async () => {
    const ses = mailer();
    expect(
      await ses.send({
        to: 'ada@example.test',
        subject: 's',
        text: 't',
        html: '<p>t</p>',
        tags: { correlationId: 'c-1', note: 'a b/c' },
      }),
    ).to.deep.equal({ messageId: 'm-1' });
    await ses.close();
    const [form] = requests;
    expect(Object.fromEntries(form!)).to.include({
      Action: 'SendEmail',
      Source: from,
      'Destination.ToAddresses.member.1': 'ada@example.test',
      ConfigurationSetName: 'orders',
      'Message.Body.Html.Data': '<p>t</p>',
      'Message.Body.Text.Charset': 'UTF-8',
      'Tags.member.1.Name': 'correlationId',
      'Tags.member.1.Value': 'c-1',
      'Tags.member.2.Value': 'a_b_c',
    });
  });

  it('given SES rejects the message, when sending, then the failure is permanent and names the SES error', async () => {
    reply = { status: 400, body: error('MessageRejected', 'Email address is not verified.') };
    const failure = await failureOf();
    expect(failure).to.include({ kind: 'permanent', permanent: true, code: 'MessageRejected' });
    expect(failure.message).to.equal('SES MessageRejected: Email address is not verified.');
  });

  it('given SES throttles, when sending, then the failure is throttled, not permanent', async () => {
    reply = { status: 400, body: error('Throttling', 'Maximum sending rate exceeded.') };
    expect(await failureOf()).to.include({ kind: 'throttled', permanent: false, throttled: true });
  });

  it('given a server error, an unverified sender domain or no server at all, when sending, then the failure is transient', async () => {
    reply = { status: 503, body: error('ServiceUnavailable', 'try later') };
    expect(await failureOf()).to.include({ kind: 'transient', permanent: false });
    reply = { status: 400, body: error('MailFromDomainNotVerifiedException', 'not verified') };
    expect(await failureOf()).to.include({ kind: 'transient', permanent: false });
    expect(await failureOf(`http://127.0.0.1:${await freePort()}`)).to.include({
      kind: 'transient',
      permanent: false,
    });
  });
});
