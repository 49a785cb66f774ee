/**
 * The press-ready copy: PDF/X-3 through Ghostscript's pdfwrite, every colour converted to CMYK for
 * an output intent (Ghostscript's own SWOP-like CMYK profile), fonts embedded, run with -dSAFER and a
 * time limit. The page boxes of the input are set again on the output with pdf-lib (whatever
 * Ghostscript kept or dropped), which also pins dates and document ID for reproducible builds
 * (Ghostscript itself honours SOURCE_DATE_EPOCH, which it is given).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { readBoxes, writeBoxes, type Rect } from './boxes.js';
import { findExecutable, findGhostscriptProfile, GhostscriptJobError, NEEDS_GHOSTSCRIPT, psString, runGhostscript, withHeaderOf, type GhostscriptJobOptions } from './ghostscript.js';

export { findExecutable, withHeaderOf } from './ghostscript.js';

export { NEEDS_GHOSTSCRIPT };

/** The press copy could not be made (code: press-needs-ghostscript, press-no-profile, press-failed). */
export class PressError extends GhostscriptJobError {}

/** PDF/X-3 (colour-managed, the default) or PDF/X-1a:2001 (CMYK only, no transparency, text in black ink only). */
export type PdfxVersion = 'x3' | 'x1a';

export type PressOptions = GhostscriptJobOptions & { version?: PdfxVersion };

/** A CMYK ICC profile that Ghostscript installs (Debian puts it in both places). */
export function findCmykProfile(): string | undefined {
  return findGhostscriptProfile('default_cmyk.icc');
}

/** pdfmark prologue: PDF/X version and title in Info, the output intent with its profile. */
export function pdfxDefinition(iccProfile: string, title: string, version: PdfxVersion = 'x3'): string {
  const name = version === 'x1a' ? 'PDF/X-1a:2001' : 'PDF/X-3:2002';
  return `%!
% Written by samizdat for one Ghostscript run: ${name} with a CMYK output intent.
[ /GTS_PDFXVersion (${name})
${version === 'x1a' ? '  /GTS_PDFXConformance (PDF/X-1a:2001)\n' : ''}  /Title ${psString(title)}
  /Trapped /False
/DOCINFO pdfmark
[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[{icc_PDFX} << /N 4 >> /PUT pdfmark
[{icc_PDFX} ${psString(iccProfile)} (r) file /PUT pdfmark
[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[{OutputIntent_PDFX} <<
  /Type /OutputIntent
  /S /GTS_PDFX
  /OutputCondition (Commercial and specialty printing)
  /OutputConditionIdentifier (CGATS TR 001)
  /Info (Artifex CMYK SWOP profile, as shipped with Ghostscript)
  /RegistryName (http://www.color.org)
  /DestOutputProfile {icc_PDFX}
>> /PUT pdfmark
[{Catalog} <</OutputIntents [ {OutputIntent_PDFX} ]>> /PUT pdfmark
`;
}

/** Converts a finished PDF (boxes already set) into a PDF/X-3 copy. */
export async function pressPdf(input: Uint8Array, opts: PressOptions = {}): Promise<Uint8Array> {
  const gs = opts.gs ?? findExecutable('gs', opts.searchPath);
  if (!gs || !fs.existsSync(gs)) throw new PressError(NEEDS_GHOSTSCRIPT, 'press-needs-ghostscript');
  const icc = opts.iccProfile ?? findCmykProfile();
  if (!icc || !fs.existsSync(icc)) {
    throw new PressError('--press needs a CMYK ICC profile; Ghostscript’s default_cmyk.icc was not found', 'press-no-profile');
  }
  const src = await PDFDocument.load(input, { updateMetadata: false });
  const boxes = readBoxes(src);
  const pressed = await runGhostscript({
    gs,
    args: [
      '-dPDFX',
      // X-1a is PDF 1.3: Ghostscript flattens transparency for it. Text goes to black ink alone
      // (rich black from RGB text would print four inks under every letter, over the ink limit).
      ...(opts.version === 'x1a' ? ['-dCompatibilityLevel=1.3', '-dBlackText'] : ['-dCompatibilityLevel=1.4']),
      '-sColorConversionStrategy=CMYK',
      '-sProcessColorModel=DeviceCMYK',
      '-dEmbedAllFonts=true',
      '-dSubsetFonts=true',
      '-dAutoRotatePages=/None',
    ],
    readable: [icc],
    prologue: pdfxDefinition(icc, src.getTitle() ?? 'Untitled', opts.version),
    input,
    timeoutMs: opts.timeoutMs ?? 300_000,
    sourceDateEpoch: opts.sourceDateEpoch,
    signal: opts.signal,
    fail: (message) => new PressError(message, 'press-failed'),
  });
  return finishPressed(pressed, input, boxes, opts.sourceDateEpoch);
}

/**
 * Puts the input's page boxes back where Ghostscript left them out. Ghostscript moves a MediaBox
 * with a negative origin (crop marks room, see boxes.ts) to 0 0, so every box is placed relative to
 * the MediaBox's lower left corner, which is the same spot of the page in both files.
 */
async function finishPressed(bytes: Uint8Array, input: Uint8Array, before: ReturnType<typeof readBoxes>, sourceDateEpoch?: number): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const after = readBoxes(doc);
  const moved = before.map((b, i) => {
    const media = after[i]?.MediaBox ?? b.MediaBox!;
    const dx = media.x - b.MediaBox!.x;
    const dy = media.y - b.MediaBox!.y;
    const shift = (r: Rect | undefined): Rect | undefined => (r ? { ...r, x: r.x + dx, y: r.y + dy } : undefined);
    return { MediaBox: media, CropBox: shift(b.CropBox), BleedBox: shift(b.BleedBox), TrimBox: shift(b.TrimBox), ArtBox: after[i]?.ArtBox };
  });
  writeBoxes(doc, moved);
  if (sourceDateEpoch !== undefined) {
    const when = new Date(sourceDateEpoch * 1000);
    doc.setCreationDate(when);
    doc.setModificationDate(when);
    // Ghostscript's ID changes from run to run; one from the input is as unique and stays put.
    const id = crypto.createHash('md5').update(input).update('press').digest('hex');
    doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  }
  return withHeaderOf(await doc.save({ useObjectStreams: false }), bytes);
}
