/**
 * Full-bleed plates ({.bleed} figures) in the print edition, built with real Chromium and read back
 * with poppler: the picture fills its page out to the edge of the BleedBox on every side and no
 * further, the page prints neither running head nor folio, the caption is on the plate, and the text
 * around the figure is all there, once, in order. Without pdf.bleed the picture reaches the page edge.
 * The EPUB and web editions keep an ordinary figure.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { FIXTURES } from './helpers/book.js';
import { pageCount, pdfBoxes } from './helpers/pdf_pages.js';
import { edges, lines, pageTexts, render, run } from './helpers/pdf_render.js';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-bleed-test-'));
const FIXTURE = path.join(FIXTURES, 'books', 'bleed');
const CAPTION = 'Plate caption: a field of blue';
/** The fixture's paragraphs begin with these words, in this order; the plate stands between them. */
const MARKERS = ['Before01', 'Before02', 'Before03', 'Before04', 'Before05', 'After01', 'After02', 'After03', 'After04'];

/** A copy of the fixture book, its pdf settings replaced by `pdf` (YAML lines, or none). */
function copyFixture(name: string, pdf: string): string {
  const dir = path.join(tmpRoot, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const yaml = fs.readFileSync(path.join(dir, 'book.yaml'), 'utf8').replace(/^pdf:\n(?: {2}.*\n)*/m, '');
  fs.writeFileSync(path.join(dir, 'book.yaml'), `${yaml}pdf:\n  size: A6\n${pdf}`);
  return dir;
}

async function buildPdf(dir: string): Promise<string> {
  const out = path.join(dir, 'dist');
  const r = await build(dir, { format: 'pdf', out, quiet: true, reproducible: true }, { log: new Logger(true) });
  expect(r.diags.errors).toEqual([]);
  return path.join(out, 'plates-and-margins.pdf');
}


/** The plate's colour (20, 60, 200), give or take JPEG and colour conversion. */
const isBlue = (p: { r: number; g: number; b: number }) => p.b > 150 && p.r < 90 && p.g < 120;


/** The one page (1-based) whose text holds the plate's caption. */
function platePage(texts: string[]): number {
  const pages = texts.flatMap((t, i) => (t.includes(CAPTION) ? [i + 1] : []));
  expect(pages).toHaveLength(1);
  return pages[0]!;
}

const SIDES = [0.03, 0.25, 0.5, 0.75, 0.97];

describe('a full-bleed plate in a book with 3 mm bleed and crop marks', () => {
  let pdf: string;
  let texts: string[];
  let plate: number;

  beforeAll(async () => {
    pdf = await buildPdf(copyFixture('with-bleed', '  bleed: 3mm\n  marks: crop\n'));
    texts = pageTexts(pdf);
    plate = platePage(texts);
  }, 180_000);

  it('fills the page with the picture out to the BleedBox on all four sides, and not beyond', () => {
    const e = edges(pdf, plate);
    expect(e.bleed.left).toBeGreaterThan(5); // room for the crop marks
    expect(e.trim.left - e.bleed.left).toBeCloseTo((3 * 72) / 25.4, 1);
    const img = render(pdf, plate);
    const { left, right, top, bottom } = e.bleed;
    const [w, h] = [right - left, bottom - top];
    for (const f of SIDES) {
      // One point inside the BleedBox: the picture.
      expect(isBlue(img.at(left + f * w, top + 1)), `inside, top edge at ${f}`).toBe(true);
      expect(isBlue(img.at(left + f * w, bottom - 1)), `inside, bottom edge at ${f}`).toBe(true);
      expect(isBlue(img.at(left + 1, top + f * h)), `inside, left edge at ${f}`).toBe(true);
      expect(isBlue(img.at(right - 1, top + f * h)), `inside, right edge at ${f}`).toBe(true);
      // One point outside it: paper (or a crop mark), never the picture.
      expect(isBlue(img.at(left + f * w, top - 1)), `outside, top edge at ${f}`).toBe(false);
      expect(isBlue(img.at(left + f * w, bottom + 1)), `outside, bottom edge at ${f}`).toBe(false);
      expect(isBlue(img.at(left - 1, top + f * h)), `outside, left edge at ${f}`).toBe(false);
      expect(isBlue(img.at(right + 1, top + f * h)), `outside, right edge at ${f}`).toBe(false);
    }
    // The corners of the bleed, and the middle of the page.
    for (const [x, y] of [[left + 1, top + 1], [right - 1, top + 1], [left + 1, bottom - 1], [right - 1, bottom - 1], [left + w / 2, top + h / 2]] as const) {
      expect(isBlue(img.at(x, y)), `at ${x},${y}`).toBe(true);
    }
    // The page before and the page after are text pages: white in their bleed.
    for (const page of [plate - 1, plate + 1]) {
      const other = render(pdf, page);
      const o = edges(pdf, page);
      expect(isBlue(other.at(o.bleed.left + 1, o.bleed.top + h / 2)), `page ${page}`).toBe(false);
      expect(other.at(o.bleed.left + 1, o.bleed.top + h / 2)).toEqual({ r: 255, g: 255, b: 255 });
    }
  });

  it('embeds the picture sized for the whole page, not the text block (at least 250 ppi)', () => {
    const rows = run('pdfimages', ['-list', '-f', String(plate), '-l', String(plate), pdf]).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBe(1);
    const cols = rows[0]!.trim().split(/\s+/);
    expect(Number(cols[12])).toBeGreaterThanOrEqual(250);
  });

  it('prints no folio and no running head on the plate, but does on the pages around it', () => {
    const text = lines(texts[plate - 1]!);
    expect(text.some((l) => /^\d+$/.test(l)), text.join(' | ')).toBe(false);
    expect(text.join(' ')).not.toContain('Plates and Margins');
    expect(text.join(' ')).not.toContain('A chapter with a plate');
    // Only the caption is on the plate.
    expect(text.join(' ').replace(/\s+/g, ' ')).toBe('Plate caption: a field of blue, printed to the edge of the paper.');
    // The text pages either side keep their folios (the last line of the page is a number).
    for (const page of [plate - 1, plate + 1]) {
      expect(lines(texts[page - 1]!).at(-1), `page ${page}`).toMatch(/^\d+$/);
    }
  });

  it('sets the caption on the picture: light type on a dark box inside the trim', () => {
    const words = run('pdftotext', ['-bbox', '-f', String(plate), '-l', String(plate), pdf, '-']);
    const boxes = [...words.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((m) => m.slice(1).map(Number));
    expect(boxes.length).toBeGreaterThan(5);
    const e = edges(pdf, plate);
    const img = render(pdf, plate);
    for (const [x1, y1, x2, y2] of boxes) {
      // Inside the trim, at least 3 mm from it: nothing of the caption is cut off.
      expect(x1!).toBeGreaterThan(e.trim.left + 8);
      expect(x2!).toBeLessThan(e.trim.right - 8);
      expect(y2!).toBeLessThan(e.trim.bottom - 8);
      // In the lower part of the page.
      expect(y1!).toBeGreaterThan(e.trim.top + (e.trim.bottom - e.trim.top) * 0.6);
    }
    // Behind the words, the box is dark (not the picture's blue): white type on it is legible.
    const [x1, y1, , y2] = boxes[0]!;
    const behind = img.at(x1! - 1, (y1! + y2!) / 2);
    expect(Math.max(behind.r, behind.g, behind.b), JSON.stringify(behind)).toBeLessThan(90);
  });

  it('keeps all the text around the plate, once and in order', () => {
    const all = texts.join('\n').replace(/-\n\s*/g, '');
    const found = [...all.matchAll(/\b(?:Before|After)\d\d\b/g)].map((m) => m[0]);
    expect(found).toEqual(MARKERS);
    // Every sentence of the chapter is there: 3 per paragraph.
    expect(all.replace(/\s+/g, ' ').match(/kitchen table at a time\./g)).toHaveLength(3 * MARKERS.length);
    expect(texts.filter((t) => t.includes(CAPTION))).toHaveLength(1);
    // The plate is a page of its own between text pages of the chapter.
    const before = texts.slice(0, plate - 1).join('\n');
    const after = texts.slice(plate).join('\n');
    expect(before).toContain('Before05');
    expect(after).toContain(found.at(-1)!);
    expect(pageCount(pdf)).toBe(texts.length);
  });
});

describe('a full-bleed plate without bleed', () => {
  it('fills the page to its edge', async () => {
    const pdf = await buildPdf(copyFixture('no-bleed', ''));
    const texts = pageTexts(pdf);
    const plate = platePage(texts);
    const img = render(pdf, plate);
    // No TrimBox without bleed: the page is the A6 sheet from the MediaBox's corner. Chromium rounds
    // the paper up by a fraction of a point at the right and bottom (see tests/cover.test.ts), so the
    // page edge is A6's, not the image's size.
    const [w, h] = [(105 * 72) / 25.4, (148 * 72) / 25.4];
    const media = pdfBoxes(pdf, plate).MediaBox;
    expect(media.slice(0, 2)).toEqual([0, 0]);
    expect(media[2]! - w).toBeGreaterThanOrEqual(0);
    expect(media[2]! - w).toBeLessThan(1);
    expect(media[3]! - h).toBeLessThan(1);
    for (const f of SIDES) {
      expect(isBlue(img.at(f * w, 0)), `top edge at ${f}`).toBe(true);
      expect(isBlue(img.at(f * w, h - 1)), `bottom edge at ${f}`).toBe(true);
      expect(isBlue(img.at(0, f * h)), `left edge at ${f}`).toBe(true);
      expect(isBlue(img.at(w - 1, f * h)), `right edge at ${f}`).toBe(true);
    }
    expect(lines(texts[plate - 1]!).some((l) => /^\d+$/.test(l))).toBe(false);
  }, 180_000);
});

describe('the other editions', () => {
  it('keep an ordinary figure for a .bleed image', async () => {
    const dir = copyFixture('epub', '');
    const out = path.join(dir, 'dist');
    const r = await build(dir, { format: 'epub', out, quiet: true, reproducible: true }, { log: new Logger(true) });
    expect(r.diags.errors).toEqual([]);
    const epub = fs.readdirSync(out).find((f) => f.endsWith('.epub'))!;
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, epub)));
    const xhtml = await Promise.all(Object.values(zip.files).filter((f) => f.name.endsWith('.xhtml')).map((f) => f.async('string')));
    const chapter = xhtml.find((x) => x.includes('Before01'))!;
    expect(chapter).toMatch(/<figure[^>]*class="bleed"/);
    expect(chapter).toContain('<figcaption>');
    // The EPUB's stylesheet has no plate rules: the figure is laid out like any other.
    const css = await Promise.all(Object.values(zip.files).filter((f) => f.name.endsWith('.css')).map((f) => f.async('string')));
    expect(css.join('\n')).not.toMatch(/\.bleed|page:\s*plate/);
  }, 120_000);
});

afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
