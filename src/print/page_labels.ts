/**
 * PDF page labels (/PageLabels in the catalogue, ISO 32000 12.4.2): what a viewer shows as the page
 * "number". Archivists cite a book by its printed folio, so with covers around the interior the
 * viewer shows "Cover", "Inside front cover", then 1…n as printed, then the back covers.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';

export type LabelStyle = 'decimal' | 'roman' | 'Roman' | 'alpha' | 'Alpha';

/** A run of pages from `start` (0-based page index) up to the next range. */
export interface LabelRange {
  start: number;
  /** Numbering style; none means the label is the prefix alone. */
  style?: LabelStyle;
  prefix?: string;
  /** First number of the run (default 1). */
  first?: number;
}

const STYLE: Record<LabelStyle, string> = { decimal: 'D', roman: 'r', Roman: 'R', alpha: 'a', Alpha: 'A' };

/** Sets the document's page labels (replacing any). Ranges must start at 0 and go up. */
export function setPageLabels(doc: PDFDocument, ranges: LabelRange[]): void {
  if (ranges[0]?.start !== 0) throw new Error('page labels must start at page index 0');
  const ctx = doc.context;
  const nums: (PDFNumber | PDFDict)[] = [];
  ranges.forEach((r, i) => {
    if (i > 0 && r.start <= ranges[i - 1]!.start) throw new Error('page label ranges must go up');
    const dict = ctx.obj({}) as PDFDict;
    dict.set(PDFName.of('Type'), PDFName.of('PageLabel'));
    if (r.style) dict.set(PDFName.of('S'), PDFName.of(STYLE[r.style]));
    if (r.prefix) dict.set(PDFName.of('P'), /^[\x20-\x7e]*$/.test(r.prefix) ? PDFString.of(r.prefix) : PDFHexString.fromText(r.prefix));
    if (r.style && r.first !== undefined && r.first !== 1) dict.set(PDFName.of('St'), PDFNumber.of(r.first));
    nums.push(PDFNumber.of(r.start), dict);
  });
  const arr = PDFArray.withContext(ctx);
  for (const n of nums) arr.push(n);
  doc.catalog.set(PDFName.of('PageLabels'), ctx.register(ctx.obj({ Nums: arr })));
}

/** The labels of every page, as a viewer computes them (for checks and logs). */
export function readPageLabels(doc: PDFDocument): string[] {
  const count = doc.getPageCount();
  const tree = doc.catalog.lookupMaybe(PDFName.of('PageLabels'), PDFDict);
  if (!tree) return Array.from({ length: count }, (_, i) => String(i + 1));
  const nums = tree.lookupMaybe(PDFName.of('Nums'), PDFArray);
  const ranges: { start: number; dict: PDFDict }[] = [];
  for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
    ranges.push({ start: nums.lookup(i, PDFNumber).asNumber(), dict: nums.lookup(i + 1, PDFDict) });
  }
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const r = [...ranges].reverse().find((x) => x.start <= p);
    if (!r) {
      out.push(String(p + 1));
      continue;
    }
    const prefixObj = r.dict.lookup(PDFName.of('P'));
    const prefix = prefixObj instanceof PDFString || prefixObj instanceof PDFHexString ? prefixObj.decodeText() : '';
    const s = r.dict.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText();
    const st = r.dict.lookupMaybe(PDFName.of('St'), PDFNumber)?.asNumber() ?? 1;
    const n = st + p - r.start;
    out.push(prefix + (s === 'D' ? String(n) : s === 'r' ? roman(n).toLowerCase() : s === 'R' ? roman(n) : s === 'a' ? alpha(n).toLowerCase() : s === 'A' ? alpha(n) : ''));
  }
  return out;
}

function roman(n: number): string {
  const digits: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of digits) while (n >= v) (out += s), (n -= v);
  return out;
}

const alpha = (n: number) => String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);

const COVER_LABELS: Record<string, [string, string, string, string]> = {
  en: ['Cover', 'Inside front cover', 'Inside back cover', 'Back cover'],
  de: ['Umschlag', 'Umschlag innen vorne', 'Umschlag innen hinten', 'Rückseite'],
  fr: ['Couverture', 'Deuxième de couverture', 'Troisième de couverture', 'Quatrième de couverture'],
  ru: ['Обложка', 'Вторая сторона обложки', 'Третья сторона обложки', 'Четвёртая сторона обложки'],
};

/**
 * Labels for a book with covers: front and inside front cover, the interior numbered 1…n as its
 * folios are printed (title page = 1), then inside back and back cover.
 */
export function coverPageLabels(lang: string, interiorPages: number, insides = true): LabelRange[] {
  const [front, insideFront, insideBack, back] = COVER_LABELS[lang.toLowerCase().split('-')[0]!] ?? COVER_LABELS['en']!;
  if (!insides) {
    return [
      { start: 0, prefix: front },
      { start: 1, style: 'decimal', first: 1 },
      { start: 1 + interiorPages, prefix: back },
    ];
  }
  return [
    { start: 0, prefix: front },
    { start: 1, prefix: insideFront },
    { start: 2, style: 'decimal', first: 1 },
    { start: 2 + interiorPages, prefix: insideBack },
    { start: 3 + interiorPages, prefix: back },
  ];
}
