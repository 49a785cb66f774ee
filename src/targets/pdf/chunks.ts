/**
 * Cutting the print HTML (html.ts) into chunks for parallel layout: the front matter (title page,
 * colophon, contents) and runs of whole chapters. The HTML is cut, not rendered again, so that every
 * chunk has exactly the markup (and notes numbered book-wide) of the single pass.
 */
import type { Book } from '../../model/types.js';
import { BuildError } from '../../diagnostics.js';

export interface PrintParts {
  /** Everything up to and including <body>. */
  head: string;
  /** The body before the first chapter. */
  front: string;
  chapters: { id: string; html: string }[];
  /** </body></html>. */
  tail: string;
  /** The book title as the title page prints it (for running heads in chunks without it). */
  title: string;
}

export interface Chunk {
  /** Indexes into PrintParts.chapters. */
  chapters: number[];
  headingIds: string[];
  label: string;
}

const CHAPTER = /<section class="chapter[^"]*" id="chapter-([^"]*)">/g;

export function splitPrintHtml(html: string): PrintParts {
  const bodyAt = html.indexOf('<body>');
  const endAt = html.lastIndexOf('</body>');
  if (bodyAt < 0 || endAt < 0) throw new BuildError('the print HTML has no <body> to cut into chunks');
  const starts = [...html.matchAll(CHAPTER)].map((m) => ({ at: m.index!, id: m[1]! })).filter((s) => s.at > bodyAt && s.at < endAt);
  const head = html.slice(0, bodyAt + '<body>'.length);
  const front = html.slice(head.length, starts[0]?.at ?? endAt);
  const chapters = starts.map((s, i) => ({ id: s.id, html: html.slice(s.at, starts[i + 1]?.at ?? endAt) }));
  const title = /class="book-title">([^<]*)</.exec(front)?.[1] ?? '';
  return { head, front, chapters, tail: html.slice(endAt), title };
}

/**
 * Chapters in runs of about equal weight (HTML length: text, notes and figures), at least one chunk per
 * worker and none much over ~80 pages (layout time grows faster than the page count).
 */
export function planChunks(book: Book, parts: PrintParts, workers: number, pagesPerChunk = 80): Chunk[] {
  const weights = parts.chapters.map((c) => c.html.length);
  const total = weights.reduce((s, w) => s + w, 0);
  const words = book.chapters.reduce((s, ch) => s + ch.tokens.filter((t) => t.type === 'inline').reduce((n, t) => n + t.content.split(/\s+/).length, 0), 0);
  const pages = words / 300 + book.figures.length;
  const n = Math.min(parts.chapters.length, Math.max(workers, Math.ceil(pages / pagesPerChunk)));
  const chunks: Chunk[] = [];
  let current: number[] = [];
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    current.push(i);
    acc += weights[i]!;
    const left = weights.length - i - 1;
    const chunksLeft = n - chunks.length - 1;
    // Close the chunk at its share of the weight, or when the rest must have a chapter per chunk.
    if (chunksLeft > 0 && (acc >= (total * (chunks.length + 1)) / n || left === chunksLeft)) {
      chunks.push(makeChunk(parts, current));
      current = [];
    }
  }
  if (current.length) chunks.push(makeChunk(parts, current));
  return chunks;
}

function makeChunk(parts: PrintParts, chapters: number[]): Chunk {
  const headingIds: string[] = [];
  for (const i of chapters) for (const m of parts.chapters[i]!.html.matchAll(/<h[1-6][^>]*\sid="([^"]+)"/g)) headingIds.push(m[1]!);
  const first = chapters[0]! + 1;
  const last = chapters.at(-1)! + 1;
  return { chapters, headingIds, label: first === last ? `chapter ${first}` : `chapters ${first}–${last}` };
}

const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
const withCss = (head: string, css: string) => head.replace('</head>', `<style>\n${css}\n</style>\n</head>`);

/** A chunk of chapters: no front matter, but the running head's book title set as the title page sets it. */
export function chunkHtml(parts: PrintParts, chunk: Chunk): string {
  const css = `.samizdat-chunk-title { string-set: booktitle content(text); visibility: hidden; height: 0; margin: 0; overflow: hidden; }`;
  const carrier = `<div class="samizdat-chunk-title" aria-hidden="true">${parts.title}</div>`;
  const body = chunk.chapters
    .map((i, k) => {
      const html = parts.chapters[i]!.html;
      return k === 0 ? html.replace(/^(<section[^>]*>)/, `$1${carrier}`) : html;
    })
    .join('');
  return withCss(parts.head, css) + '\n' + body + parts.tail;
}

/**
 * The front matter alone. With `numbers` (heading id → page), the table of contents prints those
 * instead of target-counter(), which cannot see pages in other chunks.
 */
export function frontHtml(parts: PrintParts, numbers?: Map<string, number>): string {
  const rules = [...(numbers ?? [])].map(([id, n]) => `nav.toc a[href=${cssString('#' + id)}]::after { content: ${cssString(String(n))} !important; }`);
  const head = rules.length ? withCss(parts.head, rules.join('\n')) : parts.head;
  return head + parts.front + parts.tail;
}
