/**
 * Chunks of the print edition for parallel layout: the front matter (the title page with its colophon,
 * and the contents) and runs of whole chapters, each assembled into a document of its own from the parts html.ts renders
 * from the book model — the same markup (and notes numbered book-wide) as the single pass.
 */
import type { Book } from '../../model/types.js';
import { chapterHtml, linkStubs, printDocument, type PrintParts } from './html.js';
import { escapeHtml } from '../../render/base.js';

export type { PrintParts } from './html.js';

export interface Chunk {
  /** Indexes into PrintParts.chapters. */
  chapters: number[];
  headingIds: string[];
  label: string;
}

/** How much a chapter weighs for layout: its markup (text, notes and figures). */
export const chapterWeight = (c: PrintParts['chapters'][number]) => c.open.length + c.body.length;

/** Pages a chapter will take, roughly (A5-ish type area): its words over 300, plus half a page per figure. */
export function chapterPages(chapter: Book['chapters'][number]): number {
  let words = 0;
  let figures = 0;
  for (const t of chapter.tokens) {
    if (t.type === 'inline') words += t.content.split(/\s+/).filter(Boolean).length;
    else if (t.type === 'figure_open') figures++;
  }
  return words / 300 + figures / 2 + 0.5;
}

/**
 * Chapters in runs of about `pagesPerChunk` estimated pages (layout time grows faster than the page
 * count), at least two runs. The plan depends on the book alone — never on the machine's cores — so
 * that every machine lays out the same documents and prints the same bytes; and a chunk's end
 * depends only on the chapters from its start, so an edit moves no boundary before it (the chunk
 * cache, chunk_cache.ts, keeps the chunks before an edit).
 */
export function planChunks(book: Book, parts: PrintParts, pagesPerChunk = 20): Chunk[] {
  const pages = book.chapters.map(chapterPages);
  const total = pages.reduce((s, p) => s + p, 0);
  // A book of less than two chunks' worth (parallel: on) is cut in two halves.
  const target = Math.min(pagesPerChunk, total / 2);
  const chunks: Chunk[] = [];
  let current: number[] = [];
  let acc = 0;
  for (let i = 0; i < parts.chapters.length; i++) {
    current.push(i);
    acc += pages[i] ?? 0;
    if (acc >= target && i < parts.chapters.length - 1) {
      chunks.push(makeChunk(parts, current));
      current = [];
      acc = 0;
    }
  }
  if (current.length) {
    // A short tail joins the chunk before it.
    if (chunks.length && acc < target / 3) chunks.push(makeChunk(parts, [...chunks.pop()!.chapters, ...current]));
    else chunks.push(makeChunk(parts, current));
  }
  return chunks;
}

function makeChunk(parts: PrintParts, chapters: number[]): Chunk {
  const headingIds = chapters.flatMap((i) => parts.chapters[i]!.headingIds);
  const first = chapters[0]! + 1;
  const last = chapters.at(-1)! + 1;
  return { chapters, headingIds, label: first === last ? `chapter ${first}` : `chapters ${first}–${last}` };
}

const cssString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;

/**
 * Ids a part links to that live in other chunks. Chromium makes no link for a target missing from the
 * document, so each chunk carries an empty stand-in element with that id (linkStubs); joinDocuments keeps
 * the destination of the chunk that has the real one.
 */
export function chunkStubs(parts: PrintParts, chunk: Chunk): string[] {
  const here = new Set(chunk.chapters.flatMap((i) => parts.chapters[i]!.ids));
  return [...new Set(chunk.chapters.flatMap((i) => parts.chapters[i]!.links))].filter((id) => !here.has(id)).sort();
}

/**
 * Ids in a chunk that other parts link to. Chromium writes a named destination only for a target that
 * some link in the same document points at, so the chunk carries an empty link to each (no box, no
 * annotation), and the joined PDF has a destination for every link into the chunk.
 */
export function chunkIncoming(parts: PrintParts, chunk: Chunk): string[] {
  const wanted = new Set([...parts.frontLinks, ...parts.chapters.flatMap((c) => c.links)]);
  return [...new Set(chunk.chapters.flatMap((i) => parts.chapters[i]!.ids))].filter((id) => wanted.has(id)).sort();
}

const emptyLinks = (ids: string[]) => ids.map((id) => `<a href="#${escapeHtml(id)}"></a>`).join('');

/** The contents' targets: all in the chapters' chunks (html.ts puts their stand-ins in the contents). */
export const frontStubs = (parts: PrintParts): string[] => [...new Set(parts.frontLinks)].sort();


/** A chunk of chapters: no front matter, but the running head's book title set as the title page sets it. */
export function chunkHtml(parts: PrintParts, chunk: Chunk): string {
  const css = `.samizdat-chunk-title, .samizdat-link-stubs { visibility: hidden; height: 0; margin: 0; overflow: hidden; }
.samizdat-chunk-title { string-set: booktitle content(text); }`;
  const stubs = linkStubs(chunkStubs(parts, chunk)) + emptyLinks(chunkIncoming(parts, chunk));
  const carrier = `<div class="samizdat-chunk-title" aria-hidden="true">${parts.title}</div>${stubs ? `<div class="samizdat-link-stubs" aria-hidden="true">${stubs}</div>` : ''}`;
  const body = chunk.chapters.map((i, k) => chapterHtml(parts.chapters[i]!, k === 0 ? carrier : '')).join('\n');
  return printDocument(parts, body, css);
}

/**
 * The front matter alone. With `numbers` (heading id → page), the table of contents prints those
 * instead of target-counter(), which cannot see pages in other chunks.
 */
export function frontHtml(parts: PrintParts, numbers?: Map<string, number>): string {
  return printDocument(parts, parts.front, contentsNumbers(numbers));
}

const contentsNumbers = (numbers?: Map<string, number>) =>
  [...(numbers ?? [])].map(([id, n]) => `nav.toc a[href=${cssString('#' + id)}]::after { content: ${cssString(String(n))} !important; }`).join('\n');

/**
 * The front matter as parallel layout lays it out, in two documents: the title page with its colophon
 * (which names the sources' hash, so it changes with every edit), and the contents with the page
 * numbers (which change only when a heading moves). `contents` is undefined for a book without headings.
 */
export function frontDocuments(parts: PrintParts, numbers?: Map<string, number>): { title: string; contents?: string } {
  const title = printDocument(parts, parts.frontSplit.title);
  return parts.frontSplit.contents ? { title, contents: printDocument(parts, parts.frontSplit.contents, contentsNumbers(numbers)) } : { title };
}
