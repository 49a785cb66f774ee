/**
 * Ctrl-C at every step: the CLI is started in a process group of its own (as a terminal does) and the
 * whole group gets the signal while the build holds at a step (SAMIZDAT_HOLD_AT, interrupt.ts). After it
 * exits: the exit code of the signal, no process left that came from it (found by a marker in the
 * environment, which Chromium and all its children inherit), no Chromium profile in the temp folder,
 * no staging folder and no output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_FROM_SOURCE, copyBook, FIXTURES, listFiles } from './helpers/book.js';

/** Pids of live processes whose environment holds `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/environ`).includes(marker)) found.push(Number(d));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

interface Interrupted {
  code: number | null;
  stderr: string;
  tmp: string;
  book: string;
  marker: string;
}

/** Builds `book` with the step `at` held, sends `sig` to the process group when it is reached. */
function interruptAt(at: string, sig: NodeJS.Signals, book: string): Promise<Interrupted> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-sig-'));
  const marker = `SAMIZDAT_TEST_MARK=${crypto.randomUUID()}`;
  const child = spawn(process.execPath, [...CLI_FROM_SOURCE, 'build', book], {
    detached: true, // its own process group, like a job in a terminal
    env: { ...process.env, TMPDIR: tmp, SAMIZDAT_HOLD_AT: at, SAMIZDAT_TEST_MARK: marker.split('=')[1], SAMIZDAT_PDF_PARALLEL: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  let sent = false;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && stderr.includes(`samizdat: holding at ${at}`)) {
      sent = true;
      process.kill(-child.pid!, sig);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr, tmp, book, marker })));
}

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

describe('an interrupted build leaves nothing behind', () => {
  const cases: [string, NodeJS.Signals][] = [
    ['parse', 'SIGINT'],
    ['images', 'SIGINT'],
    ['hyphenation', 'SIGTERM'],
    ['layout', 'SIGINT'],
    ['print', 'SIGHUP'],
  ];
  it.each(cases)('%s, %s', async (at, sig) => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const r = await interruptAt(at, sig, book);
    expect(r.stderr).toContain(`samizdat: holding at ${at}`);
    expect(r.stderr).toContain(`samizdat: interrupted by ${sig}; nothing was written`);
    expect(r.code).toBe(EXIT[sig]);
    // Chromium dies with its group; give the kernel a moment to reap.
    let left = processesWith(r.marker);
    for (let i = 0; i < 20 && left.length; i++) {
      await new Promise((res) => setTimeout(res, 100));
      left = processesWith(r.marker);
    }
    expect(left).toEqual([]);
    expect(fs.readdirSync(r.tmp).filter((f) => f.startsWith('samizdat-chrome-'))).toEqual([]);
    expect(listFiles(path.join(book, 'dist'))).toEqual([]);
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });
});
