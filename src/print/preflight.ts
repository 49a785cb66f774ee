/**
 * Preflight: what a printer's upload check rejects, found before the upload. Reads a finished PDF back
 * with the tools the tests use (pdf-lib for boxes, outline and annotations; poppler's pdfimages and
 * pdffonts for images and fonts; Ghostscript to render CMYK separations for ink coverage and to see
 * bleed art) and checks it against a service's rules (services.ts).
 *
 *   page size     TrimBox (else MediaBox) is an offered trim (interior) or the spread the page count asks for (cover)
 *   bleed         BleedBox reaches the service's bleed; art that reaches the trim edge goes on into the bleed
 *   images        effective ppi at the placed size (warning below minPpi, error below minPpiError)
 *   colour        RGB images or RGB colour operators in a file that must be PDF/X-1a (CMYK only)
 *   ink           total area coverage per page (max over a 24 dpi CMYK rendering) against the service's limit
 *   fonts         every font embedded (and subset)
 *   marks         crop marks (media larger than the bleed), bookmarks, annotations where forbidden
 *   pages         page count from the service's minimum to its maximum, a multiple of its multiple
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { readBoxes, type Rect } from './boxes.js';
import { findExecutable } from './ghostscript.js';
import { coverSpread, formatTrim, in3, matchTrim, PT_PER_IN, SERVICE_RULES, type Paper, type Service } from './services.js';

const run = promisify(execFile);

export type Level = 'error' | 'warning' | 'ok';

export interface Finding {
  check: 'page-size' | 'bleed' | 'images' | 'colour' | 'ink' | 'fonts' | 'marks' | 'bookmarks' | 'annotations' | 'pages' | 'spine' | 'pdfx';
  level: Level;
  message: string;
  /** 1-based page, where the finding is about one page. */
  page?: number;
}

export interface PreflightReport {
  file: string;
  service: Service;
  kind: 'interior' | 'cover';
  pages: number;
  findings: Finding[];
  errors: number;
  warnings: number;
}

export interface PreflightOptions {
  service: Service;
  paper?: Paper;
  /** interior or cover; by default a single page wider than tall is a cover. */
  kind?: 'interior' | 'cover';
  /** For a cover: the interior's page count, to check the spine (default: not checked). */
  interiorPages?: number;
  /** A spine width the service's template gave, in inches (print.spine). */
  spineIn?: number;
  /** Ink coverage is sampled at this resolution (dpi). */
  inkDpi?: number;
}

/** pdfimages -list: one row per image placement with its colour space, components and effective ppi. */
async function listImages(file: string): Promise<{ page: number; color: string; comp: number; xppi: number; yppi: number }[]> {
  const { stdout } = await run('pdfimages', ['-list', file], { maxBuffer: 64 << 20 });
  return stdout
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 14 && /^\d+$/.test(c[0]!))
    .filter((c) => c[2] === 'image')
    .map((c) => ({ page: Number(c[0]), color: c[5]!, comp: Number(c[6]), xppi: Number(c[12]), yppi: Number(c[13]) }));
}

/** pdffonts: name, embedded, subset per font. */
async function listFonts(file: string): Promise<{ name: string; emb: boolean; sub: boolean }[]> {
  const { stdout } = await run('pdffonts', [file], { maxBuffer: 16 << 20 });
  const lines = stdout.split('\n');
  const rule = lines[1] ?? '';
  // Columns are fixed width; find them from the dashes line.
  const cols = [...rule.matchAll(/-+/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
  return lines
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cell = (i: number) => l.slice(cols[i]![0], cols[i]![1] + 1).trim();
      return { name: cell(0), emb: cell(3) === 'yes', sub: cell(4) === 'yes' };
    });
}

/** RGB colour operators or colour spaces in the page content (uncompressed by qpdf). */
async function rgbOperators(file: string, tmp: string): Promise<number[]> {
  const out = path.join(tmp, 'qdf.pdf');
  await run('qpdf', ['--qdf', '--object-streams=disable', file, out]).catch((e: { code?: number }) => {
    if (e.code !== 3) throw e; // 3: warnings
  });
  const text = fs.readFileSync(out, 'latin1');
  // qdf marks each page's content streams with "%% Contents for page N".
  const pages: number[] = [];
  const parts = text.split(/%% Contents for page (\d+)/);
  for (let i = 1; i < parts.length; i += 2) {
    const body = parts[i + 1]!.split(/\nendstream/)[0]!;
    if (/(^|\s)[\d.]+\s+[\d.]+\s+[\d.]+\s+(rg|RG)(\s|$)/.test(body) || /\/DeviceRGB/.test(body)) pages.push(Number(parts[i]));
  }
  return pages;
}

