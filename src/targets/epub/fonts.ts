/**
 * Optional embedded fonts (epub.fonts: true): Source Serif 4 from @fontsource, regular and bold,
 * upright and italic, only in the scripts the book's text uses (Latin always).
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageDir } from '../../util/package_files.js';

export interface EmbeddedFont {
  /** File name under OEBPS/fonts/. */
  filename: string;
  /** Absolute path of the woff2 file. */
  file: string;
}

const FAMILY = 'Source Serif 4';
const STYLES = [
  { weight: 400, style: 'normal' },
  { weight: 400, style: 'italic' },
  { weight: 700, style: 'normal' },
  { weight: 700, style: 'italic' },
] as const;

export function fontsourceDir(): string {
  return packageDir('@fontsource/source-serif-4');
}

export function parseRanges(spec: string): [number, number][] {
  return spec.split(',').map((r) => {
    const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
  });
}

export interface FontPlan {
  fonts: EmbeddedFont[];
  css: string;
}

/** The font files and @font-face rules for a book whose text is `text`. */
export function planFonts(text: string): FontPlan {
  const dir = fontsourceDir();
  const unicode = JSON.parse(fs.readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
  const used = new Set<number>();
  for (const ch of text) used.add(ch.codePointAt(0)!);
  const subsets = Object.keys(unicode)
    .sort()
    .filter((s) => s === 'latin' || parseRanges(unicode[s]!).some(([a, b]) => [...used].some((c) => c >= a && c <= b)));
  const fonts: EmbeddedFont[] = [];
  const rules: string[] = [];
  for (const subset of subsets) {
    for (const st of STYLES) {
      const filename = `source-serif-4-${subset}-${st.weight}-${st.style}.woff2`;
      const file = path.join(dir, 'files', filename);
      if (!fs.existsSync(file)) continue;
      fonts.push({ filename, file });
      rules.push(`@font-face {
  font-family: "${FAMILY}";
  font-style: ${st.style};
  font-weight: ${st.weight};
  src: url(fonts/${filename}) format("woff2");
  unicode-range: ${unicode[subset]};
}`);
    }
  }
  rules.push(`body { font-family: "${FAMILY}", serif; }`);
  return { fonts, css: rules.join('\n') + '\n' };
}
