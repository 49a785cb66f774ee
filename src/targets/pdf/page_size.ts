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
export function pageCss(size: PageSize, bleed?: string, dir: 'ltr' | 'rtl' = 'ltr'): string {
  const g = geometry(size);
  const areaHeight = round(size.heightMm - g.top - g.bottom);
  // Paged.js calls odd pages (rectos) :right and even pages :left, whatever the direction. A book
  // bound on the right (rtl) has its rectos on the left: the inside margin of an odd page is its right.
  const rtl = dir === 'rtl';
  // Size and bleed stay in this one @page rule: see BLEED_WITH_SIZE in pagedjs_fixes.ts.
  return `@page {
  size: ${size.widthMm}mm ${size.heightMm}mm;
${bleed ? `  bleed: ${bleed};\n` : ''}  margin: ${g.top}mm ${g.outside}mm ${g.bottom}mm ${g.inside}mm;
}
@page :left { margin-left: ${rtl ? g.inside : g.outside}mm; margin-right: ${rtl ? g.outside : g.inside}mm; }
@page :right { margin-left: ${rtl ? g.outside : g.inside}mm; margin-right: ${rtl ? g.inside : g.outside}mm; }
:root {
  --font-size: ${g.fontPt}pt;
  --page-area-height: ${areaHeight}mm;
  --text-width: ${round(size.widthMm - g.inside - g.outside)}mm;
}
${rtl ? RTL_PAGES : ''}`;
}

const HEAD = 'font-family: var(--font-body); font-size: var(--running-head-size); font-style: italic; color: var(--color-muted); vertical-align: bottom; padding-bottom: 4mm;';
const FOLIO = 'font-family: var(--font-body); font-size: var(--folio-size); vertical-align: top; padding-top: 4mm;';
const NONE = '@top-left { content: none; } @top-right { content: none; } @bottom-left { content: none; } @bottom-right { content: none; }';

/**
 * A book bound on the right: running heads and folios mirrored (outside corners are the verso's right
 * and the recto's left), the page chrome laid out left to right (Paged.js's page grid would otherwise
 * swap its margin columns, and its page area is a multi-column box whose overflow it looks for in
 * the column to the right: laid out right to left, the text that did not fit went left and was lost),
 * the text, notes and margin boxes right to left. The pages that carry no head
 * or folio are restated after the mirrored rules, which would otherwise win by coming later.
 */
const RTL_PAGES = `@page :left {
  @top-left { content: none; } @bottom-left { content: none; }
  @top-right { content: string(booktitle); ${HEAD} }
  @bottom-right { content: counter(page); ${FOLIO} }
}
@page :right {
  @top-right { content: none; } @bottom-right { content: none; }
  @top-left { content: string(chapter); ${HEAD} }
  @bottom-left { content: counter(page); ${FOLIO} }
}
@page :blank { ${NONE} }
@page title { ${NONE} }
@page front { ${NONE} }
@page plate { ${NONE} }
@page chapter:first { @top-left { content: none; } @top-right { content: none; } }
.pagedjs_pages, .pagedjs_page_content { direction: ltr; }
.pagedjs_page_content > div, .pagedjs_footnote_area, .pagedjs_margin-content { direction: rtl; }
.pagedjs_footnote_content { background-position: top right; }
`;
