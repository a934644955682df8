/**
 * `npm run bench [name...]`: runs every bench/*.bench.ts module's `run()` in turn (or only those
 * named, e.g. `npm run bench -- pipeline queue`), prints each report, and writes every result as
 * JSON to .bench/results.json. Modules run one after another so they never share the CPU.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from './lib.js';
import type { BenchResult } from './lib.js';

const SUFFIX = '.bench.ts';
const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((file) => file.endsWith(SUFFIX))
  .map((file) => file.slice(0, -SUFFIX.length))
  .sort();

const asked = process.argv.slice(2).map((name) => name.replace(/\.bench(\.ts)?$/, ''));
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : available;

type Entry =
  | { bench: string; startedAt: string; seconds: number; results: BenchResult[] }
  | { bench: string; startedAt: string; seconds: number; error: string };

const entries: Entry[] = [];
let failed = false;
for (const name of names) {
  const startedAt = new Date();
  process.stdout.write(`# ${name}\n`);
  try {
    const module = (await import(pathToFileURL(join(dir, `${name}${SUFFIX}`)).href)) as {
      run?: () => Promise<BenchResult[]>;
    };
    if (typeof module.run !== 'function') throw new Error(`${name}${SUFFIX} exports no run()`);
    const results = await module.run();
    for (const result of results) process.stdout.write(`${report(result)}\n`);
    entries.push({
      bench: name,
      startedAt: startedAt.toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      results,
    });
  } catch (error) {
    // One broken bench must not cost the others' results.
    failed = true;
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name} failed: ${message}\n`);
    entries.push({
      bench: name,
      startedAt: startedAt.toISOString(),
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      error: message,
    });
  }
}

const out = join(dir, '..', '.bench');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'results.json'),
  `${JSON.stringify({ node: process.version, cpus: cpus().length, benches: entries }, null, 2)}\n`,
);
process.stdout.write(`results: ${join(out, 'results.json')}\n`);
process.exitCode = failed ? 1 : 0;
