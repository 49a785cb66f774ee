/**
 * Lengths and paper: parsing "3mm"-style lengths into PDF points, and choosing the sheet an
 * imposition is printed on.
 */

/** A width and height in PDF points (1/72 in). */
export interface Size {
  width: number;
  height: number;
}

export const PT_PER_MM = 72 / 25.4;

const PT_PER_UNIT: Record<string, number> = { mm: PT_PER_MM, cm: 10 * PT_PER_MM, in: 72, pt: 1, px: 72 / 96 };

/**
 * A length such as "3mm", "0.2 mm", "0.125in", "9pt" in points. A bare number is millimetres
 * (bleed and creep are usually given in mm). Undefined when the text is not a length.
 */
export function parseLength(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(mm|cm|in|pt|px)?\s*$/i.exec(String(text));
  if (!m) return undefined;
  return Number(m[1]) * PT_PER_UNIT[(m[2] ?? 'mm').toLowerCase()]!;
}

const mm = (w: number, h: number): Size => ({ width: w * PT_PER_MM, height: h * PT_PER_MM });
const inch = (w: number, h: number): Size => ({ width: w * 72, height: h * 72 });

/** Standard papers, portrait. */
export const PAPERS: Record<string, Size> = {
  A3: mm(297, 420),
  A4: mm(210, 297),
  A5: mm(148, 210),
  A6: mm(105, 148),
  letter: inch(8.5, 11),
  legal: inch(8.5, 14),
  tabloid: inch(11, 17),
};

export const landscape = (s: Size): Size => ({ width: Math.max(s.width, s.height), height: Math.min(s.width, s.height) });

/** How much larger than the pages a standard paper may be and still be preferred to a custom one. */
const SLACK = 3 * PT_PER_MM;

export interface Sheet extends Size {
  /** The standard paper, when one fits; undefined for a custom size. */
  paper?: string;
}

/**
 * The sheet for a saddle-stitched booklet: two pages side by side, so 2 × width by height. A
 * standard landscape paper is used when the spread fits it with at most 3 mm to spare on each side
 * (A5 pages → A4 landscape, which is 1 mm wider than two A5 pages; half-letter → letter; A6 → A5);
 * otherwise the sheet is exactly the spread.
 */
export function bookletSheet(page: Size): Sheet {
  const spread = { width: 2 * page.width, height: page.height };
  for (const [paper, size] of Object.entries(PAPERS)) {
    const l = landscape(size);
    const dw = l.width - spread.width;
    const dh = l.height - spread.height;
    if (dw > -0.5 && dh > -0.5 && dw <= SLACK && dh <= SLACK) return { ...l, paper };
  }
  return spread;
}

/**
 * Letter-family pages (letter, half-letter, 6×9 in…) have sides in whole quarter inches, which no
 * ISO A size has.
 */
export function isLetterLike(page: Size): boolean {
  const quarter = (pt: number) => Math.abs(pt / 18 - Math.round(pt / 18)) < 0.03;
  return quarter(page.width) && quarter(page.height);
}

/** The sheet a mini-zine is printed on: A4 landscape, or letter landscape for letter-family pages. */
export function zineSheet(page: Size): Sheet {
  return isLetterLike(page) ? { ...landscape(PAPERS['letter']!), paper: 'letter' } : { ...landscape(PAPERS['A4']!), paper: 'A4' };
}
