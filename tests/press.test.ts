/**
 * Page boxes, crop marks and the PDF/X press copy, checked with pdfinfo -box, pdffonts, a rendering
 * of the marks, and the document catalogue read with pdf-lib.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { setPrintBoxes } from '../src/print/boxes.js';
import { finishPrint } from '../src/print/index.js';
import { CROP_MARK, MARKS_MARGIN, drawCropMarks } from '../src/print/marks.js';
import { NEEDS_GHOSTSCRIPT, PressError, pressPdf } from '../src/print/press.js';
import { MM, makeTestPdf, pdfBoxes, sizeOf, tempPdf } from './helpers/pdf_pages.js';
import { printContext } from './helpers/print_context.js';

const A5 = { width: 148 * MM, height: 210 * MM };
const BLEED = 3 * MM;

const expectSize = (box: number[], w: number, h: number) => {
  const [bw, bh] = sizeOf(box);
  expect(bw).toBeCloseTo(w, 1);
  expect(bh).toBeCloseTo(h, 1);
};

/** Gray levels (0 black … 255 white) of page 1 rendered at 72 dpi, so one pixel is one point of the MediaBox. */
function render(file: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-render-'));
  execFileSync('pdftoppm', ['-r', '72', '-gray', '-singlefile', '-f', '1', '-l', '1', file, path.join(dir, 'p')]);
  const pgm = fs.readFileSync(path.join(dir, 'p.pgm'));
  const m = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
  const [width, height, offset] = [Number(m[1]), Number(m[2]), m[0].length];
  const at = (x: number, y: number) => pgm[offset + Math.floor(y) * width + Math.floor(x)]!;
  /** The darkest pixel within a point of (x, y): hairlines land on one pixel row, either side. */
  const darkest = (x: number, y: number) => Math.min(...[-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => at(x + dx, y + dy))));
  return { width, height, at, darkest };
}

describe('page boxes', () => {
  it('sets TrimBox, BleedBox and keeps a MediaBox that already holds bleed and marks', async () => {
    const file = tempPdf(await makeTestPdf({ pages: 2, ...A5, extra: BLEED + MARKS_MARGIN }));
    const doc = await PDFDocument.load(fs.readFileSync(file));
    const report = setPrintBoxes(doc, { trimWidth: A5.width, trimHeight: A5.height, bleed: BLEED, marksMargin: MARKS_MARGIN });
    expect(report.pagesEnlarged).toEqual([]);
    expect(report.pagesWithoutBleed).toEqual([]);
    const out = tempPdf(await doc.save());
    for (const page of [1, 2]) {
      const b = pdfBoxes(out, page);
      expectSize(b.TrimBox, A5.width, A5.height);
      expectSize(b.BleedBox, A5.width + 2 * BLEED, A5.height + 2 * BLEED);
      expectSize(b.MediaBox, A5.width + 2 * (BLEED + MARKS_MARGIN), A5.height + 2 * (BLEED + MARKS_MARGIN));
      expect(b.CropBox).toEqual(b.MediaBox);
      // The trim is centred: the bleed and the marks room are the same on every side.
      expect(b.TrimBox[0]! - b.BleedBox[0]!).toBeCloseTo(BLEED, 1);
      expect(b.BleedBox[3]! - b.TrimBox[3]!).toBeCloseTo(BLEED, 1);
      expect(b.BleedBox[0]! - b.MediaBox[0]!).toBeCloseTo(MARKS_MARGIN, 1);
    }
  });

  it('enlarges a Paged.js-size page (trim + bleed) for crop marks drawn outside the bleed', async () => {
    const doc = await PDFDocument.load(await makeTestPdf({ pages: 1, ...A5, extra: BLEED }));
    const report = setPrintBoxes(doc, { trimWidth: A5.width, trimHeight: A5.height, bleed: BLEED, marksMargin: MARKS_MARGIN });
    expect(report.pagesEnlarged).toEqual([1]);
    drawCropMarks(doc, doc.getPages(), (p) => p.getTrimBox(), BLEED);
    const file = tempPdf(await doc.save());
    const b = pdfBoxes(file);
    expectSize(b.MediaBox, A5.width + 2 * (BLEED + MARKS_MARGIN), A5.height + 2 * (BLEED + MARKS_MARGIN));
    expectSize(b.TrimBox, A5.width, A5.height);

    const img = render(file);
    // Image coordinates: from the MediaBox's top-left corner, y down.
    const trimLeft = b.TrimBox[0]! - b.MediaBox[0]!;
    const trimTop = b.MediaBox[3]! - b.TrimBox[3]!;
    const near = BLEED + CROP_MARK.gap;
    const mid = near + CROP_MARK.length / 2;
    // Top-left corner: a horizontal mark on the trim's top line, a vertical one on its left line…
    expect(img.darkest(trimLeft - mid, trimTop)).toBeLessThan(200);
    expect(img.darkest(trimLeft, trimTop - mid)).toBeLessThan(200);
    // …and nothing on those lines inside the bleed.
    for (let d = 1; d < BLEED - 0.5; d++) {
      expect(img.at(trimLeft - d, trimTop - 0.5 * BLEED)).toBe(255);
      expect(img.at(trimLeft - 0.5 * BLEED, trimTop - d)).toBe(255);
    }
    // Bottom-right corner too.
    const trimRight = b.TrimBox[2]! - b.MediaBox[0]!;
    const trimBottom = b.MediaBox[3]! - b.TrimBox[1]!;
    expect(img.darkest(trimRight + mid, trimBottom)).toBeLessThan(200);
    expect(img.darkest(trimRight, trimBottom + mid)).toBeLessThan(200);
  });

  it('finishPrint sets the boxes on the staged PDF from pdf.size and pdf.bleed, warns when there is no bleed', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 2, ...A5, extra: BLEED }), { bleed: '3mm', marks: 'crop' });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.items).toEqual([]);
    const b = pdfBoxes(ctx.stage.path(ctx.pdfName), 2);
    expectSize(b.TrimBox, A5.width, A5.height);
    expectSize(b.BleedBox, A5.width + 2 * BLEED, A5.height + 2 * BLEED);

    const flat = printContext(await makeTestPdf({ pages: 2, ...A5 }), { bleed: '3mm' });
    await finishPrint(flat, flat.pdfName);
    expect(flat.diags.warnings.map((d) => d.code)).toEqual(['no-bleed']);
    expect(flat.diags.warnings[0]!.message).toContain('@page');
  });

  it('rejects a bleed that is not a length', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 1, ...A5 }), { bleed: 'wide' });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors.map((d) => d.code)).toEqual(['bad-option']);
  });
});

