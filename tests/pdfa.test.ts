/**
 * The PDF/A-2b archive copy (--pdfa), made by the real Ghostscript and read back with poppler,
 * qpdf and pdf-lib: the XMP identification, the sRGB output intent, metadata, embedded fonts,
 * fixed dates and ID, and the message when Ghostscript is missing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { finishPrint } from '../src/print/index.js';
import { PDFA_NEEDS_GHOSTSCRIPT, PdfaError, pdfaPdf } from '../src/print/pdfa.js';
import { MM, makeTestPdf, tempPdf } from './helpers/pdf_pages.js';
import { printContext } from './helpers/print_context.js';

const A5 = { width: 148 * MM, height: 210 * MM };
const EPOCH = 1_700_000_000;

async function bookPdf(title: string, author: string, subject: string): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await makeTestPdf({ pages: 2, ...A5, background: true, title }));
  doc.setAuthor(author);
  doc.setSubject(subject);
  doc.setKeywords(['archive', 'test']);
  return doc.save();
}

/** The XMP packet of the catalogue's /Metadata stream. */
function xmpOf(doc: PDFDocument): string {
  const stream = doc.catalog.lookup(PDFName.of('Metadata'));
  if (!(stream instanceof PDFRawStream)) throw new Error('no XMP metadata stream');
  return Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
}

const info = (file: string) => execFileSync('pdfinfo', [file], { encoding: 'utf8' });

describe('PDF/A archive copy', () => {
  it('declares PDF/A-2b in its XMP, has an sRGB output intent, keeps the metadata and embeds every font', async () => {
    const input = await bookPdf('Archive (test) copy', 'Ada Testwriter, Bo Checker', 'A book kept for later');
    const out = await pdfaPdf(input, { sourceDateEpoch: EPOCH });
    const file = tempPdf(out, 'archive.pdf');

    const doc = await PDFDocument.load(out, { updateMetadata: false });
    const xmp = xmpOf(doc);
    expect(xmp).toMatch(/pdfaid:part=['"]2['"]|<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/pdfaid:conformance=['"]B['"]|<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain('Archive (test) copy');
    expect(xmp).toContain('Ada Testwriter, Bo Checker');

    const intent = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray).lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toEqual(PDFName.of('GTS_PDFA1'));
    expect(intent.has(PDFName.of('DestOutputProfile'))).toBe(true);

    const text = info(file);
    expect(text).toMatch(/^Title:\s+Archive \(test\) copy$/m);
    expect(text).toMatch(/^Author:\s+Ada Testwriter, Bo Checker$/m);
    expect(text).toMatch(/^Subject:\s+A book kept for later$/m);
    expect(text).toMatch(/^Metadata Stream:\s+yes$/m);
    expect(text).toMatch(/^Pages:\s+2$/m);

    // The input's Helvetica was not embedded; the archive copy embeds a font for it.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f, f).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+$/);

    // Fixed dates and document ID: the same bytes again.
    expect(doc.getCreationDate()?.getTime()).toBe(EPOCH * 1000);
    expect(doc.getModificationDate()?.getTime()).toBe(EPOCH * 1000);
    expect(xmp).toContain('2023-11-14T22:13:20Z');
    const again = await pdfaPdf(input, { sourceDateEpoch: EPOCH });
    expect(Buffer.compare(Buffer.from(again), Buffer.from(out))).toBe(0);
    expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toMatch(/No syntax or stream encoding errors/);
  }, 60_000);

  it('keeps a title and author that are not ASCII, in Info and in the XMP alike', async () => {
    const input = await bookPdf('Копии из подвала', 'Jörg Beispiel, Фёдор', 'Ещё одна история');
    const out = await pdfaPdf(input);
    const doc = await PDFDocument.load(out, { updateMetadata: false });
    expect(doc.getTitle()).toBe('Копии из подвала');
    expect(doc.getAuthor()).toBe('Jörg Beispiel, Фёдор');
    expect(doc.getSubject()).toBe('Ещё одна история');
    const xmp = xmpOf(doc);
    expect(xmp).toContain('Копии из подвала');
    expect(xmp).toContain('Jörg Beispiel, Фёдор');
    expect(xmp).toMatch(/pdfaid:conformance=['"]B['"]/);
    expect(info(tempPdf(out))).toMatch(/^Title:\s+Копии из подвала$/m);
  }, 60_000);

  it('is written by finishPrint as <slug>-pdfa.pdf', async () => {
    const ctx = printContext(await bookPdf('Test book', 'Ada Testwriter', 'x'), { pdfa: true, sourceDateEpoch: EPOCH });
    await finishPrint(ctx, ctx.pdfName);
    expect(ctx.diags.errors).toEqual([]);
    expect(ctx.stage.files).toContainEqual({ name: 'test-book-pdfa.pdf', format: 'pdf-pdfa' });
    const doc = await PDFDocument.load(ctx.stage.read('test-book-pdfa.pdf'), { updateMetadata: false });
    expect(xmpOf(doc)).toMatch(/pdfaid:part=['"]2['"]/);
    // The book's own PDF is left as it was.
    expect(info(ctx.stage.path(ctx.pdfName))).not.toMatch(/^Producer:\s+GPL Ghostscript/m);
  }, 60_000);

  it('says how to get Ghostscript when it is not on PATH', async () => {
    const input = await makeTestPdf({ pages: 1, ...A5 });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-nogs-'));
    await expect(pdfaPdf(input, { searchPath: empty })).rejects.toThrow(PdfaError);
    await expect(pdfaPdf(input, { searchPath: empty })).rejects.toThrow(PDFA_NEEDS_GHOSTSCRIPT);

    const ctx = printContext(input, { pdfa: true });
    await finishPrint(ctx, ctx.pdfName, { searchPath: empty });
    expect(ctx.diags.errors.map((d) => [d.code, d.message])).toEqual([['pdfa-needs-ghostscript', '--pdfa needs Ghostscript: apt-get install ghostscript']]);
    expect(ctx.stage.files.map((f) => f.name)).toEqual(['test-book.pdf']);
  });
});
