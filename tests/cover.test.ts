/**
 * The print edition's covers, built with real Chromium and read back with poppler and pdf-lib:
 * four cover pages around the interior, the cover image reaching the bleed, crop marks only outside
 * the bleed, page labels by printed folio, bookmarks moved with the pages, the back cover kept last
 * by booklet imposition, a typographic cover without an image, and no covers with pdf.cover false.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { readPageLabels } from '../src/print/page_labels.js';
import { CROP_MARK } from '../src/print/marks.js';
import { Logger } from '../src/util/log.js';
import { pageCount, pdfWords } from './helpers/pdf_pages.js';
import { edges, lines, pageTexts, render, run } from './helpers/pdf_render.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-cover-test-'));
const MM = 72 / 25.4;
const BLEED = 3 * MM;
const RED = { r: 200, g: 30, b: 40 };

const paragraph = (n: number) =>
  Array.from({ length: n }, () => 'The stencil duplicator changed the economics of small publishing, one kitchen table at a time.').join(' ');

/** A small book: two chapters, one with a section; book.yaml extras for the pdf settings. */
async function makeBook(name: string, yaml: string, withImage: boolean): Promise<string> {
  const dir = path.join(tmpRoot, name);
  fs.mkdirSync(path.join(dir, 'manuscript'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'book.yaml'),
    `title: "Cover Test Quarterly"
subtitle: "Issue on covers"
author: ["Ada Testwriter"]
lang: en
date: "2024-05-01"
publisher: "Fixture House"
identifier: "urn:isbn:9780000000002"
description: "BLURB: a quarterly about covers, bleeds and the backs of books."
${withImage ? 'cover: images/cover.jpg\n' : ''}${yaml}`,
  );
  fs.writeFileSync(
    path.join(dir, 'manuscript', '01.md'),
    `# First chapter\n\n${paragraph(6)}\n\n## A section\n\n${paragraph(8)}\n\n# Second chapter\n\n${paragraph(5)}\n`,
  );
  if (withImage) {
    await sharp({ create: { width: 1300, height: 1800, channels: 3, background: RED } }).jpeg({ quality: 90 }).toFile(path.join(dir, 'images', 'cover.jpg'));
  }
  return dir;
}

async function buildBook(dir: string, flags: Record<string, unknown> = {}): Promise<string> {
  const out = path.join(dir, 'dist');
  const r = await build(dir, { format: 'pdf', out, quiet: true, reproducible: true, size: 'A6', ...flags }, { log: new Logger(true) });
  expect(r.diags.errors).toEqual([]);
  return out;
}


const isRed = (p: { r: number; g: number; b: number }) => p.r > 150 && p.g < 90 && p.b < 90;


