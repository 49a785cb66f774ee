/**
 * Print finishing, run by the PDF target once the book's PDF is staged: page boxes and crop marks for
 * bleed, booklet or mini-zine imposition for home printing, and a PDF/X copy for the press.
 *
 *   pdf.bleed "3mm"        → TrimBox/BleedBox/MediaBox on <slug>.pdf
 *   pdf.marks crop         → crop marks outside the bleed on <slug>.pdf
 *   --impose booklet       → <slug>-booklet.pdf (pdf.signature / --signature, pdf.creep)
 *   --impose minizine      → <slug>-minizine.pdf (at most 8 pages)
 *   --press                → <slug>-press.pdf (PDF/X-3 through Ghostscript)
 *   --pdfa                 → <slug>-pdfa.pdf (PDF/A-2b through Ghostscript, for archives)
 */
import { PDFDocument } from 'pdf-lib';
import type { BuildContext } from '../targets/target.js';
import { parsePageSize } from '../targets/pdf/page_size.js';
import { setPrintBoxes } from './boxes.js';
import { imposeBooklet } from './impose_booklet.js';
import { ZineTooLongError, imposeMiniZine } from './impose_minizine.js';
import { CROP_MARK, MARKS_MARGIN, drawCropMarks } from './marks.js';
import { pressPdf } from './press.js';
import { GhostscriptJobError } from './ghostscript.js';
import { pdfaPdf } from './pdfa.js';
import { PT_PER_MM, parseLength } from './sheet_sizes.js';

export { setPrintBoxes } from './boxes.js';
export { imposeBooklet } from './impose_booklet.js';
export { imposeMiniZine } from './impose_minizine.js';
export { pressPdf } from './press.js';
export { pdfaPdf } from './pdfa.js';


export interface PrintTools {
  /** Ghostscript to use instead of `gs` on PATH. */
  gs?: string;
  /** PATH to look for Ghostscript in. */
  searchPath?: string;
}

export async function finishPrint(ctx: BuildContext, pdfName: string, tools: PrintTools = {}): Promise<void> {
  const { options, diags, log } = ctx;
  const pdf = options.pdf;
  const slug = pdfName.replace(/\.pdf$/i, '');
  const backCover = pdf.cover && ctx.facts.covers;
  const date = options.sourceDateEpoch !== undefined ? new Date(options.sourceDateEpoch * 1000) : undefined;

  const bleed = parseLength(pdf.bleed);
  if (pdf.bleed !== undefined && bleed === undefined) diags.error('bad-option', `pdf.bleed must be a length such as "3mm", not "${pdf.bleed}"`, { file: 'book.yaml' });
  const creep = parseLength(pdf.creep);
  if (pdf.creep !== undefined && creep === undefined) diags.error('bad-option', `pdf.creep must be a length such as "0.2mm", not "${pdf.creep}"`, { file: 'book.yaml' });
  if (pdf.marks !== undefined && pdf.marks !== 'crop') diags.error('bad-option', `pdf.marks can only be "crop", not "${String(pdf.marks)}"`, { file: 'book.yaml' });
  const sig = pdf.signature;
  if (sig !== undefined && (!Number.isInteger(sig) || sig < 4 || sig % 4 !== 0)) {
    diags.error('bad-option', `a signature is a whole number of pages divisible by 4 (4, 8, 16, 32…), not ${String(sig)}`);
  }
  if (diags.hasErrors()) return;

  let bytes: Uint8Array = ctx.stage.read(pdfName);

  // 1. Bleed and marks on the book's own PDF.
  const marks = pdf.marks === 'crop';
  if ((bleed ?? 0) > 0 || marks) {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const size = parsePageSize(pdf.size);
    const report = setPrintBoxes(doc, {
      trimWidth: size.widthMm * PT_PER_MM,
      trimHeight: size.heightMm * PT_PER_MM,
      bleed: bleed ?? 0,
      marksMargin: marks ? MARKS_MARGIN : 0,
    });
    if ((bleed ?? 0) > 0 && report.pagesWithoutBleed.length) {
      diags.warn(
        'no-bleed',
        `${report.pagesWithoutBleed.length} page(s) of ${pdfName} have no room for the ${pdf.bleed} bleed (first: page ${report.pagesWithoutBleed[0]}); ` +
          'the print stylesheet must set `bleed` in the same @page rule as `size`',
      );
    }
    if (marks) drawCropMarks(doc, doc.getPages(), (p) => p.getTrimBox(), bleed ?? 0);
    bytes = await doc.save({ useObjectStreams: false });
    ctx.stage.write(pdfName, bytes, 'pdf');
    log.info(`pdf: trim ${size.widthMm}×${size.heightMm} mm${bleed ? `, bleed ${pdf.bleed}` : ''}${marks ? `, crop marks ${CROP_MARK.gap / PT_PER_MM} mm outside the bleed` : ''}`);
  }

  // 2. Imposition for home printing.
  if (pdf.impose === 'booklet') {
    const b = await imposeBooklet(bytes, { signature: sig, creep, backCover, foldMark: true, rtl: ctx.book.meta.dir === 'rtl', date });
    ctx.stage.write(`${slug}-booklet.pdf`, b.pdf, 'pdf-booklet');
    const sheets = b.sides.length / 2;
    const signatures = new Set(b.sides.map((s) => s.signature)).size;
    log.info(
      `booklet: ${sheets} sheet(s) ${b.sheet.paper ? `${b.sheet.paper} landscape` : `${(b.sheet.width / PT_PER_MM).toFixed(0)}×${(b.sheet.height / PT_PER_MM).toFixed(0)} mm`}` +
        `${signatures > 1 ? ` in ${signatures} signatures` : ''}${b.blanks ? `, ${b.blanks} blank page(s) ${backCover ? 'before the back cover' : 'at the end'}` : ''}; print duplex, flip on the short edge`,
    );
  } else if (pdf.impose === 'minizine') {
    try {
      const z = await imposeMiniZine(bytes, { backCover, rtl: ctx.book.meta.dir === 'rtl', date });
      ctx.stage.write(`${slug}-minizine.pdf`, z.pdf, 'pdf-minizine');
      log.info(`minizine: one ${z.sheet.paper} sheet, one side${z.blanks ? `, ${z.blanks} blank page(s)` : ''}; cut along the dashed line`);
    } catch (e) {
      if (!(e instanceof ZineTooLongError)) throw e;
      diags.error('zine-too-long', `${e.message} (${pdfName})`);
      return;
    }
  }

  // 3. The press copy and 4. the archive copy, both through Ghostscript.
  const copies = [
    { on: pdf.press, make: pressPdf, suffix: 'press', done: 'press: PDF/X-3 (CMYK, fonts embedded)' },
    { on: pdf.pdfa, make: pdfaPdf, suffix: 'pdfa', done: 'pdfa: PDF/A-2b (sRGB output intent, fonts embedded)' },
  ];
  for (const copy of copies) {
    if (!copy.on) continue;
    if (ctx.signal.aborted) return;
    try {
      const made = await copy.make(bytes, { ...tools, timeoutMs: pdf.timeoutMs, sourceDateEpoch: options.sourceDateEpoch, signal: ctx.signal });
      ctx.stage.write(`${slug}-${copy.suffix}.pdf`, made, `pdf-${copy.suffix}`);
      log.info(copy.done);
    } catch (e) {
      if (!(e instanceof GhostscriptJobError)) throw e;
      diags.error(e.code, e.message);
    }
  }
}
