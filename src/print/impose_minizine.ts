/**
 * The eight-page mini-zine: one sheet printed on one side, folded and cut once.
 *
 * Layout (sheet landscape, 4 columns × 2 rows, numbers are pages, ↻ = turned 180°):
 *
 *     ↻5  ↻4  ↻3  ↻2        top row, upside down
 *      6   7   8   1        bottom row (8 = back cover, 1 = front cover)
 *
 * Derived by folding: fold the sheet in half lengthwise, printed side out, top row behind the
 * bottom row (the top row is then upright seen from behind, and its columns mirrored). Cut the
 * fold between the two middle columns, push the ends together: the sheet becomes four wings round
 * one spine, each two pages back to back: column 1 (6 | 5), column 4 (1 | 2), the bottom middle
 * (7 | 8) and the top middle (3 | 4). Going round the spine, the spaces between the wings hold the
 * spreads 8|1 (the outside: back and front cover), 2|3, 4|5, 6|7. tests/impose.test.ts repeats
 * this fold on the imposed PDF.
 *
 * Right to left (a book bound on the right): the mirror image, top [2 3 4 5], bottom [1 8 7 6]; the
 * same folds give the spreads 1|8 outside, then 3|2, 5|4, 7|6.
 *
 * Guides: a dashed cut line on the horizontal centre line across the two middle columns, and light
 * dotted fold lines on the other panel edges.
 */
import type { PDFDocument } from 'pdf-lib';
import { trimSize, type Rect } from './boxes.js';
import { drawLines } from './marks.js';
import { addSheet, createSheetDoc, drawInPanel, embedFinishedPages, loadPdf } from './sheet_doc.js';
import { zineSheet, type Sheet } from './sheet_sizes.js';

export const ZINE_PAGES = 8;

/** 1-based page in each panel, top row then bottom row, left to right; the top row is upside down. */
export const ZINE_LAYOUT: { top: number[]; bottom: number[] } = { top: [5, 4, 3, 2], bottom: [6, 7, 8, 1] };

export const CUT_STYLE = { gray: 0, width: 0.6, dash: [6, 3] };
export const FOLD_STYLE = { gray: 0.7, width: 0.3, dash: [1, 2] };

export class ZineTooLongError extends Error {
  constructor(readonly pages: number) {
    super(`a mini-zine holds ${ZINE_PAGES} pages and this book has ${pages}; make it shorter or use --impose booklet`);
    this.name = 'ZineTooLongError';
  }
}

/** The book's pages as zine pages 1–8 (0-based book page or null): blanks before the back cover. */
export function zineOrder(count: number, backCover = true): Array<number | null> {
  if (count > ZINE_PAGES) throw new ZineTooLongError(count);
  const pages = Array.from({ length: count }, (_, i): number | null => i);
  const blanks = Array.from({ length: ZINE_PAGES - count }, (): number | null => null);
  if (backCover && count >= 2) return [...pages.slice(0, -1), ...blanks, count - 1];
  return [...pages, ...blanks];
}

export interface MiniZine {
  pdf: Uint8Array;
  sheet: Sheet;
  blanks: number;
}

export interface MiniZineOptions {
  backCover?: boolean;
  /** Bound on the right (a right-to-left book): the layout mirrored. */
  rtl?: boolean;
  date?: Date;
}

export async function imposeMiniZine(input: Uint8Array | PDFDocument, opts: MiniZineOptions = {}): Promise<MiniZine> {
  const src = await loadPdf(input);
  const order = zineOrder(src.getPageCount(), opts.backCover ?? true);
  const sheet = zineSheet(trimSize(src));
  const out = await createSheetDoc(src, { titleSuffix: 'mini-zine', date: opts.date });
  const embedded = await embedFinishedPages(out, src);
  const s = addSheet(out, sheet);
  const mirrorIf = (row: number[]) => (opts.rtl ? [...row].reverse() : row);
  const pw = sheet.width / 4;
  const ph = sheet.height / 2;
  const rows = [
    { pages: mirrorIf(ZINE_LAYOUT.top), y: ph, upsideDown: true },
    { pages: mirrorIf(ZINE_LAYOUT.bottom), y: 0, upsideDown: false },
  ];
  for (const row of rows) {
    row.pages.forEach((zinePage, col) => {
      const book = order[zinePage - 1];
      if (book === null || book === undefined) return;
      const panel: Rect = { x: col * pw, y: row.y, width: pw, height: ph };
      drawInPanel(s, embedded[book]!, panel, { upsideDown: row.upsideDown });
    });
  }
  const W = sheet.width;
  const H = sheet.height;
  drawLines(
    s,
    [
      [pw, 0, pw, H],
      [2 * pw, 0, 2 * pw, H],
      [3 * pw, 0, 3 * pw, H],
      [0, ph, pw, ph],
      [3 * pw, ph, W, ph],
    ],
    FOLD_STYLE,
  );
  drawLines(s, [[pw, ph, 3 * pw, ph]], CUT_STYLE);
  const pdf = await out.save({ useObjectStreams: false });
  return { pdf, sheet, blanks: order.filter((p) => p === null).length };
}
