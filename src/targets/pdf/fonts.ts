/**
 * The print edition's self-hosted fonts: the book's font stack (assets/fonts.ts), every file served
 * by the layout server under /_tool/fonts/<package>/<file>; Chromium loads only the files whose
 * unicode-range a character on the page falls in, and embeds the glyphs it draws, subset.
 */
import { stackCss, type FontStack } from '../../assets/fonts.js';

/** @font-face rules pointing at `urlBase` + package + file name, and the stack's custom properties. */
export function fontFaceCss(stack: FontStack, urlBase: string): string {
  return stackCss(stack, (f) => `${urlBase}${f.pkg}/${f.filename}`);
}
