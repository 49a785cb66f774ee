/**
 * Book-length works: the layout split at chapter boundaries into chunks laid out at the same time, one
 * browser context (its own renderer process, never a throttled background tab) per worker, whose pages
 * are used again from chunk to chunk (layout.ts PagePool), then joined into one PDF (join.ts).
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
 * When: book.yaml's pdf.parallel: auto | on | off, overridden by SAMIZDAT_PDF_PARALLEL for debugging
 * (auto: in chunks when the estimate is over PARALLEL_MIN_PAGES pages, from words/300 + figures).
 * The plan — one pass or chunks, and where the chunks end — follows from the book and its options
 * only, never from the machine: workers change the speed, never the bytes. Workers: one per core
 * (SAMIZDAT_PDF_WORKERS). Chunk size:
 * CHUNK_PAGES (SAMIZDAT_PDF_CHUNK_PAGES). SAMIZDAT_PDF_PROFILE=1 logs when each chunk is counted and
 * printed, to stderr.
 */
import { setMaxListeners } from 'node:events';
import os from 'node:os';
import type { Browser, Page } from 'puppeteer-core';
import type { Book } from '../../model/types.js';
import { BuildError } from '../../diagnostics.js';
import { Logger } from '../../util/log.js';
import { addCount, addTiming } from '../../util/timing.js';
import type { LaidFacts, LayoutCache } from './chunk_cache.js';
import type { BuildContext } from '../target.js';
import { layOut, PagePool, type LayoutResult, type PageFact } from './layout.js';
import type { ServedFiles } from './server.js';
import { chapterWeight, chunkHtml, chunkStubs, frontDocuments, frontStubs, planChunks, type Chunk, type PrintParts } from './chunks.js';
import type { PDFDocument } from 'pdf-lib';

export const PARALLEL_MIN_PAGES = 100;

/** Pages the book will take, roughly (A5-ish type area): for the parallel choice and the progress ETA. */
export function estimatePages(book: Book): number {
  let pages = estimates.get(book);
  if (pages === undefined) estimates.set(book, (pages = pagesAtLeast(book, Infinity)));
  return pages;
}
const estimates = new WeakMap<Book, number>();

/**
 * The estimate, counted only until it reaches `enough` pages (what the parallel choice needs to know:
 * a long book is not counted to its end before its layout starts).
 */
function pagesAtLeast(book: Book, enough: number): number {
  const fixed = book.figures.length + book.chapters.length / 2 + 4;
  let words = 0;
  const count = (tokens: Book['chapters'][number]['tokens']) => {
    for (const t of tokens) {
      if (t.type === 'inline') words += t.content.split(/\s+/).filter(Boolean).length;
      if (words / 300 + fixed >= enough) return true;
    }
    return false;
  };
  for (const ch of book.chapters) if (count(ch.tokens)) return Math.round(words / 300 + fixed);
  for (const n of book.notes) if (count(n.tokens)) return Math.round(words / 300 + fixed);
  return Math.max(1, Math.round(words / 300 + fixed));
}

export type ParallelMode = 'on' | 'off' | 'auto';

/** book.yaml's pdf.parallel, unless SAMIZDAT_PDF_PARALLEL (for debugging) says otherwise. */
export function parallelMode(configured: ParallelMode = 'auto', env: NodeJS.ProcessEnv = process.env): ParallelMode {
  const v = (env['SAMIZDAT_PDF_PARALLEL'] ?? '').toLowerCase();
  if (['on', 'true', '1', 'yes'].includes(v)) return 'on';
  if (['off', 'false', '0', 'no'].includes(v)) return 'off';
  if (v === 'auto') return 'auto';
  return configured;
}

