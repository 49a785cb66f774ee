/**
 * The print edition's covers: a small document of four fixed-size pages (front cover, inside front,
 * inside back, back cover) laid out in the same Chromium as the interior but without Paged.js, then
 * put around the interior with pdf-lib (finish.ts attachCovers). Each cover page is the size of an interior page as Paged.js
 * makes it (trim + bleed on every side), so the page boxes and crop marks of src/print fit them too.
 *
 *   front   the cover image (book.meta.cover) over the whole paper, bleed included, object-fit: cover,
 *           title, subtitle and authors on an opaque band; without an image, a typographic cover
 *   inside  blank (front and back); a mini-zine has no inside covers (insides: false)
 *   back    the blurb (meta.description), publisher and identifier
 *
 * The interior keeps its folios (title page = 1) and starts on a right-hand page (PDF page 3); when
 * it has an odd number of pages a blank one ends it, so the back cover is an even, left-hand page.
 * Page labels (page_labels.ts) make viewers show the printed folios and name the cover pages.
 */
import type { Browser } from 'puppeteer-core';
import type { LayoutCache } from './chunk_cache.js';
import { newWindow } from './chrome.js';
import { BuildError } from '../../diagnostics.js';
import type { Book } from '../../model/types.js';
import { escapeHtml } from '../../render/base.js';
import { readTheme } from '../../styles.js';
import type { BuildContext } from '../target.js';
import type { PageSize } from './page_size.js';
import { describeBlocked, PAGE_URL, requestHandler, type ServedFiles } from './server.js';


const PT_PER_MM = 72 / 25.4;
const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;

export interface CoverSpec {
  book: Book;
  size: PageSize;
  /** Bleed on every side, in points (0 for none). */
  bleedPt: number;
  /** @font-face rules. */
  fontFaces: string;
  /** URL of the cover image variant, when the book has a cover image. */
  coverUrl?: string;
  /** Blank inside covers (default); without, only the front and back cover pages. */
  insides?: boolean;
}

/** Paper size in points (trim + bleed on every side). */
export interface Paper {
  width: number;
  height: number;
}

export const paperOf = (spec: CoverSpec): Paper => ({
  width: spec.size.widthMm * PT_PER_MM + 2 * spec.bleedPt,
  height: spec.size.heightMm * PT_PER_MM + 2 * spec.bleedPt,
});

/**
 * The cover document: page geometry, cover.css (built-in, then the book's own), four pages.
 * `printed`: the page size Chromium really gives the @page size (it rounds it up a little, as it
 * does for the interior); the cover pages fill that, so no sliver of white is left at an edge.
 */
/** The front and back cover pages' markup (also used by the one-piece cover, pod_cover.ts). */
export function coverSections(spec: Pick<CoverSpec, 'book' | 'coverUrl'>): { front: string; back: string } {
  const m = spec.book.meta;
  const e = escapeHtml;
  const authors = m.authors.map(e).join(', ');
  const words = [
    `<h1 class="cover-title">${e(m.title)}</h1>`,
    m.subtitle ? `<p class="cover-subtitle">${e(m.subtitle)}</p>` : '',
    spec.coverUrl ? '' : '<div class="cover-rule"></div>',
    authors ? `<p class="cover-author">${authors}</p>` : '',
  ].join('\n');
  const front = spec.coverUrl
    ? `<section class="cover-page cover-front pictorial" id="cover-front">
<img class="cover-image" src="${e(spec.coverUrl)}" alt="">
<div class="cover-band">
${words}
</div>
</section>`
    : `<section class="cover-page cover-front typographic" id="cover-front">
<div class="cover-band">
${words}
</div>
</section>`;
  const back = `<section class="cover-page cover-back" id="cover-back">
<div class="cover-text">
${m.description ? `<p class="cover-blurb">${e(m.description)}</p>` : ''}
<div class="cover-imprint">
${m.publisher ? `<p class="cover-publisher">${e(m.publisher)}</p>` : ''}
${m.identifier ? `<p class="cover-identifier">${e(m.identifier)}</p>` : ''}
</div>
</div>
</section>`;
  return { front, back };
}

