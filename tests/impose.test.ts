/**
 * Booklet and mini-zine imposition, checked on real PDFs: which "PAGE n" label poppler finds on each
 * sheet side, in which half or panel, which way up; sheet sizes from pdfinfo -box.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishPrint } from '../src/print/index.js';
import { bookletSides, imposeBooklet, paddedOrder } from '../src/print/impose_booklet.js';
import { imposeMiniZine } from '../src/print/impose_minizine.js';
import { MM, makeTestPdf, pageCount, pageLabels, pdfBoxes, sizeOf, tempPdf, type Label } from './helpers/pdf_pages.js';
import { printContext } from './helpers/print_context.js';

const A5 = { width: 148 * MM, height: 210 * MM };
const HALF_LETTER = { width: 5.5 * 72, height: 8.5 * 72 };

/** [left, right] page numbers of one booklet sheet side (null for a blank half). */
function halves(file: string, side: number, sheetWidth: number): [number | null, number | null] {
  const labels = pageLabels(file, side);
  for (const l of labels) expect(l.upsideDown, `page ${l.page} upright on side ${side}`).toBe(false);
  const left = labels.filter((l) => l.x < sheetWidth / 2);
  const right = labels.filter((l) => l.x > sheetWidth / 2);
  expect(left.length).toBeLessThanOrEqual(1);
  expect(right.length).toBeLessThanOrEqual(1);
  return [left[0]?.page ?? null, right[0]?.page ?? null];
}

function allHalves(file: string): Array<[number | null, number | null]> {
  const [w] = sizeOf(pdfBoxes(file, 1).MediaBox);
  return Array.from({ length: pageCount(file) }, (_, i) => halves(file, i + 1, w));
}

/**
 * Folding the printed sheets: sheets stacked in printing order, outermost first, folded together.
 * Flipped on the short edge, the back's left half lies behind the front's right half. Reading the
 * folded booklet: the right halves of the fronts and left halves of the backs going in, then the
 * right halves of the backs and left halves of the fronts coming out.
 */
