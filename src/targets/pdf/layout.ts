/**
 * Driving Paged.js in the browser: load the print HTML, run the polyfill explicitly, watch for errors,
 * a timeout and Ctrl-C, then read what the layout decided (pages of headings) and print to PDF.
 */
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'puppeteer-core';
import type { PDFDocument } from 'pdf-lib';
import { BuildError } from '../../diagnostics.js';
import { checkpoint } from '../../util/interrupt.js';
import type { BuildContext } from '../target.js';
import type { Section } from '../../model/types.js';
import { pageHooksSource } from './pagedjs_fixes.js';
import { PAGED_SETTINGS, patchedPolyfill } from './pagedjs_patches/index.js';
import { cleanTextLayer } from './text_layer.js';
import { fitWideTables } from './fit.js';
import { readPageStarts, type PageStart } from './page_starts.js';
import { FLOAT_HOOK_SOURCE } from './floats.js';
import { addCount, addTiming } from '../../util/timing.js';
import { describeBlocked, PAGE_URL, requestHandler, type ServedFiles } from './server.js';
import { newWindow, openPage } from './chrome.js';

const PROGRESS = '__samizdatPageLaidOut';

export interface PageFact {
  /** 1-based page number. */
  page: number;
  blank: boolean;
}

export interface LayoutResult {
  /** The printed PDF; empty when `joined` holds it, read by pdf-lib and not written out yet. */
  pdf: Uint8Array;
  /**
   * A long book's chunks joined (parallel.ts), handed to the finishing as pdf-lib has it instead of
   * being written out and read again (two passes over every page of the book).
   */
  joined?: PDFDocument;
  pages: PageFact[];
  /** Heading id → 1-based page. */
  headingPages: Map<string, number>;
  /** Where each page begins in the text (for the EPUB's page list). */
  pageStarts: PageStart[];
}

interface Watch {
  pages: number;
  fail?: (e: Error) => void;
}

/**
 * `tagged`: Chromium's tagged PDF (a structure tree for assistive technology), the default. The parts
 * of a long book laid out in chunks are printed without (tagged: false): the join (join.ts) keeps no
 * structure tree, and tagging cost a fifth of the printing time there (full generated book: 11.5 s of
 * page.pdf() in all with, 9.4 s without).
 */
