/**
 * Book-length works: the layout split at chapter boundaries into chunks laid out at the same time, one
 * browser context (its own renderer process, never a throttled background tab) per worker, then
 * joined into one PDF (join.ts).
 *
 * How the pieces fit:
 * - Each chunk is the print HTML with only some chapters (chunks.ts); the front matter (title page,
 *   colophon, contents) is a chunk of its own, laid out last with the real page numbers in the table
 *   of contents (written in by CSS, no target-counter across documents).
 * - A chunk's page numbers are known only when every chunk before it is laid out, so each chunk waits
 *   after its layout (before it is printed) until all are; then its folios are set to run on (the
 *   first page's counter increment), and its first page is made odd (a blank page goes before it in
 *   the join where needed), so right-hand chapter openings stay right-hand.
 * - Heading pages, page facts and page starts are moved by each chunk's offset.
 *
 * When: SAMIZDAT_PDF_PARALLEL=on|off|auto (default auto: parallel when the estimate is over
 * PARALLEL_MIN_PAGES pages, from words/300 + figures). Workers: one per core (SAMIZDAT_PDF_WORKERS).
 */
import os from 'node:os';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import type { Book } from '../../model/types.js';
import { BuildError } from '../../diagnostics.js';
import { Logger } from '../../util/log.js';
import { addTiming } from '../../util/timing.js';
import type { BuildContext } from '../target.js';
import { layOut, type LayoutResult, type PageFact } from './layout.js';
import type { ServedFiles } from './server.js';
import { chunkHtml, frontHtml, planChunks, splitPrintHtml, type Chunk } from './chunks.js';
import { joinPdfs } from './join.js';

export const PARALLEL_MIN_PAGES = 100;

/** Pages the book will take, roughly (A5-ish type area): for the parallel choice and the progress ETA. */
export function estimatePages(book: Book): number {
  let words = 0;
  for (const ch of book.chapters) for (const t of ch.tokens) if (t.type === 'inline') words += t.content.split(/\s+/).filter(Boolean).length;
  for (const n of book.notes) for (const t of n.tokens) if (t.type === 'inline') words += t.content.split(/\s+/).filter(Boolean).length;
  return Math.max(1, Math.round(words / 300 + book.figures.length + book.chapters.length / 2 + 4));
}

export type ParallelMode = 'on' | 'off' | 'auto';

export function parallelMode(env: NodeJS.ProcessEnv = process.env): ParallelMode {
  const v = (env['SAMIZDAT_PDF_PARALLEL'] ?? 'auto').toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return 'on';
  if (['off', 'false', '0', 'no'].includes(v)) return 'off';
  return 'auto';
}

export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['SAMIZDAT_PDF_WORKERS']);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Whether this book is laid out in parallel chunks. */
export function wantParallel(ctx: BuildContext): boolean {
  const mode = parallelMode();
  if (mode === 'off') return false;
  if (ctx.book.chapters.length < 2) return false;
  if (mode === 'on') return true;
  return workerCount() > 1 && estimatePages(ctx.book) >= PARALLEL_MIN_PAGES;
}

/**
 * Progress of one or more layouts at once: pages so far out of the estimate, and the time left from
 * the pages per second so far. `logFor(i)` is a Logger for layout i (layOut reports through ctx.log).
 */
export class LayoutProgress {
  private readonly counts: number[] = [];
  private readonly started = performance.now();
  constructor(
    private readonly log: Logger,
    private readonly estimate: number,
  ) {}

  logFor(i: number): Logger {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const inner = this.log;
    return new (class extends Logger {
      override info(msg: string) {
        inner.info(msg);
      }
      override warn(msg: string) {
        inner.warn(msg);
      }
      override progress(_label: string, done: number) {
        self.counts[i] = done;
        self.report();
      }
      override endProgress() {}
    })(inner.quiet);
  }

  /** Pages laid out so far by all layouts. */
  get pages(): number {
    return this.counts.reduce((s, n) => s + (n ?? 0), 0);
  }

