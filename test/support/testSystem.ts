import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/application/ports/index.js';
import { startSystem } from '../../src/system.js';
import type { RunningSystem } from '../../src/system.js';
import type { ProcessRole } from '../../src/subscriptions.js';
import { assertMatchesSpec } from './openapiValidator.js';

const run = promisify(execFile);

export type TestSystem = RunningSystem & {
  url: string;
  dataDir: string;
  env: Record<string, string>;
  /** Calls the API; JSON bodies in and out. */
  http(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<HttpResult>;
  /** Text of every mail sent to `to`, oldest first. */
  mailTo(to: string): string[];
  /** Runs the real CLI (`src/main.ts`) against this system's data, as an operator would. */
  cli(...args: string[]): Promise<string>;
};

export type HttpResult = { status: number; headers: Headers; body: any; text: string };

/** The whole service in this process on its embedded adapters, with its own data folder and a free port. */
export const startTestSystem = async (
  overrides: Record<string, string> = {},
  roles?: readonly ProcessRole[],
): Promise<TestSystem> => {
  // A system started on another's data folder (another role of the same deployment) leaves it be.
  const ownsData = overrides.DATA_DIR === undefined;
  const dataDir = overrides.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'order-ledger-'));
  const env = {
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ARGON2_MEMORY_KIB: '19456',
    ARGON2_TIME_COST: '2',
    ...overrides,
  };
  const system = await startSystem(loadConfig(env), silentLogger, roles);
  const url = system.url ?? '';
  const mailDir = join(dataDir, 'mailbox');

  return {
    ...system,
    url,
    dataDir,
    env,
    stop: async () => {
      await system.stop();
      if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    },
    http: async (method, path, { token, body, headers = {} } = {}) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      const result = {
        status: response.status,
        headers: response.headers,
        body: parseJson(text),
        text,
      };
      // A response the OpenAPI document does not describe fails the test that provoked it: the spec cannot drift.
      assertMatchesSpec(method, path, result);
      return result;
    },
    mailTo: (to) => {
      if (!existsSync(mailDir)) return [];
      return readdirSync(mailDir)
        .filter((file) => file.endsWith('.eml'))
        .sort()
        .map((file) => readFileSync(join(mailDir, file), 'utf8'))
        .filter((mail) => new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi').test(mail));
    },
    cli: async (...args) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
        env: { ...process.env, ...env },
      });
      return stdout;
    },
  };
};

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** The six digits of the newest OTP mail to `to`. */
export const otpFrom = (mails: string[]): string => {
  const code = /\b(\d{6})\b/.exec(mails.at(-1) ?? '')?.[1];
  if (!code) throw new Error('no OTP mail found');
  return code;
};