export function coverHtml(spec: CoverSpec, printed: Paper = paperOf(spec)): string {
  const { book, size, bleedPt } = spec;
  const m = book.meta;
  const w = size.widthMm * PT_PER_MM;
  const h = size.heightMm * PT_PER_MM;
  const paper = paperOf(spec);
  const e = escapeHtml;
  const { front, back } = coverSections(spec);
  return `<!DOCTYPE html>
<html lang="${e(m.lang)}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<title>${e(m.title)}</title>
<style>
${spec.fontFaces}
@page { size: ${pt(paper.width)} ${pt(paper.height)}; margin: 0; }
:root { --trim-width: ${pt(w)}; --trim-height: ${pt(h)}; --bleed: ${pt(bleedPt)}; --paper-width: ${pt(printed.width)}; --paper-height: ${pt(printed.height)}; }
${readTheme(book, 'cover.css')}
</style>
</head>
<body>
${front}
${spec.insides === false ? '' : `<section class="cover-page cover-inside" id="cover-inside-front"></section>
<section class="cover-page cover-inside" id="cover-inside-back"></section>`}
${back}
</body>
</html>
`;
}

/** Prints the cover document (four pages, or two without insides) to a PDF in `browser`. */
export async function layOutCovers(ctx: BuildContext, browser: Browser, files: ServedFiles, spec: CoverSpec, cache: LayoutCache | undefined): Promise<Uint8Array> {
  const html = coverHtml(spec);
  // From the layout cache when the same cover document was printed before without a warning (a
  // warning is given again by printing again).
  const key = cache?.key(html);
  const hit = key ? cache!.laid(key, 1) : undefined;
  if (hit) return hit.pdf;
  const warnings = ctx.diags.warnings.length;
  const pdf = await printFixedDocument(ctx, browser, files, html, 'PDF cover');
  if (key && ctx.diags.warnings.length === warnings) cache!.store(key, 1, { pdf, pages: [], headingPages: new Map(), pageStarts: [] });
  return pdf;
}

/**
 * Prints a document of fixed-size pages (no Paged.js) in `browser`, loading only the book's files:
 * the covers, and the one-piece cover of print on demand. `what` names it in messages.
 */
export async function printFixedDocument(ctx: BuildContext, browser: Browser, files: ServedFiles, html: string, what: string): Promise<Uint8Array> {
  // A window of its own (chrome.ts newWindow), never a tab hiding a layout's tab.
  const page = await newWindow(browser);
  const reported = new Set<string>();
  const timeoutMs = ctx.options.pdf.timeoutMs;
  page.setDefaultTimeout(timeoutMs);
  const served: ServedFiles = { ...files, html };
  const print = async (): Promise<Uint8Array> => {
    await page.goto(PAGE_URL, { waitUntil: 'load', timeout: timeoutMs });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return page.pdf({ preferCSSPageSize: true, printBackground: true, timeout: timeoutMs });
  };
  try {
    await page.setRequestInterception(true);
    page.on(
      'request',
      requestHandler(served, (url) => {
        const msg = `the ${what} may not load ${describeBlocked(url)}; only files inside the book folder are used`;
        if (!reported.has(msg)) ctx.diags.warn('pdf-blocked', msg);
        reported.add(msg);
      }),
    );
    const pdf = await print();
    const broken = await page.evaluate(() => Array.from(document.images).filter((i) => !(i.complete && i.naturalWidth > 0)).length);
    if (broken) ctx.diags.warn('pdf-cover-image', `the cover image could not be loaded for the ${what}; the front cover is printed without it`);
    return pdf;
  } catch (e) {
    throw new BuildError(`${what} layout failed: ${(e as Error).message}`);
  } finally {
    await page.close().catch(() => undefined);
  }
}
