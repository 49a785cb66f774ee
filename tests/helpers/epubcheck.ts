/** Runs the real EPUBCheck (Debian's epubcheck jar) on an EPUB and returns its messages. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

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
    if (!fs.existsSync(out)) throw new Error(`EPUBCheck wrote no report:\n${run.stderr}`);
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
      exitCode: run.status,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
