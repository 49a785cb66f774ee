/**
 * Page sizes as the PDF is laid out, in inches, and the text block a figure is placed in. Shared by the
 * image pipeline (downsampling to 300 ppi at the placed width) and the PDF target.
 */
import { geometry as pdfGeometry, parsePageSize as pdfPageSize } from '../targets/pdf/page_size.js';

export interface Inches {
  width: number;
  height: number;
}

/** Margin assumed on every side of the text block. */
export const PAGE_MARGIN_MM = 18;

const MM_PER_IN = 25.4;

const NAMED: Record<string, [number, number, Unit]> = {
  a4: [210, 297, 'mm'],
  a5: [148, 210, 'mm'],
  a6: [105, 148, 'mm'],
  letter: [8.5, 11, 'in'],
  'half-letter': [5.5, 8.5, 'in'],
  halfletter: [5.5, 8.5, 'in'],
  statement: [5.5, 8.5, 'in'],
};

type Unit = 'mm' | 'cm' | 'in' | 'pt';

const PER_INCH: Record<Unit, number> = { mm: MM_PER_IN, cm: MM_PER_IN / 10, in: 1, pt: 72 };

/**
 * Parses a page size: A4, A5, A6, letter, half-letter, "6x9in", "148 x 210 mm", "5.5in x 8.5in".
 * Returns undefined when it is not a size.
 */
export function parsePageSize(size: string): Inches | undefined {
  const s = size.trim().toLowerCase();
  const named = NAMED[s];
  if (named) return { width: named[0] / PER_INCH[named[2]], height: named[1] / PER_INCH[named[2]] };
  const m = /^(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?$/.exec(s);
  if (!m) return undefined;
  const unitW = (m[2] ?? m[4]) as Unit | undefined;
  const unitH = (m[4] ?? m[2]) as Unit | undefined;
  if (!unitW || !unitH) return undefined;
  const width = Number(m[1]) / PER_INCH[unitW];
  const height = Number(m[3]) / PER_INCH[unitH];
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** Page size in inches; unknown sizes fall back to A5 (the options checker reports them). */
export function pageInches(size: string): Inches {
  return parsePageSize(size) ?? parsePageSize('A5')!;
}

/**
 * The text block: page minus the margins. The PDF target's own geometry (src/targets/pdf/page_size.ts)
 * is the truth when it knows the size; otherwise PAGE_MARGIN_MM on each side.
 */
export function textBlockInches(size: string): Inches {
  try {
    const p = pdfPageSize(size);
    const g = pdfGeometry(p);
    return { width: (p.widthMm - g.inside - g.outside) / MM_PER_IN, height: (p.heightMm - g.top - g.bottom) / MM_PER_IN };
  } catch {
    const page = pageInches(size);
    const margin = (2 * PAGE_MARGIN_MM) / MM_PER_IN;
    return { width: Math.max(page.width - margin, 1), height: Math.max(page.height - margin, 1) };
  }
}

/** Share of the text-block height a figure may take (print.css: --figure-max-height). */
export const FIGURE_MAX_HEIGHT_SHARE = 0.6;

/** The box a figure is placed in on the printed page: text-block width, at most 60 % of its height. */
export function figureBoxInches(size: string): Inches {
  const block = textBlockInches(size);
  return { width: block.width, height: block.height * FIGURE_MAX_HEIGHT_SHARE };
}

/** Width of the text block in inches: the width a figure is placed at on the page. */
export function textBlockWidthInches(size: string): number {
  return textBlockInches(size).width;
}
