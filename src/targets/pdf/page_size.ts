/** Page sizes: named presets or "W x H" with units, and the margins and type size that suit them. */
import { BuildError } from '../../diagnostics.js';
import { PAGE_SIZE_HELP, parsePageSizeMm } from '../../config/units.js';

export interface PageSize {
  label: string;
  widthMm: number;
  heightMm: number;
}

export function parsePageSize(spec: string): PageSize {
  const size = parsePageSizeMm(spec);
  if (size) return size;
  throw new BuildError(`unknown page size "${spec}"; ${PAGE_SIZE_HELP}`);
}

const round = (n: number) => Math.round(n * 100) / 100;

export interface PageGeometry {
  top: number;
  bottom: number;
  inside: number;
  outside: number;
  /** Body type size in points. */
  fontPt: number;
}

/** Margins in mm and a type size proportional to the page, so small formats stay readable and big ones not sparse. */
export function geometry(size: PageSize): PageGeometry {
  const short = Math.min(size.widthMm, size.heightMm);
  const fontPt = short < 120 ? 8.5 : short < 160 ? 10 : 11;
  return {
    top: round(size.heightMm * 0.085),
    bottom: round(size.heightMm * 0.1),
    inside: round(size.widthMm * 0.12),
    outside: round(size.widthMm * 0.1),
    fontPt,
  };
}

/**
 * The @page rule for the size, plus custom properties derived from it (used by print.css).
 * Crop marks are never asked of Paged.js: it draws them inside the bleed, where they would print;
 * src/print/marks.ts draws them outside it once the page boxes are set.
 */
export function pageCss(size: PageSize, bleed?: string): string {
  const g = geometry(size);
  const areaHeight = round(size.heightMm - g.top - g.bottom);
  // Size and bleed stay in this one @page rule: see BLEED_WITH_SIZE in pagedjs_fixes.ts.
  return `@page {
  size: ${size.widthMm}mm ${size.heightMm}mm;
${bleed ? `  bleed: ${bleed};\n` : ''}  margin: ${g.top}mm ${g.outside}mm ${g.bottom}mm ${g.inside}mm;
}
@page :left { margin-left: ${g.outside}mm; margin-right: ${g.inside}mm; }
@page :right { margin-left: ${g.inside}mm; margin-right: ${g.outside}mm; }
:root {
  --font-size: ${g.fontPt}pt;
  --page-area-height: ${areaHeight}mm;
  --text-width: ${round(size.widthMm - g.inside - g.outside)}mm;
}
`;
}
