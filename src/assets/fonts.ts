/**
 * The book's typefaces, all from npm (@fontsource), so that a book prints the same on every machine:
 * Source Serif 4 for the text, Noto Serif for the Latin, Cyrillic and Greek letters it lacks, and a Noto
 * face for each other script (Arabic, Hebrew, Chinese/Japanese/Korean, emoji). The stack is planned from
 * the characters the book uses: only the families and subsets (files) that draw one of them are loaded,
 * each with its unicode-range, and what is drawn by which face is decided by the fonts' own character
 * maps (read by cmap.ts, fontkit for what it does not read), not by the subsets' unicode-range, which is wider than the glyphs a file has.
 * Emoji are set in the monochrome Noto Emoji: colour emoji photocopy badly and come out as bitmaps.
 * Code is set in Noto Sans Mono; a character it lacks comes from the text stack (the text faces, then
 * the script faces), so code prints in no face the machine happens to have either.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { woff2CharacterSet } from './cmap.js';
import { packageDir } from '../util/package_files.js';

export interface FontFace {
  weight: number;
  style: 'normal' | 'italic';
}

export interface FontFamily {
  /** CSS family name. */
  name: string;
  /** npm package name without the scope, e.g. noto-serif-sc. */
  pkg: string;
  faces: readonly FontFace[];
  /** Only these subsets (the others repeat what the text faces have); all when absent. */
  subsets?: readonly string[];
}

const FOUR: readonly FontFace[] = [
  { weight: 400, style: 'normal' },
  { weight: 400, style: 'italic' },
  { weight: 700, style: 'normal' },
  { weight: 700, style: 'italic' },
];
const UPRIGHT: readonly FontFace[] = [
  { weight: 400, style: 'normal' },
  { weight: 700, style: 'normal' },
];

export const SOURCE_SERIF: FontFamily = { name: 'Source Serif 4', pkg: 'source-serif-4', faces: FOUR };
export const NOTO_SERIF: FontFamily = { name: 'Noto Serif', pkg: 'noto-serif', faces: FOUR };
const ARABIC: FontFamily = { name: 'Noto Naskh Arabic', pkg: 'noto-naskh-arabic', faces: UPRIGHT, subsets: ['arabic'] };
const HEBREW: FontFamily = { name: 'Noto Serif Hebrew', pkg: 'noto-serif-hebrew', faces: UPRIGHT, subsets: ['hebrew'] };
const CJK = {
  sc: { name: 'Noto Serif SC', pkg: 'noto-serif-sc', faces: UPRIGHT },
  tc: { name: 'Noto Serif TC', pkg: 'noto-serif-tc', faces: UPRIGHT },
  jp: { name: 'Noto Serif JP', pkg: 'noto-serif-jp', faces: UPRIGHT },
  kr: { name: 'Noto Serif KR', pkg: 'noto-serif-kr', faces: UPRIGHT },
} satisfies Record<string, FontFamily>;
const EMOJI: FontFamily = { name: 'Noto Emoji', pkg: 'noto-emoji', faces: UPRIGHT };
/** The face of code (inline code, code blocks); it has no italic (an italic code span is slanted by the browser). */
export const NOTO_SANS_MONO: FontFamily = { name: 'Noto Sans Mono', pkg: 'noto-sans-mono', faces: UPRIGHT };

/**
 * Every family a book of language `lang` may use, in the order CSS tries them. The Han characters
 * are shared by the four CJK faces, whose glyph forms follow regional norms: the book's language
 * picks one (Simplified Chinese when it is none of them).
 */
export function familiesFor(lang: string): FontFamily[] {
  const [primary = '', ...rest] = lang.toLowerCase().split('-');
  const hant = rest.some((s) => ['hant', 'tw', 'hk', 'mo'].includes(s));
  const cjk = primary === 'ja' ? CJK.jp : primary === 'ko' ? CJK.kr : primary === 'zh' && hant ? CJK.tc : CJK.sc;
  return [SOURCE_SERIF, NOTO_SERIF, ARABIC, HEBREW, cjk, EMOJI];
}

/** The folder of an installed @fontsource package, found the way Node finds any dependency. */
export const fontPackageDir = (pkg: string): string => packageDir(`@fontsource/${pkg}`);

interface Subset {
  /** As in the file names: latin, cyrillic-ext, 0, 117… */
  name: string;
  /** The unicode-range as written in the package's CSS. */
  range: string;
  ranges: [number, number][];
}

