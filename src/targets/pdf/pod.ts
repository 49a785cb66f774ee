/**
 * Print on demand (print.service / --service): the two files a service takes, made from the same
 * layout as the book's PDF and checked by the same preflight as `samizdat preflight`:
 *
 *   <slug>-interior.pdf      the interior without covers, to the service's rules (print/pod.ts)
 *   <slug>-cover.pdf         back + spine + front on one sheet, spine from the final page count
 *   <slug>-cover-guides.pdf  the same sheet with trim, folds, safe zones and barcode zone drawn
 *
 * For a service that asks for PDF/X-1a (IngramSpark) both print files go through Ghostscript to
 * CMYK PDF/X-1a:2001. A preflight error fails the build (nothing is written); warnings are reported.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { BuildError } from '../../diagnostics.js';
import { coverBoxes, podInterior } from '../../print/pod.js';
import { pressPdf } from '../../print/press.js';
import { GhostscriptJobError } from '../../print/ghostscript.js';
import { preflight } from '../../print/preflight.js';
import { coverSpread, formatTrim, matchTrim, MM_PER_IN, paddedPages, SERVICE_RULES, type CoverSpread } from '../../print/services.js';
import type { BuildContext } from '../target.js';
import { finishPdf } from './finish.js';
import { geometry, type PageSize } from './page_size.js';
import { layOutPodCover } from './pod_cover.js';
import type { ServedFiles } from './server.js';


/** Checks that need no layout: the trim is one the service prints, the bleed is the service's. */
export function checkPodOptions(ctx: BuildContext, size: PageSize, bleedPt: number): void {
  const print = ctx.options.print;
  if (!print) return;
  const rules = SERVICE_RULES[print.service];
  const m = matchTrim(print.service, size.widthMm / MM_PER_IN, size.heightMm / MM_PER_IN);
  if (!m.ok) {
    throw new BuildError(
      `${rules.name} prints no ${size.label} book (${(size.widthMm / MM_PER_IN).toFixed(2)} x ${(size.heightMm / MM_PER_IN).toFixed(2)} in); ` +
        `set pdf.size to one of its trims, e.g. "${formatTrim(m.nearest!)}"`,
    );
  }
  if (bleedPt > 0 && Math.abs(bleedPt - rules.bleedIn * 72) > 0.5) {
    throw new BuildError(`${rules.name} takes a bleed of ${rules.bleedIn} in; set pdf.bleed to "${rules.bleedIn}in" or leave it out`);
  }
}

/** The spread for the interior the layout gave (`laidPages` before padding). */
export function podSpread(ctx: BuildContext, size: PageSize, laidPages: number): CoverSpread {
  const print = ctx.options.print!;
  return coverSpread(print.service, print.paper, size.widthMm / MM_PER_IN, size.heightMm / MM_PER_IN, paddedPages(print.service, laidPages), print.spineIn);
}

export async function layOutPod(ctx: BuildContext, browser: Browser, files: ServedFiles, spread: CoverSpread, fontFaces: string, coverUrl?: string, logoUrl?: string) {
  return layOutPodCover(ctx, browser, files, { book: ctx.book, spread, fontFaces, coverUrl, logoUrl, rtl: ctx.book.meta.dir === 'rtl' });
}

export interface PodInput {
  /** The interior as laid out (no covers). */
  laid: Uint8Array;
  headingPages: Map<string, number>;
  size: PageSize;
  bleedPt: number;
  spread: CoverSpread;
  cover: Uint8Array;
  guides: Uint8Array;
}

export async function writePod(ctx: BuildContext, input: PodInput): Promise<void> {
  const { book, options, log, diags } = ctx;
  const print = options.print!;
  const rules = SERVICE_RULES[print.service];
  const slug = book.meta.slug;
  // Margins: the service's minimum for this page count (KDP's inside margin grows with it).
  const g = geometry(input.size);
  const min = rules.minMarginIn(input.spread.pages);
  const insideMin = min.inside * MM_PER_IN;
  const outsideMin = min.outside * MM_PER_IN;
  if (g.inside + 0.05 < insideMin || Math.min(g.outside, g.top, g.bottom) + 0.05 < outsideMin) {
    diags.warn(
      'pod-margins',
      `${rules.name} wants margins of at least ${min.inside} in inside and ${min.outside} in elsewhere for ${input.spread.pages} pages; ` +
        `the theme's are ${(g.inside / MM_PER_IN).toFixed(2)} in inside and ${(Math.min(g.outside, g.top, g.bottom) / MM_PER_IN).toFixed(2)} in — ` +
        'widen them in styles/print.css (@page :right { margin-left: … } @page :left { margin-right: … })',
    );
  }
  const finished = await finishPdf(input.laid, {
    meta: book.meta,
    outline: rules.bookmarks ? book.outline : [],
    headingPages: input.headingPages,
    sourceDateEpoch: options.sourceDateEpoch,
  });
  const interior = await podInterior(finished, {
    service: print.service,
    trimWidthPt: (input.size.widthMm / MM_PER_IN) * 72,
    trimHeightPt: (input.size.heightMm / MM_PER_IN) * 72,
    bleedPt: input.bleedPt,
  });
  let interiorPdf = interior.pdf;
  let coverPdf = await coverBoxes(input.cover, input.spread);
  if (rules.pdfx === 'x1a') {
    try {
      const job = { timeoutMs: options.pdf.timeoutMs, sourceDateEpoch: options.sourceDateEpoch, signal: ctx.signal, version: 'x1a' as const };
      interiorPdf = await pressPdf(interiorPdf, job);
      coverPdf = await pressPdf(coverPdf, job);
    } catch (e) {
      if (!(e instanceof GhostscriptJobError)) throw e;
      throw new BuildError(`${rules.name} needs PDF/X-1a: ${e.message}`);
    }
  }
  // Preflight both files as the service will.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-pod-'));
  try {
    const names = { interior: `${slug}-interior.pdf`, cover: `${slug}-cover.pdf` };
    const checks = [
      { kind: 'interior' as const, name: names.interior, bytes: interiorPdf },
      { kind: 'cover' as const, name: names.cover, bytes: coverPdf },
    ];
    for (const c of checks) {
      const file = path.join(tmp, c.name);
      fs.writeFileSync(file, c.bytes);
      const report = await preflight(file, { service: print.service, paper: print.paper, kind: c.kind, interiorPages: interior.pages, spineIn: print.spineIn });
      for (const f of report.findings) {
        if (f.level === 'error') diags.error(`preflight-${f.check}`, `${c.name}: ${f.message}`);
        else if (f.level === 'warning') diags.warn(`preflight-${f.check}`, `${c.name}: ${f.message}`);
      }
    }
    if (diags.hasErrors()) return;
    ctx.stage.write(names.interior, interiorPdf, 'pdf-interior');
    ctx.stage.write(names.cover, coverPdf, 'pdf-cover');
    ctx.stage.write(`${slug}-cover-guides.pdf`, input.guides, 'pdf-cover-guides');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const s = input.spread;
  log.info(
    `${print.service}: interior ${interior.pages} pages${interior.padded ? ` (${interior.padded} blank added)` : ''}; cover ${s.widthIn.toFixed(3)} × ${s.heightIn.toFixed(3)} in, ` +
      `spine ${s.spineIn.toFixed(3)} in on ${s.paper} paper${s.spineText ? '' : ` (no spine text under ${rules.spineTextMinPages} pages)`}${rules.pdfx === 'x1a' ? '; PDF/X-1a:2001' : ''}; preflight passed`,
  );
}