function readFolded(sides: Array<[number | null, number | null]>): Array<number | null> {
  const sheets = sides.length / 2;
  const first: Array<number | null> = [];
  const second: Array<number | null> = [];
  for (let i = 0; i < sheets; i++) {
    const [frontL, frontR] = sides[2 * i]!;
    const [backL, backR] = sides[2 * i + 1]!;
    first.push(frontR, backL);
    second.unshift(backR, frontL);
  }
  return [...first, ...second];
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('booklet', () => {
  it('puts A5 pages on A4 landscape sheets in saddle-stitch order, blanks before the back cover', async () => {
    const { pdf, sheet, blanks } = await imposeBooklet(await makeTestPdf({ pages: 10, ...A5 }));
    const file = tempPdf(pdf);
    expect(blanks).toBe(2);
    expect(pageCount(file)).toBe(6);
    for (let side = 1; side <= 6; side++) {
      const boxes = pdfBoxes(file, side);
      for (const box of [boxes.MediaBox, boxes.CropBox, boxes.TrimBox]) {
        const [w, h] = sizeOf(box);
        expect(Math.round(w)).toBe(842);
        expect(Math.round(h)).toBe(595);
      }
    }
    expect(sheet.paper).toBe('A4');
    // 12 pages: 1–9, two blanks, 10 (the back cover). Sheet i front [12−2i | 1+2i], back [2+2i | 11−2i].
    expect(allHalves(file)).toEqual([
      [10, 1],
      [2, null],
      [null, 3],
      [4, 9],
      [8, 5],
      [6, 7],
    ]);
    expect(readFolded(allHalves(file))).toEqual([...range(1, 9), null, null, 10]);
  });

  it('needs no blanks for a multiple of 4 and keeps the pair centred at the spine', async () => {
    const { pdf, blanks } = await imposeBooklet(await makeTestPdf({ pages: 8, ...A5 }));
    const file = tempPdf(pdf);
    expect(blanks).toBe(0);
    expect(readFolded(allHalves(file))).toEqual(range(1, 8));
    // Labels sit 6% of the page width in from each page's left edge; the pages meet at the centre.
    const [w] = sizeOf(pdfBoxes(file, 1).MediaBox);
    const [left, right] = [...pageLabels(file, 1)].sort((a, b) => a.x - b.x) as [Label, Label];
    expect(left.xMin).toBeCloseTo(w / 2 - A5.width + 0.06 * A5.width, 0);
    expect(right.xMin).toBeCloseTo(w / 2 + 0.06 * A5.width, 0);
  });

  it('chooses the sheet from the page size', async () => {
    const cases: Array<[{ width: number; height: number }, number, number]> = [
      [HALF_LETTER, 792, 612],
      [{ width: 105 * MM, height: 148 * MM }, 595, 420],
      [{ width: 100 * MM, height: 100 * MM }, Math.round(200 * MM), Math.round(100 * MM)],
    ];
    for (const [page, w, h] of cases) {
      const file = tempPdf((await imposeBooklet(await makeTestPdf({ pages: 4, ...page }))).pdf);
      const [sw, sh] = sizeOf(pdfBoxes(file, 1).MediaBox);
      expect([Math.round(sw), Math.round(sh)]).toEqual([w, h]);
    }
  });

  it('compensates creep: sheet i moves its pages i × creep toward the spine', async () => {
    const creep = 0.5 * MM;
    const file = tempPdf((await imposeBooklet(await makeTestPdf({ pages: 16, ...A5 }), { creep })).pdf);
    const sides = Array.from({ length: 8 }, (_, i) => [...pageLabels(file, i + 1)].sort((a, b) => a.x - b.x));
    for (let sheet = 1; sheet < 4; sheet++) {
      for (const side of [0, 1]) {
        const [outerL, outerR] = sides[side]!;
        const [innerL, innerR] = sides[2 * sheet + side]!;
        // Left pages move right (toward the spine), right pages move left.
        expect(innerL!.xMin - outerL!.xMin).toBeCloseTo(sheet * creep, 1);
        expect(outerR!.xMin - innerR!.xMin).toBeCloseTo(sheet * creep, 1);
      }
    }
    expect(readFolded(sides.map((s) => [s[0]!.page, s[1]!.page]))).toEqual(range(1, 16));
  });

  it('splits into signatures, each its own booklet, padding only the last before the back cover', async () => {
    const file = tempPdf((await imposeBooklet(await makeTestPdf({ pages: 14, ...A5 }), { signature: 8 })).pdf);
    const sides = allHalves(file);
    expect(sides).toHaveLength(8);
    expect(readFolded(sides.slice(0, 4))).toEqual(range(1, 8));
    expect(readFolded(sides.slice(4))).toEqual([...range(9, 13), null, null, 14]);
    expect(sides.slice(4)).toEqual([
      [14, 9],
      [10, null],
      [null, 11],
      [12, 13],
    ]);
  });

  it('orders slots without a PDF: padding, signatures and refusals', () => {
    expect(paddedOrder(5)).toEqual([0, 1, 2, 3, null, null, null, 4]);
    expect(paddedOrder(5, false)).toEqual([0, 1, 2, 3, 4, null, null, null]);
    expect(paddedOrder(1)).toEqual([0, null, null, null]);
    expect(bookletSides(paddedOrder(8), 4).map((s) => [s.left, s.right, s.signature])).toEqual([
      [3, 0, 0],
      [1, 2, 0],
      [7, 4, 1],
      [5, 6, 1],
    ]);
    expect(() => bookletSides(paddedOrder(8), 6)).toThrow(/multiple of 4/);
  });

  it('is written by finishPrint as <slug>-booklet.pdf; a bad signature is an error', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 6, ...A5 }), { impose: 'booklet', signature: 4 });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors).toEqual([]);
    expect(ctx.stage.files).toContainEqual({ name: 'test-book-booklet.pdf', format: 'pdf-booklet' });
    const file = ctx.stage.path('test-book-booklet.pdf');
    expect(readFolded(allHalves(file).slice(0, 2))).toEqual(range(1, 4));
    expect(readFolded(allHalves(file).slice(2))).toEqual([5, null, null, 6]);

    // Without cover pages (the PDF target did not report any), blanks go after the last page.
    const plain = printContext(await makeTestPdf({ pages: 6, ...A5 }), { impose: 'booklet', covers: false });
    await finishPrint(plain, plain.pdfName);
    expect(readFolded(allHalves(plain.stage.path('test-book-booklet.pdf')))).toEqual([...range(1, 6), null, null]);

    const bad = printContext(await makeTestPdf({ pages: 6, ...A5 }), { impose: 'booklet', signature: 6 });
    await finishPrint(bad, bad.pdfName);
    expect(bad.diags.errors.map((d) => d.code)).toEqual(['bad-option']);
    expect(fs.existsSync(path.join(bad.stage.dir, 'test-book-booklet.pdf'))).toBe(false);
  });
});

