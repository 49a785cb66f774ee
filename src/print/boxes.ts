/**
 * Page boxes for press: TrimBox (the finished page), BleedBox (trim + bleed) and MediaBox (bleed plus
 * room for printer's marks). Chromium writes only a MediaBox, which with Paged.js's `bleed` is the
 * trimmed page plus the bleed on every side; the trim is centred in it.
 */
import type { PDFDocument, PDFPage } from 'pdf-lib';
import type { Size } from './sheet_sizes.js';

export interface PrintBoxes {
  /** The finished (trimmed) page, in points. */
  trimWidth: number;
  trimHeight: number;
  /** Bleed on each side, in points (0 for none). */
  bleed: number;
  /** Room outside the bleed for crop marks, in points (0 for none). */
  marksMargin: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BoxesReport {
  /** Pages whose content did not reach far enough out to hold the bleed (the bleed is then empty). */
  pagesWithoutBleed: number[];
  /** Pages whose MediaBox was enlarged to make room for the bleed or the marks. */
  pagesEnlarged: number[];
}

/** Rounds to 1/1000 pt so boxes print cleanly and compare exactly. */
const r3 = (n: number) => Math.round(n * 1000) / 1000;

const grow = (b: Rect, by: number): Rect => ({ x: b.x - by, y: b.y - by, width: b.width + 2 * by, height: b.height + 2 * by });

/**
 * Sets TrimBox, BleedBox, MediaBox and CropBox on every page. The trim is centred in the page's
 * MediaBox; when the MediaBox is smaller than trim + bleed + marks it is enlarged outward (its lower
 * left corner may then be negative, which PDF allows), never shrunk. CropBox = MediaBox, so viewers
 * and RIPs show the marks.
 */
export function setPrintBoxes(pdf: PDFDocument, boxes: PrintBoxes): BoxesReport {
  const report: BoxesReport = { pagesWithoutBleed: [], pagesEnlarged: [] };
  pdf.getPages().forEach((page, i) => {
    const media = page.getMediaBox();
    const trim: Rect = {
      x: media.x + (media.width - boxes.trimWidth) / 2,
      y: media.y + (media.height - boxes.trimHeight) / 2,
      width: boxes.trimWidth,
      height: boxes.trimHeight,
    };
    const room = Math.min(trim.x - media.x, trim.y - media.y);
    if (room < boxes.bleed - 0.5) report.pagesWithoutBleed.push(i + 1);
    const needed = grow(trim, boxes.bleed + boxes.marksMargin);
    const out: Rect = { ...media };
    if (room < boxes.bleed + boxes.marksMargin - 0.01) {
      Object.assign(out, needed);
      report.pagesEnlarged.push(i + 1);
    }
    const bleedBox = grow(trim, boxes.bleed);
    setBox(page, 'MediaBox', out);
    setBox(page, 'CropBox', out);
    setBox(page, 'BleedBox', bleedBox);
    setBox(page, 'TrimBox', trim);
  });
  return report;
}

type BoxName = 'MediaBox' | 'CropBox' | 'BleedBox' | 'TrimBox' | 'ArtBox';

export function setBox(page: PDFPage, name: BoxName, b: Rect): void {
  const [x, y, w, h] = [r3(b.x), r3(b.y), r3(b.width), r3(b.height)];
  if (name === 'MediaBox') page.setMediaBox(x, y, w, h);
  else if (name === 'CropBox') page.setCropBox(x, y, w, h);
  else if (name === 'BleedBox') page.setBleedBox(x, y, w, h);
  else if (name === 'TrimBox') page.setTrimBox(x, y, w, h);
  else page.setArtBox(x, y, w, h);
}

/** The finished page: the TrimBox when there is one, else the CropBox, else the MediaBox. */
export function trimOf(page: PDFPage): Rect {
  return page.getTrimBox();
}

/** The size of the finished pages of a document (its first page's trim). */
export function trimSize(pdf: PDFDocument): Size {
  const first = pdf.getPages()[0];
  if (!first) return { width: 0, height: 0 };
  const t = trimOf(first);
  return { width: t.width, height: t.height };
}

/** Every page box of each page, for copying onto a rewritten copy of the document (see press.ts). */
export function readBoxes(pdf: PDFDocument): Array<Record<BoxName, Rect | undefined>> {
  return pdf.getPages().map((p) => ({
    MediaBox: p.getMediaBox(),
    CropBox: p.node.CropBox() ? p.getCropBox() : undefined,
    BleedBox: p.node.BleedBox() ? p.getBleedBox() : undefined,
    TrimBox: p.node.TrimBox() ? p.getTrimBox() : undefined,
    ArtBox: p.node.ArtBox() ? p.getArtBox() : undefined,
  }));
}

/** Sets the boxes `readBoxes` returned onto the same pages of another copy. */
export function writeBoxes(pdf: PDFDocument, boxes: Array<Record<BoxName, Rect | undefined>>): void {
  pdf.getPages().forEach((page, i) => {
    const b = boxes[i];
    if (!b) return;
    for (const name of ['MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox'] as const) {
      const rect = b[name];
      if (rect) setBox(page, name, rect);
    }
  });
}
