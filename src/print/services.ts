/**
 * Print-on-demand services and what each wants from the two files it takes: an interior and a
 * one-piece cover (back + spine + front). Every constant is in this one table with where it comes
 * from; lengths are in inches, as the services publish them.
 *
 *   spine width   = pages × caliper of the paper (KDP, IngramSpark, shop) or Lulu's formula
 *   cover width   = 2 × trim width + spine + 2 × bleed
 *   cover height  = trim height + 2 × bleed
 *
 * The services' own calculators and template generators are the final word; `print.spine` in
 * book.yaml overrides the computed width with the figure a template generator gave.
 */

export const SERVICES = ['kdp', 'ingramspark', 'lulu', 'shop'] as const;
export type Service = (typeof SERVICES)[number];
export const PAPERS = ['white', 'cream', 'color'] as const;
export type Paper = (typeof PAPERS)[number];

export interface ServiceRules {
  name: string;
  /** Bleed on the cover's outer edges, and on the interior where art reaches the edge. */
  bleedIn: number;
  /** Interior bleed only on the top, bottom and outside edge, never into the gutter (KDP). */
  interiorBleedOutsideOnly: boolean;
  /** Spine width for a page count on a paper. */
  spineIn(pages: number, paper: Paper): number;
  minPages: number;
  maxPages: number;
  /** The page count is padded with blank pages to a multiple of this. */
  pageMultiple: number;
  /** Spine text only from this many pages on. */
  spineTextMinPages: number;
  /** Text on the cover stays this far inside the trim. */
  coverSafeIn: number;
  /** Spine text stays this far inside each spine fold (the binding's variance). */
  spineSafeIn: number;
  /** Smallest interior margin on every side (inside margins also grow with the page count on KDP). */
  minMarginIn: (pages: number) => { inside: number; outside: number };
  /** Crop marks, bookmarks and link annotations allowed in the files. */
  marks: boolean;
  bookmarks: boolean;
  annotations: boolean;
  /** The file format the service asks for: PDF/X-1a:2001 (CMYK only) or any PDF. */
  pdfx: 'x1a' | 'none';
  /** Lowest effective resolution of images at their placed size; below `minPpiError` is an error. */
  minPpi: number;
  minPpiError: number;
  /** Total area coverage (sum of C, M, Y, K in %) no spot may exceed. */
  inkLimit: number;
  /** A white zone on the back cover for the barcode: size and distance from the spine and the bottom trim. */
  barcode?: { widthIn: number; heightIn: number; fromSpineIn: number; fromBottomIn: number };
  /** Trim sizes offered, width × height in inches (empty: any). */
  trims: [number, number][];
  /** Where the figures come from. */
  source: string;
}

/** KDP paper calipers, inches per page. */
const KDP_CALIPER: Record<Paper, number> = { white: 0.002252, cream: 0.0025, color: 0.002347 };
/** IngramSpark stocks (its template generator's pages-per-inch: white 50 lb ≈ 444, creme 50 lb ≈ 400, colour 70 lb ≈ 425). */
const INGRAM_CALIPER: Record<Paper, number> = { white: 1 / 444, cream: 1 / 400, color: 1 / 425 };

const KDP_INSIDE_MARGIN: [number, number][] = [
  [150, 0.375],
  [300, 0.5],
  [500, 0.625],
  [700, 0.75],
  [Infinity, 0.875],
];

const COMMON_TRIMS: [number, number][] = [
  [5, 8], [5.06, 7.81], [5.25, 8], [5.5, 8.5], [6, 9], [6.14, 9.21], [6.69, 9.61], [7, 10], [7.44, 9.69], [7.5, 9.25],
  [8, 10], [8.5, 8.5], [8.5, 11], [8.27, 11.69],
];

