/**
 * SAMIZDAT_PRINT_HTML=DIR (for the benchmark): writes the print HTML the PDF is laid out from as a
 * self-contained folder — index.html with relative URLs, images/ (the print variants), fonts/ — so
 * that another Paged.js runner (pagedjs-cli) can lay out the very same document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fontFilePath } from '../../assets/fonts.js';

export const EXPORT_FONT_URL = 'fonts/';
export const exportImageUrl = (name: string) => `images/${encodeURIComponent(name)}`;

/** `html` must have been rendered with EXPORT_FONT_URL and exportImageUrl; `images` maps file name → variant file. */
export function exportPrintHtml(dir: string, html: string, images: Map<string, string>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'fonts'), { recursive: true });
  for (const [name, file] of images) fs.copyFileSync(file, path.join(dir, 'images', name));
  // fonts/<font package>/<file>, as fontFaceCss names them.
  for (const m of html.matchAll(/url\(fonts\/([a-z0-9-]+)\/([\w.-]+\.woff2)\)/g)) {
    fs.mkdirSync(path.join(dir, 'fonts', m[1]!), { recursive: true });
    fs.copyFileSync(fontFilePath(m[1]!, m[2]!), path.join(dir, 'fonts', m[1]!, m[2]!));
  }
  fs.writeFileSync(path.join(dir, 'index.html'), html);
}
