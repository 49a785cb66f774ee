/**
 * Test PDFs made with pdf-lib, whose pages say which page they are ("PAGE 7" in big letters in the
 * top-left quarter of the finished page), and poppler read-backs that find those labels again.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

export const MM = 72 / 25.4;

export interface TestPdfSpec {
  pages: number;
  /** Finished page size in points. */
  width: number;
  height: number;
  /** Extra paper on every side of the finished page (bleed, or bleed + marks room), in points. */
  extra?: number;
  /** Paint a full-bleed background to the edge of the paper (to see the bleed). */
  background?: boolean;
  title?: string;
}

/** Each page: optional full-bleed tint, a frame on the trim, and "PAGE n" in the top-left quarter. */
export async function makeTestPdf(spec: TestPdfSpec): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(spec.title ?? 'Test book');
  const font = await doc.embedFont(StandardFonts.HelveticaBold);
  const e = spec.extra ?? 0;
  const size = Math.min(spec.width, spec.height) / 8;
  for (let n = 1; n <= spec.pages; n++) {
    const page = doc.addPage([spec.width + 2 * e, spec.height + 2 * e]);
    if (spec.background) page.drawRectangle({ x: 0, y: 0, width: spec.width + 2 * e, height: spec.height + 2 * e, color: rgb(0.85, 0.9, 1) });
    page.drawRectangle({ x: e, y: e, width: spec.width, height: spec.height, borderColor: rgb(0.6, 0.6, 0.6), borderWidth: 0.5 });
    page.drawText(`PAGE ${n}`, { x: e + spec.width * 0.06, y: e + spec.height * 0.78, size, font, color: rgb(0, 0, 0) });
  }
  return doc.save();
}

/** A temporary file holding `bytes`. */
export function tempPdf(bytes: Uint8Array, name = 'test.pdf'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-print-')), name);
  fs.writeFileSync(file, bytes);
  return file;
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words on one page (1-based) with their boxes, from `pdftotext -bbox` (y grows downward). */
export function pdfWords(file: string, page: number): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
  const words: Word[] = [];
  const re = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    words.push({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! });
  }
  return words;
}

export interface Label {
  page: number;
  /** Centre of the "PAGE n" label, in points from the top-left corner of the sheet. */
  x: number;
  y: number;
  /** Left edge of the label. */
  xMin: number;
  /** True when the number is left of "PAGE": the label is upside down. */
  upsideDown: boolean;
}

/** The "PAGE n" labels on a sheet side: each "PAGE" word with the nearest number word. */
export function pageLabels(file: string, page: number): Label[] {
  const words = pdfWords(file, page);
  const numbers = words.filter((w) => /^\d+$/.test(w.text));
  const mid = (w: Word) => ({ x: (w.xMin + w.xMax) / 2, y: (w.yMin + w.yMax) / 2 });
  return words
    .filter((w) => w.text === 'PAGE')
    .map((w) => {
      const a = mid(w);
      const num = numbers
        .map((n) => ({ n, d: Math.hypot(mid(n).x - a.x, mid(n).y - a.y) }))
        .sort((p, q) => p.d - q.d)[0]!.n;
      const b = mid(num);
      return { page: Number(num.text), xMin: Math.min(w.xMin, num.xMin), x: (Math.min(w.xMin, num.xMin) + Math.max(w.xMax, num.xMax)) / 2, y: (a.y + b.y) / 2, upsideDown: b.x < a.x };
    });
}

export interface Boxes {
  MediaBox: number[];
  CropBox: number[];
  BleedBox: number[];
  TrimBox: number[];
}

/** Page boxes of one page from `pdfinfo -box`. */
export function pdfBoxes(file: string, page = 1): Boxes {
  const out = execFileSync('pdfinfo', ['-box', '-f', String(page), '-l', String(page), file], { encoding: 'utf8' });
  const box = (name: string) => {
    const m = new RegExp(`Page\\s+${page}\\s+${name}:\\s+([\\d.\\s-]+)`).exec(out);
    if (!m) throw new Error(`no ${name} in pdfinfo output:\n${out}`);
    return m[1]!.trim().split(/\s+/).map(Number);
  };
  return { MediaBox: box('MediaBox'), CropBox: box('CropBox'), BleedBox: box('BleedBox'), TrimBox: box('TrimBox') };
}

/** Width and height of a [x1 y1 x2 y2] box. */
export const sizeOf = (b: number[]): [number, number] => [b[2]! - b[0]!, b[3]! - b[1]!];

/** Number of pages from `pdfinfo`. */
export function pageCount(file: string): number {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(out)![1]);
}
