/** Runs the real EPUBCheck (Debian's epubcheck jar) on an EPUB and returns its messages. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

export const EPUBCHECK_JAR = process.env['EPUBCHECK_JAR'] ?? '/usr/share/java/epubcheck.jar';

export interface EpubCheckMessage {
  /** FATAL, ERROR, WARNING, USAGE, INFO … */
  severity: string;
  /** Message id, e.g. RSC-005. */
  id: string;
  message: string;
  locations: { path: string; line: number; column: number }[];
}

export interface EpubCheckResult {
  messages: EpubCheckMessage[];
  /** FATAL and ERROR messages. */
  errors: EpubCheckMessage[];
  warnings: EpubCheckMessage[];
  /** EPUB version EPUBCheck detected, e.g. "3.2". */
  version?: string;
  exitCode: number | null;
}

/** One line per message, for readable assertion failures. */
export function describeMessages(messages: EpubCheckMessage[]): string[] {
  return messages.map((m) => `${m.severity} ${m.id}: ${m.message}${m.locations[0] ? ` (${m.locations[0].path}:${m.locations[0].line})` : ''}`);
}

export function epubcheck(epubFile: string): EpubCheckResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-epubcheck-'));
  const out = path.join(dir, 'report.json');
  try {
    const run = spawnSync('java', ['-jar', EPUBCHECK_JAR, epubFile, '--json', out], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) throw run.error;
    return readReport(out, run.stderr, run.status);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * EPUBCheck in the background, so that a test can build the next book meanwhile. The JVM runs with
 * its quick compiler only and one GC thread: a check this short costs less than half the CPU.
 */
export function epubcheckAsync(epubFile: string): Promise<EpubCheckResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-epubcheck-'));
  const out = path.join(dir, 'report.json');
  return new Promise<EpubCheckResult>((resolve, reject) => {
    const child = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', EPUBCHECK_JAR, epubFile, '--json', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(readReport(out, stderr, code));
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

function readReport(out: string, stderr: string, exitCode: number | null): EpubCheckResult {
  if (!fs.existsSync(out)) throw new Error(`EPUBCheck wrote no report:\n${stderr}`);
  const report = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    messages?: { ID: string; severity: string; message: string; locations?: { path: string; line: number; column: number }[] }[];
    publication?: { ePubVersion?: string };
  };
  const messages: EpubCheckMessage[] = (report.messages ?? []).map((m) => ({
    severity: m.severity,
    id: m.ID,
    message: m.message,
    locations: m.locations ?? [],
  }));
  return {
    messages,
    errors: messages.filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL'),
    warnings: messages.filter((m) => m.severity === 'WARNING'),
    version: report.publication?.ePubVersion,
    exitCode,
  };
}
