/**
 * The layout cache: `<book root>/.cache/samizdat/layout/`, beside the image cache. A rebuild lays out
 * only what changed: each laid-out document (a parallel chunk, the front matter, or a whole single-pass
 * book) is kept under the content hash of its print HTML and of the engines that lay it out (Chromium's
 * version, the patched Paged.js, samizdat's layout code), in two parts:
 *
 *   <key>.json          what the layout decided, relative to the document: its pages, the pages of its
 *                       headings, where each page begins (for the EPUB page list) — so a chunk's page
 *                       count is known without laying it out — and the SHA-256 of each printed PDF
 *   <key>-<start>.pdf   the document printed with its first folio `start` (folios are set after the
 *                       layout, so one layout serves any start; a chunk always starts on an odd page)
 *
 * Like everything in the book folder the cache is untrusted: entries are read only as plain files
 * (never links), a PDF is used only when its bytes hash to what its record says, and a record of the
 * wrong shape is a miss. Writes are atomic. SAMIZDAT_LAYOUT_CACHE=off builds without it.
 *
 * The API (`LayoutCache.open`, `key`, `laid`, `store`) is what parallel.ts and the single pass use;
 * anything else that lays out print HTML the same way (e.g. a live preview) can reuse it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { checkCacheDir, readCacheFile, readJson, writeAtomic } from '../../assets/cache.js';
import { packageVersion } from '../../util/package_files.js';
import { patchedPolyfill } from './pagedjs_patches/index.js';
import { browserVersion } from './chrome.js';
import type { LayoutResult, PageFact } from './layout.js';
import type { PageStart } from './page_starts.js';

export function layoutCacheDir(root: string): string {
  return path.join(root, '.cache', 'samizdat', 'layout');
}

const sha256 = (data: string | Uint8Array) => crypto.createHash('sha256').update(data).digest('hex');

/** What the layout of one document decided, numbered from its own first page. */
export interface LaidFacts {
  pages: PageFact[];
  headingPages: [string, number][];
  pageStarts: PageStart[];
}

interface Rec extends LaidFacts {
  /** First folio → SHA-256 of the PDF printed with it. */
  pdfs: Record<string, string>;
  /** First folio → the pages (0-based) of that PDF whose ligature text needed repair (actual_text.ts), once it was read. */
  repairs?: Record<string, number[]>;
}

const isRec = (r: unknown): r is Rec => {
  const o = r as Rec | undefined;
  return (
    !!o &&
    Array.isArray(o.pages) &&
    o.pages.every((p) => Number.isInteger(p?.page) && typeof p.blank === 'boolean') &&
    Array.isArray(o.headingPages) &&
    o.headingPages.every((h) => Array.isArray(h) && typeof h[0] === 'string' && Number.isInteger(h[1])) &&
    Array.isArray(o.pageStarts) &&
    typeof o.pdfs === 'object' &&
    o.pdfs !== null &&
    (o.repairs === undefined || (typeof o.repairs === 'object' && o.repairs !== null && Object.values(o.repairs).every((l) => Array.isArray(l) && l.every((n) => Number.isInteger(n)))))
  );
};

let toolHash: string | undefined;

/** samizdat's layout code (this folder, as source or compiled) with the patched Paged.js: part of every key. */
function layoutCodeHash(): string {
  if (toolHash) return toolHash;
  const h = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|js)$/.test(e.name)) h.update(e.name).update(fs.readFileSync(p));
    }
  };
  walk(path.dirname(fileURLToPath(import.meta.url)));
  h.update(patchedPolyfill());
  return (toolHash = h.digest('hex'));
}

export class LayoutCache {
  private constructor(
    readonly dir: string,
    private readonly engines: string,
  ) {}

  /** The cache of a book folder for layouts in `browser`; undefined when it is turned off or cannot be used. */
  static async open(root: string, browser: Browser, env: NodeJS.ProcessEnv = process.env): Promise<LayoutCache | undefined> {
    if (['off', '0', 'false', 'no'].includes((env['SAMIZDAT_LAYOUT_CACHE'] ?? '').toLowerCase())) return undefined;
    const dir = layoutCacheDir(root);
    try {
      checkCacheDir(root, dir);
    } catch {
      return undefined; // a cache folder that links out of the book is never used
    }
    const engines = JSON.stringify([await browserVersion(browser), packageVersion('samizdat'), packageVersion('pagedjs'), layoutCodeHash(), env['SAMIZDAT_PAGEDJS_SKIP'] ?? '']);
    return new LayoutCache(dir, engines);
  }

