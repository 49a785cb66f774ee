/**
 * The book's own stylesheets (styles/print.css, epub.css, web.css, cover.css), read once through the
 * safe-path layer and filtered by the CSS sanitiser (parse/css.ts): no @import, nothing remote, nothing
 * that could end the <style> element it is inlined into. Problems are warnings with file and line.
 */
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { sanitizeStylesheet } from '../parse/css.js';
import { pathExists, readBookText, UnsafePathError } from '../util/safe_fs.js';

export const BOOK_STYLESHEETS = ['print.css', 'epub.css', 'web.css', 'cover.css'] as const;
export type StylesheetName = (typeof BOOK_STYLESHEETS)[number];

export function loadBookStyles(root: string, diags: Diagnostics): Partial<Record<StylesheetName, string>> {
  const out: Partial<Record<StylesheetName, string>> = {};
  for (const name of BOOK_STYLESHEETS) {
    const file = path.join(root, 'styles', name);
    if (!pathExists(file)) continue;
    const rel = `styles/${name}`;
    try {
      out[name] = sanitizeStylesheet(readBookText(root, file), rel, diags);
    } catch (e) {
      diags.error(e instanceof UnsafePathError ? e.code : 'unreadable-style', `${rel}: ${(e as Error).message}`, { file: rel });
    }
  }
  return out;
}
