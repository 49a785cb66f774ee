/**
 * Print on demand: the services' sizes against hand computation, the two files a --service build
 * writes (real Chromium, read back with pdf-lib, poppler and Ghostscript), and preflight catching each
 * defect printers reject, built into small fixture PDFs with pdf-lib.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, StandardFonts, cmyk, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { coverSpread, paddedPages } from '../src/print/services.js';
import { preflight } from '../src/print/preflight.js';
import { podCoverHtml } from '../src/targets/pdf/pod_cover.js';
import { REPO, runCli } from './helpers/book.js';

const IN = 72;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-pod-'));

describe('spine and cover spread (hand-computed, inches)', () => {
  // width = 2 × trim width + spine + 2 × 0.125; height = trim height + 2 × 0.125
  const cases: [Parameters<typeof coverSpread>, number, number, number][] = [
    [['kdp', 'white', 6, 9, 300], 0.6756, 12.9256, 9.25], // 300 × 0.002252
    [['kdp', 'cream', 6, 9, 200], 0.5, 12.75, 9.25], // 200 × 0.0025
    [['kdp', 'color', 5.5, 8.5, 100], 0.2347, 11.4847, 8.75], // 100 × 0.002347
    [['lulu', 'white', 6, 9, 120], 0.33027, 12.58027, 9.25], // 120 / 444 + 0.06
    [['ingramspark', 'cream', 5.5, 8.5, 400], 1.0, 12.25, 8.75], // 400 / 400
    [['ingramspark', 'white', 6, 9, 444], 1.0, 13.25, 9.25], // 444 / 444
  ];
  it.each(cases)('%j → spine %f, sheet %f × %f', (args, spine, width, height) => {
    const s = coverSpread(...args);
    expect(s.spineIn).toBeCloseTo(spine, 2);
    expect(s.widthIn).toBeCloseTo(width, 2);
    expect(s.heightIn).toBeCloseTo(height, 2);
  });
  it('spine text only from the service minimum: KDP 79, Lulu 80 pages', () => {
    expect(coverSpread('kdp', 'white', 6, 9, 78).spineText).toBe(false);
    expect(coverSpread('kdp', 'white', 6, 9, 79).spineText).toBe(true);
    expect(coverSpread('lulu', 'white', 6, 9, 79).spineText).toBe(false);
    expect(coverSpread('lulu', 'white', 6, 9, 80).spineText).toBe(true);
  });
  it('page counts padded to the service multiple', () => {
    expect(paddedPages('kdp', 43)).toBe(44);
    expect(paddedPages('kdp', 44)).toBe(44);
    expect(paddedPages('shop', 45)).toBe(48);
  });
  it('a template-generator spine overrides the computed one', () => {
    expect(coverSpread('ingramspark', 'white', 6, 9, 300, 0.7).widthIn).toBeCloseTo(12.95, 3);
  });
  it('the cover HTML has spine words only above the minimum', () => {
    const book = { meta: { title: 'Spine Title', subtitle: '', authors: ['A. Writer'], lang: 'en', description: '', publisher: '', identifier: '' }, root: REPO, styles: {} } as never;
    const html = (pages: number) => podCoverHtml({ book, spread: coverSpread('kdp', 'white', 6, 9, pages), fontFaces: '' }, false);
    expect(html(78)).not.toContain('class="spine-text"');
    expect(html(80)).toContain('class="spine-text"');
  });
});

// ---- preflight fixtures ----

async function fixture(o: { pages?: number; font?: boolean; image?: number; ink?: boolean; x1a?: boolean; rgbImage?: boolean; cover?: 'bleed' | 'no-bleed' } = {}) {
  const doc = await PDFDocument.create();
  if (o.cover) {
    // A 6 × 9 in cover for 100 KDP white pages: spine 0.2252 in, sheet 12.4752 × 9.25 in with bleed.
    const w = (12.2252 + (o.cover === 'bleed' ? 0.25 : 0)) * IN;
    const h = (9 + (o.cover === 'bleed' ? 0.25 : 0)) * IN;
    const p = doc.addPage([w, h]);
    p.drawRectangle({ x: 0, y: 0, width: w, height: h, color: cmyk(0.2, 0.1, 0, 0.1) });
    if (o.cover === 'bleed') {
      p.setBleedBox(0, 0, w, h);
      p.setTrimBox(0.125 * IN, 0.125 * IN, 12.2252 * IN, 9 * IN);
    }
    return doc.save();
  }
  for (let i = 0; i < (o.pages ?? 24); i++) {
    const p = doc.addPage([6 * IN, 9 * IN]);
    p.drawRectangle({ x: IN, y: IN, width: 2 * IN, height: 0.1 * IN, color: cmyk(0, 0, 0, 1) });
  }
  const p = doc.getPage(2);
  if (o.font) p.drawText('Hello', { x: IN, y: 4 * IN, font: await doc.embedFont(StandardFonts.Helvetica), size: 12 });
  if (o.image) {
    // `o.image` pixels over one inch: that many ppi.
    const raw = sharp({ create: { width: o.image, height: o.image, channels: 3, background: { r: 200, g: 30, b: 30 } } });
    const img = o.rgbImage ? await doc.embedPng(await raw.png().toBuffer()) : await doc.embedJpg(await raw.jpeg().toBuffer());
    p.drawImage(img, { x: IN, y: 5 * IN, width: IN, height: IN });
  }
  // 100 % + 100 % + 90 % + 90 % = 380 % ink.
  if (o.ink) p.drawRectangle({ x: IN, y: 6 * IN, width: 2 * IN, height: IN, color: cmyk(1, 1, 0.9, 0.9) });
  if (o.x1a) {
    const info = doc.context.lookup(doc.context.trailerInfo.Info) as PDFDict;
    info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of('PDF/X-1a:2001'));
  }
  return doc.save();
}

async function check(name: string, bytes: Uint8Array, service: 'kdp' | 'ingramspark', extra: Partial<Parameters<typeof preflight>[1]> = {}) {
  const file = path.join(tmp(), `${name}.pdf`);
  fs.writeFileSync(file, bytes);
  return preflight(file, { service, ...extra });
}

const errorsOf = (r: Awaited<ReturnType<typeof preflight>>) => r.findings.filter((f) => f.level === 'error').map((f) => `${f.check}: ${f.message}`);

describe('preflight catches what printers reject', () => {
  it('a clean interior passes, for KDP and (declared X-1a, CMYK only) IngramSpark', async () => {
    expect(errorsOf(await check('clean', await fixture(), 'kdp'))).toEqual([]);
    expect(errorsOf(await check('clean-x1a', await fixture({ x1a: true }), 'ingramspark'))).toEqual([]);
  });
  it('a 120 ppi photo', async () => {
    const r = await check('lowres', await fixture({ image: 120 }), 'kdp');
    expect(errorsOf(r)).toEqual(['images: page 3: an image prints at 120 ppi (Amazon KDP paperback wants at least 300)']);
    // 200 ppi is a warning, not an error.
    const w = await check('midres', await fixture({ image: 200 }), 'kdp');
    expect(errorsOf(w)).toEqual([]);
    expect(w.warnings).toBe(1);
  });
  it('an RGB image (and no PDF/X declaration) in a file for IngramSpark', async () => {
    const r = await check('rgb', await fixture({ image: 400, rgbImage: true, x1a: true }), 'ingramspark');
    expect(errorsOf(r)).toEqual(['colour: page 3: an RGB image in a file that must be PDF/X-1a (CMYK only)']);
    const undeclared = await check('undeclared', await fixture(), 'ingramspark');
    expect(errorsOf(undeclared)).toEqual(['pdfx: IngramSpark paperback asks for PDF/X-1a:2001; this file declares no PDF/X version']);
  });
  it('a page with 380 % ink', async () => {
    const r = await check('ink', await fixture({ ink: true, x1a: true }), 'ingramspark');
    expect(errorsOf(r)).toEqual(['ink: page 3: 380 % ink at the darkest spot; IngramSpark paperback allows 240 %']);
  });
  it('an unembedded font', async () => {
    const r = await check('font', await fixture({ font: true }), 'kdp');
    expect(errorsOf(r)).toEqual(['fonts: font Helvetica is not embedded']);
  });
  it('a cover without bleed; with bleed and the right spine it passes', async () => {
    const none = await check('cover-nobleed', await fixture({ cover: 'no-bleed' }), 'kdp', { interiorPages: 100 });
    expect(errorsOf(none)).toContain('bleed: the cover has no 0.125 in bleed on every side');
    const ok = await check('cover', await fixture({ cover: 'bleed' }), 'kdp', { interiorPages: 100 });
    expect(errorsOf(ok)).toEqual([]);
    const wrongSpine = await check('cover-spine', await fixture({ cover: 'bleed' }), 'kdp', { interiorPages: 200 });
    expect(errorsOf(wrongSpine)).toEqual(['spine: the cover is 12.475 in wide; 200 pages on white paper want 12.7 in (spine 0.45 in)']);
  });
  it('page counts: under the minimum and odd', async () => {
    const r = await check('odd', await fixture({ pages: 23 }), 'kdp');
    expect(errorsOf(r)).toEqual(['pages: 23 pages; Amazon KDP paperback prints from 24 pages', 'pages: 23 pages is not a multiple of 2']);
  });
  it('the command: exit 1 on an error, JSON on request, exit 2 on a misspelt service', async () => {
    const dir = tmp();
    const bad = path.join(dir, 'bad.pdf');
    fs.writeFileSync(bad, await fixture({ font: true }));
    const r = await runCli(['preflight', bad, '--service', 'kdp', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).errors).toBe(1);
    const typo = await runCli(['preflight', bad, '--service', 'kpd']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "kdp"?');
  });
});

// ---- a --service build in real Chromium ----

describe('a print-on-demand build', () => {
  let book: string;
  beforeAll(async () => {
    book = path.join(tmp(), 'book');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'scripts', 'generate-book.ts'), '--out', book, '--chapters', '8', '--words', '24000', '--notes', '12', '--figures', '2'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    // The publisher's logo: a 400 × 200 px picture named in book.yaml, for the back of the cover.
    await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 180, g: 20, b: 40 } } }).png().toFile(path.join(book, 'images', 'logo.png'));
    fs.appendFileSync(path.join(book, 'book.yaml'), 'logo: images/logo.png\n');
  });

  const boxes = (file: string) =>
    Object.fromEntries(
      execFileSync('pdfinfo', ['-box', file], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /Box:/.test(l))
        .map((l) => {
          const [name, ...n] = l.split(/:?\s+/);
          return [name!, n.map(Number)];
        }),
    );

  it('KDP: interior without links or bookmarks, cover sized from the final page count with spine text', async () => {
    const out = path.join(tmp(), 'dist');
    const r = await runCli(['build', book, '--out', out, '--format', 'pdf', '--size', '6x9in', '--service', 'kdp', '--paper', 'cream', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const slug = 'a-generated-book-seed-1';
    const interior = await PDFDocument.load(fs.readFileSync(path.join(out, `${slug}-interior.pdf`)));
    const pages = interior.getPageCount();
    expect(pages % 2).toBe(0);
    expect(pages).toBeGreaterThanOrEqual(79); // the fixture is long enough for spine text
    expect(interior.catalog.get(PDFName.of('Outlines'))).toBeUndefined();
    for (const p of interior.getPages()) {
      const annots = p.node.lookup(PDFName.of('Annots'));
      expect(annots instanceof PDFArray ? annots.size() : 0).toBe(0);
      // no room for crop marks: the page is the 6 × 9 in trim (no bleed asked for)
      expect(p.getMediaBox().width).toBeCloseTo(432, 0);
      expect(p.getMediaBox().height).toBeCloseTo(648, 0);
    }
    // The book's own PDF keeps its links and bookmarks.
    const own = await PDFDocument.load(fs.readFileSync(path.join(out, `${slug}.pdf`)));
    expect(own.catalog.get(PDFName.of('Outlines'))).toBeDefined();

    // Cover: width = 2 × 6 + pages × 0.0025 + 0.25, height 9.25 in; trim inset by the 0.125 in bleed.
    const cover = path.join(out, `${slug}-cover.pdf`);
    const spine = pages * 0.0025;
    const b = boxes(cover);
    expect(b['MediaBox']![2]! / IN).toBeCloseTo(12 + spine + 0.25, 1);
    expect(b['MediaBox']![3]! / IN).toBeCloseTo(9.25, 1);
    expect(b['BleedBox']).toEqual(b['MediaBox']);
    expect((b['TrimBox']![2]! - b['TrimBox']![0]!) / IN).toBeCloseTo(12 + spine, 2);
    expect((b['TrimBox']![3]! - b['TrimBox']![1]!) / IN).toBeCloseTo(9, 2);
    // Spine words: the title between the two folds.
    const bbox = execFileSync('pdftotext', ['-bbox', cover, '-'], { encoding: 'utf8' });
    const left = (0.125 + 6) * IN;
    const onSpine = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<\/word>/g)]
      .filter((m) => Number(m[1]) >= left - 1 && Number(m[2]) <= left + spine * IN + 1)
      .map((m) => m[3]);
    expect(onSpine).toEqual(expect.arrayContaining(['Generated', 'Book,']));
    // The logo is the one picture on the (typographic) cover, on its back half.
    const pictures = execFileSync('pdfimages', ['-list', cover], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    expect(pictures.map((c) => [c[3], c[4]])).toEqual([['400', '200']]);
    // The guides are a separate proof file; the print file has none of their words.
    expect(execFileSync('pdftotext', [cover, '-'], { encoding: 'utf8' })).not.toContain('proof only');
    expect(execFileSync('pdftotext', [path.join(out, `${slug}-cover-guides.pdf`), '-'], { encoding: 'utf8' })).toContain('proof only');
  });

  it('IngramSpark: both files PDF/X-1a:2001 with an output intent, no RGB left', async () => {
    const out = path.join(tmp(), 'dist');
    const r = await runCli(['build', book, '--out', out, '--format', 'pdf', '--size', '6x9in', '--service', 'ingramspark', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['interior', 'cover']) {
      const file = path.join(out, `a-generated-book-seed-1-${name}.pdf`);
      const doc = await PDFDocument.load(fs.readFileSync(file));
      const info = doc.context.lookup(doc.context.trailerInfo.Info) as PDFDict;
      expect(String(info.get(PDFName.of('GTS_PDFXVersion')))).toBe('(PDF/X-1a:2001)');
      expect(doc.catalog.lookup(PDFName.of('OutputIntents'))).toBeInstanceOf(PDFArray);
      const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim());
      for (const l of images) expect(l.trim().split(/\s+/)[5]).not.toBe('rgb');
      const report = await preflight(file, { service: 'ingramspark', kind: name as 'interior' | 'cover', interiorPages: name === 'cover' ? (await PDFDocument.load(fs.readFileSync(path.join(out, 'a-generated-book-seed-1-interior.pdf')))).getPageCount() : undefined });
      expect(errorsOf(report)).toEqual([]);
    }
  });

  it('a trim the service does not print is refused before layout', async () => {
    const r = await runCli(['build', book, '--out', path.join(tmp(), 'dist'), '--format', 'pdf', '--size', 'A5', '--service', 'kdp']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Amazon KDP paperback prints no A5 book (5.83 x 8.27 in); set pdf.size to one of its trims, e.g. "5.5 x 8.5in"');
  });
});