describe('covers of a book with a cover image, bleed and crop marks', () => {
  let pdf: string;
  let texts: string[];
  let doc: PDFDocument;
  let n: number;

  beforeAll(async () => {
    const dir = await makeBook('with-image', 'pdf:\n  bleed: 3mm\n  marks: crop\n', true);
    pdf = path.join(await buildBook(dir), 'cover-test-quarterly.pdf');
    texts = pageTexts(pdf);
    doc = await PDFDocument.load(fs.readFileSync(pdf), { updateMetadata: false });
    n = pageCount(pdf);
  }, 120_000);

  it('puts front cover and a blank inside cover before the title page, a blank inside cover and the back cover after the text', () => {
    expect(n % 2).toBe(0);
    expect(texts).toHaveLength(n);
    const front = lines(texts[0]!).join(' ');
    expect(front).toContain('Cover Test Quarterly');
    expect(front).toContain('Issue on covers');
    expect(front).toContain('Ada Testwriter');
    expect(texts[1]!.trim()).toBe('');
    // The title page is PDF page 3, a right-hand page, and still folio 1 (it prints none).
    expect(lines(texts[2]!)).toContain('Cover Test Quarterly');
    expect(lines(texts[2]!).some((l) => /^\d+$/.test(l))).toBe(false);
    expect(texts[n - 2]!.trim()).toBe('');
    const back = lines(texts[n - 1]!).join(' ');
    expect(back).toContain('BLURB: a quarterly about covers');
    expect(back).toContain('Fixture House');
    expect(back).toContain('urn:isbn:9780000000002');
    // Blurb and identifier are on the back cover only.
    expect(texts.filter((t) => t.includes('BLURB'))).toHaveLength(1);
  });

  it('labels the pages by printed folio, and names the covers', () => {
    const labels = readPageLabels(doc);
    expect(labels).toEqual(['Cover', 'Inside front cover', ...Array.from({ length: n - 4 }, (_, i) => String(i + 1)), 'Inside back cover', 'Back cover']);
    // A printed folio in the text is the page's label.
    const folioPage = texts.findIndex((t, i) => i > 4 && i < n - 2 && /^\d+$/.test(lines(t).at(-1) ?? ''));
    expect(folioPage).toBeGreaterThan(0);
    expect(lines(texts[folioPage]!).at(-1)).toBe(labels[folioPage]);
    // qpdf reads the same labels.
    const json = JSON.parse(run('qpdf', ['--json', '--json-key=pagelabels', pdf])) as { pagelabels: { index: number }[] };
    expect(json.pagelabels.map((l) => l.index)).toEqual([0, 1, 2, n - 2, n - 1]);
  });

  it('prints the cover image to the very edge of the bleed, and nothing beyond it', () => {
    const e = edges(pdf, 1);
    expect(e.bleed.left).toBeGreaterThan(0); // room for the crop marks
    const img = render(pdf, 1);
    const { left, right, top, bottom } = e.bleed;
    const w = right - left;
    const h = bottom - top;
    // One point inside the BleedBox on every side: image pixels, not white.
    for (const f of [0.02, 0.25, 0.5, 0.75, 0.98]) {
      expect(isRed(img.at(left + f * w, top + 1)), `top edge at ${f}`).toBe(true);
      expect(isRed(img.at(left + f * w, bottom - 1.5)), `bottom edge at ${f}`).toBe(true);
    }
    for (const f of [0.02, 0.2, 0.4, 0.97]) {
      expect(isRed(img.at(left + 1, top + f * h)), `left edge at ${f}`).toBe(true);
      expect(isRed(img.at(right - 1.5, top + f * h)), `right edge at ${f}`).toBe(true);
    }
    // Between the BleedBox and the paper's edge only the crop marks: white halfway along each side.
    expect(img.gray(left / 2, top + h / 2)).toBe(255);
    expect(img.gray(right + (e.media.right - right) / 2, top + h / 2)).toBe(255);
    expect(img.gray(left + w / 2, top / 2)).toBe(255);
    expect(img.gray(left + w / 2, bottom + (e.media.bottom - bottom) / 2)).toBe(255);
  });

  it('draws crop marks only outside the bleed (none from Paged.js inside it)', () => {
    for (const page of [1, 3, n - 1]) {
      const e = edges(pdf, page);
      const img = render(pdf, page);
      const near = BLEED + CROP_MARK.gap;
      const mid = near + CROP_MARK.length / 2;
      // Marks on the trim lines, outside the bleed, at two opposite corners.
      expect(img.darkest(e.trim.left - mid, e.trim.top), `page ${page}`).toBeLessThan(200);
      expect(img.darkest(e.trim.left, e.trim.top - mid), `page ${page}`).toBeLessThan(200);
      expect(img.darkest(e.trim.right + mid, e.trim.bottom), `page ${page}`).toBeLessThan(200);
      expect(img.darkest(e.trim.right, e.trim.bottom + mid), `page ${page}`).toBeLessThan(200);
      if (page === 1) continue; // the cover image fills its bleed
      // Inside the bleed of a text page: white all round, in the middle of the band.
      for (let x = e.bleed.left + 1; x < e.bleed.right - 1; x += 2) {
        expect(img.gray(x, (e.bleed.top + e.trim.top) / 2), `page ${page} top band x=${x}`).toBe(255);
        expect(img.gray(x, (e.bleed.bottom + e.trim.bottom) / 2), `page ${page} bottom band x=${x}`).toBe(255);
      }
      for (let y = e.bleed.top + 1; y < e.bleed.bottom - 1; y += 2) {
        expect(img.gray((e.bleed.left + e.trim.left) / 2, y), `page ${page} left band y=${y}`).toBe(255);
        expect(img.gray((e.bleed.right + e.trim.right) / 2, y), `page ${page} right band y=${y}`).toBe(255);
      }
    }
  });

  it('moves bookmarks and contents links with the pages', () => {
    const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
    const found: { title: string; page: number }[] = [];
    const walk = (first: PDFObject | undefined) => {
      for (let ref = first; ref instanceof PDFRef; ) {
        const item = doc.context.lookup(ref) as PDFDict;
        const dest = item.lookup(PDFName.of('Dest')) as PDFArray;
        found.push({ title: (item.lookup(PDFName.of('Title')) as PDFHexString).decodeText(), page: pageIndex.get(dest.get(0).toString())! });
        walk(item.get(PDFName.of('First')));
        ref = item.get(PDFName.of('Next'));
      }
    };
    walk((doc.catalog.lookup(PDFName.of('Outlines')) as PDFDict).get(PDFName.of('First')));
    expect(found.map((f) => f.title)).toEqual(['First chapter', 'A section', 'Second chapter']);
    for (const f of found) {
      expect(f.page).toBeGreaterThan(2);
      expect(lines(texts[f.page - 1]!), f.title).toContain(f.title);
    }
    // The contents print folios: each is the label of the page its bookmark points at.
    const labels = readPageLabels(doc);
    const toc = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t));
    for (const f of found) {
      const entry = lines(texts[toc]!).find((l) => l.startsWith(f.title));
      expect(entry, f.title).toBeDefined();
      expect(/(\d+)$/.exec(entry!)![1]).toBe(labels[f.page - 1]);
    }
  });
});

