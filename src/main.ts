#!/usr/bin/env node
import { Command, Option } from 'commander';
import { pino } from 'pino';
import { ConfigError, configTable, loadConfig } from './config.js';
import type { Config } from './config.js';
import { createContainer, TOKENS } from './container.js';
import { isRole, roles } from './application/accounts/index.js';
import { startSystem } from './system.js';
import { PROCESS_ROLES, projections } from './subscriptions.js';
import type { ProcessRole } from './subscriptions.js';
import { registerDeadLetterCommands } from './cli/deadLetters.js';
import { registerEventCommands } from './cli/events.js';
import { registerProjectionCommands } from './cli/projections.js';

/** Secrets never reach a log line, whatever object carries them. */
const REDACT = [
  'password',
  'confirmPassword',
  'otp',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'secret',
];

const createLogger = (config: Pick<Config, 'LOG_LEVEL'>) =>
  pino({
    level: config.LOG_LEVEL,
    redact: {
      paths: [...REDACT, ...REDACT.map((key) => `*.${key}`), 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });

const fail = (error: unknown): never => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
};

const program = new Command('order-ledger').description('Event-sourced order processing service');

program
  .command('serve')
  .description('run the service: every role in one process, or the roles named')
  .addOption(
    new Option('--role <roles...>', 'roles to run')
      .choices(PROCESS_ROLES)
      .default([...PROCESS_ROLES]),
  )
  .action(async ({ role }: { role: ProcessRole[] }) => {
    const config = loadConfig();
    const logger = createLogger(config);
    const system = await startSystem(config, logger, role);
    logger.info({ roles: role, url: system.url }, 'ready');
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await system.stop();
      logger.info('stopped');
      process.exit(0);
    };
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
    process.on('SIGINT', () => void shutdown('SIGINT'));
  });

const users = program.command('users').description('manage accounts');
users
  .command('create')
  .description('create an account directly (admins, auditors, or provisioned customers)')
  .requiredOption('--email <email>')
  .requiredOption('--password <password>')
  .addOption(new Option('--role <role>').choices(roles).default('customer'))
  .option('--name <name>', 'display name')
  .option('--phone <phone>', 'phone number')
  .action(
    async (options: {
      email: string;
      password: string;
      role: string;
      name?: string;
      phone?: string;
    }) => {
      const config = loadConfig();
      const container = createContainer(config, createLogger({ LOG_LEVEL: 'warn' }));
      try {
        if (!isRole(options.role)) throw new Error(`unknown role ${options.role}`);
        const accounts = await container.get(TOKENS.accounts);
        const user = await accounts.createUser({
          email: options.email,
          password: options.password,
          role: options.role,
          name: options.name ?? options.email.split('@')[0]!,
          phone: options.phone ?? '',
        });
        process.stdout.write(`${JSON.stringify(user)}\n`);
      } finally {
        await container.close();
      }
    },
  );

registerDeadLetterCommands(program, async () => {
  const container = createContainer(loadConfig(), createLogger({ LOG_LEVEL: 'warn' }));
  return { deadLetters: await container.get(TOKENS.deadLetters), close: () => container.close() };
});

registerProjectionCommands(
  program,
  async () => {
    const container = createContainer(loadConfig(), createLogger({ LOG_LEVEL: 'warn' }));
    const [eventStore, documents] = await Promise.all([
      container.get(TOKENS.eventStore),
      container.get(TOKENS.documents),
    ]);
    return { eventStore, documents, close: () => container.close() };
  },
  undefined,
  { projections },
);

registerEventCommands(program, async () => {
  // Silent: stdout carries the NDJSON export, and pino writes there too.
  const container = createContainer(loadConfig(), createLogger({ LOG_LEVEL: 'silent' }));
  return { eventStore: await container.get(TOKENS.eventStore), close: () => container.close() };
});

program
  .command('config')
  .description('print every setting with its default and meaning (markdown)')
  .action(() => void process.stdout.write(`${configTable()}\n`));

program.parseAsync(process.argv).catch(fail);