/** Max total ink per page (percent), from a CMYK rendering by Ghostscript at `dpi`. */
async function inkPerPage(file: string, tmp: string, dpi: number): Promise<number[]> {
  const gs = findExecutable('gs');
  if (!gs) throw new Error('preflight needs Ghostscript for the ink check: apt-get install ghostscript');
  const pattern = path.join(tmp, 'ink-%05d.pam');
  await run(gs, ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=pamcmyk32', `-r${dpi}`, '-dUseTrimBox=false', `-sOutputFile=${pattern}`, file], { maxBuffer: 16 << 20 });
  const files = fs.readdirSync(tmp).filter((f) => f.startsWith('ink-')).sort();
  return files.map((f) => {
    const buf = fs.readFileSync(path.join(tmp, f));
    const end = buf.indexOf('ENDHDR\n');
    const data = buf.subarray(end + 7);
    let max = 0;
    for (let i = 0; i + 3 < data.length; i += 4) {
      const sum = data[i]! + data[i + 1]! + data[i + 2]! + data[i + 3]!;
      if (sum > max) max = sum;
    }
    return Math.round((max / 255) * 100);
  });
}

/**
 * Whether art reaches the trim but stops there: renders the page's bleed box in gray and compares the
 * strip just inside each outer trim edge with the strip in the bleed beyond it.
 */
async function artStopsAtTrim(file: string, tmp: string, pageNo: number, trim: Rect, bleed: Rect, sides: ('left' | 'right' | 'top' | 'bottom')[]): Promise<string[]> {
  const dpi = 36;
  const out = path.join(tmp, `bleed-${pageNo}`);
  // Render the MediaBox; the boxes are measured from its lower left corner.
  await run('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(pageNo), '-l', String(pageNo), '-singlefile', file, out]);
  const pgm = fs.readFileSync(`${out}.pgm`);
  const header = pgm.toString('latin1', 0, 40).split(/\s+/);
  const w = Number(header[1]);
  const h = Number(header[2]);
  const data = pgm.subarray(pgm.length - w * h);
  const s = dpi / PT_PER_IN;
  const px = (pt: number) => Math.round(pt * s);
  const ink = (x0: number, y0: number, x1: number, y1: number) => {
    // PDF y grows upward, image rows downward.
    let dark = 0;
    let n = 0;
    for (let y = Math.max(0, h - px(y1)); y < Math.min(h, h - px(y0)); y++) {
      for (let x = Math.max(0, px(x0)); x < Math.min(w, px(x1)); x++) {
        n++;
        if (data[y * w + x]! < 235) dark++;
      }
    }
    return n ? dark / n : 0;
  };
  const band = 2; // points
  const found: string[] = [];
  const tx0 = trim.x, ty0 = trim.y, tx1 = trim.x + trim.width, ty1 = trim.y + trim.height;
  const bx0 = bleed.x, by0 = bleed.y, bx1 = bleed.x + bleed.width, by1 = bleed.y + bleed.height;
  const strips = {
    left: [ink(tx0 + 1, ty0, tx0 + 1 + band, ty1), ink(bx0, ty0, bx0 + band, ty1)],
    right: [ink(tx1 - 1 - band, ty0, tx1 - 1, ty1), ink(bx1 - band, ty0, bx1, ty1)],
    bottom: [ink(tx0, ty0 + 1, tx1, ty0 + 1 + band), ink(tx0, by0, tx1, by0 + band)],
    top: [ink(tx0, ty1 - 1 - band, tx1, ty1 - 1), ink(tx0, by1 - band, tx1, by1)],
  } as const;
  for (const side of sides) {
    const [inside, beyond] = strips[side];
    if (inside > 0.5 && beyond < 0.1) found.push(side);
  }
  return found;
}

/** Checks `file` against the rules of `opts.service`. */
export async function preflight(file: string, opts: PreflightOptions): Promise<PreflightReport> {
  const rules = SERVICE_RULES[opts.service];
  const bytes = fs.readFileSync(file);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages();
  const boxes = readBoxes(doc);
  const media0 = boxes[0]!.MediaBox!;
  const kind = opts.kind ?? (pages.length === 1 && media0.width > media0.height ? 'cover' : 'interior');
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-preflight-'));
  try {
    // Page size and bleed.
    const bleedPt = rules.bleedIn * PT_PER_IN;
    const sizes = new Map<string, number[]>();
    const noBleed: number[] = [];
    const stopped: { page: number; sides: string[] }[] = [];
    for (const [i, b] of boxes.entries()) {
      const media = b.MediaBox!;
      const trim = b.TrimBox ?? media;
      const key = `${in3(trim.width / PT_PER_IN)} x ${in3(trim.height / PT_PER_IN)}in`;
      sizes.set(key, [...(sizes.get(key) ?? []), i + 1]);
      const bleed = b.BleedBox ?? media;
      const room = {
        left: trim.x - bleed.x,
        right: bleed.x + bleed.width - (trim.x + trim.width),
        bottom: trim.y - bleed.y,
        top: bleed.y + bleed.height - (trim.y + trim.height),
      };
      // Interior pages on KDP bleed on the top, bottom and outside edge only (odd pages: right).
      const outside: 'left' | 'right' = kind === 'cover' ? 'right' : (i + 1) % 2 === 1 ? 'right' : 'left';
      const sides: ('left' | 'right' | 'top' | 'bottom')[] =
        kind === 'cover' || !rules.interiorBleedOutsideOnly ? ['left', 'right', 'top', 'bottom'] : [outside, 'top', 'bottom'];
      const missing = sides.filter((s) => room[s] < bleedPt - 0.75);
      if (missing.length) noBleed.push(i + 1);
      else if (kind === 'cover' || pages.length <= 400 || i < 400) {
        const s = await artStopsAtTrim(file, tmp, i + 1, trim, bleed, sides);
        if (s.length) stopped.push({ page: i + 1, sides: s });
      }
    }
    if (kind === 'interior') {
      for (const [size, on] of sizes) {
        const [w, h] = size.replace('in', '').split(' x ').map(Number) as [number, number];
        const m = matchTrim(opts.service, w, h);
        if (!m.ok) add({ check: 'page-size', level: 'error', page: on[0], message: `pages ${list(on)} are ${size}, not a trim size ${rules.name} prints (nearest: ${formatTrim(m.nearest!)})` });
      }
      if (sizes.size > 1) add({ check: 'page-size', level: 'error', message: `the pages have ${sizes.size} different sizes: ${[...sizes.keys()].join(', ')}` });
    }
    if (noBleed.length) {
      // An interior without bleed is fine when no art reaches the edge; a cover always bleeds.
      add({
        check: 'bleed',
        level: kind === 'cover' ? 'error' : 'ok',
        page: noBleed[0],
        message: kind === 'cover' ? `the cover has no ${rules.bleedIn} in bleed on every side` : `${noBleed.length} page(s) without bleed (fine when no art reaches the page edge)`,
      });
    }
    for (const s of stopped) add({ check: 'bleed', level: 'error', page: s.page, message: `page ${s.page}: art reaches the trim on the ${s.sides.join(', ')} edge but does not go on into the bleed` });

    // Page count.
    if (kind === 'interior') {
      const n = pages.length;
      if (n < rules.minPages) add({ check: 'pages', level: 'error', message: `${n} pages; ${rules.name} prints from ${rules.minPages} pages` });
      if (n > rules.maxPages) add({ check: 'pages', level: 'error', message: `${n} pages; ${rules.name} prints at most ${rules.maxPages}` });
      if (n % rules.pageMultiple) add({ check: 'pages', level: 'error', message: `${n} pages is not a multiple of ${rules.pageMultiple}` });
    } else if (opts.interiorPages !== undefined) {
      // The sheet is back + spine + front: the panels are a trim of the service's as tall as the cover.
      const trim = boxes[0]!.TrimBox ?? media0;
      const bleed = boxes[0]!.BleedBox ?? media0;
      const trimW = trim.width / PT_PER_IN;
      const trimH = trim.height / PT_PER_IN;
      const paper = opts.paper ?? 'white';
      const spine = coverSpread(opts.service, paper, 0, 0, opts.interiorPages, opts.spineIn).spineIn;
      const tall = rules.trims.filter(([, h]) => Math.abs(h - trimH) <= 0.02);
      if (rules.trims.length && !tall.length) {
        add({ check: 'page-size', level: 'error', message: `the cover is ${in3(trimH)} in tall (trimmed), not the height of a trim ${rules.name} prints` });
      } else {
        const panel = tall.length ? [...tall].sort((a, b) => Math.abs(2 * a[0] + spine - trimW) - Math.abs(2 * b[0] + spine - trimW))[0]![0] : (trimW - spine) / 2;
        const want = coverSpread(opts.service, paper, panel, trimH, opts.interiorPages, opts.spineIn);
        const gotWidth = bleed.width / PT_PER_IN;
        if (Math.abs(gotWidth - want.widthIn) > 0.01) {
          add({ check: 'spine', level: 'error', message: `the cover is ${in3(gotWidth)} in wide; ${opts.interiorPages} pages on ${paper} paper want ${in3(want.widthIn)} in (spine ${in3(want.spineIn)} in)` });
        }
      }
    }

    // Images: resolution and colour.
    const images = await listImages(file);
    const low = images.filter((im) => Math.min(im.xppi, im.yppi) < rules.minPpi);
    for (const im of low) {
      const ppi = Math.min(im.xppi, im.yppi);
      add({
        check: 'images',
        level: ppi < rules.minPpiError ? 'error' : 'warning',
        page: im.page,
        message: `page ${im.page}: an image prints at ${ppi} ppi (${rules.name} wants at least ${rules.minPpi})`,
      });
    }
    if (rules.pdfx === 'x1a') {
      const rgbImages = images.filter((im) => im.color === 'rgb' || (im.color === 'icc' && im.comp === 3) || im.color === 'lab');
      for (const im of rgbImages) add({ check: 'colour', level: 'error', page: im.page, message: `page ${im.page}: an RGB image in a file that must be PDF/X-1a (CMYK only)` });
      const rgbPages = await rgbOperators(file, tmp);
      if (rgbPages.length) add({ check: 'colour', level: 'error', page: rgbPages[0], message: `RGB colour on page(s) ${list(rgbPages)} in a file that must be PDF/X-1a (CMYK only)` });
      const infoRef = doc.context.trailerInfo.Info;
      const info = infoRef ? (doc.context.lookup(infoRef) as PDFDict | undefined)?.lookup(PDFName.of('GTS_PDFXVersion')) : undefined;
      const version = info ? String(info).replace(/^\(|\)$/g, '') : undefined;
      if (version !== 'PDF/X-1a:2001') add({ check: 'pdfx', level: 'error', message: `${rules.name} asks for PDF/X-1a:2001; this file declares ${version ?? 'no PDF/X version'}` });
    }

    // Ink.
    const ink = await inkPerPage(file, tmp, opts.inkDpi ?? 24);
    for (const [i, tac] of ink.entries()) {
      if (tac > rules.inkLimit) add({ check: 'ink', level: 'error', page: i + 1, message: `page ${i + 1}: ${tac} % ink at the darkest spot; ${rules.name} allows ${rules.inkLimit} %` });
    }

    // Fonts.
    for (const f of await listFonts(file)) {
      if (!f.emb) add({ check: 'fonts', level: 'error', message: `font ${f.name} is not embedded` });
      else if (!f.sub) add({ check: 'fonts', level: 'warning', message: `font ${f.name} is embedded whole, not subset` });
    }

    // Marks, bookmarks, annotations.
    if (!rules.marks) {
      const marked = boxes.flatMap((b, i) => {
        const media = b.MediaBox!;
        const bleed = b.BleedBox ?? b.TrimBox ?? media;
        return media.width - bleed.width > 2 || media.height - bleed.height > 2 ? [i + 1] : [];
      });
      if (marked.length) add({ check: 'marks', level: 'error', page: marked[0], message: `page(s) ${list(marked)} have room for printer's marks outside the bleed; ${rules.name} takes no crop marks` });
    }
    if (!rules.bookmarks) {
      const outlines = doc.catalog.lookup(PDFName.of('Outlines'));
      if (outlines instanceof PDFDict && outlines.get(PDFName.of('First'))) add({ check: 'bookmarks', level: 'error', message: `the file has bookmarks; ${rules.name} takes none` });
    }
    if (!rules.annotations) {
      const annotated = pages.flatMap((p, i) => {
        const a = p.node.lookup(PDFName.of('Annots'));
        return a instanceof PDFArray && a.size() > 0 ? [i + 1] : [];
      });
      if (annotated.length) add({ check: 'annotations', level: 'error', page: annotated[0], message: `page(s) ${list(annotated)} have annotations (links); ${rules.name} takes none` });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warning').length;
  return { file, service: opts.service, kind, pages: pages.length, findings, errors, warnings };
}

/** "1–3, 7" for a list of page numbers (at most 12 named). */
function list(pages: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    runs.push(i === j ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j;
  }
  return runs.length > 12 ? `${runs.slice(0, 12).join(', ')}…` : runs.join(', ');
}

/** The report as people read it. */
export function formatReport(r: PreflightReport): string {
  const rules = SERVICE_RULES[r.service];
  const lines = [`preflight ${path.basename(r.file)} for ${rules.name} (${r.kind}, ${r.pages} page${r.pages === 1 ? '' : 's'})`];
  for (const f of r.findings.filter((x) => x.level !== 'ok')) lines.push(`  ${f.level}: ${f.message}`);
  lines.push(r.errors || r.warnings ? `  ${r.errors} error(s), ${r.warnings} warning(s)` : '  no problems found');
  return lines.join('\n');
}
