/**
 * Chunks of the print edition for parallel layout: the front matter (title page, colophon, contents)
 * and runs of whole chapters, each assembled into a document of its own from the parts html.ts renders
 * from the book model — the same markup (and notes numbered book-wide) as the single pass.
 */
import type { Book } from '../../model/types.js';
import { chapterHtml, printDocument, type PrintParts } from './html.js';

export type { PrintParts } from './html.js';

export interface Chunk {
  /** Indexes into PrintParts.chapters. */
  chapters: number[];
  headingIds: string[];
  label: string;
}

/** How much a chapter weighs for layout: its markup (text, notes and figures). */
export const chapterWeight = (c: PrintParts['chapters'][number]) => c.open.length + c.body.length;

/**
 * Chapters in runs of about equal weight (HTML length: text, notes and figures), at least one chunk per
 * worker and none much over ~80 pages (layout time grows faster than the page count).
 */
export function planChunks(book: Book, parts: PrintParts, workers: number, pagesPerChunk = 80): Chunk[] {
  const weights = parts.chapters.map(chapterWeight);
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
  const headingIds = chapters.flatMap((i) => parts.chapters[i]!.headingIds);
  const first = chapters[0]! + 1;
  const last = chapters.at(-1)! + 1;
  return { chapters, headingIds, label: first === last ? `chapter ${first}` : `chapters ${first}–${last}` };
}

const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;

/** A chunk of chapters: no front matter, but the running head's book title set as the title page sets it. */
export function chunkHtml(parts: PrintParts, chunk: Chunk): string {
  const css = `.samizdat-chunk-title { string-set: booktitle content(text); visibility: hidden; height: 0; margin: 0; overflow: hidden; }`;
  const carrier = `<div class="samizdat-chunk-title" aria-hidden="true">${parts.title}</div>`;
  const body = chunk.chapters.map((i, k) => chapterHtml(parts.chapters[i]!, k === 0 ? carrier : '')).join('\n');
  return printDocument(parts, body, css);
}

/**
 * The front matter alone. With `numbers` (heading id → page), the table of contents prints those
 * instead of target-counter(), which cannot see pages in other chunks.
 */
export function frontHtml(parts: PrintParts, numbers?: Map<string, number>): string {
  const rules = [...(numbers ?? [])].map(([id, n]) => `nav.toc a[href=${cssString('#' + id)}]::after { content: ${cssString(String(n))} !important; }`);
  return printDocument(parts, parts.front, rules.join('\n'));
}