describe('typographic cover, booklet imposition, and no covers', () => {
  it('sets a typographic cover in one colour to the paper edge, and imposes the back cover last', async () => {
    const dir = await makeBook('typographic', 'pdf:\n  impose: booklet\n', false);
    const out = await buildBook(dir);
    const pdf = path.join(out, 'cover-test-quarterly.pdf');
    const n = pageCount(pdf);
    expect(n % 2).toBe(0);
    const img = render(pdf, 1);
    // Chromium prints the page a fraction of a point larger than the cover (≤ 1 pt white at the right and
    // bottom edge, see the report): sample two points in.
    for (const [x, y] of [[1, 1], [img.width - 3, 1], [1, img.height - 3], [img.width - 3, img.height - 3], [img.width / 2, 1]] as const) {
      const p = img.at(x, y);
      expect(Math.max(p.r, p.g, p.b), `corner ${x},${y}`).toBeLessThan(100);
    }
    expect(lines(pageTexts(pdf)[0]!).join(' ')).toContain('Cover Test Quarterly');

    // Outermost sheet, front side: back cover on the left half, front cover on the right half.
    const booklet = path.join(out, 'cover-test-quarterly-booklet.pdf');
    const words = pdfWords(booklet, 1);
    const half = (execFileSync('pdfinfo', [booklet], { encoding: 'utf8' }).match(/Page size:\s+([\d.]+)/)?.[1] ?? '0') as string;
    const mid = Number(half) / 2;
    const left = words.filter((w) => w.xMax < mid).map((w) => w.text);
    const right = words.filter((w) => w.xMin > mid).map((w) => w.text);
    expect(left).toContain('BLURB:');
    expect(right).toContain('Quarterly');
    expect(right).not.toContain('BLURB:');
  }, 120_000);

  it('adds no cover pages with pdf.cover false: the title page is page 1', async () => {
    const dir = await makeBook('no-cover', 'pdf:\n  cover: false\n', true);
    const pdf = path.join(await buildBook(dir), 'cover-test-quarterly.pdf');
    const texts = pageTexts(pdf);
    expect(lines(texts[0]!)).toContain('Cover Test Quarterly');
    expect(texts.some((t) => t.includes('BLURB'))).toBe(false);
    const doc = await PDFDocument.load(fs.readFileSync(pdf), { updateMetadata: false });
    expect(doc.catalog.has(PDFName.of('PageLabels'))).toBe(false);
    expect(run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter(Boolean)).toEqual([]);
  }, 120_000);
});

afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
