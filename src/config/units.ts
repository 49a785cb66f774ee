/**
 * Lengths and page sizes as people write them in book.yaml and on the command line: "3mm", "0.125in",
 * "A5", "120mm x 180mm". Pure parsing, shared by the option schema and the PDF target.
 */

/** Millimetres per unit. */
export const MM_PER: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, px: 25.4 / 96 };

const UNITS = Object.keys(MM_PER).join(', ');

/** A length with its unit, in millimetres; a message when it is not one (a bare number has no unit). */
export function parseLengthMm(value: unknown): number | { error: string } {
  if (typeof value === 'number') return { error: `needs a unit: write "${value}mm" (or ${UNITS}), not ${value}` };
  if (typeof value !== 'string') return { error: `must be a length such as "3mm", not ${describe(value)}` };
  const m = /^\s*(-?(?:\d+(?:\.\d+)?|\.\d+))\s*([a-z]*)\s*$/i.exec(value);
  if (!m) return { error: `must be a length such as "3mm", not "${value}"` };
  const unit = m[2]!.toLowerCase();
  if (!unit) return { error: `needs a unit: write "${m[1]}mm" (or ${UNITS}), not "${value}"` };
  const per = MM_PER[unit];
  if (per === undefined) return { error: `has an unknown unit "${m[2]}" in "${value}"; use ${UNITS}` };
  return Number(m[1]) * per;
}

/** Page size presets (width × height in mm). */
export const PAGE_PRESETS: Record<string, [number, number]> = {
  a4: [210, 297],
  a5: [148, 210],
  a6: [105, 148],
  // A7: the panel of a mini-zine folded from A4.
  a7: [74, 105],
  letter: [215.9, 279.4],
  'half-letter': [139.7, 215.9],
  '6x9in': [152.4, 228.6],
};

export const PAGE_SIZE_HELP = 'use A5, A6, A7, A4, letter, half-letter, 6x9in or "W x H" with units (e.g. "120mm x 180mm"), each side 50–1000 mm';

export interface PageSizeMm {
  label: string;
  widthMm: number;
  heightMm: number;
}

/** A named or "W x H" page size, or undefined when `spec` is not one (or a side is outside 50–1000 mm). */
export function parsePageSizeMm(spec: string): PageSizeMm | undefined {
  const key = spec.trim().toLowerCase();
  const preset = PAGE_PRESETS[key] ?? (key === '6x9' ? PAGE_PRESETS['6x9in'] : undefined);
  if (preset) return { label: spec.trim(), widthMm: preset[0], heightMm: preset[1] };
  const m = /^([\d.]+)\s*(mm|cm|in|pt|px)?\s*[x×]\s*([\d.]+)\s*(mm|cm|in|pt|px)?$/.exec(key);
  if (!m) return undefined;
  // "6 x 9in": a unit given once applies to both sides; none at all means millimetres.
  const unitW = m[2] ?? m[4] ?? 'mm';
  const unitH = m[4] ?? m[2] ?? 'mm';
  const w = Number(m[1]) * MM_PER[unitW]!;
  const h = Number(m[3]) * MM_PER[unitH]!;
  if (!(w >= 50 && h >= 50 && w <= 1000 && h <= 1000)) return undefined;
  return { label: spec.trim(), widthMm: round(w), heightMm: round(h) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** A value as a message shows it: strings quoted, the rest as YAML would write them. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
