/** Page sizes: named presets or "W x H" with units, and the margins and type size that suit them. */
import { BuildError } from '../../diagnostics.js';

export interface PageSize {
  label: string;
  widthMm: number;
  heightMm: number;
}

const PRESETS: Record<string, [number, number]> = {
  a4: [210, 297],
  a5: [148, 210],
  a6: [105, 148],
  // A7: the panel of a mini-zine folded from A4.
  a7: [74, 105],
  letter: [215.9, 279.4],
  'half-letter': [139.7, 215.9],
  '6x9in': [152.4, 228.6],
};

const MM_PER: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, px: 25.4 / 96 };

export function parsePageSize(spec: string): PageSize {
  const key = spec.trim().toLowerCase();
  const preset = PRESETS[key] ?? (key === '6x9' ? PRESETS['6x9in'] : undefined);
  if (preset) return { label: spec.trim(), widthMm: preset[0], heightMm: preset[1] };
  const m = /^([\d.]+)\s*(mm|cm|in|pt|px)?\s*[x×]\s*([\d.]+)\s*(mm|cm|in|pt|px)?$/.exec(key);
  if (m) {
    // "6 x 9in": a unit given once applies to both sides; none at all means millimetres.
    const unitW = m[2] ?? m[4] ?? 'mm';
    const unitH = m[4] ?? m[2] ?? 'mm';
    const w = Number(m[1]) * MM_PER[unitW]!;
    const h = Number(m[3]) * MM_PER[unitH]!;
    if (w >= 50 && h >= 50 && w <= 1000 && h <= 1000) return { label: spec.trim(), widthMm: round(w), heightMm: round(h) };
  }
  throw new BuildError(
    `unknown page size "${spec}"; use A5, A6, A7, A4, letter, half-letter, 6x9in or "W x H" with units (e.g. "120mm x 180mm"), each side 50–1000 mm`,
  );
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
}
`;
}
