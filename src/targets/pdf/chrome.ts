/**
 * Finding and running the browser that lays out the PDF. One headless Chromium per build, with a
 * throw-away profile, closed on every path (success, error, Ctrl-C) so no Chromium is left behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PagePool } from './layout.js';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { BuildError } from '../../diagnostics.js';
import { atExit } from '../../util/interrupt.js';

const WELL_KNOWN = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `apt-get install chromium`) or point CHROME_PATH (or --chrome) at a Chrome or Chromium binary';

/** The browser to use: --chrome (never the book: book.yaml cannot name a program), then CHROME_PATH, PUPPETEER_EXECUTABLE_PATH, then the usual places. */
export function findChrome(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // An explicit choice is never silently replaced by another browser: a wrong path is an error.
  const chosen = [
    ['--chrome', explicit],
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
  /**
   * The first layout page pool (layout.ts), made ready as soon as the browser is up — for a browser
   * started early, while the rest of samizdat loads and the book is parsed; the PDF target gives it to
   * its first worker.
   */
  pool?: Promise<PagePool>;
  /** Closes the browser (killing it if it does not close) and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Puppeteer's limit for one DevTools call (default 180 s). The layout is one call (Paged.js's preview)
 * that may take as long as pdf.timeout allows, so the protocol limit is pdf.timeout plus a margin: the
 * build's own timer (with its message naming pdf.timeout) always fires first.
 */
export const protocolTimeoutFor = (timeoutMs: number): number => timeoutMs + 60_000;

/** The options samizdat launches Chromium with (exported for the tests). */
export function launchOptions(executablePath: string, profile: string, timeoutMs: number) {
  return {
    executablePath,
    headless: true,
    userDataDir: profile,
    timeout: timeoutMs,
    protocolTimeout: protocolTimeoutFor(timeoutMs),
    // Its own process group (Puppeteer's default on POSIX, stated here because cleanup relies on it):
    // a terminal's Ctrl-C does not reach it half-way, and the whole group is killed at once.
    detached: true,
    // The build owns signal handling: it aborts and then closes the browser itself.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // No first tab: every layout page is opened in a browser context of its own (layout.ts PagePool).
    waitForInitialPage: false,
    args: [
      '--no-startup-window',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  };
}

/** Kills every process of the group led by `pid` (the browser and its renderers, zygotes, GPU process). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function launchChrome(executablePath: string, timeoutMs: number): Promise<RunningBrowser> {
  // The profile folder names the process that owns the browser, so leftovers can be traced to it.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `samizdat-chrome-${process.pid}-`));
  let pid: number | undefined;
  // However the process ends from here on (error, Ctrl-C, process.exit), the group dies and the profile goes.
  const cleanup = atExit(() => {
    killGroup(pid);
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  });
  let browser: Browser;
  let pool: Promise<PagePool>;
  // Loaded while the browser starts (not before it: the browser does not wait for it).
  const layoutModule = import('./layout.js');
  layoutModule.catch(() => undefined);
  try {
    browser = await puppeteer.launch(launchOptions(executablePath, profile, timeoutMs));
    void browserVersion(browser).catch(() => undefined);
    // The first layout page pool: its context and page opened at once, prepared (Paged.js given to
    // it) once layout.js is loaded.
    const opened = openPage(browser);
    opened.catch(() => undefined);
    pool = layoutModule.then((m) => m.PagePool.warm(browser, opened));
    pool.catch(() => undefined);
    pid = browser.process()?.pid;
  } catch (e) {
    cleanup();
    throw new BuildError(`could not start Chromium (${executablePath}): ${(e as Error).message}`);
  }
  let closed = false;
  return {
    browser,
    pool,
    async close() {
      if (closed) return;
      closed = true;
      // Nothing of the browser's is kept (its profile is a throw-away folder): the connection is let go
      // and the whole process group killed at once, rather than waiting ~0.1 s for a graceful close.
      const proc = browser.process();
      const exited = proc && proc.exitCode === null && proc.signalCode === null ? new Promise((resolve) => proc.once('exit', resolve)) : Promise.resolve();
      try {
        await browser.disconnect();
      } catch {
        // gone already
      }
      killGroup(pid);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      cleanup();
    },
  };
}

const versions = new WeakMap<Browser, Promise<string>>();

/**
 * The browser's version (for the layout cache's keys and the colophon), asked for once, as soon as
 * the browser is up: asked later, the answer waits behind the pages being opened.
 */
export function browserVersion(browser: Browser): Promise<string> {
  let v = versions.get(browser);
  if (!v) versions.set(browser, (v = browser.version()));
  return v;
}

/**
 * A page in a window of its own: a tab behind another tab of its window would get no animation frames,
 * and Paged.js lays out by them (a layout page pool's next chunk starts while its last one prints).
 */
export const newWindow = (browser: Browser | BrowserContext) => browser.newPage({ type: 'window' });

/** A browser context of its own (its own renderer process) and a page in it, for a layout page pool (layout.ts). */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  return { context, page: await newWindow(context) };
}

/**
 * A browser started before the book is read (Target.warmUp, build.ts), so that Chromium's start-up
 * overlaps loading the modules, parsing and checking the book; the PDF target takes it when it was
 * started with the same program and timeout, else it is closed and another started.
 */
let early: { key: string; running: Promise<RunningBrowser> } | undefined;

export function startEarly(executablePath: string, timeoutMs: number): void {
  if (early) return;
  const running = launchChrome(executablePath, timeoutMs);
  running.catch(() => undefined);
  early = { key: JSON.stringify([executablePath, timeoutMs]), running };
}

/** The browser started early when it matches, else a new one. */
export function takeOrLaunch(executablePath: string, timeoutMs: number): Promise<RunningBrowser> {
  const e = early;
  early = undefined;
  if (e?.key === JSON.stringify([executablePath, timeoutMs])) return e.running;
  if (e) void e.running.then((r) => r.close(), () => undefined);
  return launchChrome(executablePath, timeoutMs);
}

/** Closes a browser started early that no PDF build took (the build failed first, or made no PDF). */
export async function discardEarly(): Promise<void> {
  const e = early;
  early = undefined;
  if (e) await e.running.then((r) => r.close(), () => undefined);
}