export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['SAMIZDAT_PDF_WORKERS']);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/** Whether this book is laid out in parallel chunks. */
export function wantParallel(ctx: BuildContext): boolean {
  const mode = parallelMode(ctx.options.pdf.parallel);
  if (mode === 'off') return false;
  if (ctx.book.chapters.length < 2) return false;
  if (mode === 'on') return true;
  // Never the number of cores: the plan (and so the PDF's bytes) must be the same on every machine.
  return pagesAtLeast(ctx.book, PARALLEL_MIN_PAGES) >= PARALLEL_MIN_PAGES;
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
    /** Asked for at the first report (counting a long book's words is not worth delaying its layout for). */
    private readonly estimated: () => number,
  ) {}
  private estimate?: number;

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
    this.estimate ??= this.estimated();
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
  const progress = new LayoutProgress(ctx.log, () => estimatePages(ctx.book));
  return { ctx: { ...ctx, log: progress.logFor(0) }, progress };
}

interface ChunkLayout {
  chunk: Chunk;
  result: LayoutResult;
  /** Global number of the chunk's first page. */
  start: number;
}

/** A promise with its resolve function outside. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  promise.catch(() => undefined);
  return { promise, resolve };
}

/**
 * Chunks of about this many pages (estimated; a chunk is one chapter or more): Paged.js slows down as a
 * document grows, and a rebuild after an edit lays out the edited chunk again. Measured on the
 * generated full book (40 chapters of ~24 pages, 951 pages; two cores, the same loaded minutes):
 * chunks of 80 pages (10 chunks) built cold in 33.1 s and rebuilt after a one-paragraph edit in
 * 10.9 s (0.33 of cold); chunks of 20 pages (one chapter each, 40 chunks) in 43.8 s and 6.5 s (0.15).
 * Each chunk cost ~0.4 s of its own (a new page, loading, Paged.js's start, printing); since a worker's
 * pages are used again (layout.ts PagePool: no new renderer, Paged.js compiled once per page) the cold
 * build takes ~19 s against pagedjs-cli's ~46 s (npm run bench -- --only full), so the small chunks the
 * edit needs cost the cold build little.
 */
export function chunkPages(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env['SAMIZDAT_PDF_CHUNK_PAGES']);
  return Number.isFinite(n) && n >= 10 ? n : CHUNK_PAGES;
}
export const CHUNK_PAGES = 20;

/**
 * Lays the book out in chunks at once and joins them; same result shape as layOut.
 *
 * Order of work: N workers (one browser context each) take jobs from one queue, in book order: the
 * front matter first, with estimated page numbers in its contents (for its length), then the chunks.
 * A worker is free again as soon as its chunk's pages are counted; the chunk then waits only for the
 * counts of the chunks before it to know its first page, sets its folios and is printed while the
 * worker lays out the next one. The front matter is laid out once more at the end with the real
 * numbers; should that change its length (a contents line wrapping differently), every start moves
 * and the chunks are laid out again with the settled starts (slow, rare, and still right).
 *
 * With the layout cache (chunk_cache.ts): a chunk laid out before (same HTML, same engines) is counted
 * from its record without a layout, and its PDF is taken from the cache when it was printed from the
 * same first page; only chunks that changed are laid out, and the chunks after one whose page count
 * changed are laid out again with their new folios. The front matter's length from the last build
 * stands in for the estimated first layout; the result is the same bytes as a cold build's.
 */