export async function layOut(
  ctx: BuildContext,
  pool: PagePool,
  files: ServedFiles,
  headingIds: string[],
  inspect?: (page: Page) => Promise<void>,
  { tagged = true, onStart }: { tagged?: boolean; onStart?: () => void } = {},
): Promise<LayoutResult> {
  const page = await pool.take();
  const watch: Watch = { pages: 0 };
  const failed = new Promise<never>((_, reject) => {
    watch.fail = reject;
  });
  failed.catch(() => undefined);
  const unwire = await wire(ctx, page, files, watch);
  let reusable = false;
  const timeoutMs = ctx.options.pdf.timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BuildError(`PDF layout timed out after ${Math.round(timeoutMs / 1000)} s with ${watch.pages} page(s) laid out; raise pdf.timeout in book.yaml if the book is very long`)),
      timeoutMs,
    );
  });
  const onAbort = () => watch.fail?.(new BuildError('PDF layout interrupted'));
  ctx.signal.addEventListener('abort', onAbort);
  if (ctx.signal.aborted) onAbort();
  const guard = <T>(p: Promise<T>) => Promise.race([p, failed, timeout]);
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    addTiming(stage, now - t);
    t = now;
  };
  try {
    await guard(page.goto(PAGE_URL, { waitUntil: 'load', timeout: 0 }));
    await guard(page.evaluate(() => document.fonts.ready.then(() => undefined)));
    // A refused image would print as a broken-image icon; the book shows its alt text instead.
    await guard(page.evaluate(replaceBrokenImages));
    // Tables wider than the text block are set smaller before layout (fit.ts).
    await guard(page.evaluate(fitWideTables));
    lap('pdf-load');
    // Paged.js, our hooks and the floats were loaded with the document (wire()).
    await guard(checkpoint(ctx.signal, 'layout'));
    onStart?.();
    await guard(
      page.evaluate(async () => {
        await (window as unknown as { PagedPolyfill: { preview(): Promise<unknown> } }).PagedPolyfill.preview();
      }),
    ).catch(async (e: Error) => {
      if (e instanceof BuildError) throw e;
      throw new BuildError(await failureMessage(ctx, page, e, watch.pages));
    });
    ctx.log.endProgress();
    lap('pdf-paged');
    addCount('pdf-layouts');
    addCount('pdf-floated', (await guard(page.evaluate('window.__samizdatFloats || 0'))) as number);
    const pageStarts = await guard(page.evaluate(readPageStarts)); // before the text layer changes hyphens
    const facts = await guard(page.evaluate(readFacts, headingIds));
    if (inspect) await guard(inspect(page)); // e.g. the chunk's page count (parallel.ts)
    await guard(cleanTextLayer(page)); // soft hyphens out of the PDF's text (text_layer.ts)
    await guard(checkpoint(ctx.signal, 'print'));
    lap('pdf-read');
    const pdf = await guard(page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: 0, tagged }));
    lap('pdf-print');
    reusable = true;
    return { pdf, pages: facts.pages, headingPages: new Map(facts.headings), pageStarts };
  } catch (e) {
    if (e instanceof BuildError) throw e;
    throw new BuildError(`PDF layout failed: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    ctx.log.endProgress();
    unwire();
    if (reusable) pool.give(page);
    else await pool.discard(page);
  }
}

/** What a page in use is told: its layout's progress, set by wire() and taken back by its unwire function. */
const progressOf = new WeakMap<Page, (n: number) => void>();
/** Pages that have the request interception and the progress function already (a pooled page, used again). */
const prepared = new WeakSet<Page>();

/** Listens to one layout's page; returns the function that stops listening (before the page is used again). */
async function wire(ctx: BuildContext, page: Page, files: ServedFiles, watch: Watch): Promise<() => void> {
  const reported = new Set<string>();
  const warnOnce = (code: string, msg: string) => {
    if (reported.has(msg)) return;
    reported.add(msg);
    ctx.diags.warn(code, msg);
  };
  const onRequest = requestHandler(files, (url) => warnOnce('pdf-blocked', `the PDF may not load ${describeBlocked(url)}; only files inside the book folder are used`));
  // An exception inside Paged.js (e.g. in its CSS polisher) ends the layout instead of leaving it hanging.
  const onError = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    void failureMessage(ctx, page, e, watch.pages).then((m) => watch.fail?.(new BuildError(m)));
  };
  const onConsole = (msg: ConsoleMessage) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    // Aborted requests are already reported by the request handler.
    if (/net::ERR_BLOCKED_BY_CLIENT|net::ERR_FILE_NOT_FOUND|Failed to load resource/.test(text)) return;
    if (/Not allowed to load local resource/.test(text)) warnOnce('pdf-blocked', `the PDF may not load ${text.replace(/^.*resource:\s*/, '')}; only files inside the book folder are used`);
    else warnOnce('pdf-console', `browser console while laying out the PDF: ${text}`);
  };
  page.on('request', onRequest);
  page.on('pageerror', onError);
  page.on('console', onConsole);
  progressOf.set(page, (n: number) => {
    watch.pages = n;
    ctx.log.progress('pdf: pages laid out', n);
  });
  await prepare(page);
  return () => {
    page.off('request', onRequest);
    page.off('pageerror', onError);
    page.off('console', onConsole);
    progressOf.delete(page);
  };
}

/**
 * What every layout page has, once: the request interception and the progress function (routed to
 * the layout using the page now), and Paged.js (auto: false, so that the layout starts when we say and
 * its promise tells us when it ends), our hooks and the float hook (floats.ts), run as each document
 * starts: a page used again compiles them from its renderer's cache instead of being sent ~1 MB of
 * script for each layout.
 */
async function prepare(page: Page): Promise<void> {
  if (prepared.has(page)) return;
  prepared.add(page);
  // One script, so that its parts run in this order; asked for at once, not one answer after another.
  await Promise.all([
    page.setRequestInterception(true),
    page.exposeFunction(PROGRESS, (n: number) => progressOf.get(page)?.(n)),
    page.evaluateOnNewDocument(startScript()),
  ]);
}

/** What runs as each layout document starts: Paged.js's settings, Paged.js (patched), our hooks, the float hook. */
function startScript(): string {
  return [`window.PagedConfig = { auto: false, settings: ${JSON.stringify(PAGED_SETTINGS)} };`, patchedPolyfill(), pageHooksSource(PROGRESS), FLOAT_HOOK_SOURCE].join('\n;\n');
}

/**
 * A layout page made ready ahead of its layout (prepared). Not loaded with an empty document to
 * compile Paged.js ahead: measured, that saves less (~0.05 s) than the round trips it costs when the
 * page is wanted before they are done (this thread is busy with the book meanwhile).
 */
async function warmPage(page: Page): Promise<Page> {
  await prepare(page);
  return page;
}

/**
 * Layout pages of one browser context of their own, kept for the next layout: a page used again keeps
 * its renderer process and the compiled Paged.js, which a new page starts again (~0.15 s a chunk of a
 * long book). `PagePool.warm` starts making the first page ready at once, while the book is still being
 * prepared. A page goes back only after a layout that ended well; a failed one is closed.
 */
export class PagePool {
  private readonly free: Page[] = [];
  private warming: Promise<Page> | undefined;
  /** Pages the pool has (free, being made ready or in use): at most MAX_PAGES. */
  private count = 1;
  /** Layouts waiting for a page while the pool has MAX_PAGES in use. */
  private readonly waiting: ((page: Page) => void)[] = [];

  /**
   * A worker's pages: one laid out while the other prints. Each page is a renderer process that keeps
   * growing (~250 MB each by the end of the full book); a chunk whose printing waits for the chunks
   * before it to be counted used to make its worker open a third page, and more.
   */
  static readonly MAX_PAGES = 2;

  private constructor(private readonly context: BrowserContext) {}

  /**
   * A pool in a browser context of its own (its own renderer process) whose first page is made ready
   * now; `opened`: that context and page, opened already (chrome.ts opens them as the browser starts).
   */
  static warm(browser: Browser, opened?: Promise<{ context: BrowserContext; page: Page }>): Promise<PagePool> {
    const made = (async () => {
      addCount('pdf-pages-opened');
      const { context, page } = opened ? await opened : await openPage(browser);
      const pool = new PagePool(context);
      pool.warming = warmPage(page);
      pool.warming.catch(() => undefined);
      return pool;
    })();
    made.catch(() => undefined);
    return made;
  }

  private newPage(): Promise<Page> {
    addCount('pdf-pages-opened');
    return newWindow(this.context);
  }

  async take(): Promise<Page> {
    let page = this.free.pop();
    if (!page && this.warming) {
      const warming = this.warming;
      this.warming = undefined;
      page = await warming.catch(() => undefined);
      if (!page) this.count--;
    }
    if (page) return page;
    if (this.count >= PagePool.MAX_PAGES) return new Promise((resolve) => this.waiting.push(resolve));
    this.count++;
    return this.newPage().catch((e: unknown) => {
      this.count--;
      throw e;
    });
  }

  give(page: Page): void {
    const next = this.waiting.shift();
    if (next) next(page);
    else this.free.push(page);
  }

  /** A page that cannot be used again (its layout failed): closed, and a layout waiting for a page gets a new one. */
  async discard(page: Page): Promise<void> {
    this.count--;
    await page.close().catch(() => undefined);
    const next = this.waiting.shift();
    if (next) void this.take().then(next, () => undefined);
  }

  /** Closes the pool's context, and with it every page of the pool (one still being made ready too). */
  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}

/**
 * What a Paged.js failure says: the page it was on, the manuscript place of the block it was laying out
 * (data-src on the print HTML's blocks), and, when the error is an invalid `#id` selector, the heading
 * that has that id. Paged.js's own message follows, first line only (Puppeteer appends a stack).
 */
async function failureMessage(ctx: BuildContext, page: Page, e: Error, pages: number): Promise<string> {
  const first = (e.message.split('\n')[0] ?? '').trim();
  const at = await Promise.race([
    page.evaluate(failurePlace).catch(() => undefined),
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref()),
  ]);
  const parts = [`Paged.js failed while laying out page ${pages + 1} of the PDF`];
  if (at) parts.push(`, at ${at}`);
  const id = /["'`]#([^"'`\s]+)["'`] is not a valid selector/.exec(e.message)?.[1];
  const heading = id ? flatSections(ctx.book.outline).find((s) => s.id === id) : undefined;
  if (heading) parts.push(`; the selector "#${id}" is the id of the heading at ${heading.source.file}:${heading.source.line}`);
  parts.push(`: ${first}`);
  if (!at && !heading) parts.push(" (check the book's styles/print.css)");
  return parts.join('');
}

const flatSections = (ss: Section[]): Section[] => ss.flatMap((s) => [s, ...flatSections(s.children)]);

/**
 * Runs in the page after a failure: where in the manuscript it was, from the data-src ("file:line") of
 * the print HTML's blocks. When the node Paged.js was laying out was placed on the last page, its block
 * (or the nearest block before it); when it was not (Paged.js had finished the page and looked past its
 * end, and a hook on the finished page failed), the lines on the last page. Self-contained: it is
 * serialised into the page.
 */
export function failurePlace(): string | undefined {
  const pages = document.querySelectorAll('.pagedjs_page');
  const lastPage = pages.length ? pages[pages.length - 1]! : null;
  const node = (window as unknown as { __samizdatLastNode?: Node }).__samizdatLastNode;
  let el: Element | null = node ? (node.nodeType === 1 ? (node as Element) : node.parentElement) : null;
  const ref = el?.closest('[data-ref]')?.getAttribute('data-ref');
  const placed = !!(ref && lastPage?.querySelector(`[data-ref="${CSS.escape(ref)}"]`));
  if (!placed && lastPage) {
    const marks = Array.from(lastPage.querySelectorAll('[data-src]')).map((m) => m.getAttribute('data-src')!);
    if (marks.length) {
      const [file, from] = marks[0]!.split(/:(?=\d+$)/);
      const to = marks[marks.length - 1]!.split(/:(?=\d+$)/);
      const range = to[0] === file && to[1] !== from ? `${marks[0]}–${to[1]}` : marks[0]!;
      return `${range} (the text of that page)`;
    }
  }
  if (!el) return undefined;
  const own = el.closest('[data-src]') ?? el.querySelector('[data-src]');
  if (own) return `${own.getAttribute('data-src')} (the block it was laying out)`;
  // Walk back through the document: the last block that started before this node.
  while (el) {
    const prev: Element | null = el.previousElementSibling;
    if (prev) {
      const inside = prev.querySelectorAll('[data-src]');
      const last = inside.length ? inside[inside.length - 1]! : prev.matches('[data-src]') ? prev : null;
      if (last) return `${last.getAttribute('data-src')} (the block it was laying out)`;
      el = prev;
    } else {
      el = el.parentElement;
      if (el?.matches('[data-src]')) return `${el.getAttribute('data-src')} (the block it was laying out)`;
    }
  }
  return undefined;
}

/** Runs in the page before layout. */
function replaceBrokenImages(): void {
  for (const img of Array.from(document.images)) {
    if (img.complete && img.naturalWidth > 0) continue;
    const span = document.createElement('span');
    span.className = 'missing-image';
    span.textContent = img.alt ? `[${img.alt}]` : '';
    img.replaceWith(span);
  }
}

/** Runs in the page after layout. */
function readFacts(headingIds: string[]): { pages: PageFact[]; headings: [string, number][] } {
  // Paged.js names each footnote `note-<random uuid>` and links its call there; Chromium turns those
  // ids into named destinations, so rename them after the note number to keep the PDF reproducible.
  for (const note of Array.from(document.querySelectorAll<HTMLElement>('[data-footnote-marker][data-num]:not([data-split-from])'))) {
    const old = note.id;
    note.id = `footnote-${note.dataset['num']}`;
    if (!old) continue;
    for (const a of Array.from(document.querySelectorAll(`a[href="#${CSS.escape(old)}"]`))) a.setAttribute('href', `#${note.id}`);
  }
  const pageEls = Array.from(document.querySelectorAll('.pagedjs_page'));
  const pages = pageEls.map((el, i) => ({ page: i + 1, blank: el.classList.contains('pagedjs_blank_page') }));
  const headings: [string, number][] = [];
  for (const id of headingIds) {
    const el = document.getElementById(id);
    const pageEl = el?.closest('.pagedjs_page');
    if (pageEl) headings.push([id, pageEls.indexOf(pageEl) + 1]);
  }
  return { pages, headings };
}
