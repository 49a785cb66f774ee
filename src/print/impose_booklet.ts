/**
 * Saddle-stitched booklet imposition: two finished pages side by side on a sheet twice as wide,
 * printed on both sides, folded in the middle and stapled on the fold.
 *
 * Order. A booklet (or signature) of n pages (n a multiple of 4) has n/4 sheets, sheet 0 outermost.
 * Sheet i, front: [n − 2i | 1 + 2i]; back: [2 + 2i | n − 1 − 2i] (1-based, left | right). For
 * 8 pages: sheet 1 front [8|1], back [2|7]; sheet 2 front [6|3], back [4|5].
 *
 * Duplex. The back is imposed upright, for printing landscape sheets duplex flipped on the SHORT
 * edge: turning a landscape sheet over about its short (vertical) edges keeps the back upright and
 * swaps left and right, so page 2 (back, left) is behind page 1 (front, right). Flipping on the long
 * edge would need the backs turned 180°.
 *
 * Padding. The page count is rounded up to a multiple of 4 with blank pages placed just before the
 * back cover (the last page), so the covers stay outside and no blank falls inside the text. When
 * the book has no cover pages, blanks go at the end instead.
 *
 * Right to left. A book bound on the right (dir rtl) is the mirror image: page 1 on the left half
 * of the first front, sheet i front [1 + 2i | n − 2i], back [n − 1 − 2i | 2 + 2i].
 *
 * Signatures. With `signature` = s pages, the padded book is cut into consecutive runs of s pages
 * (the last may be shorter, still a multiple of 4), each imposed as its own booklet, in order;
 * gathered and sewn, they make the book.
 *
 * Creep. Folded sheets nest, so inner sheets stick out at the fore-edge and lose more to the trim.
 * Compensation moves the content of sheet i (0 = outermost) TOWARD the spine by i × creep: on the
 * left half of a sheet side to the right, on the right half to the left. Content is clipped to its
 * half, so nothing crosses the fold.
 */
import type { PDFDocument } from 'pdf-lib';
import type { Rect } from './boxes.js';
import { drawFoldMark } from './marks.js';
import { addSheet, createSheetDoc, drawInPanel, embedFinishedPages, loadPdf } from './sheet_doc.js';
import { bookletSheet, type Sheet } from './sheet_sizes.js';
import { trimSize } from './boxes.js';

/** A 0-based page of the book, or null for a blank. */
export type Slot = number | null;

export interface SheetSide {
  left: Slot;
  right: Slot;
  /** 0 for the outermost sheet of its signature. */
  depth: number;
  /** 0-based signature. */
  signature: number;
  side: 'front' | 'back';
}

export interface BookletOptions {
  /** Pages per signature, a multiple of 4; none: one booklet. */
  signature?: number;
  /** Creep compensation per sheet of depth, in points. */
  creep?: number;
  /** True (default): the last page is the back cover and blanks go before it. */
  backCover?: boolean;
  /** Short dashes on the fold line in the top and bottom margins. */
  foldMark?: boolean;
  /** Bound on the right (a right-to-left book): every sheet side mirrored. */
  rtl?: boolean;
  date?: Date;
}

/** The book's pages padded to a multiple of 4 (blanks before the back cover). */
export function paddedOrder(count: number, backCover = true): Slot[] {
  const total = Math.max(4, Math.ceil(count / 4) * 4);
  const pages: Slot[] = Array.from({ length: count }, (_, i) => i);
  const blanks: Slot[] = Array.from({ length: total - count }, () => null);
  if (backCover && count >= 2) return [...pages.slice(0, -1), ...blanks, count - 1];
  return [...pages, ...blanks];
}

/** Sheet sides in printing order: for each signature, each sheet's front then back. */
export function bookletSides(order: Slot[], signature?: number, rtl = false): SheetSide[] {
  if (order.length % 4 !== 0) throw new Error(`booklet needs a multiple of 4 pages, got ${order.length}`);
  if (signature !== undefined && (signature < 4 || signature % 4 !== 0)) {
    throw new Error(`a signature must be a multiple of 4 pages, got ${signature}`);
  }
  const size = signature ?? order.length;
  const sides: SheetSide[] = [];
  for (let start = 0, sig = 0; start < order.length; start += size, sig++) {
    const run = order.slice(start, start + size);
    const n = run.length;
    for (let i = 0; i < n / 4; i++) {
      const front = [run[n - 1 - 2 * i]!, run[2 * i]!];
      const back = [run[1 + 2 * i]!, run[n - 2 - 2 * i]!];
      if (rtl) {
        front.reverse();
        back.reverse();
      }
      sides.push({ left: front[0]!, right: front[1]!, depth: i, signature: sig, side: 'front' });
      sides.push({ left: back[0]!, right: back[1]!, depth: i, signature: sig, side: 'back' });
    }
  }
  return sides;
}

export interface Booklet {
  pdf: Uint8Array;
  sheet: Sheet;
  sides: SheetSide[];
  /** Blank pages added. */
  blanks: number;
}

export async function imposeBooklet(input: Uint8Array | PDFDocument, opts: BookletOptions = {}): Promise<Booklet> {
  const src = await loadPdf(input);
  const page = trimSize(src);
  const sheet = bookletSheet(page);
  const order = paddedOrder(src.getPageCount(), opts.backCover ?? true);
  const sides = bookletSides(order, opts.signature, opts.rtl);
  const out = await createSheetDoc(src, { titleSuffix: 'booklet', date: opts.date });
  const embedded = await embedFinishedPages(out, src);
  // The two pages meet at the centre of the sheet; any extra paper is shared by the outer margins.
  const x0 = (sheet.width - 2 * page.width) / 2;
  const y0 = (sheet.height - page.height) / 2;
  const leftPanel: Rect = { x: x0, y: y0, width: page.width, height: page.height };
  const rightPanel: Rect = { ...leftPanel, x: x0 + page.width };
  for (const side of sides) {
    const s = addSheet(out, sheet);
    const shift = side.depth * (opts.creep ?? 0);
    if (side.left !== null) drawInPanel(s, embedded[side.left]!, leftPanel, { shiftX: shift });
    if (side.right !== null) drawInPanel(s, embedded[side.right]!, rightPanel, { shiftX: -shift });
    if (opts.foldMark) drawFoldMark(s, sheet.width / 2, sheet.height);
  }
  const pdf = await out.save({ useObjectStreams: false });
  return { pdf, sheet, sides, blanks: order.filter((p) => p === null).length };
}
