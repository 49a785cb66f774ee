/**
 * SAMIZDAT_PRINT_HTML=DIR (for the benchmark): writes the print HTML the PDF is laid out from as a
 * self-contained folder — index.html with relative URLs, images/ (the print variants), fonts/ — so
 * that another Paged.js runner (pagedjs-cli) can lay out the very same document; and originals.html,
 * the same document showing the book's own image files (originals/), as a user of that runner who
 * has no image pipeline would print it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fontFilePath } from '../../assets/fonts.js';

export const EXPORT_FONT_URL = 'fonts/';
export const exportImageUrl = (name: string, folder: 'images' | 'originals' = 'images') => `${folder}/${encodeURIComponent(name)}`;

/**
 * `html` and `originals.html` must have been rendered with EXPORT_FONT_URL and exportImageUrl (with
 * the folder 'images', and 'originals'); `images` and `originals.images` map file name → file.
 */
export function exportPrintHtml(dir: string, html: string, images: Map<string, string>, originals: { html: string; images: Map<string, string> }): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'originals'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'fonts'), { recursive: true });
  for (const [name, file] of images) fs.copyFileSync(file, path.join(dir, 'images', name));
  for (const [name, file] of originals.images) fs.copyFileSync(file, path.join(dir, 'originals', name));
  fs.writeFileSync(path.join(dir, 'originals.html'), originals.html);
  // fonts/<font package>/<file>, as fontFaceCss names them.
  for (const m of html.matchAll(/url\(fonts\/([a-z0-9-]+)\/([\w.-]+\.woff2)\)/g)) {
    fs.mkdirSync(path.join(dir, 'fonts', m[1]!), { recursive: true });
    fs.copyFileSync(fontFilePath(m[1]!, m[2]!), path.join(dir, 'fonts', m[1]!, m[2]!));
  }
  fs.writeFileSync(path.join(dir, 'index.html'), html);
}
