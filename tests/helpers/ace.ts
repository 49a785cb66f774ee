/**
 * Ace by DAISY on EPUBs the tests built: one call checks a batch in one Chromium start (a child
 * process running ace-core with its puppeteer axe runner on the system Chromium, ace_runner.cjs).
 *
 *   const results = await aceCheck([a.epub, b.epub]);
 *   expect(describeAce(results[a.epub]!)).toEqual([]);
 */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { findChrome } from '../../src/targets/pdf/chrome.js';

export interface AceViolation {
  /** Content document (or package document) the violation is in. */
  doc: string;
  /** Ace / axe rule id, e.g. link-in-text-block. */
  rule: string;
  /** minor, moderate, serious, critical. */
  impact: string;
  /** CSS selectors of the offending elements. */
  where: string;
  html: string;
  message: string;
}

export interface AceResult {
  /** Ace's overall verdict: pass when there is no violation of any impact. */
  outcome: 'pass' | 'fail';
  violations: AceViolation[];
  /** Ace's outlines: the navigation document's, the headings' and the HTML's, as HTML lists. */
  outlines: { toc?: string; headings?: string; html?: string };
}

const RUNNER = path.join(import.meta.dirname, 'ace_runner.cjs');

/** Runs Ace on every EPUB in `files` (one browser for all); results by file. */
export function aceCheck(files: string[]): Promise<Record<string, AceResult>> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [RUNNER, ...files],
      { env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: findChrome(undefined), PUPPETEER_SKIP_DOWNLOAD: '1' }, maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`Ace failed: ${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout) as Record<string, AceResult>);
      },
    );
  });
}

/** One line per violation, for readable assertion failures. */
export function describeAce(r: AceResult): string[] {
  return r.violations.map((v) => `${v.impact} ${v.rule} in ${v.doc} at ${v.where}: ${v.message.split('\n')[0]}`);
}
