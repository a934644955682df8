import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Child = {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
};

/**
 * The real program in its own process (`src/main.ts <args>`), its stdout and stderr kept as lines.
 * With `ready`, resolves once a line matches it; otherwise at once.
 */
export const startProgram = async (
  args: string[],
  env: Record<string, string>,
  ready?: RegExp,
  timeoutMs = 60_000,
): Promise<Child> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const seen = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (ready?.test(line)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
    }
    void exited.then(() => (clearTimeout(timer), resolve(false)));
  });
  if (ready && !(await seen)) {
    child.kill('SIGKILL');
    throw new Error(`${args.join(' ')} did not get ready:\n${lines.slice(-10).join('\n')}`);
  }
  return {
    child,
    lines,
    exited,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
};

/** `serve --role projector` over the data folder: ready once it logs "ready". */
export const startProjectorProcess = (env: Record<string, string>) =>
  startProgram(['serve', '--role', 'projector'], env, /"msg":"ready"/);
