/**
 * Page sizes in inches, and the text block a figure is placed in, for the image pipeline (downsampling
 * to 300 ppi at the placed width). The PDF target's page geometry (src/targets/pdf/page_size.ts) is the
 * one source of sizes and margins.
 */
import { geometry as pdfGeometry, parsePageSize as pdfPageSize } from '../targets/pdf/page_size.js';

export interface Inches {
  width: number;
  height: number;
}

const MM_PER_IN = 25.4;

/** A page size in inches, or undefined when it is not a size the PDF target knows. */
export function parsePageSize(size: string): Inches | undefined {
  try {
    const p = pdfPageSize(size);
    return { width: p.widthMm / MM_PER_IN, height: p.heightMm / MM_PER_IN };
  } catch {
    return undefined;
  }
}

/** Page size in inches; unknown sizes fall back to A5 (the PDF target reports them). */
export function pageInches(size: string): Inches {
  return parsePageSize(size) ?? parsePageSize('A5')!;
}

/** The text block: the page minus the PDF target's margins. */
export function textBlockInches(size: string): Inches {
  const p = pdfPageSize(parsePageSize(size) ? size : 'A5');
  const g = pdfGeometry(p);
  return { width: (p.widthMm - g.inside - g.outside) / MM_PER_IN, height: (p.heightMm - g.top - g.bottom) / MM_PER_IN };
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