  /** The key of a print document: its HTML and the engines. */
  key(html: string): string {
    return sha256(this.engines + '\n' + html);
  }

  private recFile = (key: string) => path.join(this.dir, `${key}.json`);
  private pdfFile = (key: string, start: number) => path.join(this.dir, `${key}-${start}.pdf`);

  private rec(key: string): Rec | undefined {
    const r = readJson<unknown>(this.recFile(key));
    return isRec(r) ? r : undefined;
  }

  /** What the layout of `key` decided, when it was laid out before. */
  facts(key: string): LaidFacts | undefined {
    const r = this.rec(key);
    return r ? { pages: r.pages, headingPages: r.headingPages, pageStarts: r.pageStarts } : undefined;
  }

  /** The document laid out and printed with first folio `start`, when cached and its bytes verify. */
  laid(key: string, start: number): LayoutResult | undefined {
    return this.laidToRead(key, start)?.result;
  }

  /** laid(), with the pages of that PDF whose text needed repair when that is known (setRepairs). */
  laidToRead(key: string, start: number): { result: LayoutResult; repairs?: number[] } | undefined {
    const r = this.rec(key);
    const want = r?.pdfs[String(start)];
    if (!r || !want) return undefined;
    const pdf = readCacheFile(this.pdfFile(key, start));
    if (!pdf || sha256(pdf) !== want) return undefined;
    return { result: { pdf: new Uint8Array(pdf), pages: r.pages, headingPages: new Map(r.headingPages), pageStarts: r.pageStarts }, repairs: r.repairs?.[String(start)] };
  }

  /** Remembers which pages of the PDF of `key` printed from `start` needed their text repaired. */
  setRepairs(key: string, start: number, pages: number[]): void {
    try {
      const r = this.rec(key);
      if (!r?.pdfs[String(start)]) return;
      writeAtomic(this.recFile(key), JSON.stringify({ ...r, repairs: { ...(r.repairs ?? {}), [String(start)]: pages } }));
    } catch {
      // only makes the next read slower
    }
  }

  /** Keeps a layout (facts numbered from the document's first page) and its PDF printed from `start`. */
  store(key: string, start: number, result: LayoutResult): void {
    try {
      const old = this.rec(key);
      const rec: Rec = {
        pages: result.pages,
        headingPages: [...result.headingPages],
        pageStarts: result.pageStarts,
        pdfs: { ...(old?.pdfs ?? {}), [String(start)]: sha256(result.pdf) },
        // What was known of the other PDFs of this layout; this one's is learned when it is read.
        repairs: Object.fromEntries(Object.entries(old?.repairs ?? {}).filter(([s]) => s !== String(start))),
      };
      writeAtomic(this.pdfFile(key, start), result.pdf);
      writeAtomic(this.recFile(key), JSON.stringify(rec));
    } catch {
      // A cache that cannot be written only makes the next build slower.
    }
  }

  /** hints.json, read once. */
  private hintsRead: Record<string, unknown> | undefined;
  private hints(): Record<string, unknown> {
    return (this.hintsRead ??= readJson<Record<string, unknown>>(path.join(this.dir, 'hints.json')) ?? {});
  }

  /** A remembered number (e.g. the front matter's length last time): a hint, never trusted for output. */
  hint(name: string): number | undefined {
    const v = this.hints()[name];
    return Number.isInteger(v) ? (v as number) : undefined;
  }

  /** A remembered value of any JSON shape (e.g. the contents' page numbers last time): checked by the caller, a hint only. */
  recall(name: string): unknown {
    return this.hints()[name];
  }

  /** Remembers these values (written at once, beside the others). */
  setHints(values: Record<string, unknown>): void {
    try {
      this.hintsRead = { ...this.hints(), ...values };
      writeAtomic(path.join(this.dir, 'hints.json'), JSON.stringify(this.hintsRead));
    } catch {
      // only a hint
    }
  }
}
