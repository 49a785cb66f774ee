/**
 * What the layout page may load. The page lives at a made-up origin and every request is answered
 * from Node: the print HTML, files inside the book folder, the image variants, the tool's fonts.
 * Everything else (the network, file:// elsewhere) is aborted and reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HTTPRequest } from 'puppeteer-core';
import { isInside } from '../../util/paths.js';
import { resolveInside, type UnsafePathError } from '../../util/safe_fs.js';
import { servedFontFile } from '../../assets/fonts.js';

export const ORIGIN = 'http://samizdat.invalid';
export const PAGE_URL = `${ORIGIN}/book/index.html`;
export const FONT_URL = `${ORIGIN}/_tool/fonts/`;
export const imageUrl = (assetId: string, name: string) => `${ORIGIN}/_img/${encodeURIComponent(assetId)}/${encodeURIComponent(name)}`;

const TYPES: Record<string, string> = {
  '.woff2': 'font/woff2', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif',
  '.webp': 'image/webp', '.svg': 'image/svg+xml', '.avif': 'image/avif', '.css': 'text/css', '.html': 'text/html',
};

export interface ServedFiles {
  html: string;
  bookRoot: string;
  /** Image variant files by asset id. */
  images: Map<string, string>;
}

/** Maps a URL to a local file, or undefined when the page must not have it. */
export function resolveRequest(url: string, files: ServedFiles): string | undefined {
  if (!url.startsWith(ORIGIN + '/')) return undefined;
  const p = decodeURIComponent(new URL(url).pathname);
  if (p.startsWith('/_img/')) return files.images.get(p.split('/')[2] ?? '');
  if (p.startsWith('/_tool/fonts/')) {
    // /_tool/fonts/<@fontsource package>/<file>: only woff2 files of the font packages.
    return servedFontFile(p.slice('/_tool/fonts/'.length));
  }
  if (p.startsWith('/book/')) {
    const f = path.resolve(files.bookRoot, p.slice('/book/'.length));
    if (!isInside(files.bookRoot, f)) return undefined;
    try {
      return resolveInside(files.bookRoot, f); // a link out of the book folder is refused too
    } catch (e) {
      return (e as UnsafePathError).code === 'outside-project' ? undefined : f;
    }
  }
  return undefined;
}

/** How a refused URL is named to the user: our made-up origin means a path that left the book folder. */
export function describeBlocked(url: string): string {
  const short = url.length > 120 ? url.slice(0, 120) + '…' : url;
  if (!url.startsWith(ORIGIN + '/')) return short;
  return `${decodeURIComponent(new URL(url).pathname).replace(/^\/(book\/)?/, '')} (outside the book folder)`;
}

/** The request handler: answers allowed requests, aborts the rest and tells `blocked` about them. */
export function requestHandler(files: ServedFiles, blocked: (url: string) => void) {
  return (req: HTTPRequest): void => {
    if (req.isInterceptResolutionHandled()) return;
    const url = req.url();
    if (url.startsWith('data:')) {
      void req.continue();
      return;
    }
    if (url === PAGE_URL) {
      void req.respond({ status: 200, contentType: 'text/html; charset=utf-8', body: files.html });
      return;
    }
    const file = resolveRequest(url, files);
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      void req.respond({ status: 200, contentType: type, body: fs.readFileSync(file) });
      return;
    }
    // Chromium asks for a favicon by itself; that is not the book's doing.
    if (!file && new URL(url).pathname !== '/favicon.ico') blocked(url);
    void req.abort(file ? 'failed' : 'blockedbyclient');
  };
}
