/**
 * Figures float the way a typesetter floats them. A figure that does not fit at the foot of a page goes
 * to the top of the next one and leaves a hole: the page before it ends part-empty. After a layout, each
 * figure that starts a page whose previous page (same chapter) is more than MAX_EMPTY empty is moved
 * later in the text, past the next paragraph (then two; a subheading moves with the paragraph under
 * it), so that the text fills the hole and the figure follows it. Never past a chapter heading or
 * another figure, never out of its chapter; the caption
 * moves with it (it is inside the figure). At most MAX_PASSES extra layouts, and only while the result
 * improves.
 *
 * planFloats and applyMoves are pure; layOutFloating drives the layouts.
 */
import type { Browser, Page } from 'puppeteer-core';
import type { Token } from 'markdown-it';
import type { BuildContext } from '../target.js';
import { layOut, type LayoutResult } from './layout.js';
import { browserEngines, type PrintHtmlOptions } from './html.js';
import type { ServedFiles } from './server.js';

/** A page's share of its text block that may stay empty above a page that starts with a figure or table. */
export const MAX_EMPTY = 0.15;
/** How many paragraphs a figure may be moved past. */
export const MAX_PARAGRAPHS = 2;
/** Extra layouts at most. */
export const MAX_PASSES = 3;

/** What the layout says about one page (read in the browser). */
export interface FloatPage {
  blank: boolean;
  /** Share of the text block (above the notes) left empty at the foot, 0…1. */
  empty: number;
  /** The chapter (Paged.js data-ref of its section) the page's text ends in. */
  lastChapter?: string;
  /** The figure the page begins with, if it begins with one. */
  figure?: { id: string; chapter?: string };
}

/** Figure id → how many paragraphs it is moved past. */
export type Moves = Map<string, number>;

export interface Hole {
  /** 1-based page that begins with the figure. */
  page: number;
  figure: string;
  /** Empty share of the page before it. */
  empty: number;
}

/** Figure-topped pages with a part-empty page before them in the same chapter. */
export function holes(pages: FloatPage[], maxEmpty = MAX_EMPTY): Hole[] {
  const found: Hole[] = [];
  pages.forEach((p, i) => {
    const prev = pages[i - 1];
    if (!p.figure || !prev || prev.blank) return;
    // The end of a chapter may be short; only a hole inside the chapter counts.
    if (!p.figure.chapter || prev.lastChapter !== p.figure.chapter) return;
    if (prev.empty > maxEmpty) found.push({ page: i + 1, figure: p.figure.id, empty: prev.empty });
  });
  return found;
}

/** How bad a layout is: the empty shares above figure-topped pages, summed (0 is perfect). */
export const holeScore = (pages: FloatPage[]): number => holes(pages).reduce((s, h) => s + h.empty, 0);

/**
 * The next moves: each figure that leaves a hole is moved one paragraph further than now, as far as
 * `room` allows (paragraphs that follow it before a heading, figure or other block). Returns the same
 * moves when nothing can be done.
 */
export function planFloats(pages: FloatPage[], current: Moves, room: Map<string, number>): Moves {
  const next = new Map(current);
  for (const h of holes(pages)) {
    const k = (current.get(h.figure) ?? 0) + 1;
    if (k <= Math.min(room.get(h.figure) ?? 0, MAX_PARAGRAPHS)) next.set(h.figure, k);
  }
  return next;
}

export const sameMoves = (a: Moves, b: Moves): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** Top-level blocks of a token stream: [start, end) index ranges. */
function blocks(tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < tokens.length) {
    const start = i;
    let depth = 0;
    do {
      depth += tokens[i]!.nesting;
      i++;
    } while (depth > 0 && i < tokens.length);
    out.push([start, i]);
  }
  return out;
}

/** Figures and tables float; their ids name them. */
const figureId = (t: Token): string | undefined =>
  t.type === 'figure_open' || t.type === 'table_open' ? String(t.attrGet('id') ?? '') || undefined : undefined;

/**
 * What a figure may move past, in order: units of one paragraph, or of a subheading (level 2 and below)
 * with the paragraph under it — a figure may float into the next section, as in print, but never past
 * a chapter heading, another figure or any other block. `firsts` holds the first token of each
 * top-level block. Returns the units' sizes in blocks.
 */
function passable(firsts: Token[], from: number): number[] {
  const units: number[] = [];
  let b = from;
  while (units.length < MAX_PARAGRAPHS && firsts[b]) {
    const t = firsts[b]!;
    if (t.type === 'paragraph_open') {
      units.push(1);
      b += 1;
    } else if (t.type === 'heading_open' && t.tag !== 'h1' && firsts[b + 1]?.type === 'paragraph_open') {
      units.push(2);
      b += 2;
    } else break;
  }
  return units;
}