export const SERVICE_RULES: Record<Service, ServiceRules> = {
  kdp: {
    name: 'Amazon KDP paperback',
    bleedIn: 0.125,
    interiorBleedOutsideOnly: true,
    spineIn: (pages, paper) => pages * KDP_CALIPER[paper],
    minPages: 24,
    maxPages: 828,
    pageMultiple: 2,
    spineTextMinPages: 79,
    coverSafeIn: 0.125,
    spineSafeIn: 0.0625,
    minMarginIn: (pages) => ({ inside: KDP_INSIDE_MARGIN.find(([upTo]) => pages <= upTo)![1], outside: 0.25 }),
    marks: false,
    bookmarks: false,
    annotations: false,
    pdfx: 'none',
    minPpi: 300,
    minPpiError: 150,
    inkLimit: 300,
    barcode: { widthIn: 2, heightIn: 1.2, fromSpineIn: 0.25, fromBottomIn: 0.25 },
    trims: COMMON_TRIMS,
    source:
      'KDP Help "Paperback Submission Guidelines" (no crop marks, bookmarks, annotations; fonts embedded; images ≥ 300 DPI; ' +
      '24–828 pages; inside margin by page count; bleed 0.125 in top, bottom and outside) and "Create a Paperback Cover" ' +
      '(white 0.002252, cream 0.0025, colour 0.002347 in per page; spine text from 79 pages; barcode 2 × 1.2 in). ' +
      'Ink limit: KDP names none; 300 % is the common press limit.',
  },
  ingramspark: {
    name: 'IngramSpark paperback',
    bleedIn: 0.125,
    interiorBleedOutsideOnly: false,
    spineIn: (pages, paper) => pages * INGRAM_CALIPER[paper],
    minPages: 18,
    maxPages: 1200,
    pageMultiple: 2,
    spineTextMinPages: 48,
    coverSafeIn: 0.25,
    spineSafeIn: 0.0625,
    minMarginIn: () => ({ inside: 0.5, outside: 0.5 }),
    marks: false,
    bookmarks: true,
    annotations: false,
    pdfx: 'x1a',
    minPpi: 300,
    minPpiError: 150,
    inkLimit: 240,
    barcode: { widthIn: 1.75, heightIn: 1, fromSpineIn: 0.25, fromBottomIn: 0.25 },
    trims: [...COMMON_TRIMS, [4.25, 6.87], [4.37, 7], [5.83, 8.27]],
    source:
      'IngramSpark File Creation Guide and Help "Manufacturing and File Setup Tips" (PDF/X-1a:2001, CMYK; cover text 0.25 in ' +
      'inside the trim; 1/16 in spine variance; interior content 0.5 in from the trim; total ink 240 %). Spine: its cover ' +
      'template generator is exact; these calipers (white 444, creme 400, colour 425 pages per inch) approximate it — ' +
      'set print.spine to its figure.',
  },
  lulu: {
    name: 'Lulu paperback',
    bleedIn: 0.125,
    interiorBleedOutsideOnly: false,
    // Lulu's Book Creation Guide: paperback spine = pages / 444 + 0.06 in, whatever the paper.
    spineIn: (pages) => pages / 444 + 0.06,
    minPages: 32,
    maxPages: 800,
    pageMultiple: 2,
    spineTextMinPages: 80,
    coverSafeIn: 0.25,
    spineSafeIn: 0.0625,
    minMarginIn: () => ({ inside: 0.5, outside: 0.5 }),
    marks: false,
    bookmarks: true,
    annotations: true,
    pdfx: 'none',
    minPpi: 300,
    minPpiError: 150,
    inkLimit: 300,
    barcode: { widthIn: 2, heightIn: 1.2, fromSpineIn: 0.25, fromBottomIn: 0.25 },
    trims: [[6, 9], [5.5, 8.5], [5.83, 8.27], [8.5, 11], [8.27, 11.69], [4.25, 6.87], [6.63, 10.25], [7, 10], [8.5, 8.5], [7.5, 7.5]],
    source:
      'Lulu Book Creation Guide and spine width calculator (paperback from 32 pages; spine = pages / 444 + 0.06 in; bleed ' +
      '0.125 in; safety margin 0.25 in; spine text from 80 pages). Ink limit: 300 %, the common press limit.',
  },
  shop: {
    name: 'local print shop',
    bleedIn: 0.125,
    interiorBleedOutsideOnly: false,
    spineIn: (pages, paper) => pages * KDP_CALIPER[paper],
    minPages: 4,
    maxPages: 2000,
    pageMultiple: 4,
    spineTextMinPages: 79,
    coverSafeIn: 0.125,
    spineSafeIn: 0.0625,
    minMarginIn: () => ({ inside: 0.375, outside: 0.25 }),
    marks: true,
    bookmarks: true,
    annotations: true,
    pdfx: 'none',
    minPpi: 300,
    minPpiError: 150,
    inkLimit: 300,
    trims: [],
    source: 'No single rule: crop marks and booklets as the shop likes them; KDP calipers for the spine unless print.spine is set.',
  },
};

export const MM_PER_IN = 25.4;
export const PT_PER_IN = 72;

export interface CoverSpread {
  service: Service;
  paper: Paper;
  pages: number;
  trimWidthIn: number;
  trimHeightIn: number;
  spineIn: number;
  bleedIn: number;
  /** The whole sheet, bleed included. */
  widthIn: number;
  heightIn: number;
  spineText: boolean;
}

/** Rounds to the thousandth of an inch, as the services' calculators print it. */
export const in3 = (n: number) => Math.round(n * 1000) / 1000;

/** The page count a service prints: padded with blanks to its multiple. */
export function paddedPages(service: Service, pages: number): number {
  const m = SERVICE_RULES[service].pageMultiple;
  return Math.ceil(pages / m) * m;
}

/** Size of the one-piece cover for an interior of `pages` pages (already padded). */
export function coverSpread(service: Service, paper: Paper, trimWidthIn: number, trimHeightIn: number, pages: number, spineOverrideIn?: number): CoverSpread {
  const rules = SERVICE_RULES[service];
  const spineIn = spineOverrideIn ?? rules.spineIn(pages, paper);
  return {
    service,
    paper,
    pages,
    trimWidthIn,
    trimHeightIn,
    spineIn,
    bleedIn: rules.bleedIn,
    widthIn: 2 * trimWidthIn + spineIn + 2 * rules.bleedIn,
    heightIn: trimHeightIn + 2 * rules.bleedIn,
    spineText: pages >= rules.spineTextMinPages,
  };
}

/** The offered trim nearest to a size (inches), and whether it matches within 0.01 in. */
export function matchTrim(service: Service, widthIn: number, heightIn: number): { ok: boolean; nearest?: [number, number] } {
  const trims = SERVICE_RULES[service].trims;
  if (!trims.length) return { ok: true };
  const dist = ([w, h]: [number, number]) => Math.abs(w - widthIn) + Math.abs(h - heightIn);
  const nearest = [...trims].sort((a, b) => dist(a) - dist(b))[0]!;
  return { ok: dist(nearest) <= 0.02, nearest };
}

export const formatTrim = ([w, h]: [number, number]) => `${w} x ${h}in`;