/** Panel (row 0 = top, col 0–3) of a label on a zine sheet, and whether it sits where its page puts it. */
function zineGrid(file: string): { grid: Array<Array<number | null>>; labels: Label[]; sheet: [number, number] } {
  const [w, h] = sizeOf(pdfBoxes(file, 1).MediaBox);
  const grid: Array<Array<number | null>> = [
    [null, null, null, null],
    [null, null, null, null],
  ];
  const labels = pageLabels(file, 1);
  for (const l of labels) {
    const col = Math.floor(l.x / (w / 4));
    const row = Math.floor(l.y / (h / 2));
    // Each test page has its label in the top-left quarter: upright it stays there in its panel,
    // turned 180° it lands in the bottom-right quarter.
    const inPanelX = (l.x - col * (w / 4)) / (w / 4);
    const inPanelY = (l.y - row * (h / 2)) / (h / 2);
    expect(l.upsideDown, `page ${l.page}: top row upside down, bottom row upright`).toBe(row === 0);
    if (l.upsideDown) expect([inPanelX > 0.5, inPanelY > 0.5]).toEqual([true, true]);
    else expect([inPanelX < 0.5, inPanelY < 0.5]).toEqual([true, true]);
    grid[row]![col] = l.page;
  }
  return { grid, labels, sheet: [w, h] };
}

/**
 * Folding the mini-zine: fold lengthwise with the top row behind (now upright, columns mirrored),
 * cut the middle of the fold, push the ends together. Four wings stand round the spine: column 0
 * (bottom face B0 / top face T0), the bottom middle (B1 | B2), column 3 (B3 / T3), the top middle
 * (T1 | T2). Between neighbouring wings lie the spreads, going round: (B0 | B1), (B2 | B3),
 * (T3 | T2), (T1 | T0). The zine reads correctly when, starting from the spread holding the
 * covers, they are 8|1, 2|3, 4|5, 6|7.
 */
function foldZine(grid: Array<Array<number | null>>): Array<[number | null, number | null]> {
  const [T, B] = grid as [Array<number | null>, Array<number | null>];
  const round: Array<[number | null, number | null]> = [
    [B[0]!, B[1]!],
    [B[2]!, B[3]!],
    [T[3]!, T[2]!],
    [T[1]!, T[0]!],
  ];
  const start = round.findIndex(([, right]) => right === 1);
  return [...round.slice(start), ...round.slice(0, start)];
}

describe('mini-zine', () => {
  it('lays 8 pages on one A4 landscape side: top row upside down, folds into reading order', async () => {
    const { pdf, sheet } = await imposeMiniZine(await makeTestPdf({ pages: 8, ...A5 }));
    const file = tempPdf(pdf);
    expect(pageCount(file)).toBe(1);
    const { grid, sheet: size } = zineGrid(file);
    expect(size.map(Math.round)).toEqual([842, 595]);
    expect(sheet.paper).toBe('A4');
    expect(grid).toEqual([
      [5, 4, 3, 2],
      [6, 7, 8, 1],
    ]);
    expect(foldZine(grid)).toEqual([
      [8, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
  });

  it('uses letter landscape for letter-family pages and scales pages to their panel', async () => {
    const file = tempPdf((await imposeMiniZine(await makeTestPdf({ pages: 8, ...HALF_LETTER }))).pdf);
    const { grid, sheet, labels } = zineGrid(file);
    expect(sheet.map(Math.round)).toEqual([792, 612]);
    expect(foldZine(grid)[0]).toEqual([8, 1]);
    // A half-letter page (396 pt wide) in a 198 pt panel: scale ½, so the label starts 0.06 × 198 in.
    const one = labels.find((l) => l.page === 1)!;
    expect(one.xMin - 3 * 198).toBeCloseTo(0.06 * 198, 0);
  });

  it('pads a short zine with blanks before the back cover', async () => {
    const file = tempPdf((await imposeMiniZine(await makeTestPdf({ pages: 5, ...A5 }))).pdf);
    const { grid } = zineGrid(file);
    expect(foldZine(grid)).toEqual([
      [5, 1],
      [2, 3],
      [4, null],
      [null, null],
    ]);
  });

  it('refuses more than 8 pages, suggesting a booklet, and writes nothing', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 9, ...A5 }), { impose: 'minizine' });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors).toHaveLength(1);
    expect(ctx.diags.errors[0]!.code).toBe('zine-too-long');
    expect(ctx.diags.errors[0]!.message).toMatch(/9/);
    expect(ctx.diags.errors[0]!.message).toContain('--impose booklet');
    expect(ctx.stage.files.map((f) => f.name)).toEqual(['test-book.pdf']);
  });

  it('is written by finishPrint as <slug>-minizine.pdf', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 8, ...A5 }), { impose: 'minizine' });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors).toEqual([]);
    expect(ctx.stage.files).toContainEqual({ name: 'test-book-minizine.pdf', format: 'pdf-minizine' });
    expect(zineGrid(ctx.stage.path('test-book-minizine.pdf')).grid[1]).toEqual([6, 7, 8, 1]);
  });
});
