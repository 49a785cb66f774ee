/**
 * Finishing the PDF Chromium printed: document metadata, language, bookmarks that mirror the book's
 * outline with the pages the layout found, and fixed dates and document ID for reproducible builds.
 */
import crypto from 'node:crypto';
import { PDFDocument, ReadingDirection, PDFHexString, PDFName, PDFNumber, PDFString, PDFNull, type PDFDict, type PDFRef } from 'pdf-lib';
import type { Metadata, Section } from '../../model/types.js';
import { repairActualText } from './actual_text.js';
import { attachCovers, type CoverPlacement } from './cover.js';

export interface FinishInput {
  meta: Metadata;
  outline: Section[];
  /** Heading id → 1-based page. */
  headingPages: Map<string, number>;
  sourceDateEpoch?: number;
}

export async function finishPdf(bytes: Uint8Array, input: FinishInput): Promise<Uint8Array> {
  return (await finishWithCovers(bytes, input)).pdf;
}

/**
 * finishPdf, with the covers put around the interior first (cover.ts attachCovers) when `covers` is
 * given: one load and one save of the document for both. Heading pages are the interior's; they move
 * by the front cover pages here.
 */
export async function finishWithCovers(bytes: Uint8Array, input: FinishInput, covers?: { pdf: Uint8Array; lang: string }): Promise<{ pdf: Uint8Array; covers?: CoverPlacement }> {
  // updateMetadata: false, or pdf-lib stamps its own producer and the current time.
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const placed = covers ? await attachCovers(doc, covers.pdf, covers.lang) : undefined;
  const headingPages = placed ? new Map([...input.headingPages].map(([id, page]) => [id, page + placed.front])) : input.headingPages;
  const m = input.meta;
  doc.setTitle(m.title, { showInWindowTitleBar: true });
  if (m.authors.length) doc.setAuthor(m.authors.join(', '));
  if (m.description) doc.setSubject(m.description);
  if (m.keywords.length) doc.setKeywords(m.keywords);
  doc.setCreator('samizdat');
  doc.setProducer('samizdat');
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(m.lang));
  // A book bound on the right: viewers show its spreads right to left (ViewerPreferences /Direction /R2L).
  if (m.dir === 'rtl') doc.catalog.getOrCreateViewerPreferences().setReadingDirection(ReadingDirection.R2L);
  const when = input.sourceDateEpoch !== undefined ? new Date(input.sourceDateEpoch * 1000) : new Date();
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  addOutline(doc, input.outline, headingPages);
  repairActualText(doc); // ligatures at the top of a page read as their letters (actual_text.ts)
  if (input.sourceDateEpoch !== undefined) {
    // Chromium's document ID (and its Info dates) are random; the ID becomes a hash of the finished
    // document written without one, which is the same for the same book.
    doc.context.trailerInfo.ID = undefined;
    const id = crypto.createHash('md5').update(await doc.save({ useObjectStreams: false })).digest('hex');
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  }
  return { pdf: await doc.save({ useObjectStreams: false }), covers: placed };
}

interface Item {
  title: string;
  page: number;
  children: Item[];
}

/** Sections that landed on a page, nested as in the outline. */
function items(sections: Section[], pages: Map<string, number>): Item[] {
  const out: Item[] = [];
  for (const s of sections) {
    const page = pages.get(s.id);
    const children = items(s.children, pages);
    if (page !== undefined) out.push({ title: s.title, page, children });
    else out.push(...children);
  }
  return out;
}

function addOutline(doc: PDFDocument, sections: Section[], pages: Map<string, number>): void {
  const top = items(sections, pages);
  if (top.length === 0) return;
  const ctx = doc.context;
  const pageRefs = doc.getPages().map((p) => p.ref);
  const rootRef = ctx.nextRef();

  /** Writes the items under `parent`; returns how many entries are visible below it (all are open). */
  const writeLevel = (list: Item[], parent: PDFRef, parentDict: PDFDict): number => {
    const refs = list.map(() => ctx.nextRef());
    let count = 0;
    list.forEach((item, i) => {
      const dict = ctx.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parent);
      const target = pageRefs[Math.min(item.page, pageRefs.length) - 1]!;
      dict.set(PDFName.of('Dest'), ctx.obj([target, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull]));
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < list.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      const below = item.children.length ? writeLevel(item.children, refs[i]!, dict) : 0;
      ctx.assign(refs[i]!, dict);
      count += 1 + below;
    });
    parentDict.set(PDFName.of('First'), refs[0]!);
    parentDict.set(PDFName.of('Last'), refs[refs.length - 1]!);
    parentDict.set(PDFName.of('Count'), PDFNumber.of(count));
    return count;
  };

  const root = ctx.obj({ Type: 'Outlines' }) as PDFDict;
  writeLevel(top, rootRef, root);
  ctx.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}
