/**
 * Running Ghostscript's pdfwrite for the press (PDF/X) and archive (PDF/A) copies: finding `gs`,
 * finding the ICC profiles it ships, one run in a temporary folder with -dSAFER, a time limit, Ctrl-C
 * and SOURCE_DATE_EPOCH, and the few fix-ups both copies need afterwards.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What a build that asks for Ghostscript's passes says when there is none (here: build.ts checks before any work, without loading pdf-lib). */
export const NEEDS_GHOSTSCRIPT = '--press needs Ghostscript: apt-get install ghostscript';
export const PDFA_NEEDS_GHOSTSCRIPT = '--pdfa needs Ghostscript: apt-get install ghostscript';

/** The first executable `name` on a PATH-style list, or undefined. */
export function findExecutable(name: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** An ICC profile Ghostscript installs (`default_cmyk.icc`, `srgb.icc`…); Debian puts them in both places. */
export function findGhostscriptProfile(name: string): string | undefined {
  const roots = ['/usr/share/color/icc/ghostscript', '/usr/local/share/ghostscript', '/usr/share/ghostscript'];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const direct = path.join(root, name);
    if (fs.existsSync(direct)) return direct;
    for (const v of fs.readdirSync(root).sort().reverse()) {
      const p = path.join(root, v, 'iccprofiles', name);
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

/** A PostScript string literal (printable ASCII; anything else becomes "?"). */
export const psString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;

export interface GhostscriptRun {
  /** Ghostscript to run. */
  gs: string;
  /** pdfwrite options (device, PDF/X or PDF/A switches…), before the files. */
  args: string[];
  /** Files Ghostscript may read besides its inputs (ICC profiles), for -dSAFER. */
  readable?: string[];
  /** A PostScript prologue (pdfmarks) run before the input. */
  prologue?: string;
  input: Uint8Array;
  timeoutMs: number;
  /** Seconds since the epoch: Ghostscript's dates follow SOURCE_DATE_EPOCH. */
  sourceDateEpoch?: number;
  signal?: AbortSignal;
  /** Makes the error thrown when Ghostscript fails or times out. */
  fail: (message: string) => Error;
}

/** Runs pdfwrite on `input` in a temporary folder and returns the PDF it wrote. */
export async function runGhostscript(run: GhostscriptRun): Promise<Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-gs-'));
  try {
    const inFile = path.join(dir, 'in.pdf');
    const outFile = path.join(dir, 'out.pdf');
    fs.writeFileSync(inFile, run.input);
    const files = [inFile];
    if (run.prologue !== undefined) {
      const def = path.join(dir, 'def.ps');
      fs.writeFileSync(def, run.prologue);
      files.unshift(def);
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (run.sourceDateEpoch !== undefined) env['SOURCE_DATE_EPOCH'] = String(run.sourceDateEpoch);
    const args = [
      '-dSAFER',
      ...(run.readable ?? []).map((f) => `--permit-file-read=${f}`),
      '-dBATCH',
      '-dNOPAUSE',
      '-dQUIET',
      '-sDEVICE=pdfwrite',
      ...run.args,
      `-sOutputFile=${outFile}`,
      ...files,
    ];
    await new Promise<void>((resolve, reject) => {
      execFile(run.gs, args, { timeout: run.timeoutMs, signal: run.signal, env, maxBuffer: 16 << 20 }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const why = (err as NodeJS.ErrnoException & { killed?: boolean }).killed ? `timed out after ${run.timeoutMs / 1000} s` : err.message;
        reject(run.fail(`Ghostscript failed: ${why}\n${String(stderr).trim().split('\n').slice(-8).join('\n')}`));
      });
    });
    return fs.readFileSync(outFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * pdf-lib always writes a %PDF-1.7 header; keep the one Ghostscript wrote (PDF/X-3 must say 1.3 or
 * 1.4). Both headers are eight bytes, so putting the original back moves no offset.
 */
export function withHeaderOf(saved: Uint8Array, original: Uint8Array): Uint8Array {
  const head = Buffer.from(original.subarray(0, 8)).toString('latin1');
  if (!/^%PDF-\d\.\d$/.test(head)) return saved;
  const out = Uint8Array.from(saved);
  out.set(Buffer.from(head, 'latin1'), 0);
  return out;
}

/** Options of a Ghostscript job (press.ts, pdfa.ts). */
export interface GhostscriptJobOptions {
  /** Ghostscript to run; default: `gs` found on `searchPath`. */
  gs?: string;
  /** PATH to look for `gs` in (default process.env.PATH). */
  searchPath?: string;
  /** Output-intent ICC profile; default: the one Ghostscript ships for the job. */
  iccProfile?: string;
  timeoutMs?: number;
  /** Seconds since the epoch: fixed dates and document ID. */
  sourceDateEpoch?: number;
  signal?: AbortSignal;
}

/** A Ghostscript job that could not be done; `code` names the job and the reason (press-failed…). */
export class GhostscriptJobError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'GhostscriptJobError';
  }
}
