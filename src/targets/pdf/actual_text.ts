/**
 * A faithful text layer for ligatures. Chromium (Skia's PDF backend) maps each glyph to its text with
 * the font's ToUnicode CMap, which for Source Serif's ligature glyphs is right (fi → "fi", ffi → "ffi").
 * Where a glyph's text cluster is not one character it wraps the glyph in a marked-content span with
 * /ActualText, and at the start of a text fragment that Paged.js split off at a page break (the rest of
 * "of-|fice", "fibre" at a page top) Blink hands it the cluster cut short: `/ActualText (f)` around the
 * fi glyph, so every reader of the text layer (search, copy, screen readers, pdftotext) sees "fce".
 *
 * The repair, on the finished PDF: every ActualText span whose text is a proper prefix of what its
 * glyphs' ToUnicode entries say gets the ToUnicode text instead. Nothing else in the content changes;
 * ligatures stay on (turning them off would be the only other way, and a typographic loss).
 */
import zlib from 'node:zlib';
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFPage } from 'pdf-lib';

/** Glyph id (hex, as in the content stream) → text, from a ToUnicode CMap. */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => {
    const units: number[] = [];
    for (let i = 0; i + 4 <= hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), utf16(m[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) {
        const list = [...m[3]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => utf16(x[1]!));
        for (let g = lo; g <= hi && g - lo < list.length; g++) map.set(g, list[g - lo]!);
      } else {
        const base = m[3]!.slice(1, -1);
        const last = parseInt(base.slice(-4), 16);
        for (let g = lo; g <= hi; g++) map.set(g, utf16(base.slice(0, -4) + (last + g - lo).toString(16).padStart(4, '0')));
      }
    }
  }
  return map;
}

/** Decodes a PDF literal string body (between the parentheses) or hex string (between < >) to text. */
function decodePdfString(lit: string | undefined, hex: string | undefined): string {
  if (hex !== undefined) {
    const h = hex.replace(/\s+/g, '');
    if (/^feff/i.test(h)) {
      let s = '';
      for (let i = 4; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
      return s;
    }
    let s = '';
    for (let i = 0; i + 2 <= h.length; i += 2) s += String.fromCharCode(parseInt(h.slice(i, i + 2), 16));
    return s;
  }
  return (lit ?? '').replace(/\\([nrtbf()\\]|[0-7]{1,3})/g, (_, e: string) =>
    /^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
  );
}

/** Text as a PDF hex string in UTF-16BE with a byte order mark. */
function hexUtf16(text: string): string {
  let h = 'FEFF';
  for (let i = 0; i < text.length; i++) h += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${h}>`;
}

const SPAN = /\/ActualText\s*(?:\(((?:\\.|[^\\)])*)\)|<([0-9a-fA-F\s]*)>)\s*>>\s*BDC([\s\S]*?)EMC/g;

/**
 * Rewrites the ActualText spans of one content stream (latin1 text) whose text is a proper prefix of
 * their glyphs' ToUnicode text. `fonts` maps a font resource name to its ToUnicode map; `current` is
 * the font in force before the stream starts. Returns the new stream and the number of repairs.
 */
export function repairContent(content: string, fonts: Map<string, Map<number, string>>): { content: string; repaired: number } {
  let repaired = 0;
  // The font in force at each offset: the last `/Fn size Tf` before it.
  const tfs = [...content.matchAll(/\/([^\s/<>[\]()]+)\s+[-\d.]+\s+Tf/g)].map((m) => ({ at: m.index, name: m[1]! }));
  const fontAt = (offset: number) => {
    let name: string | undefined;
    for (const t of tfs) {
      if (t.at > offset) break;
      name = t.name;
    }
    return name;
  };
  const out = content.replace(SPAN, (whole, lit: string | undefined, hex: string | undefined, body: string, offset: number) => {
    const actual = decodePdfString(lit, hex);
    let text = '';
    for (const g of body.matchAll(/<([0-9a-fA-F]+)>\s*Tj|\[([^\]]*)\]\s*TJ/g)) {
      const font = fonts.get(fontAt(offset + whole.indexOf(g[0])) ?? '');
      if (!font) return whole;
      const hexes = g[1] !== undefined ? [g[1]] : [...g[2]!.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => x[1]!);
      for (const h of hexes) {
        for (let i = 0; i + 4 <= h.length; i += 4) {
          const t = font.get(parseInt(h.slice(i, i + 4), 16));
          if (t === undefined) return whole;
          text += t;
        }
      }
    }
    if (!text || text === actual || !text.startsWith(actual)) return whole;
    repaired++;
    return `/ActualText ${hexUtf16(text)} >> BDC${body}EMC`;
  });
  return { content: out, repaired };
}

function streamBytes(stream: PDFStream): Uint8Array | undefined {
  if (!(stream instanceof PDFRawStream)) return undefined;
  const filter = stream.dict.get(PDFName.of('Filter'));
  if (!filter) return stream.contents;
  if (filter === PDFName.of('FlateDecode')) return zlib.inflateSync(stream.contents);
  return undefined;
}

/** The ToUnicode maps of a page's fonts, by resource name. */
function pageFonts(doc: PDFDocument, page: PDFPage, cache: Map<PDFRef | PDFDict, Map<number, string>>): Map<string, Map<number, string>> {
  const fonts = new Map<string, Map<number, string>>();
  const dict = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
  if (!dict) return fonts;
  for (const [name, value] of dict.entries()) {
    const key = value instanceof PDFRef ? value : (value as PDFDict);
    let map = cache.get(key);
    if (!map) {
      const font = doc.context.lookupMaybe(value, PDFDict);
      const tu = font?.lookupMaybe(PDFName.of('ToUnicode'), PDFStream);
      const bytes = tu && streamBytes(tu);
      map = bytes ? parseToUnicode(Buffer.from(bytes).toString('latin1')) : new Map();
      cache.set(key, map);
    }
    fonts.set(name.asString().slice(1), map);
  }
  return fonts;
}

/** Repairs every page of `doc` in place; returns the number of spans repaired. */
export function repairActualText(doc: PDFDocument): number {
  return repairPages(doc).spans;
}

/**
 * Repairs the pages of `doc` (0-based indexes; all when not given) in place: the spans repaired, and
 * on which pages. Knowing the pages (the layout cache keeps them beside a chunk, chunk_cache.ts), a
 * document read again repairs those alone: the content streams of the others are never inflated.
 */
export function repairPages(doc: PDFDocument, only?: readonly number[]): { spans: number; pages: number[] } {
  let total = 0;
  const repairedPages: number[] = [];
  const cache = new Map<PDFRef | PDFDict, Map<number, string>>();
  const all = doc.getPages();
  for (const index of only ?? all.keys()) {
    const page = all[index];
    if (!page) continue;
    const before = total;
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    let fonts: Map<string, Map<number, string>> | undefined;
    for (const ref of refs) {
      if (!(ref instanceof PDFRef)) continue;
      const stream = doc.context.lookupMaybe(ref, PDFStream);
      const bytes = stream && streamBytes(stream);
      if (!bytes) continue;
      const text = Buffer.from(bytes).toString('latin1');
      if (!text.includes('/ActualText')) continue;
      fonts ??= pageFonts(doc, page, cache);
      const { content, repaired } = repairContent(text, fonts);
      if (!repaired) continue;
      total += repaired;
      doc.context.assign(ref, doc.context.flateStream(Buffer.from(content, 'latin1')));
    }
    if (total > before) repairedPages.push(index);
  }
  return { spans: total, pages: repairedPages };
}
