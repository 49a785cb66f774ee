/**
 * The print HTML that Paged.js lays out: title page, colophon (title verso), contents with page
 * numbers, then the chapters. All CSS is inlined in one <style> element (see pagedjs_fixes.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Book, LinkTarget, Section } from '../../model/types.js';
import type { Token } from 'markdown-it';
import { escapeHtml } from '../../render/base.js';
import { labelsFor } from '../../i18n/labels.js';
import { colophonHtml } from '../../render/colophon.js';
import type { BuildContext } from '../target.js';
import { TOOL_STYLES } from '../../styles.js';
import { createPrintRenderer, noteAnchorId } from './rules.js';
import { FOOTNOTE_NUMBER_CSS } from './pagedjs_fixes.js';
import { browserVersion } from './chrome.js';


/** The theme: built-in print.css, the page geometry, the trap workarounds, then the book's own print.css. */
export function printCss(book: Pick<Book, 'styles'>, fontFaces: string, pageCss: string): string {
  const parts = [fontFaces, fs.readFileSync(path.join(TOOL_STYLES, 'print.css'), 'utf8'), pageCss, FOOTNOTE_NUMBER_CSS];
  const own = book.styles['print.css'];
  if (own !== undefined) parts.push(`/* book override: styles/print.css */\n${own}`);
  return parts.join('\n');
}

function tocList(sections: Section[]): string {
  const items = sections
    .map((s) => {
      const kids = s.children.filter((c) => c.level <= 2);
      // The page number is drawn by CSS (target-counter on the href); the filler draws the dots.
      return `<li class="toc-level-${s.level}"><a href="#${s.id}"><span class="toc-text">${escapeHtml(s.title)}</span><span class="toc-dots"></span></a>${kids.length ? tocList(kids) : ''}</li>`;
    })
    .join('\n');
  return `<ol>${items}</ol>`;
}

export interface PrintHtmlOptions {
  /** Engine versions known only at build time (the browser's), printed in the colophon. */
  engines?: Record<string, string>;
  /** Photocopy mode (pdf.color: gray): the theme's colours turn gray (print.css, html.grayscale). */
  gray?: boolean;
  /** pdf.chapterStart (default right). */
  chapterStart?: 'right' | 'page' | 'continue';
  /**
   * Parallel layout: the contents carry an empty stand-in for each entry's target, which is in another
   * chunk (Chromium makes no link to an id missing from the document; join.ts keeps the real target).
   */
  contentsStubs?: boolean;
  /** pdf.frontMatter (default true): title page, colophon and contents in front. */
  frontMatter?: boolean;
}

/**
 * The version of the browser that lays out the PDF, for the colophon; also recorded in the build's
 * facts so that the EPUB colophon and the edition manifest list it.
 */
export async function browserEngines(ctx: BuildContext, browser: Browser): Promise<Record<string, string>> {
  const raw = await browserVersion(browser);
  const chromium = raw.slice(raw.indexOf('/') + 1) || raw;
  ctx.facts.engines = { ...ctx.facts.engines, chromium };
  return ctx.facts.engines;
}

/** One chapter of the print HTML: its section's opening tag, its rendered content, its heading ids. */
export interface PrintChapter {
  id: string;
  open: string;
  body: string;
  headingIds: string[];
  /** Every id in the chapter (its section's too). */
  ids: string[];
  /** The ids its links point at (in-book links, later calls of a note), which may be in other chapters. */
  links: string[];
}

/**
 * The print HTML in parts, rendered from the book model: the single pass joins them all (printHtml);
 * parallel layout (chunks.ts) assembles front matter and runs of chapters into documents of their own.
 */
export interface PrintParts {
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Classes of the <html> element. */
  htmlClass: string;
  /** The book title, escaped (also carried into chunks for the running heads). */
  title: string;
  css: string;
  /** Title page, colophon and contents; or, without front matter, the running heads' title carrier. */
  front: string;
  /**
   * The front matter in two: the title page with its colophon, and the contents (empty when the book
   * has no headings). Parallel layout lays them out apart (chunks.ts): the colophon changes with every
   * edit (the sources' hash), the contents only when a page number does.
   */
  frontSplit: { title: string; contents: string };
  chapters: PrintChapter[];
  /** The ids the front matter links to (the contents' entries). */
  frontLinks: string[];
  /** What follows the chapters (the colophon when there is no front matter). */
  end: string;
}

function* allTokens(tokens: Token[]): Generator<Token> {
  for (const t of tokens) {
    yield t;
    if (t.children) yield* allTokens(t.children);
  }
}

