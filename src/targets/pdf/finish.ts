/**
 * Finishing the PDF Chromium printed: document metadata, language, bookmarks that mirror the book's
 * outline with the pages the layout found, and fixed dates and document ID for reproducible builds.
 */
import crypto from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, ReadingDirection, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, PDFNull, type PDFObject } from 'pdf-lib';
import type { Metadata, Section } from '../../model/types.js';
import { repairActualText } from './actual_text.js';
import { BuildError } from '../../diagnostics.js';
import { coverPageLabels, setPageLabels } from '../../print/page_labels.js';

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
export async function finishWithCovers(source: Uint8Array | PDFDocument, input: FinishInput, covers?: { pdf: Uint8Array; lang: string }): Promise<{ pdf: Uint8Array; covers?: CoverPlacement }> {
  // updateMetadata: false, or pdf-lib stamps its own producer and the current time.
  // Read and written in one go (parseSpeed, objectsPerTick: Infinity): by default pdf-lib pauses for a
  // timer (≥ 1 ms) every 100 objects read and every 50 written, ~0.1 s of nothing for a long book.
  const doc = source instanceof PDFDocument ? source : await PDFDocument.load(source, { updateMetadata: false, parseSpeed: Infinity });
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
  retagSubsets(doc);
  // Ligatures at the top of a page read as their letters (actual_text.ts); a joined long book's parts
  // were repaired one by one (join.ts), and the covers when they were attached (cover.ts).
  if (!(source instanceof PDFDocument)) repairActualText(doc);
  if (input.sourceDateEpoch === undefined) return { pdf: await doc.save({ useObjectStreams: false, objectsPerTick: Infinity }), covers: placed };
  // Chromium's document ID (and its Info dates) are random; the ID becomes a hash of the finished
  // document as written with an ID of zeros, which is the same for the same book. The zeros are then
  // overwritten in place: one pass writing the document, not two.
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(ZERO_ID), PDFHexString.of(ZERO_ID)]);
  const pdf = await doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
  const id = crypto.createHash('md5').update(pdf).digest('hex');
  setTrailerId(pdf, id);
  return { pdf, covers: placed };
}

const ZERO_ID = '0'.repeat(32);

/** Writes `id` over the two zero IDs of the trailer (the last two in the file: the trailer comes last). */
function setTrailerId(pdf: Uint8Array, id: string): void {
  const buf = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const zero = Buffer.from(`<${ZERO_ID}>`, 'latin1');
  const trailer = buf.lastIndexOf('trailer');
  let at = buf.length;
  for (let k = 0; k < 2; k++) {
    at = buf.lastIndexOf(zero, at - 1);
    if (at < trailer || at < 0) throw new Error('the PDF trailer has no document ID to set');
    buf.write(`<${id}>`, at, 'latin1');
  }
}

/**
 * Gives every embedded font subset a tag of its own. Chromium tags the subsets of each document it
 * prints AAAAAA+, BAAAAA+…, so a PDF joined from several (chunks, covers) had different subsets under
 * one name (AAAAAA+SourceSerif4-Bold three times), which ISO 32000-1 §9.6.4 forbids and preflight tools
 * trip over. The tag becomes six letters of a hash of the subset's font program: the same subset keeps
 * one tag, different ones differ.
 */
export function retagSubsets(doc: PDFDocument): number {
  const ctx = doc.context;
  const look = (o: PDFObject | undefined) => (o instanceof PDFRef ? ctx.lookup(o) : o);
  const fontFile = (descriptor: PDFObject | undefined): PDFRawStream | undefined => {
    if (!(descriptor instanceof PDFDict)) return undefined;
    for (const key of ['FontFile2', 'FontFile3', 'FontFile']) {
      const f = look(descriptor.get(PDFName.of(key)));
      if (f instanceof PDFRawStream) return f;
    }
    return undefined;
  };
  const tagOf = (stream: PDFRawStream) => {
    const h = crypto.createHash('sha256').update(stream.contents).digest();
    return Array.from(h.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
  };
  const rename = (dict: PDFDict, key: string, tag: string) => {
    const name = dict.get(PDFName.of(key));
    const text = name instanceof PDFName ? name.decodeText() : '';
    if (/^[A-Z]{6}\+/.test(text)) dict.set(PDFName.of(key), PDFName.of(`${tag}+${text.slice(7)}`));
  };
  let changed = 0;
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || look(obj.get(PDFName.of('Type')))?.toString() !== '/Font') continue;
    const subtype = obj.get(PDFName.of('Subtype'))?.toString();
    if (subtype === '/CIDFontType0' || subtype === '/CIDFontType2') continue; // reached from its Type0 font
    const descendant = subtype === '/Type0' ? look((look(obj.get(PDFName.of('DescendantFonts'))) as PDFArray | undefined)?.get(0)) : obj;
    if (!(descendant instanceof PDFDict)) continue;
    const descriptor = look(descendant.get(PDFName.of('FontDescriptor')));
    const file = fontFile(descriptor);
    if (!file || !(descriptor instanceof PDFDict)) continue;
    const tag = tagOf(file);
    rename(obj, 'BaseFont', tag);
    if (descendant !== obj) rename(descendant, 'BaseFont', tag);
    rename(descriptor, 'FontName', tag);
    changed++;
  }
  return changed;
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

export interface CoverPlacement {
  /** Cover pages before the interior (front, inside front) and after it (inside back, back). */
  front: number;
  back: number;
  /** Pages of the interior as laid out (without the blank added for an even count). */
  interiorPages: number;
  /** True when a blank page was added at the end of the interior. */
  padded: boolean;
  /** Pages in all, covers included: always even. */
  pages: number;
}

/**
 * Puts the four cover pages around the interior `doc`: front and inside front before it, inside back
 * and back after it, and a blank page at its end when its page count is odd. The interior's own pages
 * (and with them every link and named destination Chromium wrote) are kept as they are.
 */
export async function attachCovers(doc: PDFDocument, covers: Uint8Array, lang: string): Promise<CoverPlacement> {
  const cover = await PDFDocument.load(covers, { updateMetadata: false, parseSpeed: Infinity });
  repairActualText(cover);
  const count = cover.getPageCount();
  if (count !== 4 && count !== 2) {
    throw new BuildError(`the PDF cover came out with ${count} page(s) instead of ${count > 2 ? 4 : 2} (check the book's styles/cover.css)`);
  }
  const insides = count === 4;
  const interiorPages = doc.getPageCount();
  const copied = await doc.copyPages(cover, Array.from({ length: count }, (_, i) => i));
  // With inside covers the interior starts on a right-hand page and must end on a left-hand one.
  const padded = insides && interiorPages % 2 === 1;
  if (padded) {
    const last = doc.getPage(interiorPages - 1);
    const blank = doc.addPage([last.getWidth(), last.getHeight()]);
    blank.setMediaBox(last.getMediaBox().x, last.getMediaBox().y, last.getWidth(), last.getHeight());
    // An empty content stream: pages without one cannot be embedded (imposition does that).
    blank.node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream('')));
  }
  const half = count / 2;
  copied.slice(0, half).forEach((p, i) => doc.insertPage(i, p));
  for (const p of copied.slice(half)) doc.addPage(p);
  setPageLabels(doc, coverPageLabels(lang, interiorPages + (padded ? 1 : 0), insides));
  return { front: half, back: half, interiorPages, padded, pages: doc.getPageCount() };
}
