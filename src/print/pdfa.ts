/**
 * The archive copy: PDF/A-2b through Ghostscript's pdfwrite (-dPDFA=2), every colour converted to RGB
 * for an sRGB output intent (the sRGB profile Ghostscript ships), fonts embedded, XMP metadata
 * written by Ghostscript from the document information.
 *
 * Ghostscript 10.0 drops any document information string it meets as UTF-16 (pdf-lib writes every
 * text that way) with "cannot be represented in XMP", and any string with a parenthesis or a
 * backslash. So plain ASCII strings are handed to it as literal strings, and the others are put
 * back afterwards, in the Info dictionary and in the XMP
 * packet alike (PDF/A wants the two to agree). With SOURCE_DATE_EPOCH the dates are Ghostscript's
 * (it honours the variable) and the document ID, which it draws at random, is pinned.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, decodePDFRawStream } from 'pdf-lib';
import { findExecutable, findGhostscriptProfile, GhostscriptJobError, PDFA_NEEDS_GHOSTSCRIPT, psString, runGhostscript, withHeaderOf, type GhostscriptJobOptions } from './ghostscript.js';

export { PDFA_NEEDS_GHOSTSCRIPT };

/** The archive copy could not be made (code: pdfa-needs-ghostscript, pdfa-no-profile, pdfa-failed). */
export class PdfaError extends GhostscriptJobError {}

export type PdfaOptions = GhostscriptJobOptions;

/** pdfmark prologue: the sRGB output intent PDF/A asks for. */
export function pdfaDefinition(iccProfile: string): string {
  return `%!
% Written by samizdat for one Ghostscript run: PDF/A-2b with an sRGB output intent.
[/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
[{icc_PDFA} << /N 3 >> /PUT pdfmark
[{icc_PDFA} ${psString(iccProfile)} (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
[{OutputIntent_PDFA} <<
  /Type /OutputIntent
  /S /GTS_PDFA1
  /DestOutputProfile {icc_PDFA}
  /OutputConditionIdentifier (sRGB IEC61966-2.1)
  /Info (sRGB IEC61966-2.1)
  /RegistryName (http://www.color.org)
>> /PUT pdfmark
[{Catalog} <</OutputIntents [ {OutputIntent_PDFA} ]>> /PUT pdfmark
`;
}

/** Document information keys carried over, with where PDF/A's XMP keeps each. */
const FIELDS = ['Title', 'Author', 'Subject', 'Keywords'] as const;
type Field = (typeof FIELDS)[number];

const infoDict = (doc: PDFDocument): PDFDict | undefined => {
  const info = doc.context.trailerInfo.Info;
  return info ? (doc.context.lookup(info) as PDFDict | undefined) : undefined;
};

const textOf = (v: unknown): string | undefined => (v instanceof PDFString || v instanceof PDFHexString ? v.decodeText() : undefined);

/** Converts a finished PDF into a PDF/A-2b copy. */
export async function pdfaPdf(input: Uint8Array, opts: PdfaOptions = {}): Promise<Uint8Array> {
  const gs = opts.gs ?? findExecutable('gs', opts.searchPath);
  if (!gs || !fs.existsSync(gs)) throw new PdfaError(PDFA_NEEDS_GHOSTSCRIPT, 'pdfa-needs-ghostscript');
  const icc = opts.iccProfile ?? findGhostscriptProfile('srgb.icc') ?? findGhostscriptProfile('default_rgb.icc');
  if (!icc || !fs.existsSync(icc)) throw new PdfaError('--pdfa needs an sRGB ICC profile; Ghostscript’s srgb.icc was not found', 'pdfa-no-profile');

  // Plain ASCII information as literal strings Ghostscript keeps; the rest is set aside and put back.
  const src = await PDFDocument.load(input, { updateMetadata: false });
  const info = infoDict(src);
  const later = new Map<Field, string>();
  for (const key of FIELDS) {
    const text = textOf(info?.lookup(PDFName.of(key)));
    if (text === undefined) continue;
    if (/^[\x20-\x7e]*$/.test(text) && !/[\\()]/.test(text)) info!.set(PDFName.of(key), PDFString.of(text));
    else {
      info!.delete(PDFName.of(key));
      later.set(key, text);
    }
  }
  const prepared = await src.save({ useObjectStreams: false });

  const out = await runGhostscript({
    gs,
    args: [
      '-dPDFA=2',
      '-dPDFACompatibilityPolicy=1',
      '-sColorConversionStrategy=RGB',
      '-sProcessColorModel=DeviceRGB',
      '-dEmbedAllFonts=true',
      '-dSubsetFonts=true',
      '-dAutoRotatePages=/None',
    ],
    readable: [icc],
    prologue: pdfaDefinition(icc),
    input: prepared,
    timeoutMs: opts.timeoutMs ?? 300_000,
    sourceDateEpoch: opts.sourceDateEpoch,
    signal: opts.signal,
    fail: (message) => new PdfaError(message, 'pdfa-failed'),
  });
  if (later.size === 0 && opts.sourceDateEpoch === undefined) return out;

  const doc = await PDFDocument.load(out, { updateMetadata: false });
  if (later.size) restoreInformation(doc, later);
  if (opts.sourceDateEpoch !== undefined) {
    // Ghostscript's ID changes from run to run; one from the input is as unique and stays put.
    const id = crypto.createHash('md5').update(input).update('pdfa').digest('hex');
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  }
  return withHeaderOf(await doc.save({ useObjectStreams: false }), out);
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Puts non-ASCII Title/Author/Subject/Keywords back into Info and into the XMP packet. */
function restoreInformation(doc: PDFDocument, fields: Map<Field, string>): void {
  let info = infoDict(doc);
  if (!info) {
    info = doc.context.obj({}) as PDFDict;
    doc.context.trailerInfo.Info = doc.context.register(info);
  }
  for (const [key, text] of fields) info.set(PDFName.of(key), PDFHexString.fromText(text));

  const ref = doc.catalog.get(PDFName.of('Metadata'));
  const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : undefined;
  if (!(ref instanceof PDFRef) || !(stream instanceof PDFRawStream)) return;
  const packet = Buffer.from(decodePDFRawStream(stream).decode()).toString('utf8');
  const dc: string[] = [];
  const t = fields.get('Title');
  if (t !== undefined) dc.push(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(t)}</rdf:li></rdf:Alt></dc:title>`);
  const a = fields.get('Author');
  if (a !== undefined) dc.push(`<dc:creator><rdf:Seq><rdf:li>${xml(a)}</rdf:li></rdf:Seq></dc:creator>`);
  const s = fields.get('Subject');
  if (s !== undefined) dc.push(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(s)}</rdf:li></rdf:Alt></dc:description>`);
  const k = fields.get('Keywords');
  const added = [
    dc.length ? `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">${dc.join('')}</rdf:Description>` : '',
    k !== undefined ? `<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Keywords>${xml(k)}</pdf:Keywords></rdf:Description>` : '',
  ].join('\n');
  if (!packet.includes('</rdf:RDF>')) return;
  const patched = packet.replace('</rdf:RDF>', `${added}\n</rdf:RDF>`);
  doc.context.assign(ref, doc.context.stream(Buffer.from(patched, 'utf8'), { Type: 'Metadata', Subtype: 'XML' }));
}
