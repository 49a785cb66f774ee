/** The print edition: Markdown → print HTML → Paged.js in headless Chromium → PDF finished with pdf-lib. */
import type { Target } from '../target.js';
import type { Section } from '../../model/types.js';
import { imageVariants } from '../../assets/images.js';
import { discardEarly, findChrome, takeOrLaunch } from './chrome.js';
import { fontFaceCss } from './fonts.js';
import { bookStack } from '../../assets/glyphs.js';
import { browserEngines, printCss, printHtml, printParts, type PrintHtmlOptions } from './html.js';
import { layOut, PagePool, type LayoutResult } from './layout.js';
import { layOutParallel, wantParallel, withProgress, workerCount } from './parallel.js';
import { pageCss, parsePageSize } from './page_size.js';
import { FONT_URL, imageUrl } from './server.js';
import { parseLength } from '../../print/sheet_sizes.js';
import { layOutCovers } from './cover.js';
import { addCount, timed } from '../../util/timing.js';
import { LayoutCache } from './chunk_cache.js';
import type { BuildContext } from '../target.js';
import type { ServedFiles } from './server.js';
import { EXPORT_FONT_URL, exportImageUrl, exportPrintHtml } from './export_html.js';
import { hyphenateBook } from './hyphenate.js';
import type { CoverSpread } from '../../print/services.js';

const allIds = (sections: Section[]): string[] => sections.flatMap((s) => [s.id, ...allIds(s.children)]);

/**
 * The code that works on the printed PDF (pdf-lib: finishing, covers, joining, print finishing, print
 * on demand) is loaded while the browser lays the book out (`later`, called as the layout starts),
 * not before: this thread is busy with the book until then, and idle during the layout.
 */
const finishing = () => import('./finish.js');
const printing = () => import('../../print/index.js');
const onDemand = () => import('./pod.js');
function later(ctx: BuildContext): void {
  for (const load of [finishing, printing, ...(ctx.options.print ? [onDemand] : [])]) void load().catch(() => undefined);
}

/** The single pass, unless the layout cache (chunk_cache.ts) has this very document laid out. */
async function layOutOnce(ctx: BuildContext, pool: PagePool, files: ServedFiles, headingIds: string[], cache: LayoutCache | undefined, onStart: () => void): Promise<LayoutResult> {
  const key = cache?.key(files.html);
  const hit = key ? cache!.laid(key, 1) : undefined;
  if (hit) {
    addCount('pdf-chunks-cached');
    ctx.log.info('pdf: the layout is unchanged (layout cache)');
    return hit;
  }
  const laid = await layOut(withProgress(ctx).ctx, pool, files, headingIds, undefined, { onStart });
  if (key) cache!.store(key, 1, laid);
  return laid;
}