/** The ids in a chapter and the ids its links point at (as the print renderer writes them). */
function idsAndLinks(ch: Book['chapters'][number]): { ids: string[]; links: string[] } {
  const ids = new Set([`chapter-${ch.id}`]);
  const links = new Set<string>();
  for (const t of allTokens(ch.tokens)) {
    const id = t.attrGet?.('id');
    if (id !== null && id !== undefined) ids.add(String(id));
    const to = t.meta?.target as LinkTarget | undefined;
    if (t.type === 'link_open' && to?.kind === 'id') links.add(to.id);
    if (t.type === 'link_open' && to?.kind === 'chapter') links.add(`chapter-${to.chapterId}`);
    if (t.type === 'footnote_ref') (t.meta?.call ? links : ids).add(noteAnchorId(t.meta?.number as number));
  }
  return { ids: [...ids], links: [...links] };
}

/** Empty stand-ins for link targets laid out in another chunk (parallel layout, chunks.ts). */
export const linkStubs = (ids: string[]) => ids.map((id) => `<span class="samizdat-link-stub" id="${escapeHtml(id)}"></span>`).join('');

const flatIds = (ss: Section[]): string[] => ss.flatMap((s) => [s.id, ...flatIds(s.children)]);

const headingIdsOf = (tokens: Token[]): string[] =>
  tokens.filter((t) => t.type === 'heading_open').map((t) => String(t.attrGet('id')));

export function printParts(book: Book, css: string, imageUrl: (assetId: string) => string, opts: PrintHtmlOptions = {}): PrintParts {
  const r = createPrintRenderer(book, imageUrl);
  const m = book.meta;
  const authors = m.authors.map(escapeHtml).join(', ');
  // A chapter's markup is rendered when it is first asked for: parallel layout (chunks.ts) starts
  // laying out an edited chapter's chunk before the others are rendered.
  const chapters = book.chapters.map((ch): PrintChapter => {
    let body: string | undefined;
    return {
      id: ch.id,
      open: `<section class="chapter start-${opts.chapterStart ?? 'right'}${ch.level === 0 ? ' untitled' : ''}" id="chapter-${ch.id}">`,
      get body() {
        return (body ??= r.render(ch.tokens, { file: ch.source.file }));
      },
      headingIds: headingIdsOf(ch.tokens),
      ...idsAndLinks(ch),
    };
  });
  // The title verso carries the edition's facts, the same as every other output's colophon.
  const colophon = colophonHtml(book, opts.engines ?? {});
  const front = opts.frontMatter ?? true;
  const htmlClass = [opts.gray ? 'grayscale' : '', `chapters-${opts.chapterStart ?? 'right'}`, front ? '' : 'no-front-matter'].filter(Boolean).join(' ');
  const colophonSection = `<section class="colophon ${front ? 'in-front' : 'at-end'}" id="colophon">\n${colophon}\n</section>`;
  // Without a title page, the running heads' book title is set by an element of no height.
  const titleMatter = front
    ? `<section class="title-page" id="title-page">
<p class="book-title">${escapeHtml(m.title)}</p>
${m.subtitle ? `<p class="subtitle">${escapeHtml(m.subtitle)}</p>` : ''}
${authors ? `<p class="author">${authors}</p>` : ''}
<div class="imprint">
${m.publisher ? `<p class="publisher">${escapeHtml(m.publisher)}</p>` : ''}
${m.date ? `<p class="date">${escapeHtml(m.date)}</p>` : ''}
</div>
</section>
${colophonSection}`
    : `<p class="book-title running-title" aria-hidden="true">${escapeHtml(m.title)}</p>`;
  const contents =
    front && book.outline.length
      ? `<nav class="toc" id="contents">${opts.contentsStubs ? linkStubs(flatIds(book.outline)) : ''}
<h2 class="toc-title">${escapeHtml(labelsFor(m.lang).contents)}</h2>
${tocList(book.outline)}
</nav>`
      : '';
  const frontMatter = front ? `${titleMatter}\n${contents}` : titleMatter;
  const frontLinks = front ? flatIds(book.outline) : [];
  return { lang: m.lang, dir: m.dir, htmlClass, title: escapeHtml(m.title), css, front: frontMatter, frontSplit: { title: titleMatter, contents }, chapters, frontLinks, end: front ? '' : colophonSection };
}

/** A print document from parts: `body` is the markup to lay out, `extraCss` goes after the theme. */
export function printDocument(parts: PrintParts, body: string, extraCss = ''): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(parts.lang)}" dir="${parts.dir}" class="${parts.htmlClass}">
<head>
<meta charset="utf-8">
<title>${parts.title}</title>
<style>
${parts.css}
</style>${extraCss ? `\n<style>\n${extraCss}\n</style>` : ''}
</head>
<body>
${body}
</body>
</html>
`;
}

/** The chapter as the single pass lays it out; `prefix` goes first inside its section. */
export const chapterHtml = (c: PrintChapter, prefix = '') => `${c.open}\n${prefix}${c.body}</section>`;

/** The whole book in one document (the single pass). */
export function printHtml(book: Book, css: string, imageUrl: (assetId: string) => string, opts: PrintHtmlOptions = {}): string {
  const parts = printParts(book, css, imageUrl, opts);
  return printDocument(parts, [parts.front, ...parts.chapters.map((c) => chapterHtml(c)), parts.end].join('\n'));
}
