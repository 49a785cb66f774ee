/**
 * The print edition's self-hosted font: Source Serif 4 from @fontsource (regular, italic, bold,
 * bold italic), subsets latin, latin-ext and cyrillic, served by the layout server under /_tool/fonts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { packageDir } from '../../util/package_files.js';

export const FONT_DIR = packageDir('@fontsource/source-serif-4');
const SUBSETS = ['latin', 'latin-ext', 'cyrillic'];
const FACES = ['400.css', '400-italic.css', '700.css', '700-italic.css'];

/** @font-face rules pointing at `urlBase` + file name; unicode-range picks the subset per character. */
export function fontFaceCss(urlBase: string): string {
  const out: string[] = [];
  for (const face of FACES) {
    const css = fs.readFileSync(path.join(FONT_DIR, face), 'utf8');
    for (const m of css.matchAll(/\/\* source-serif-4-([a-z-]+)-\d{3}-(?:normal|italic) \*\/\s*(@font-face\s*\{[^}]*\})/g)) {
      if (!SUBSETS.includes(m[1]!)) continue;
      out.push(
        m[2]!
          // woff2 only: every Chromium reads it, and the woff fallback would be a second copy.
          .replace(/src:[^;]*;/, (src) => {
            const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(src)?.[1];
            return `src: url(${urlBase}${file}) format('woff2');`;
          })
          .replace(/font-display:[^;]*;/, 'font-display: block;'),
      );
    }
  }
  return out.join('\n');
}
