/** Test helpers: temporary copies of book folders, and running the CLI in-process. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';
import { main } from '../../src/cli.js';

export const REPO = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES = path.join(REPO, 'tests', 'fixtures');

/** Copies a book folder (without dist/ and caches) to a fresh temporary folder. */
export function copyBook(src: string, name = 'book'): string {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-test-')), name);
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (p) => !/[\\/](dist|node_modules|\.git|\.cache|tests|src|scripts)$/.test(p) || p === src,
  });
  return dest;
}

export interface CliRun {
  code: number;
  stderr: string;
  stdout: string;
}

/**
 * The command line run from source in a child process (tsx): what `samizdat ARGS` does, without the
 * compiled lib/ (which only the packed-install test uses).
 */
export const CLI_FROM_SOURCE = ['--import', 'tsx', path.join(REPO, 'src', 'cli.ts')];

export function spawnCli(args: string[], opts: Omit<SpawnSyncOptions, 'encoding'> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...CLI_FROM_SOURCE, ...args], { ...opts, encoding: 'utf8' });
}

/** Runs samizdat's main() with captured output. */
export async function runCli(args: string[]): Promise<CliRun> {
  let stderr = '';
  let stdout = '';
  const errWrite = process.stderr.write.bind(process.stderr);
  const outWrite = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  try {
    const code = await main(args);
    return { code, stderr, stdout };
  } finally {
    process.stderr.write = errWrite;
    process.stdout.write = outWrite;
  }
}

/** Every file below `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}
