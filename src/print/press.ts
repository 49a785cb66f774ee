/**
 * The press-ready copy: PDF/X-3 through Ghostscript's pdfwrite, every colour converted to CMYK for
 * an output intent (Ghostscript's own SWOP-like CMYK profile), fonts embedded, run with -dSAFER and a
 * time limit. The page boxes of the input are set again on the output with pdf-lib (whatever
 * Ghostscript kept or dropped), which also pins dates and document ID for reproducible builds
 * (Ghostscript itself honours SOURCE_DATE_EPOCH, which it is given).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, PDFHexString } from 'pdf-lib';
import { readBoxes, writeBoxes, type Rect } from './boxes.js';

export const NEEDS_GHOSTSCRIPT = '--press needs Ghostscript: apt-get install ghostscript';

export class PressError extends Error {
  constructor(
    message: string,
    readonly code: 'press-needs-ghostscript' | 'press-failed' | 'press-no-profile',
  ) {
    super(message);
    this.name = 'PressError';
  }
}

export interface PressOptions {
  /** Ghostscript to run; default: `gs` found on `searchPath`. */
  gs?: string;
  /** PATH to look for `gs` in (default process.env.PATH). */
  searchPath?: string;
  /** CMYK output profile; default: the one Ghostscript ships. */
  iccProfile?: string;
  timeoutMs?: number;
  /** Seconds since the epoch: fixed dates and document ID. */
  sourceDateEpoch?: number;
  signal?: AbortSignal;
}

/** The first executable `name` on a PATH-style list, or undefined. */
export function findExecutable(name: string, searchPath = process.env['PATH'] ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A CMYK ICC profile that Ghostscript installs (Debian puts it in both places). */
export function findCmykProfile(): string | undefined {
  const roots = ['/usr/share/color/icc/ghostscript', '/usr/local/share/ghostscript', '/usr/share/ghostscript'];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const direct = path.join(root, 'default_cmyk.icc');
    if (fs.existsSync(direct)) return direct;
    for (const v of fs.readdirSync(root).sort().reverse()) {
      const p = path.join(root, v, 'iccprofiles', 'default_cmyk.icc');
      if (fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

/** A PostScript string literal. */
const psString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?')})`;

/** pdfmark prologue: PDF/X version and title in Info, the output intent with its profile. */
export function pdfxDefinition(iccProfile: string, title: string): string {
  return `%!
% Written by samizdat for one Ghostscript run: PDF/X-3 with a CMYK output intent.
[ /GTS_PDFXVersion (PDF/X-3:2002)
  /Title ${psString(title)}
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

function run(file: string, args: string[], opts: { timeoutMs: number; signal?: AbortSignal; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: opts.timeoutMs, signal: opts.signal, env: opts.env, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException & { killed?: boolean }).killed ? `timed out after ${opts.timeoutMs / 1000} s` : err.message;
        reject(new PressError(`Ghostscript failed: ${why}\n${String(stderr).trim().split('\n').slice(-8).join('\n')}`, 'press-failed'));
      } else resolve(String(stdout) + String(stderr));
    });
  });
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-press-'));
  try {
    const inFile = path.join(dir, 'in.pdf');
    const outFile = path.join(dir, 'out.pdf');
    const defFile = path.join(dir, 'PDFX_def.ps');
    fs.writeFileSync(inFile, input);
    fs.writeFileSync(defFile, pdfxDefinition(icc, src.getTitle() ?? 'Untitled'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (opts.sourceDateEpoch !== undefined) env['SOURCE_DATE_EPOCH'] = String(opts.sourceDateEpoch);
    await run(
      gs,
      [
        '-dSAFER',
        `--permit-file-read=${icc}`,
        '-dBATCH',
        '-dNOPAUSE',
        '-dQUIET',
        '-sDEVICE=pdfwrite',
        '-dPDFX',
        '-dCompatibilityLevel=1.4',
        '-sColorConversionStrategy=CMYK',
        '-sProcessColorModel=DeviceCMYK',
        '-dEmbedAllFonts=true',
        '-dSubsetFonts=true',
        '-dAutoRotatePages=/None',
        `-sOutputFile=${outFile}`,
        defFile,
        inFile,
      ],
      { timeoutMs: opts.timeoutMs ?? 300_000, signal: opts.signal, env },
    );
    return await finishPressed(fs.readFileSync(outFile), input, boxes, opts.sourceDateEpoch);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

/**
 * pdf-lib always writes a %PDF-1.7 header; PDF/X-3 must say 1.3 (or 1.4), as Ghostscript did. Both
 * headers are eight bytes, so putting the original back moves no offset.
 */
export function withHeaderOf(saved: Uint8Array, original: Uint8Array): Uint8Array {
  const head = Buffer.from(original.subarray(0, 8)).toString('latin1');
  if (!/^%PDF-\d\.\d$/.test(head)) return saved;
  const out = Uint8Array.from(saved);
  out.set(Buffer.from(head, 'latin1'), 0);
  return out;
}