function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((r) => {
    const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
  });
}

const subsetCache = new Map<string, Subset[]>();

function subsetsOf(f: FontFamily): Subset[] {
  let subsets = subsetCache.get(f.pkg);
  if (!subsets) {
    const unicode = JSON.parse(fs.readFileSync(path.join(fontPackageDir(f.pkg), 'unicode.json'), 'utf8')) as Record<string, string>;
    subsets = Object.entries(unicode)
      .map(([key, range]) => ({ name: key.replace(/^\[(\d+)\]$/, '$1'), range, ranges: parseRanges(range) }))
      .filter((s) => !f.subsets || f.subsets.includes(s.name));
    subsetCache.set(f.pkg, subsets);
  }
  return subsets;
}

/** The file name of one face of one subset, as @fontsource names them. */
export const fontFileName = (f: FontFamily, subset: string, face: FontFace) => `${f.pkg}-${subset}-${face.weight}-${face.style}.woff2`;

export const fontFilePath = (pkg: string, file: string) => path.join(fontPackageDir(pkg), 'files', file);

/**
 * The file a served font path `<package>/<file>` names (as stackCss writes them with a URL base), or
 * undefined when it is not a woff2 file of an installed font package.
 */
export function servedFontFile(rel: string): string | undefined {
  const [pkg = '', file = '', ...rest] = rel.split('/');
  if (rest.length || !/^[a-z0-9-]+$/.test(pkg) || !/^[\w.-]+\.woff2$/.test(file)) return undefined;
  try {
    const f = fontFilePath(pkg, file);
    return path.dirname(path.dirname(f)) === fontPackageDir(pkg) && fs.existsSync(f) ? f : undefined;
  } catch {
    return undefined; // not an installed font package
  }
}

const cmapCache = new Map<string, Set<number>>();

/** fontkit, loaded only for a font file cmap.ts does not read (~0.1 s to load). */
let fontkit: typeof import('fontkit') | undefined;
const fontkitOf = () => (fontkit ??= createRequire(import.meta.url)('fontkit') as typeof import('fontkit'));

/** The characters one subset file really has a glyph for (its regular face's cmap). */
function cmapOf(f: FontFamily, s: Subset): Set<number> {
  const file = fontFilePath(f.pkg, fontFileName(f, s.name, f.faces[0]!));
  let set = cmapCache.get(file);
  if (!set) {
    set = fs.existsSync(file) ? new Set(woff2CharacterSet(fs.readFileSync(file)) ?? fontkitOf().openSync(file).characterSet) : new Set();
    cmapCache.set(file, set);
  }
  return set;
}

const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([a, b]) => cp >= a && cp <= b);

/**
 * Characters that draw nothing of their own: controls, spaces, joiners, direction marks, variation
 * selectors, soft hyphen, tags. A font need not have them.
 */