/** For each figure: how many units (see passable) follow it. */
export function floatRoom(tokenLists: Token[][]): Map<string, number> {
  const room = new Map<string, number>();
  for (const tokens of tokenLists) {
    const firsts = blocks(tokens).map(([s]) => tokens[s]!);
    firsts.forEach((t, b) => {
      const id = figureId(t);
      if (id) room.set(id, passable(firsts, b + 1).length);
    });
  }
  return room;
}

/** The tokens with each moved figure (caption and all) placed after the units it moves past. */
export function applyMoves(tokens: Token[], moves: Moves): Token[] {
  if (!moves.size) return tokens;
  const bs = blocks(tokens).map(([s, e]) => tokens.slice(s, e));
  for (let b = bs.length - 1; b >= 0; b--) {
    const id = figureId(bs[b]![0]!);
    const k = id ? moves.get(id) ?? 0 : 0;
    if (!k) continue;
    // Units are measured on the original order; figures later in the text were moved already, and
    // passable() stops at a figure, so the blocks after this one are still the original ones.
    const n = passable(bs.map((x) => x[0]!), b + 1)
      .slice(0, k)
      .reduce((sum, size) => sum + size, 0);
    if (!n) continue;
    const [fig] = bs.splice(b, 1);
    bs.splice(b + n, 0, fig!);
  }
  return bs.flat();
}

/** Runs in the laid-out page: one FloatPage per page. Plain JavaScript text (see text_layer.ts). */
export const FLOAT_FACTS_SOURCE = `(() => {
  const chapterOf = (el) => {
    const s = el && el.closest('section.chapter');
    return s ? (s.getAttribute('data-ref') || s.id || undefined) : undefined;
  };
  return Array.from(document.querySelectorAll('.pagedjs_page')).map((pageEl) => {
    const content = pageEl.querySelector('.pagedjs_page_content');
    const inner = content && content.firstElementChild;
    const blank = pageEl.classList.contains('pagedjs_blank_page');
    if (!content || !inner) return { blank, empty: 1 };
    // The text block is the whole page area; notes sit at its foot, below whatever space is left.
    const areaEl = pageEl.querySelector('.pagedjs_area') || content;
    const area = areaEl.getBoundingClientRect();
    let floor = area.bottom;
    const notes = pageEl.querySelector('.pagedjs_footnote_content:not(.pagedjs_footnote_empty)');
    const firstNote = notes && notes.querySelector('.pagedjs_footnote_inner_content > *');
    if (notes && firstNote) floor = Math.min(floor, firstNote.getBoundingClientRect().top - parseFloat(getComputedStyle(notes).marginTop) - parseFloat(getComputedStyle(notes).paddingTop));
    let bottom = area.top;
    let last;
    for (const el of inner.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.height <= 0 || el.closest('.pagedjs_footnote_area')) continue;
      if (r.bottom >= bottom) { bottom = r.bottom; last = el; }
    }
    const empty = area.height > 0 ? Math.max(0, Math.min(1, (floor - bottom) / area.height)) : 1;
    const lastChapter = last ? chapterOf(last) : undefined;
    let figure;
    const fig = inner.querySelector('figure[id]:not([data-split-from]), table[id]:not([data-split-from])');
    if (fig) {
      const before = document.createRange();
      before.setStart(inner, 0);
      before.setEndBefore(fig);
      const text = before.toString().replace(/[\\s\\u00ad]/g, '');
      const media = before.cloneContents().querySelector('img, svg, table, hr');
      if (!text && !media) figure = { id: fig.id, chapter: chapterOf(fig) };
    }
    return { blank, empty, lastChapter, figure };
  });
})()`;

/**
 * Lays the book out, then again with figures floated while that fills holes (see the top of the file).
 * `render` makes the print HTML for a set of moves (and the browser's version, for the colophon).
 */
export async function layOutFloating(
  ctx: BuildContext,
  browser: Browser,
  files: ServedFiles,
  headingIds: string[],
  render: (opts: PrintHtmlOptions) => string,
): Promise<LayoutResult> {
  const engines = await browserEngines(ctx, browser);
  let facts: FloatPage[] = [];
  const inspect = async (page: Page) => {
    facts = (await page.evaluate(FLOAT_FACTS_SOURCE)) as FloatPage[];
  };
  let moves: Moves = new Map();
  files.html = render({ engines, moves });
  let best = await layOut(ctx, browser, files, headingIds, inspect);
  let bestScore = holeScore(facts);
  const room = floatRoom(ctx.book.chapters.map((c) => c.tokens));
  for (let pass = 0; pass < MAX_PASSES && bestScore > 0; pass++) {
    const next = planFloats(facts, moves, room);
    if (sameMoves(next, moves)) break;
    files.html = render({ engines, moves: next });
    const tried = await layOut(ctx, browser, files, headingIds, inspect);
    const score = holeScore(facts);
    if (score >= bestScore) break;
    best = tried;
    bestScore = score;
    moves = next;
  }
  if (moves.size) ctx.log.info(`pdf: ${moves.size} figure(s) floated past the next paragraph to fill part-empty pages`);
  return best;
}
