/**
 * Optional embedded fonts (epub.fonts: true): the book's font stack (assets/fonts.ts), only the
 * families and subsets its characters need, under OEBPS/fonts/.
 */
import { codeFamilies, NOTO_SANS_MONO, stackCss, stackFamilies, stackFiles, type FontStack } from '../../assets/fonts.js';
import { packageDir } from '../../util/package_files.js';

export interface EmbeddedFont {
  /** File name under OEBPS/fonts/. */
  filename: string;
  /** Absolute path of the woff2 file. */
  file: string;
}

/** Source Serif 4's package folder (the EPUB cover draws its words with it: cover.ts). */
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
  /** The family names, for the colophon. */
  families: string[];
  css: string;
}

/**
 * The font files and @font-face rules of the stack; the body set in it, and code in the monospaced face
 * when the book has code (no var(): older reading systems).
 */
export function planFonts(stack: FontStack): FontPlan {
  const files = stackFiles(stack);
  const mono = stack.families.some((p) => p.family === NOTO_SANS_MONO);
  const css = `${stackCss(stack, (f) => `fonts/${f.filename}`, 'swap')}
body { font-family: ${stackFamilies(stack)}; }
${mono ? `code, pre, kbd, samp { font-family: ${codeFamilies(stack)}; }\n` : ''}`;
  return { fonts: files.map((f) => ({ filename: f.filename, file: f.file })), families: stack.families.map((p) => p.family.name), css };
}
