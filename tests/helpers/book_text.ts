/**
 * Reading a laid-out book back from its PDF (poppler's word boxes) and from its book model, to check
 * that the layout lost, doubled or moved nothing: body words in order, note calls and markers, notes
 * on the pages of their calls, running heads and folios, the table of contents.
 *
 * A page is split into regions by position and type size: the running head (above the text area),
 * the folio (below it), note calls (superscript digits in the text), the footnote area (from the
 * first small-type line that starts with a note marker "N." or the continuation marker down to the
 * folio), and the body (the rest).
 */
import { execFileSync } from 'node:child_process';
import type { Book } from '../../src/model/types.js';
import { createRenderer } from '../../src/render/base.js';

export interface PdfWord {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PageRegions {
  page: number;
  head: string;
  folio: string;
  /** Body text, lines joined (hyphenation across line ends undone). */
  body: string;
  /** Digits of the note calls on the page, in reading order (adjacent calls run together: "345"). */
  calls: string[];
  /** Footnote area text, one string per line. */
  noteLines: string[];
}

/** What the continuation of a split note starts with (print.css puts it there). */
export const CONTINUED = /^\(continued\)/;

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** All words of the PDF with their boxes (y grows downward), per page. */
export function pdfPages(file: string): PdfWord[][] {
  const xml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return xml
    .split(/<page [^>]*>/)
    .slice(1)
    .map((chunk) => {
      const words: PdfWord[] = [];
      const re = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
      for (let m = re.exec(chunk); m; m = re.exec(chunk)) {
        words.push({ x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]), text: decode(m[5]!) });
      }
      return words;
    });
}

const height = (w: PdfWord) => w.y1 - w.y0;