export function drawsNothing(cp: number): boolean {
  return (
    cp < 0x21 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f) ||
    (cp >= 0x205f && cp <= 0x206f) || cp === 0x3000 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

/** A family and the subsets of it that draw some character of the book. */
export interface PlannedFamily {
  family: FontFamily;
  subsets: Subset[];
}

export interface FontStack {
  /** The families that draw something, in stack order. */
  families: PlannedFamily[];
  /** Characters (code points) no family of the stack covers. */
  missing: number[];
}

/**
 * Which families and subsets draw the characters of `text` (first family that has a glyph wins), and
 * those of `code`, set in the monospaced face first, then in the text stack for what it lacks.
 */
export function planStack(lang: string, text: string, code = ''): FontStack {
  const stack = familiesFor(lang);
  const chosen = new Map<FontFamily, Set<Subset>>();
  const missing = new Set<number>();
  const place = (chars: string, families: FontFamily[]) => {
    const used = new Set<number>();
    for (const ch of chars) used.add(ch.codePointAt(0)!);
    for (const cp of used) {
      if (drawsNothing(cp)) continue;
      let found = false;
      for (const f of families) {
        const s = subsetsOf(f).find((sub) => inRanges(cp, sub.ranges) && cmapOf(f, sub).has(cp));
        if (!s) continue;
        if (!chosen.has(f)) chosen.set(f, new Set());
        chosen.get(f)!.add(s);
        found = true;
        break;
      }
      if (!found) missing.add(cp);
    }
  };
  place(text, stack);
  place(code, [NOTO_SANS_MONO, ...stack]);
  // The text face always comes (every page has Latin digits and punctuation); subsets in package order.
  if (!chosen.has(SOURCE_SERIF)) chosen.set(SOURCE_SERIF, new Set(subsetsOf(SOURCE_SERIF).filter((s) => s.name === 'latin')));
  const families = [...stack, NOTO_SANS_MONO]
    .filter((f) => chosen.has(f))
    .map((f) => ({ family: f, subsets: subsetsOf(f).filter((s) => chosen.get(f)!.has(s)) }));
  return { families, missing: [...missing].sort((a, b) => a - b) };
}

/** The CSS font-family list of the text (the stack but the face of code), ending with a generic family. */
export function stackFamilies(stack: FontStack, generic = 'serif'): string {
  return [...stack.families.filter((p) => p.family !== NOTO_SANS_MONO).map((p) => `"${p.family.name}"`), generic].join(', ');
}

/** The font-family list of code: the monospaced face (when the book has code), then the text stack. */
export function codeFamilies(stack: FontStack): string {
  const mono = stack.families.some((p) => p.family === NOTO_SANS_MONO);
  return `${mono ? `"${NOTO_SANS_MONO.name}", ` : ''}${stackFamilies(stack, 'monospace')}`;
}

/** The families after the text faces and the face of code (the script faces). */
export function scriptFamilies(stack: FontStack): string {
  return stack.families
    .filter((p) => p.family !== SOURCE_SERIF && p.family !== NOTO_SERIF && p.family !== NOTO_SANS_MONO)
    .map((p) => `"${p.family.name}"`)
    .join(', ');
}

/** One woff2 file of the stack: where it comes from and the rule that loads it. */
export interface StackFile {
  pkg: string;
  filename: string;
  /** Absolute path. */
  file: string;
  face: FontFace;
  family: string;
  range: string;
}

export function stackFiles(stack: FontStack): StackFile[] {
  const out: StackFile[] = [];
  for (const { family, subsets } of stack.families) {
    for (const s of subsets) {
      for (const face of family.faces) {
        const filename = fontFileName(family, s.name, face);
        const file = fontFilePath(family.pkg, filename);
        if (fs.existsSync(file)) out.push({ pkg: family.pkg, filename, file, face, family: family.name, range: s.range });
      }
    }
  }
  return out;
}

/**
 * @font-face rules for the stack (`url` names where each file is served), and the custom properties
 * the themes read: --font-stack (text and headings), --font-code (code) and --font-scripts (the script
 * faces alone).
 */
export function stackCss(stack: FontStack, url: (f: StackFile) => string, display = 'block'): string {
  const rules = stackFiles(stack).map(
    (f) => `@font-face {
  font-family: "${f.family}";
  font-style: ${f.face.style};
  font-weight: ${f.face.weight};
  font-display: ${display};
  src: url(${url(f)}) format("woff2");
  unicode-range: ${f.range};
}`,
  );
  const scripts = scriptFamilies(stack);
  rules.push(`:root { --font-stack: ${stackFamilies(stack)}; --font-code: ${codeFamilies(stack)};${scripts ? ` --font-scripts: ${scripts};` : ''} }`);
  return rules.join('\n');
}

/** U+XXXX and the character's name where Node knows it cheaply (its general category otherwise). */
export function describeChar(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCodePoint(cp);
  const kind =
    cp >= 0xe000 && cp <= 0xf8ff ? 'private use' : cp >= 0xf0000 ? 'private use' : /\p{Cn}/u.test(ch) ? 'unassigned' : scriptName(ch);
  return `"${ch}" ${hex}${kind ? ` (${kind})` : ''}`;
}

const SCRIPTS = ['Linear_B', 'Cuneiform', 'Egyptian_Hieroglyphs', 'Devanagari', 'Bengali', 'Tamil', 'Thai', 'Georgian', 'Armenian', 'Ethiopic', 'Khmer', 'Tibetan', 'Gothic', 'Runic', 'Ogham', 'Cherokee', 'Mongolian', 'Syriac', 'Thaana', 'Sinhala', 'Myanmar', 'Lao', 'Gujarati', 'Gurmukhi', 'Kannada', 'Malayalam', 'Telugu', 'Oriya', 'Old_Italic', 'Phoenician'];

function scriptName(ch: string): string | undefined {
  for (const s of SCRIPTS) if (new RegExp(`\\p{Script=${s}}`, 'u').test(ch)) return `${s.replace(/_/g, ' ')} script`;
  if (/\p{So}/u.test(ch)) return 'symbol';
  return undefined;
}