  private report(): void {
    const done = this.pages;
    const seconds = (performance.now() - this.started) / 1000;
    const total = Math.max(this.estimate, done);
    const rate = done / Math.max(seconds, 0.001);
    const left = rate > 0 ? Math.max(0, (total - done) / rate) : NaN;
    const eta = Number.isFinite(left) && done >= 5 ? `(~${Math.ceil(left)} s left, ${rate.toFixed(1)} pages/s)` : '';
    this.log.progress('pdf: pages laid out', done, total, eta);
  }

  end(): void {
    this.log.endProgress();
  }
}

/** The single pass with the progress estimate: the ctx to hand to layOut. */
export function withProgress(ctx: BuildContext): { ctx: BuildContext; progress: LayoutProgress } {
  const progress = new LayoutProgress(ctx.log, estimatePages(ctx.book));
  return { ctx: { ...ctx, log: progress.logFor(0) }, progress };
}

/** A counting semaphore: at most `n` layouts at a time. */
function semaphore(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

interface ChunkLayout {
  chunk: Chunk;
  result: LayoutResult;
  /** Global number of the chunk's first page. */
  start: number;
}

/** Lays the book out in chunks at once and joins them; same result shape as layOut. */
export async function layOutParallel(ctx: BuildContext, browser: Browser, files: ServedFiles, headingIds: string[]): Promise<LayoutResult> {
  const t0 = performance.now();
  const parts = splitPrintHtml(files.html);
  const workers = workerCount();
  const chunks = planChunks(ctx.book, parts, workers);
  const progress = new LayoutProgress(ctx.log, estimatePages(ctx.book));
  const limit = semaphore(workers);
  const contexts: BrowserContext[] = [];
  const newContext = async () => {
    const c = await browser.createBrowserContext();
    contexts.push(c);
    return c as unknown as Browser;
  };

  // Every chunk stops after its layout until all page counts are known, then gets its folios.
  let releaseOffsets!: (starts: number[] | Error) => void;
  const offsets = new Promise<number[] | Error>((resolve) => (releaseOffsets = resolve));
  const counted: number[] = [];
  /** Per chunk: heading id → page within the chunk. */
  const localHeadings: Map<string, number>[] = [];
  let remaining = chunks.length;
  let onAllCounted!: () => void;
  const allCounted = new Promise<void>((resolve) => (onAllCounted = resolve));

  const runChunk = async (chunk: Chunk, i: number): Promise<LayoutResult> => {
    await limit.acquire();
    let released = false;
    const release = () => {
      if (!released) (released = true), limit.release();
    };
    try {
      const chunkFiles: ServedFiles = { ...files, html: chunkHtml(parts, chunk) };
      const inspect = async (page: Page) => {
        const facts = (await page.evaluate(`(${CHUNK_FACTS})(${JSON.stringify(chunk.headingIds)})`)) as { pages: number; headings: [string, number][] };
        counted[i] = facts.pages;
        localHeadings[i] = new Map(facts.headings);
        release();
        if (--remaining === 0) onAllCounted();
        const starts = await offsets;
        if (starts instanceof Error) throw starts;
        await page.evaluate(setFolios, starts[i]!, 0);
      };
      return await layOut({ ...ctx, log: progress.logFor(i + 1) }, await newContext(), chunkFiles, chunk.headingIds, inspect);
    } finally {
      release();
    }
  };

  const frontIds = headingIds.filter((id) => !chunks.some((c) => c.headingIds.includes(id)));
  const layOutFront = async (numbers: Map<string, number> | undefined) =>
    layOut({ ...ctx, log: progress.logFor(0) }, await newContext(), { ...files, html: frontHtml(parts, numbers) }, frontIds);

  try {
    const running = chunks.map((c, i) => runChunk(c, i));
    running.forEach((p) => p.catch((e: Error) => releaseOffsets(e)));
    // The front matter first with the browser's own (wrong) numbers, for its length.
    let front = await layOutFront(undefined);
    await Promise.race([allCounted, Promise.all(running)]);
    let starts: number[] = [];
    let headingPages = new Map<string, number>();
    // Chunk starts from the front matter's length; then the front again with those numbers, until stable.
    for (let round = 0; ; round++) {
      starts = [];
      let next = front.pages.length + 1;
      for (let i = 0; i < chunks.length; i++) {
        if (next % 2 === 0) next++;
        starts.push(next);
        next += counted[i]!;
      }
      headingPages = new Map(front.headingPages);
      const numbers = new Map<string, number>();
      localHeadings.forEach((m, i) => m.forEach((page, id) => numbers.set(id, page + starts[i]! - 1)));
      if (round > 2) throw new BuildError('the front matter of the PDF does not settle on a page count');
      const again = await layOutFront(numbers);
      const same = again.pages.length === front.pages.length;
      front = again;
      if (same) {
        for (const [id, n] of numbers) headingPages.set(id, n);
        break;
      }
    }
    releaseOffsets(starts);
    const results = await Promise.all(running);
    const laid: ChunkLayout[] = results.map((result, i) => ({ chunk: chunks[i]!, result, start: starts[i]! }));
    addTiming('pdf-layout', performance.now() - t0);
    const t1 = performance.now();
    const joined = await joinPdfs([{ pdf: front.pdf, start: 1 }, ...laid.map((l) => ({ pdf: l.result.pdf, start: l.start }))]);
    addTiming('pdf-join', performance.now() - t1);
    const pages: PageFact[] = [...front.pages];
    for (const l of laid) {
      while (pages.length + 1 < l.start) pages.push({ page: pages.length + 1, text: '', blank: true });
      for (const p of l.result.pages) pages.push({ ...p, page: p.page + l.start - 1 });
    }
    for (const l of laid) for (const [id, p] of l.result.headingPages) headingPages.set(id, p + l.start - 1);
    const merged = { ...front, pdf: joined, pages, headingPages } as LayoutResult;
    // Other per-page lists (e.g. page starts for the EPUB page list) run on too.
    for (const key of Object.keys(front) as (keyof LayoutResult)[]) {
      if (key === 'pdf' || key === 'pages' || key === 'headingPages') continue;
      const lists = [front, ...laid.map((l) => l.result)].map((r) => r[key]);
      if (!lists.every(Array.isArray)) continue;
      const shift = (x: unknown, by: number) => {
        if (!x || typeof x !== 'object') return x;
        const o = { ...(x as Record<string, unknown>) };
        for (const f of ['page', 'folio']) if (typeof o[f] === 'number') o[f] = (o[f] as number) + by;
        return o;
      };
      (merged as unknown as Record<string, unknown[]>)[key] = [
        ...(lists[0] as unknown[]),
        ...laid.flatMap((l, i) => (lists[i + 1] as unknown[]).map((x) => shift(x, l.start - 1))),
      ];
    }
    ctx.log.info(`pdf: laid out in ${chunks.length} chunks by ${workers} workers (${chunks.map((c) => c.label).join(', ')})`);
    return merged;
  } finally {
    progress.end();
    releaseOffsets(new BuildError('PDF layout stopped'));
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  }
}

/** Runs in a laid-out chunk (as text: no helpers from tsx): its page count and the pages of its headings. */
const CHUNK_FACTS = `(ids) => {
  const pages = Array.from(document.querySelectorAll('.pagedjs_page'));
  const headings = [];
  for (const id of ids) {
    const el = document.getElementById(id);
    const page = el && el.closest('.pagedjs_page');
    if (page) headings.push([id, pages.indexOf(page) + 1]);
  }
  return { pages: pages.length, headings };
}`;

/** Runs in a laid-out chunk: its folios start at `start`, and counter(pages) is the book's total. */
function setFolios(start: number, total: number): void {
  const style = document.createElement('style');
  style.textContent = `.pagedjs_pages > .pagedjs_page:first-child { --pagedjs-page-counter-increment: ${start} !important; }`;
  document.head.appendChild(style);
  if (total > 0) (document.querySelector('.pagedjs_pages') as HTMLElement | null)?.style.setProperty('--pagedjs-page-count', String(total));
}
