/**
 * Joining the chunk PDFs of a parallel layout into one: pages in order with blank pages where a chunk
 * must start on an odd page, named destinations merged (links inside a chunk and across chunks, e.g.
 * the contents to the chapters, keep working), and identical resources stored once (the same image in
 * several chunks, and any font program or graphics state that came out byte-identical). Each part's
 * text layer is repaired (actual_text.ts) before it is copied: the joined document needs no repair.
 */
import crypto from 'node:crypto';
import { repairActualText } from './actual_text.js';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFString, PDFHexString, type PDFObject, type PDFPage } from 'pdf-lib';

export interface JoinPart {
  pdf: Uint8Array;
  /** `pdf` read by pdf-lib and its text layer repaired (repairActualText) already (parallel.ts starts that while other chunks print). */
  doc?: Promise<PDFDocument>;
  /** 1-based page of the joined document where this part starts (blank pages fill any gap). */
  start: number;
  /** Destinations of stand-ins for targets in other parts (chunks.ts): left out, the real ones kept. */
  stubs?: string[];
}

export async function joinDocuments(parts: JoinPart[]): Promise<PDFDocument> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const dests = new Map<string, PDFObject>();
  for (const part of parts) {
    const doc = part.doc ? await part.doc : await PDFDocument.load(part.pdf, { updateMetadata: false, parseSpeed: Infinity });
    if (!part.doc) repairActualText(doc);
    const srcPages = doc.getPages();
    if (srcPages.length && out.getPageCount() + 1 < part.start) {
      while (out.getPageCount() + 1 < part.start) addBlankLike(out, srcPages[0]!);
    }
    const copied = await out.copyPages(doc, srcPages.map((_, i) => i));
    const map = new Map<string, PDFRef>();
    srcPages.forEach((p, i) => {
      out.addPage(copied[i]!);
      map.set(p.ref.toString(), copied[i]!.ref);
    });
    const stubs = new Set(part.stubs ?? []);
    for (const [name, dest] of namedDests(doc)) {
      // Chromium writes an id with other than ASCII letters as its UTF-8 percent-encoded.
      if (stubs.has(name) || stubs.has(decodeName(name))) continue;
      const arr = dest instanceof PDFDict ? dest.get(PDFName.of('D')) : dest;
      if (!(arr instanceof PDFArray)) continue;
      const pageRef = arr.get(0);
      const target = pageRef instanceof PDFRef ? map.get(pageRef.toString()) : undefined;
      if (!target) continue;
      const copy = out.context.obj([target, ...arr.asArray().slice(1)]);
      dests.set(name, copy);
    }
  }
  if (dests.size) {
    const dict = out.context.obj({}) as PDFDict;
    for (const [name, d] of [...dests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) dict.set(PDFName.of(name), d);
    out.catalog.set(PDFName.of('Dests'), out.context.register(dict));
  }
  dedupe(out);
  return out;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function addBlankLike(out: PDFDocument, like: PDFPage): void {
  const page = out.addPage([like.getWidth(), like.getHeight()]);
  for (const box of ['MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox']) {
    const v = like.node.get(PDFName.of(box));
    if (v instanceof PDFArray) page.node.set(PDFName.of(box), like.doc.context === out.context ? v : out.context.obj(v.asArray().map((x) => x.toString() === 'null' ? null : Number(x.toString()))));
  }
}

/** Named destinations of a document: the catalog's /Dests dictionary and the /Names /Dests tree. */
function namedDests(doc: PDFDocument): [string, PDFObject][] {
  const out: [string, PDFObject][] = [];
  const look = <T extends PDFObject>(o: PDFObject | undefined): T | undefined => (o instanceof PDFRef ? (doc.context.lookup(o) as T) : (o as T | undefined));
  const dests = look<PDFDict>(doc.catalog.get(PDFName.of('Dests')));
  if (dests instanceof PDFDict) for (const [k, v] of dests.entries()) out.push([k.decodeText(), look(v)!]);
  const names = look<PDFDict>(doc.catalog.get(PDFName.of('Names')));
  const tree = names instanceof PDFDict ? look<PDFDict>(names.get(PDFName.of('Dests'))) : undefined;
  const walk = (node: PDFDict | undefined) => {
    if (!(node instanceof PDFDict)) return;
    const list = look<PDFArray>(node.get(PDFName.of('Names')));
    if (list instanceof PDFArray) {
      for (let i = 0; i + 1 < list.size(); i += 2) {
        const key = list.get(i);
        const name = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : String(key);
        out.push([name, look(list.get(i + 1))!]);
      }
    }
    const kids = look<PDFArray>(node.get(PDFName.of('Kids')));
    if (kids instanceof PDFArray) for (const k of kids.asArray()) walk(look<PDFDict>(k));
  };
  walk(tree);
  return out;
}

const SHAREABLE = new Set(['/Font', '/FontDescriptor', '/ExtGState', '/XObject', '/Pattern', '/Shading']);

/** Stores byte-identical streams (and identical font and graphics-state dictionaries) once. */
export function dedupe(doc: PDFDocument): number {
  const ctx = doc.context;
  let removed = 0;
  // A stream's bytes never change here, only the references in dictionaries: hashed once.
  const contentHashes = new WeakMap<PDFRawStream, string>();
  const contentHash = (s: PDFRawStream) => {
    let h = contentHashes.get(s);
    if (h === undefined) contentHashes.set(s, (h = crypto.createHash('sha256').update(s.contents).digest('hex')));
    return h;
  };
  // The pages' content streams are the text of each page, never the same twice: not hashed at all
  // (they are most of the document's bytes).
  const pageContents = new Set<string>();
  for (const page of doc.getPages()) {
    const c = page.node.get(PDFName.of('Contents'));
    for (const r of c instanceof PDFArray ? c.asArray() : [c]) if (r instanceof PDFRef) pageContents.add(r.toString());
  }
  for (let round = 0; round < 4; round++) {
    const seen = new Map<string, PDFRef>();
    const replace = new Map<string, PDFRef>();
    for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
      if (pageContents.has(ref.toString())) continue;
      let key: string | undefined;
      if (obj instanceof PDFRawStream) {
        key = 's' + crypto.createHash('sha256').update(obj.dict.toString()).update(contentHash(obj)).digest('hex');
      } else if (obj instanceof PDFDict) {
        const type = obj.get(PDFName.of('Type'))?.toString();
        if (type && SHAREABLE.has(type)) key = 'd' + crypto.createHash('sha256').update(obj.toString()).digest('hex');
      }
      if (!key) continue;
      const first = seen.get(key);
      if (first) replace.set(ref.toString(), first);
      else seen.set(key, ref);
    }
    if (!replace.size) break;
    const fix = (o: PDFObject): PDFObject => {
      if (o instanceof PDFRef) return replace.get(o.toString()) ?? o;
      if (o instanceof PDFDict) for (const [k, v] of o.entries()) o.set(k, fix(v));
      else if (o instanceof PDFArray) for (let i = 0; i < o.size(); i++) o.set(i, fix(o.get(i)));
      else if (o instanceof PDFRawStream) fix(o.dict);
      return o;
    };
    for (const [, obj] of ctx.enumerateIndirectObjects()) fix(obj);
    fix(ctx.trailerInfo.Root as PDFObject);
    for (const r of replace.keys()) {
      const [num, gen] = r.split(' ').map(Number) as [number, number];
      ctx.delete(PDFRef.of(num, gen));
      removed++;
    }
  }
  return removed;
}