describe('press copy', () => {
  it('is PDF/X-3 with an output intent, embedded fonts and the TrimBox kept', async () => {
    const doc = await PDFDocument.load(await makeTestPdf({ pages: 2, ...A5, extra: BLEED, background: true, title: 'Press (test)' }));
    setPrintBoxes(doc, { trimWidth: A5.width, trimHeight: A5.height, bleed: BLEED, marksMargin: MARKS_MARGIN });
    drawCropMarks(doc, doc.getPages(), (p) => p.getTrimBox(), BLEED);
    const input = await doc.save();
    const pressed = await pressPdf(input, { sourceDateEpoch: 1_700_000_000 });
    const file = tempPdf(pressed);

    expect(Buffer.from(pressed.subarray(0, 8)).toString('latin1')).toMatch(/^%PDF-1\.[34]$/);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/PDF subtype:\s+PDF\/X-3/);
    expect(info).toMatch(/Title:\s+Press \(test\)/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/\byes\s+yes\b/); // embedded, subset

    const out = await PDFDocument.load(pressed, { updateMetadata: false });
    const infoDict = out.context.lookup(out.context.trailerInfo.Info, PDFDict);
    expect(infoDict.lookup(PDFName.of('GTS_PDFXVersion'), PDFString).decodeText()).toMatch(/^PDF\/X-3/);
    expect(out.getCreationDate()?.getTime()).toBe(1_700_000_000_000);
    const intents = out.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toEqual(PDFName.of('GTS_PDFX'));
    expect(intent.has(PDFName.of('DestOutputProfile'))).toBe(true);

    for (const page of [1, 2]) {
      const before = pdfBoxes(tempPdf(input), page);
      const after = pdfBoxes(file, page);
      expectSize(after.TrimBox, A5.width, A5.height);
      expectSize(after.BleedBox, A5.width + 2 * BLEED, A5.height + 2 * BLEED);
      expectSize(after.MediaBox, ...sizeOf(before.MediaBox));
      // Same place on the sheet, whatever origin Ghostscript gave the MediaBox.
      expect(after.TrimBox[0]! - after.MediaBox[0]!).toBeCloseTo(before.TrimBox[0]! - before.MediaBox[0]!, 1);
      expect(after.TrimBox[1]! - after.MediaBox[1]!).toBeCloseTo(before.TrimBox[1]! - before.MediaBox[1]!, 1);
    }
    // Every colour is CMYK now: the background tint is no longer an RGB fill.
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 64 << 20 }).toString('latin1');
    expect(qdf).not.toMatch(/\brg\b/);

    // Reproducible with SOURCE_DATE_EPOCH.
    const again = await pressPdf(input, { sourceDateEpoch: 1_700_000_000 });
    expect(Buffer.compare(Buffer.from(again), Buffer.from(pressed))).toBe(0);
  });

  it('is written by finishPrint as <slug>-press.pdf', async () => {
    const ctx = printContext(await makeTestPdf({ pages: 1, ...A5, extra: BLEED }), { bleed: '3mm', press: true, sourceDateEpoch: 1_700_000_000 });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors).toEqual([]);
    expect(ctx.stage.files).toContainEqual({ name: 'test-book-press.pdf', format: 'pdf-press' });
    const b = pdfBoxes(ctx.stage.path('test-book-press.pdf'));
    expectSize(b.TrimBox, A5.width, A5.height);
  });

  it('says how to get Ghostscript when it is not on PATH', async () => {
    const input = await makeTestPdf({ pages: 1, ...A5 });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-nogs-'));
    await expect(pressPdf(input, { searchPath: empty })).rejects.toThrow(PressError);
    await expect(pressPdf(input, { searchPath: empty })).rejects.toThrow(NEEDS_GHOSTSCRIPT);

    const ctx = printContext(input, { press: true });
    await finishPrint(ctx, ctx.pdfName, { searchPath: empty });
    expect(ctx.diags.errors.map((d) => [d.code, d.message])).toEqual([['press-needs-ghostscript', '--press needs Ghostscript: apt-get install ghostscript']]);
    expect(ctx.stage.files.map((f) => f.name)).toEqual(['test-book.pdf']);
  });

  it('stops a Ghostscript that runs too long', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-slowgs-'));
    const slow = path.join(dir, 'gs');
    fs.writeFileSync(slow, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const input = await makeTestPdf({ pages: 1, ...A5 });
    await expect(pressPdf(input, { gs: slow, timeoutMs: 300 })).rejects.toThrow(/timed out/);
  });
});
