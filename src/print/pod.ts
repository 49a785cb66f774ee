/**
 * Print on demand, the print side: the interior file to a service's rules (bookmarks and link
 * annotations removed where forbidden, padded with blank pages to the service's multiple, page boxes,
 * KDP's bleed on the top, bottom and outside edge only), and the page boxes of the one-piece cover.
 * The cover itself is laid out by the PDF target (targets/pdf/pod_cover.ts) from the sizes here.
 */
import { PDFDocument, PDFName } from 'pdf-lib';
import { setBox, setPrintBoxes } from './boxes.js';
import { PT_PER_IN, SERVICE_RULES, paddedPages, type CoverSpread, type Service } from './services.js';

export interface InteriorInput {
  service: Service;
  trimWidthPt: number;
  trimHeightPt: number;
  /** The book's bleed on every side, in points (0: none). */
  bleedPt: number;
}

export interface Interior {
  pdf: Uint8Array;
  pages: number;
  /** Blank pages added to reach the service's multiple. */
  padded: number;
}

/** The interior file: `bytes` is the finished interior (no covers). */
export async function podInterior(bytes: Uint8Array, input: InteriorInput): Promise<Interior> {
  const rules = SERVICE_RULES[input.service];
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  if (!rules.bookmarks) {
    doc.catalog.delete(PDFName.of('Outlines'));
    doc.catalog.delete(PDFName.of('PageMode'));
  }
  if (!rules.annotations) for (const p of doc.getPages()) p.node.delete(PDFName.of('Annots'));
  const before = doc.getPageCount();
  const want = paddedPages(input.service, before);
  for (let i = before; i < want; i++) {
    const last = doc.getPage(doc.getPageCount() - 1);
    const m = last.getMediaBox();
    const blank = doc.addPage([m.width, m.height]);
    blank.setMediaBox(m.x, m.y, m.width, m.height);
    blank.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream('')));
  }
  setPrintBoxes(doc, { trimWidth: input.trimWidthPt, trimHeight: input.trimHeightPt, bleed: input.bleedPt, marksMargin: 0 });
  if (input.bleedPt > 0 && rules.interiorBleedOutsideOnly) {
    // No bleed into the gutter: a right-hand (odd) page loses it on the left, a left-hand page on the right.
    doc.getPages().forEach((page, i) => {
      const m = page.getMediaBox();
      const r = { x: i % 2 === 0 ? m.x + input.bleedPt : m.x, y: m.y, width: m.width - input.bleedPt, height: m.height };
      for (const name of ['MediaBox', 'CropBox', 'BleedBox'] as const) setBox(page, name, r);
    });
  }
  return { pdf: await doc.save({ useObjectStreams: false }), pages: doc.getPageCount(), padded: want - before };
}

/** TrimBox and BleedBox on the printed cover spread (Chromium writes only the MediaBox). */
export async function coverBoxes(bytes: Uint8Array, spread: CoverSpread): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  setPrintBoxes(doc, {
    trimWidth: (2 * spread.trimWidthIn + spread.spineIn) * PT_PER_IN,
    trimHeight: spread.trimHeightIn * PT_PER_IN,
    bleed: spread.bleedIn * PT_PER_IN,
    marksMargin: 0,
  });
  return doc.save({ useObjectStreams: false });
}