/** The most common word height: the body type. */
function bodyHeight(pages: PdfWord[][]): number {
  const counts = new Map<number, number>();
  for (const p of pages) for (const w of p) counts.set(Math.round(height(w) * 10), (counts.get(Math.round(height(w) * 10)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0] / 10;
}

/** Words grouped into lines (a word joins the line its vertical centre falls in), top to bottom, left to right. */
function lines(words: PdfWord[]): PdfWord[][] {
  const out: PdfWord[][] = [];
  const centre = (w: PdfWord) => (w.y0 + w.y1) / 2;
  // Body-size words first, so that a line is defined by its main type.
  for (const w of [...words].sort((a, b) => height(b) - height(a) || a.y1 - b.y1)) {
    const line = out.find((l) => centre(w) > l[0]!.y0 && centre(w) < l[0]!.y1);
    if (line) line.push(w);
    else out.push([w]);
  }
  for (const l of out) l.sort((a, b) => a.x0 - b.x0);
  return out.sort((a, b) => a[0]!.y1 - b[0]!.y1);
}

/** Joins lines of text, undoing hyphenation at line ends (soft hyphens are dropped everywhere). */
export function joinLines(ls: string[]): string {
  let out = '';
  for (const raw of ls) {
    const l = raw.trim();
    if (!l) continue;
    // A hyphen at a line end (soft, Paged.js's U+2011 at a page break, or a real one) joins the lines:
    // words are compared without their hyphens (see tokens()).
    if (/[\p{L}\u00ad][-\u2011\u00ad]$/u.test(out)) out += l;
    else out += (out ? ' ' : '') + l;
  }
  return out.replace(/\u00ad/g, '');
}

/** A line's text; words that touch (a glyph from another font, e.g. a hyphen) join without a space. */
const lineText = (l: PdfWord[]) => l.map((w, i) => (i > 0 && w.x0 < l[i - 1]!.x1 + 0.5 ? '' : ' ') + w.text).join('').trim();

export function pageRegions(file: string): PageRegions[] {
  const pages = pdfPages(file);
  const H = bodyHeight(pages);
  const isBodySize = (w: PdfWord) => Math.abs(height(w) - H) < 0.5;
  // The text area: from the highest to the lowest line of body type anywhere in the book.
  const bodyWords = pages.flat().filter(isBodySize);
  // (A loop, not Math.min(...words): a full-length book has more words than a call's arguments may.)
  const top = bodyWords.reduce((m, w) => Math.min(m, w.y0), Infinity) - 1;
  const bottom = bodyWords.reduce((m, w) => Math.max(m, w.y1), -Infinity) + 1;
  return pages.map((words, i) => {
    const head = words.filter((w) => w.y1 <= top);
    const foot = words.filter((w) => w.y0 >= bottom);
    const inside = words.filter((w) => w.y1 > top && w.y0 < bottom);
    const isCall = (w: PdfWord) => /^\d+$/.test(w.text) && height(w) < 0.9 * H;
    const ls = lines(inside.filter((w) => !isCall(w)));
    const noteStart = ls.findIndex((l) => height(l[0]!) < 0.9 * H && (/^\d+\.$/.test(l[0]!.text) || CONTINUED.test(lineText(l))));
    const bodyLines = noteStart < 0 ? ls : ls.slice(0, noteStart);
    const noteLines = noteStart < 0 ? [] : ls.slice(noteStart);
    const areaTop = noteLines.length ? noteLines[0]![0]!.y0 : Infinity;
    const calls = lines(inside.filter((w) => isCall(w) && w.y1 < areaTop)).flat().map((w) => w.text);
    return {
      page: i + 1,
      head: lineText(head),
      folio: lineText(foot),
      body: joinLines(bodyLines.map(lineText)),
      calls,
      noteLines: noteLines.map(lineText),
    };
  });
}

/** Words for comparing texts: split at spaces, then only letters and digits kept ("well-known" → "wellknown"). */
export const tokens = (s: string): string[] =>
  s.split(/[\s\u2014\u2013]+/).map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);

/**
 * The book's text as the model has it: chapters without notes and images, each note's text, and each
 * figure caption's words (figures float in print, so their captions may stand later than in the source).
 */
export function expectedText(book: Book): { body: string[]; notes: Map<number, string[]>; captions: string[][] } {
  const r = createRenderer(book, { assetUrl: () => '', noteRef: () => '' });
  const textOf = (html: string) =>
    decode(
      html
        .replace(/<img[^>]*>/g, '')
        .replace(/<\/?(em|strong|a|span|sup|sub|abbr|code|b|i|s|small|mark|q|cite)(\s[^>]*)?>/g, '')
        .replace(/<[^>]+>/g, ' '),
    );
  const body = book.chapters.flatMap((ch) => tokens(textOf(r.render(ch.tokens))));
  const notes = new Map(book.notes.map((n) => [n.number, tokens(textOf(r.render(n.tokens)))]));
  const captions = book.figures.map((f) => tokens(f.caption)).filter((c) => c.length > 0);
  return { body, notes, captions };
}

/** Parses run-together call digits ("345") against the numbers expected next. */
export function splitCalls(runs: string[], next: number): { numbers: number[]; next: number; bad: string[] } {
  const numbers: number[] = [];
  const bad: string[] = [];
  for (const run of runs) {
    let rest = run;
    while (rest) {
      // The longest number that starts the run and is not lower than expected, preferring `next`.
      const want = String(next);
      if (rest.startsWith(want)) {
        numbers.push(next);
        rest = rest.slice(want.length);
        next++;
        continue;
      }
      bad.push(rest);
      const m = /^\d+/.exec(rest)!;
      numbers.push(Number(m[0]));
      rest = '';
    }
  }
  return { numbers, next, bad };
}

export interface NotePiece {
  number: number;
  page: number;
  /** True when this piece continues the note from an earlier page. */
  continued: boolean;
  text: string;
}

/** The footnote areas cut into notes: each marker "N." starts a note; a continuation marker goes on the last. */
export function notePieces(regions: PageRegions[]): { pieces: NotePiece[]; orphans: { page: number; text: string }[] } {
  const pieces: NotePiece[] = [];
  const orphans: { page: number; text: string }[] = [];
  for (const r of regions) {
    let current: { number: number; continued: boolean; lines: string[] } | undefined;
    const flush = () => {
      if (current) pieces.push({ number: current.number, page: r.page, continued: current.continued, text: joinLines(current.lines) });
      current = undefined;
    };
    for (const line of r.noteLines) {
      const marker = /^(\d+)\.\s*(.*)$/.exec(line);
      if (marker) {
        flush();
        current = { number: Number(marker[1]), continued: false, lines: [marker[2]!] };
      } else if (CONTINUED.test(line) && !current) {
        const last = pieces.at(-1);
        current = { number: last ? last.number : -1, continued: true, lines: [line.replace(CONTINUED, '')] };
      } else if (current) {
        current.lines.push(line);
      } else {
        orphans.push({ page: r.page, text: line });
      }
    }
    flush();
  }
  return { pieces, orphans };
}

/** First index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfSeq(hay: string[], needle: string[], from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let k = 0; k < needle.length; k++) if (hay[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** Where two word sequences first differ, with a little context, or undefined when equal. */
export function firstDifference(got: string[], want: string[]): string | undefined {
  const n = Math.min(got.length, want.length);
  let i = 0;
  while (i < n && got[i] === want[i]) i++;
  if (i === got.length && i === want.length) return undefined;
  return `at word ${i} of ${want.length} (got ${got.length}): expected «${want.slice(Math.max(0, i - 6), i + 12).join(' ')}» but the PDF has «${got.slice(Math.max(0, i - 6), i + 12).join(' ')}»`;
}

/**
 * Compares word sequences like firstDifference, but notes (and steps over) a word whose PDF text lost
 * the second letter of an f-ligature ("fibre" read back as "fbre"): the page shows it whole, only
 * Chromium's text layer drops the letter, which is not a layout fault.
 */
export function compareWords(got: string[], want: string[]): { diff?: string; ligatureSlips: string[] } {
  const slips: string[] = [];
  const g = [...got];
  for (let i = 0; i < Math.min(g.length, want.length); i++) {
    if (g[i] === want[i]) continue;
    const w = want[i]!;
    const slip = [...w.matchAll(/f(?=[fil])/g)].some((m) => w.slice(0, m.index! + 1) + w.slice(m.index! + 2) === g[i]);
    if (!slip) break;
    slips.push(`${w} → ${g[i]}`);
    g[i] = w;
  }
  return { diff: firstDifference(g, want), ligatureSlips: slips };
}
