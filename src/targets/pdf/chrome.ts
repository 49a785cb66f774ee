/**
 * Finding and running the browser that lays out the PDF. One headless Chromium per build, with a
 * throw-away profile, closed on every path (success, error, Ctrl-C) so no Chromium is left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { BuildError } from '../../diagnostics.js';

const WELL_KNOWN = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install chromium`) or point CHROME_PATH (or book.yaml `chrome:` / --chrome) at a Chrome or Chromium binary';

/** The browser to use: options.chrome, then CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, then the usual places. */
export function findChrome(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // An explicit choice is never silently replaced by another browser: a wrong path is an error.
  const chosen = [
    ['--chrome / book.yaml chrome:', explicit],
    ['CHROME_PATH', env['CHROME_PATH']],
    ['PUPPETEER_EXECUTABLE_PATH', env['PUPPETEER_EXECUTABLE_PATH']],
  ] as const;
  for (const [where, p] of chosen) {
    if (!p) continue;
    if (isExecutable(p)) return p;
    throw new BuildError(`Chromium not found at ${p} (from ${where}); ${INSTALL_HINT}`);
  }
  const found = WELL_KNOWN.find(isExecutable);
  if (found) return found;
  throw new BuildError(`no Chromium or Chrome found to lay out the PDF; ${INSTALL_HINT}`);
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export interface RunningBrowser {
  browser: Browser;
  /** Closes the browser (killing it if it does not close) and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

export async function launchChrome(executablePath: string, timeoutMs: number): Promise<RunningBrowser> {
  // The profile folder names the process that owns the browser, so leftovers can be traced to it.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `samizdat-chrome-${process.pid}-`));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      userDataDir: profile,
      timeout: timeoutMs,
      // The build owns signal handling: it aborts and then closes the browser itself.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    });
  } catch (e) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw new BuildError(`could not start Chromium (${executablePath}): ${(e as Error).message}`);
  }
  let closed = false;
  return {
    browser,
    async close() {
      if (closed) return;
      closed = true;
      const proc = browser.process();
      try {
        await Promise.race([browser.close(), new Promise((_, reject) => setTimeout(() => reject(new Error('close timed out')), 5000))]);
      } catch {
        proc?.kill('SIGKILL');
      }
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    },
  };
}