export async function layOutParallel(
  ctx: BuildContext,
  browser: Browser,
  files: ServedFiles,
  headingIds: string[],
  parts: PrintParts,
  cache: LayoutCache | undefined,
  /** The workers' page pools, made ready while the book was prepared (pdf/index.ts); more are made if needed. */
  warmed: Promise<PagePool>[] = [],
  /** Called once, as the first layout starts (pdf/index.ts loads the finishing code then). */
  onStart: () => void = () => {},
): Promise<LayoutResult> {
  const t0 = performance.now();
  const workers = workerCount();
  const chunks = planChunks(ctx.book, parts, chunkPages());
  const progress = new LayoutProgress(ctx.log, () => estimatePages(ctx.book));
  // Every layOut listens to the build's abort signal; with many chunks that is more than Node's default 10.
  setMaxListeners(chunks.length * 2 + 20, ctx.signal);
  const prof = process.env['SAMIZDAT_PDF_PROFILE'] ? (msg: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(2)}s @${(performance.now() / 1000).toFixed(2)}] ${msg}\n`) : () => {};
  // One pool of pages per worker, each in a browser context of its own (its own renderer process,
  // never a throttled background tab): a worker's next chunk reuses a page of its last ones.
  const pools: Promise<PagePool>[] = [...warmed];
  const poolFor = (w: number) => (pools[w] ??= PagePool.warm(browser));
  // Each chunk's document and cache key, made when the chunk is planned (plan(), below).
  const htmls: string[] = [];
  const keys: string[] = [];
  let fromCache = 0;

  const frontIds = headingIds.filter((id) => !chunks.some((c) => c.headingIds.includes(id)));
  /** One document of the front matter laid out (or found in the cache) with its first folio `start`. */
  const layOutFrontDoc = async (on: () => Promise<PagePool>, html: string, start: number, what: string): Promise<LayoutResult> => {
    const key = cache?.key(html);
    const hit = key ? cache!.laid(key, start) : undefined;
    if (hit) {
      prof(`${what} from the cache, ${hit.pages.length} pages`);
      return hit;
    }
    prof(`${what} start`);
    if (what === 'contents') addCount('pdf-contents-layouts');
    const pool = await on();
    const folios = start === 1 ? undefined : (page: Page) => page.evaluate(setFolios, start, 0);
    const r = await layOut({ ...ctx, log: progress.logFor(0) }, pool, { ...files, html }, frontIds, folios, { tagged: false, onStart: startedLayout });
    if (key) cache!.store(key, start, r);
    prof(`${what} done, ${r.pages.length} pages`);
    return r;
  };
  // The title page and its colophon do not depend on the page numbers: laid out once in a build.
  let titleLaid: Promise<LayoutResult> | undefined;
  /**
   * The front matter with `numbers` in its contents: the title page and colophon, then the contents
   * on the next odd page (nav.toc breaks before a right-hand page), two documents joined as two chunks.
   */
  const layOutFront = async (on: () => Promise<PagePool>, numbers: Map<string, number>): Promise<FrontLayout> => {
    const docs = frontDocuments(parts, numbers);
    titleLaid ??= layOutFrontDoc(on, docs.title, 1, 'title page');
    const title = await titleLaid;
    const pieces: Piece[] = [{ result: title, start: 1, stubs: [] }];
    if (docs.contents !== undefined) {
      let start = title.pages.length + 1;
      if (start % 2 === 0) start++;
      pieces.push({ result: await layOutFrontDoc(on, docs.contents, start, 'contents'), start, stubs: frontStubs(parts) });
    }
    const last = pieces.at(-1)!;
    return { pieces, length: last.start + last.result.pages.length - 1 };
  };

  /** Pages of each chunk, and per chunk heading id → page within the chunk; set as each is counted. */
  const counted: number[] = [];
  const localHeadings: Map<string, number>[] = [];
  const countedEvents = chunks.map(() => deferred<void>());
  const frontLength = deferred<number>();
  // What the cache knows of each chunk (set when it is planned): a chunk laid out before is counted from its record.
  const known: (LaidFacts | undefined)[] = [];
  /** First page of chunk i when the front matter has `front` pages. */
  const startsFor = (front: number): number[] => {
    const starts: number[] = [];
    let next = front + 1;
    for (let i = 0; i < chunks.length; i++) {
      if (next % 2 === 0) next++;
      starts.push(next);
      next += counted[i] ?? 0;
    }
    return starts;
  };
  let stopped: Error | undefined;
  const stop = (e: Error) => {
    stopped ??= e;
    countedEvents.forEach((d) => d.resolve());
    frontLength.resolve(0);
    planned.resolve();
  };

  // pdf-lib reads each chunk's PDF as soon as it exists — a chunk printed now, or a cached chunk once
  // its first page is known — while other chunks are laid out and printed, so that the join only copies.
  const early: ({ result: LayoutResult; start: number; doc: Promise<PDFDocument> } | undefined)[] = [];
  // A chunk's PDF is kept (layout cache) as Chromium printed it; its text layer is repaired
  // (actual_text.ts) as it is read, while the changed chunks are laid out, rather than written out
  // again repaired by the build that printed it (a pass over every page of the chunk, in its way).
  // Only the pages the cache says needed it are repaired (most chunks have none); a chunk printed now
  // has every page looked at, and the cache is told which needed it.
  const read = async (pdf: Uint8Array, only?: number[], learned?: (pages: number[]) => void) => {
    const [{ PDFDocument }, { repairPages }] = await Promise.all([import('pdf-lib'), import('./actual_text.js')]);
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    const { pages } = repairPages(doc, only);
    learned?.(pages);
    return doc;
  };
  const preload = (i: number, result: LayoutResult, start: number, doc: Promise<PDFDocument>) => {
    doc.catch(() => undefined);
    early[i] = { result, start, doc };
  };
  // Reading them waits until a layout has started (onStart): until then this thread's time goes to
  // starting it. What follows the start runs once Paged.js has been told to begin (setImmediate), not
  // in its way.
  let readNow = false;
  let started = false;
  const startedLayout = () =>
    setImmediate(() => {
      if (!started) {
        started = true;
        onStart();
        void import('./join.js').catch(() => undefined);
        planRest();
      }
      if (readNow) return;
      readNow = true;
      preloadCached();
    });
  // The first page of each chunk in the last build (its first heading's page in the contents then):
  // what a cached chunk after a chunk being laid out again most likely starts on.
  const lastNumbers = readNumbers(cache?.recall('front-numbers'), headingIds);
  const lastStarts: (number | undefined)[] = chunks.map((c) => (c.headingIds[0] === undefined ? undefined : lastNumbers?.get(c.headingIds[0])));
  /**
   * Cached chunks read ahead: from the page they start on when that is known by now (the front
   * matter's length and every count before them), else from the page they started on in the last
   * build (an edit seldom moves pages; a wrong guess is read again once the start is known).
   */
  const preloadCached = () => {
    const front = firstFrontPages;
    if (front === undefined || !cache || !readNow) return;
    const starts = startsFor(front);
    let exact = true;
    for (let i = 0; i < chunks.length; i++) {
      const start = exact ? starts[i] : lastStarts[i];
      if (counted[i] === undefined) exact = false; // the starts after it are not known yet
      if (!known[i] || start === undefined || early[i]?.start === start) continue;
      const hit = cache.laidToRead(keys[i]!, start);
      if (hit) preload(i, hit.result, start, read(hit.result.pdf, hit.repairs));
    }
  };

  /** Lays out chunk i; with `fixedStart` its first page is already known (the slow path). */
  const layOutChunk = async (on: PagePool, i: number, freeWorker: () => void, fixedStart?: number): Promise<{ result: LayoutResult; start: number }> => {
    const chunk = chunks[i]!;
    let start = fixedStart ?? 0;
    const inspect = async (page: Page) => {
      if (fixedStart === undefined) {
        const facts = (await page.evaluate(`(${CHUNK_FACTS})(${JSON.stringify(chunk.headingIds)})`)) as { pages: number; headings: [string, number][] };
        counted[i] = facts.pages;
        localHeadings[i] = new Map(facts.headings);
        prof(`chunk ${i} laid out, ${facts.pages} pages`);
        freeWorker();
        countedEvents[i]!.resolve();
        preloadCached();
        // The first page follows from the front matter and the chunks before this one.
        const front = await frontLength.promise;
        for (let k = 0; k < i; k++) await countedEvents[k]!.promise;
        if (stopped) throw stopped;
        start = startsFor(front)[i]!;
      }
      await page.evaluate(setFolios, start, 0);
    };
    addCount('pdf-chunk-layouts');
    const printed = await layOut({ ...ctx, log: progress.logFor(i + 1) }, on, { ...files, html: htmls[i]! }, chunk.headingIds, inspect, { tagged: false, onStart: startedLayout });
    if (cache) cache.store(keys[i]!, start, printed);
    prof(`chunk ${i} printed`);
    preload(i, printed, start, read(printed.pdf, undefined, (pages) => cache?.setRepairs(keys[i]!, start, pages)));
    return { result: printed, start };
  };

  // The queue: the front matter (estimated numbers, unless the cache remembers its length), then the
  // chunks not counted yet as they are planned.
  let firstFrontPages: number | undefined = cache?.hint('front-pages');
  if (firstFrontPages !== undefined) frontLength.resolve(firstFrontPages);
  const laidChunks: Promise<{ result: LayoutResult; start: number }>[] = [];
  const jobs: ((on: PagePool) => Promise<void>)[] = [];
  if (firstFrontPages === undefined) {
    jobs.push(async (on: PagePool) => {
      firstFrontPages = (await layOutFront(async () => on, estimatedNumbers(parts, estimatePages(ctx.book)))).length;
      frontLength.resolve(firstFrontPages);
      preloadCached();
    });
  }
  const chunkJob = (i: number) => async (on: PagePool) => {
    const free = deferred<void>();
    const done = layOutChunk(on, i, () => free.resolve());
    done.catch((e: Error) => stop(e));
    laidChunks[i] = done;
    // The worker moves on when the chunk is counted (or failed); printing goes on beside it.
    await Promise.race([free.promise, done.then(() => undefined, () => undefined)]);
  };
  // A rebuild after an edit that moved no page: the contents will show the page numbers of the last
  // build, so the front matter is laid out with them on a free worker while the changed chunks are,
  // instead of after them (the colophon's source hash changes with every edit). The real numbers find
  // it in the cache when they are the same; otherwise it is only work done by an idle worker.
  let speculative: Promise<unknown> | undefined;
  let frontAhead = false;
  const frontAheadJob = () => {
    if (frontAhead || !lastNumbers || firstFrontPages === undefined) return;
    frontAhead = true;
    jobs.push(async (on: PagePool) => {
      prof('front with the last numbers');
      speculative = layOutFront(async () => on, lastNumbers).catch(() => undefined);
    });
  };
  /** Makes chunk i's document and key; a chunk the cache knows is counted, any other is queued. */
  const plan = (i: number) => {
    if (htmls[i] !== undefined) return;
    htmls[i] = chunkHtml(parts, chunks[i]!);
    keys[i] = cache?.key(htmls[i]!) ?? '';
    const f = keys[i] ? cache!.facts(keys[i]!) : undefined;
    known[i] = f;
    if (f) {
      counted[i] = f.pages.length;
      localHeadings[i] = new Map(f.headingPages);
      countedEvents[i]!.resolve();
    } else {
      jobs.push(chunkJob(i));
      frontAheadJob();
    }
  };
  // Planning first the chunks of the files that changed since the last build (their documents, and
  // every other chunk's, are the same as then unless a note number or a link moved): a rebuild after
  // an edit starts laying the edited chunk out at once, and the other chunks are made and looked up
  // in the cache while it is laid out (planRest, as the first layout starts). Without a record of
  // the last build's files every chunk is planned at once, in book order.
  const planned = deferred<void>();
  let restPlanned = false;
  const planRest = () => {
    if (restPlanned) return;
    prof('the other chunks planned');
    restPlanned = true;
    for (let i = 0; i < chunks.length; i++) plan(i);
    planned.resolve();
    if (known.every(Boolean)) readNow = true;
    preloadCached();
  };
  const inputs = new Map(ctx.book.edition.inputs.map((f) => [f.path, f.sha256]));
  const lastInputs = cache?.recall('inputs');
  const changed = lastInputs && typeof lastInputs === 'object' ? new Set([...inputs].filter(([f, h]) => (lastInputs as Record<string, unknown>)[f] !== h).map(([f]) => f)) : undefined;
  const first = changed ? chunks.flatMap((c, i) => (c.chapters.some((k) => changed.has(ctx.book.chapters[k]!.source.file)) ? [i] : [])) : [];
  for (const i of first) plan(i);
  // Nothing to start on (no record, or the changed files are in no chunk or are all cached): plan it all now.
  if (!first.some((i) => !known[i])) planRest();
  else addCount('pdf-chunks-planned-first', first.length);
  const worker = async (w: number) => {
    const on = await poolFor(w);
    for (;;) {
      if (stopped) return;
      const job = jobs.shift();
      if (job) await job(on);
      else if (restPlanned) return;
      else await planned.promise; // more chunks may be queued as the rest is planned
    }
  };
  const firstContext = () => poolFor(0);

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, restPlanned ? jobs.length : workers)) }, (_, w) => worker(w))).catch((e: Error) => {
      stop(e);
      throw e;
    });
    for (const d of countedEvents) await d.promise;
    if (stopped) throw stopped;
    // The front matter again with the real numbers; until its length settles.
    let starts = startsFor(firstFrontPages ?? 0);
    let front: FrontLayout;
    let numbers = new Map<string, number>();
    for (let round = 0; ; round++) {
      if (round > 3) throw new BuildError('the front matter of the PDF does not settle on a page count');
      numbers = new Map<string, number>();
      localHeadings.forEach((m, i) => m.forEach((page, id) => numbers.set(id, page + starts[i]! - 1)));
      if (speculative && lastNumbers && sameNumbers(numbers, lastNumbers)) {
        await speculative;
        addCount('pdf-front-ahead');
      }
      const again = await layOutFront(firstContext, numbers);
      const next = startsFor(again.length);
      const same = next.every((s, i) => s === starts[i]);
      front = again;
      if (same) break;
      starts = next;
    }
    cache?.setHints({
      'front-pages': front.length,
      inputs: Object.fromEntries(inputs),
      'front-numbers': Object.fromEntries([...numbers].filter(([id]) => !frontIds.includes(id))),
    });
    // Each chunk printed from its settled first page: as laid out above, from the cache, or laid out
    // again (a chunk counted from the cache whose start moved, or the front matter changed length).
    const results: { result: LayoutResult; start: number }[] = [];
    const again: number[] = [];
    for (let i = 0; i < chunks.length; i++) {
      const laid = laidChunks[i] ? await laidChunks[i] : undefined;
      if (laid && laid.start === starts[i]) results[i] = laid;
      else if (early[i]?.start === starts[i]) {
        results[i] = { result: early[i]!.result, start: starts[i]! };
        fromCache++;
      } else {
        const hit = cache?.laid(keys[i]!, starts[i]!);
        if (hit) {
          results[i] = { result: hit, start: starts[i]! };
          fromCache++;
        } else again.push(i);
      }
    }
    if (again.length) {
      prof(`laying out again: chunks ${again.join(', ')}`);
      if (again.some((i) => laidChunks[i])) ctx.log.info('pdf: the contents changed length with the real page numbers; laying the chunks out again');
      const queue = again.slice();
      await Promise.all(
        Array.from({ length: Math.min(workers, queue.length) }, async (_, w) => {
          const on = await poolFor(w);
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) results[i] = await layOutChunk(on, i, () => undefined, starts[i]);
        }),
      );
    }
    addCount('pdf-chunks-cached', fromCache);
    const laid: ChunkLayout[] = results.map((r, i) => ({ chunk: chunks[i]!, result: r.result, start: r.start }));
    addTiming('pdf-layout', performance.now() - t0);
    const t1 = performance.now();
    const loaded = (i: number, l: ChunkLayout) => (early[i]?.start === l.start && early[i]!.result === l.result ? early[i]!.doc : undefined);
    const { joinDocuments } = await import('./join.js');
    const joined = await joinDocuments([
      ...front.pieces.map((p) => ({ pdf: p.result.pdf, start: p.start, stubs: p.stubs })),
      ...laid.map((l, i) => ({ pdf: l.result.pdf, doc: loaded(i, l), start: l.start, stubs: chunkStubs(parts, l.chunk) })),
    ]);
    addTiming('pdf-join', performance.now() - t1);
    prof('joined');
    const all = concatLayouts([...front.pieces, ...laid.map((l) => ({ result: l.result, start: l.start }))]);
    // Print on demand reads the interior as written (pod.ts); otherwise the finishing takes the joined document as it is.
    const merged: LayoutResult = ctx.options.print ? { ...all, pdf: await joined.save({ useObjectStreams: false, objectsPerTick: Infinity }) } : { ...all, joined };
    const cachedNote = cache ? `; ${fromCache} from the layout cache` : '';
    ctx.log.info(`pdf: laid out in ${chunks.length} chunks by ${workers} workers (${chunks.map((c) => c.label).join(', ')})${cachedNote}`);
    return merged;
  } finally {
    progress.end();
    stop(new BuildError('PDF layout stopped'));
    await Promise.allSettled([...laidChunks, speculative]);
    // The pools made here; the warmed ones are closed by whoever made them.
    await Promise.all(pools.slice(warmed.length).map((p) => p.then((pool) => pool.close(), () => undefined)));
  }
}

/** A laid-out document of the book and the page it starts on (with the stand-ins it carries, chunks.ts). */
interface Piece {
  result: LayoutResult;
  start: number;
  stubs?: string[];
}

/** The front matter as laid out: its documents (title page and colophon, contents) and its length in pages. */
interface FrontLayout {
  pieces: Piece[];
  length: number;
}

/**
 * The facts of documents laid out one after another, as one: pages numbered on (blank pages where a
 * document starts after a gap), heading pages, and every other per-page list (e.g. page starts) with
 * its page numbers and folios moved by where its document starts. No PDF: the join makes that.
 */
function concatLayouts(pieces: Piece[]): LayoutResult {
  const pages: PageFact[] = [];
  const headingPages = new Map<string, number>();
  for (const { result, start } of pieces) {
    while (pages.length + 1 < start) pages.push({ page: pages.length + 1, blank: true });
    for (const p of result.pages) pages.push({ ...p, page: p.page + start - 1 });
    for (const [id, p] of result.headingPages) headingPages.set(id, p + start - 1);
  }
  const merged = { ...pieces[0]!.result, pdf: new Uint8Array(0), pages, headingPages } as LayoutResult;
  const shift = (x: unknown, by: number) => {
    if (!x || typeof x !== 'object') return x;
    const o = { ...(x as Record<string, unknown>) };
    for (const f of ['page', 'folio']) if (typeof o[f] === 'number') o[f] = (o[f] as number) + by;
    return o;
  };
  for (const key of Object.keys(pieces[0]!.result) as (keyof LayoutResult)[]) {
    if (key === 'pdf' || key === 'joined' || key === 'pages' || key === 'headingPages') continue;
    const lists = pieces.map((p) => p.result[key]);
    if (!lists.every(Array.isArray)) continue;
    (merged as unknown as Record<string, unknown[]>)[key] = pieces.flatMap((p, i) => (lists[i] as unknown[]).map((x) => shift(x, p.start - 1)));
  }
  return merged;
}

/** The contents' page numbers remembered from the last build, when they are numbers for exactly these headings. */
function readNumbers(v: unknown, headingIds: string[]): Map<string, number> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const m = new Map(Object.entries(v as Record<string, unknown>));
  if (![...m.values()].every((n) => Number.isInteger(n))) return undefined;
  const ids = new Set(headingIds);
  if (![...m.keys()].every((id) => ids.has(id))) return undefined;
  return m as Map<string, number>;
}

const sameNumbers = (a: Map<string, number>, b: Map<string, number>) => a.size === b.size && [...a].every(([id, n]) => b.get(id) === n);

/**
 * Page numbers for the first layout of the contents, before any chunk is counted: each heading's
 * share of the text times the estimated length, so that the numbers have about the right width.
 */
function estimatedNumbers(parts: PrintParts, estimate: number): Map<string, number> {
  const total = parts.chapters.reduce((s, c) => s + chapterWeight(c), 0) || 1;
  const numbers = new Map<string, number>();
  let before = 0;
  for (const c of parts.chapters) {
    // Headings spread evenly through their chapter: only the numbers' width matters here.
    c.headingIds.forEach((id, k) => numbers.set(id, Math.max(1, Math.round(((before + (k / c.headingIds.length) * chapterWeight(c)) / total) * estimate))));
    before += chapterWeight(c);
  }
  return numbers;
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
