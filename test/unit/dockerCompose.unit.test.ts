import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { configSchema, loadConfig } from '../../src/config.js';
import { PROCESS_ROLES as ROLES } from '../../src/subscriptions.js';

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
};

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const infrastructure = ['eventstore', 'mongo', 'redis', 'sqs', 'ses'];

/** Compose interpolation `${NAME:?message}`, as `docker compose` would do it with NAME set. */
const interpolate = (value: string | number, env: Record<string, string>) =>
  String(value).replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_match, name: string) => env[name] ?? '');

describe('docker-compose.yml (the production profile)', () => {
  it('has the infrastructure the design names, and one app service per role', () => {
    expect(Object.keys(compose.services)).to.have.members([...infrastructure, ...ROLES]);
    expect(compose.services.eventstore?.image).to.match(
      /^eventstore\/eventstore:|^kurrentplatform\/kurrentdb:/,
    );
    expect(compose.services.eventstore?.environment?.EVENTSTORE_INSECURE).to.equal('true');
    expect(compose.services.eventstore?.healthcheck?.test).to.be.an('array');
    expect(compose.services.sqs?.image).to.match(/elasticmq/);
    expect(compose.services.ses?.command?.join(' ')).to.contain('aws-ses-v2-local');
  });

  for (const role of ROLES) {
    it(`runs the ${role} role alone, on the production adapters, and its configuration is valid`, () => {
      const service = compose.services[role]!;
      expect(service.command).to.deep.equal(['serve', '--role', role]);
      expect(Object.keys(service.depends_on ?? {})).to.include.members(['eventstore', 'mongo']);
      const environment = service.environment ?? {};
      const known = Object.keys(configSchema.shape);
      const unknown = Object.keys(environment).filter(
        (name) => !known.includes(name) && !name.startsWith('AWS_'),
      );
      expect(unknown, 'variables the service does not read').to.deep.equal([]);
      const env = Object.fromEntries(
        Object.entries(environment).map(([name, value]) => [
          name,
          interpolate(value, { JWT_SECRET: 'j'.repeat(40), OTP_SECRET: 'o'.repeat(40) }),
        ]),
      );
      const config = loadConfig(env);
      expect(config).to.include({
        PROFILE: 'production',
        EVENT_STORE: 'esdb',
        DOCUMENTS: 'mongo',
        CACHE: 'redis',
        QUEUE: 'sqs',
        MAIL: 'ses',
      });
      for (const [variable, host] of [
        ['EVENTSTORE_URL', 'eventstore'],
        ['MONGODB_URL', 'mongo'],
        ['REDIS_URL', 'redis'],
        ['SQS_ENDPOINT', 'sqs'],
        ['SES_ENDPOINT', 'ses'],
      ] as const) {
        expect(new URL(String(config[variable])).hostname, variable).to.equal(host);
      }
    });
  }

  it('refuses to start without the secrets (production never generates them)', () => {
    const env = Object.fromEntries(
      Object.entries(compose.services.api?.environment ?? {}).map(([name, value]) => [
        name,
        interpolate(value, {}),
      ]),
    );
    expect(() => loadConfig(env)).to.throw(/JWT_SECRET|OTP_SECRET/);
  });
});
