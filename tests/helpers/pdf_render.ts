/** Reading a PDF back in tests: its pages' text, and a page as pixels (poppler). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pdfBoxes } from './pdf_pages.js';

export const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

/** Each page's text (layout kept), soft hyphens out. */
export const pageTexts = (pdf: string) => run('pdftotext', ['-layout', pdf, '-']).replace(/\u00ad/g, '').split('\f').slice(0, -1);

/** The non-empty lines of a page's text, trimmed. */
export const lines = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean);

export interface Pixel {
  r: number;
  g: number;
  b: number;
}

/** Page `page` rendered at 72 dpi in colour: one pixel per point of the MediaBox, from its top-left corner. */
export function render(file: string, page: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-render-'));
  try {
    execFileSync('pdftoppm', ['-r', '72', '-singlefile', '-f', String(page), '-l', String(page), file, path.join(dir, 'p')]);
    const ppm = fs.readFileSync(path.join(dir, 'p.ppm'));
    const m = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
    const [width, height, offset] = [Number(m[1]), Number(m[2]), m[0].length];
    const at = (x: number, y: number): Pixel => {
      const i = offset + (Math.floor(y) * width + Math.floor(x)) * 3;
      return { r: ppm[i]!, g: ppm[i + 1]!, b: ppm[i + 2]! };
    };
    const gray = (x: number, y: number) => {
      const p = at(x, y);
      return Math.min(p.r, p.g, p.b);
    };
    /** The darkest channel within a point of (x, y): hairlines land on one pixel row, either side. */
    const darkest = (x: number, y: number) => Math.min(...[-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => gray(x + dx, y + dy))));
    return { width, height, at, gray, darkest };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Box edges in image coordinates (x right, y down from the MediaBox's top-left corner). */
export function edges(file: string, page: number) {
  const b = pdfBoxes(file, page);
  const [mx, , , my2] = b.MediaBox;
  const box = (r: number[]) => ({ left: r[0]! - mx!, right: r[2]! - mx!, top: my2! - r[3]!, bottom: my2! - r[1]! });
  return { bleed: box(b.BleedBox), trim: box(b.TrimBox), media: box(b.MediaBox) };
}