export const pdfTarget: Target = {
  format: 'pdf',
  coolDown: discardEarly,
  async build(ctx) {
    const { book, options } = ctx;
    // What can fail without a browser is checked before one is started.
    const size = parsePageSize(options.pdf.size);
    const chrome = findChrome(options.chrome);
    // Print on demand: the trim and bleed the service takes, checked before the browser starts.
    const bleedPt = parseLength(options.pdf.bleed) ?? 0;
    if (options.print) (await onDemand()).checkPodOptions(ctx, size, bleedPt);
    // Chromium starts while the images are made and the text hyphenated (it is closed again if they fail).
    const launching = timed('pdf-chrome', () => takeOrLaunch(chrome, options.pdf.timeoutMs));
    launching.catch(() => undefined);
    // Long books in chunks laid out at once (parallel.ts); SAMIZDAT_PDF_PARALLEL=on|off|auto.
    // Chunks start on right-hand pages after the front matter: only for books laid out that way.
    const parallel = options.pdf.frontMatter && options.pdf.chapterStart === 'right' && wantParallel(ctx);
    // The layout's pages (a browser context each, one per worker) are made ready as soon as the browser is up.
    const warming = launching.then((r) => Array.from({ length: parallel ? workerCount() : 1 }, (_, i) => (i === 0 && r.pool) || PagePool.warm(r.browser)));
    warming.catch(() => undefined);
    let variants: Awaited<ReturnType<typeof imageVariants>>;
    try {
      variants = await timed('pdf-images', () => imageVariants(ctx, 'pdf'));
      // Soft hyphens for every text, ahead of rendering and interruptible (the renderer looks them up).
      await timed('pdf-hyphenate', () => hyphenateBook(book, ctx.signal));
    } catch (e) {
      await launching.then((r) => r.close(), () => undefined);
      throw e;
    }
    const running = await launching;
    // Only the faces the book's characters need (the coverage check has warned of any no face has).
    const fontFaces = fontFaceCss(bookStack(book), FONT_URL);
    const css = printCss(book, fontFaces, pageCss(size, options.pdf.bleed, book.meta.dir));
    const htmlOptions = (o: PrintHtmlOptions): PrintHtmlOptions => ({
      gray: options.pdf.color === 'gray',
      chapterStart: options.pdf.chapterStart,
      frontMatter: options.pdf.frontMatter,
      ...o,
    });
    const url = (id: string) => imageUrl(id, variants.get(id)?.name ?? 'missing');
    const html = (o: PrintHtmlOptions = {}) => printHtml(book, css, url, htmlOptions(o));
    const files = { html: '', bookRoot: book.root, images: new Map([...variants].map(([id, v]) => [id, v.file])) };

    // Covers (pdf.cover, the default): a cover document of four pages, the size of an interior page.
    const coverUrl = book.meta.cover && variants.has(book.meta.cover) ? imageUrl(book.meta.cover, variants.get(book.meta.cover)!.name) : undefined;
    const logoUrl = book.meta.logo && variants.has(book.meta.logo) ? imageUrl(book.meta.logo, variants.get(book.meta.logo)!.name) : undefined;
    const coverSpec = options.pdf.cover ? { book, size, bleedPt: parseLength(options.pdf.bleed) ?? 0, fontFaces, coverUrl, insides: options.pdf.insideCovers } : undefined;

    let pod: { spread: CoverSpread; cover: Uint8Array; guides: Uint8Array } | undefined;

    let laid;
    let covers: Uint8Array | undefined;
    let closing: Promise<void> | undefined;
    // The covers are printed in a tab of their own while the interior is laid out.
    // The layout cache (chunk_cache.ts), once for the covers and the interior.
    const cache = await LayoutCache.open(book.root, running.browser);
    const coversLaid = coverSpec ? timed('pdf-covers', () => layOutCovers(ctx, running.browser, files, coverSpec, cache)) : undefined;
    coversLaid?.catch(() => undefined);
    let laidOut = false;
    try {
      const pools = await warming;
      const started = () => later(ctx);
      try {
        laid = parallel
          ? await layOutParallel(ctx, running.browser, files, allIds(book.outline), printParts(book, css, url, htmlOptions({ engines: await browserEngines(ctx, running.browser), contentsStubs: true })), cache, pools, started)
          : await layOutOnce(ctx, await pools[0]!, { ...files, html: html({ engines: await browserEngines(ctx, running.browser) }) }, allIds(book.outline), cache, started);
      } finally {
        await Promise.all(pools.map((p) => p.then((pool) => pool.close(), () => undefined)));
      }
      covers = await coversLaid;
      if (options.print) {
        const { podSpread, layOutPod } = await onDemand();
        const spread = podSpread(ctx, size, laid.pages.length);
        const made = await timed('pdf-pod-cover', () => layOutPod(ctx, running.browser, files, spread, fontFaces, coverUrl, logoUrl));
        pod = { spread, ...made };
      }
      laidOut = true;
    } finally {
      await coversLaid?.catch(() => undefined);
      // The browser closes (its processes end) while the PDF is finished; a build that failed (or was
      // stopped) ends only when it is closed.
      closing = timed('pdf-close', () => running.close());
      if (!laidOut) await closing;
    }
    try {
      // For the benchmark: the same print HTML as a folder another Paged.js runner can lay out.
      const exportDir = process.env['SAMIZDAT_PRINT_HTML'];
      if (exportDir) {
        const exportCss = printCss(book, fontFaceCss(bookStack(book), EXPORT_FONT_URL), pageCss(size, options.pdf.bleed, book.meta.dir));
        const exported = printHtml(book, exportCss, (id) => exportImageUrl(variants.get(id)?.name ?? 'missing'), htmlOptions({ engines: ctx.facts.engines }));
        // The book's own files under the variants' names (a variant's format may differ from its source's: browsers sniff).
        const originalName = (id: string) => `${id.replace(/[^\w]+/g, '-')}-${variants.get(id)?.name ?? 'missing'}`;
        const originals = printHtml(book, exportCss, (id) => exportImageUrl(originalName(id), 'originals'), htmlOptions({ engines: ctx.facts.engines }));
        const originalFiles = new Map([...variants.keys()].map((id) => [originalName(id), book.assets.get(id)!.path]));
        exportPrintHtml(exportDir, exported, new Map([...variants.values()].map((v) => [v.name, v.file])), { html: originals, images: originalFiles });
      }
      ctx.facts.covers = !!covers;
      // Headings move by the pages in front of the interior; the folios printed on the pages do not.
      const { finishWithCovers } = await finishing();
      const finished = await timed('pdf-finish', () =>
        finishWithCovers(laid.joined ?? laid.pdf, { meta: book.meta, outline: book.outline, headingPages: laid.headingPages, sourceDateEpoch: options.sourceDateEpoch }, covers ? { pdf: covers, lang: book.meta.lang } : undefined),
      );
      const pdf = finished.pdf;
      const placed = finished.covers;
      const coverNote = placed ? `; ${laid.pages.length} inside, ${placed.front + placed.back} cover pages${coverUrl ? '' : ' (typographic)'}${placed.padded ? ', 1 blank to end the interior on a left-hand page' : ''}` : '';
      ctx.stage.write(`${book.meta.slug}.pdf`, pdf, 'pdf');
      // Where each printed folio begins (title page = 1), with or without covers: the EPUB's page list.
      ctx.facts.pageStarts = laid.pageStarts;
      const blanks = laid.pages.filter((p) => p.blank).length;
      ctx.log.info(`pdf: ${placed?.pages ?? laid.pages.length} pages (${size.label}${coverNote}${blanks ? `, ${blanks} blank for right-hand chapter starts` : ''})`);
      await (await printing()).finishPrint(ctx, `${book.meta.slug}.pdf`);
      if (pod) {
        const { writePod } = await onDemand();
        await timed('pdf-pod', () => writePod(ctx, { laid: laid.pdf, headingPages: laid.headingPages, size, bleedPt, ...pod! }));
      }
    } finally {
      await closing;
    }
  },
};
