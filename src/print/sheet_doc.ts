/**
 * What both impositions share: a new document that takes its metadata from the book's PDF, the
 * book's pages embedded once (finished pages only: the TrimBox when there is one), and drawing an
 * embedded page into a panel of a sheet, scaled to fit, centred, clipped to the panel.
 */
import {
  PDFDocument,
  PDFName,
  type PDFEmbeddedPage,
  type PDFPage,
  clip,
  degrees,
  endPath,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
} from 'pdf-lib';
import { setBox, trimOf, type Rect } from './boxes.js';
import type { Size } from './sheet_sizes.js';

export interface SheetDocOptions {
  /** Fixed creation and modification date (reproducible builds); else now. */
  date?: Date;
  /** Appended to the book's title, e.g. "booklet". */
  titleSuffix: string;
}

export async function loadPdf(bytes: Uint8Array | PDFDocument): Promise<PDFDocument> {
  return bytes instanceof PDFDocument ? bytes : PDFDocument.load(bytes, { updateMetadata: false });
}

export async function createSheetDoc(src: PDFDocument, opts: SheetDocOptions): Promise<PDFDocument> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const title = src.getTitle();
  out.setTitle(title ? `${title} (${opts.titleSuffix})` : opts.titleSuffix);
  const author = src.getAuthor();
  if (author) out.setAuthor(author);
  out.setCreator('samizdat');
  out.setProducer('samizdat');
  const when = opts.date ?? new Date();
  out.setCreationDate(when);
  out.setModificationDate(when);
  return out;
}

/**
 * Embeds every page of `src` in `out`, cut to its trim. Links are dropped first: they point at
 * pages of the book, which would otherwise be copied along with them.
 */
export async function embedFinishedPages(out: PDFDocument, src: PDFDocument): Promise<PDFEmbeddedPage[]> {
  const pages = src.getPages();
  if (pages.length === 0) return [];
  for (const p of pages) p.node.delete(PDFName.of('Annots'));
  const boxes = pages.map((p) => {
    const t = trimOf(p);
    return { left: t.x, bottom: t.y, right: t.x + t.width, top: t.y + t.height };
  });
  return out.embedPages(pages, boxes);
}

/** Adds a sheet side of the given size with all its boxes set to the sheet. */
export function addSheet(out: PDFDocument, sheet: Size): PDFPage {
  const page = out.addPage([sheet.width, sheet.height]);
  const all: Rect = { x: 0, y: 0, width: sheet.width, height: sheet.height };
  setBox(page, 'MediaBox', all);
  setBox(page, 'CropBox', all);
  setBox(page, 'TrimBox', all);
  return page;
}

export interface Placement {
  /** Turn the page upside down (mini-zine top row). */
  upsideDown?: boolean;
  /** Move the content sideways by this many points after centring (creep compensation). */
  shiftX?: number;
}

/** Draws `page` into `panel`: scaled to fit (keeping proportions), centred, clipped to the panel. */
export function drawInPanel(sheet: PDFPage, page: PDFEmbeddedPage, panel: Rect, place: Placement = {}): void {
  const scale = Math.min(panel.width / page.width, panel.height / page.height);
  const w = page.width * scale;
  const h = page.height * scale;
  const cx = panel.x + panel.width / 2 + (place.shiftX ?? 0);
  const cy = panel.y + panel.height / 2;
  sheet.pushOperators(pushGraphicsState(), rectangle(panel.x, panel.y, panel.width, panel.height), clip(), endPath());
  if (place.upsideDown) {
    // pdf-lib rotates about the drawing origin: 180° about the top-right corner of the placed page.
    sheet.drawPage(page, { x: cx + w / 2, y: cy + h / 2, xScale: scale, yScale: scale, rotate: degrees(180) });
  } else {
    sheet.drawPage(page, { x: cx - w / 2, y: cy - h / 2, xScale: scale, yScale: scale });
  }
  sheet.pushOperators(popGraphicsState());
}
