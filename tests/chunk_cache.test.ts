/**
 * The layout cache (src/targets/pdf/chunk_cache.ts) on a generated mid-size book laid out in parallel
 * chunks, real Chromium: an unchanged rebuild lays nothing out; after editing one paragraph only its
 * chunk (and the front matter, whose colophon names the sources' hash) is laid out again; after a
 * chapter grows by pages, its chunk and every later one are laid out again with the new folios; each
 * time the PDF has the same bytes as a build without the cache. A tampered cache entry is not used.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, prepare } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { counts } from '../src/util/timing.js';
import { planChunks } from '../src/targets/pdf/chunks.js';
import { printParts } from '../src/targets/pdf/html.js';
import { layoutCacheDir } from '../src/targets/pdf/chunk_cache.js';
import { bookHyphenator, hyphenateBook } from '../src/targets/pdf/hyphenate.js';
import { repairPages } from '../src/targets/pdf/actual_text.js';
import { PDFDocument } from 'pdf-lib';
import { generateBook, generatePlates } from '../scripts/generate-book.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-chunk-cache-'));
const dir = path.join(tmp, 'book');
const ENV = { SAMIZDAT_PDF_PARALLEL: 'on', SAMIZDAT_PDF_CHUNK_PAGES: '10', SAMIZDAT_PDF_WORKERS: '2' };

interface Built {
  bytes: Buffer;
  chunkLayouts: number;
  layouts: number;
  cached: number;
  /** Chunks planned before the first layout started (those of the files changed since the last build). */
  plannedFirst: number;
  /** Layouts of the contents (the front matter's second document). */
  contentsLayouts: number;
  /** The front matter laid out ahead, with the last build's page numbers, beside the changed chunks. */
  frontAhead: number;
  /** Texts hyphenated anew (not taken from the last build's hyphenation). */
  hyphenated: number;
  /** Browser pages opened for layouts (a worker's pages are used again from chunk to chunk). */
  pagesOpened: number;
}

async function buildWith(name: string, env: Record<string, string> = {}): Promise<Built> {
  const all = { ...ENV, ...env };
  const saved = Object.fromEntries(Object.keys(all).map((k) => [k, process.env[k]]));
  Object.assign(process.env, all);
  const before = counts();
  try {
    const out = path.join(tmp, name);
    const r = await build(dir, { format: 'pdf', out, quiet: true, reproducible: true }, { log: new Logger(true) });
    const after = counts();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    return { bytes: fs.readFileSync(path.join(out, r.files.find((f) => f.endsWith('.pdf'))!)), chunkLayouts: delta('pdf-chunk-layouts'), layouts: delta('pdf-layouts'), cached: delta('pdf-chunks-cached'), frontAhead: delta('pdf-front-ahead'), contentsLayouts: delta('pdf-contents-layouts'), plannedFirst: delta('pdf-chunks-planned-first'), hyphenated: delta('hyphenated'), pagesOpened: delta('pdf-pages-opened') };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

const uncached = (name: string) => buildWith(name, { SAMIZDAT_LAYOUT_CACHE: 'off' });

/** Chunk index of each chapter, as the build plans them. */
function chunkOf(): number[] {
  const book = prepare(dir).book;
  const chunks = planChunks(book, printParts(book, '', () => ''), Number(ENV.SAMIZDAT_PDF_CHUNK_PAGES));
  const of: number[] = [];
  chunks.forEach((c, k) => c.chapters.forEach((i) => (of[i] = k)));
  return of;
}

const chapterFile = (n: number) => path.join(dir, 'manuscript', `chapter-${String(n).padStart(3, '0')}.md`);

/** Changes one word of the chapter's first long paragraph to another of the same length. */
function editOneParagraph(n: number): void {
  const lines = fs.readFileSync(chapterFile(n), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.length > 200 && / paper /.test(l));
  expect(i).toBeGreaterThan(0);
  lines[i] = lines[i]!.replace(' paper ', ' Paper ');
  fs.writeFileSync(chapterFile(n), lines.join('\n'));
}

let chunksOf: number[];
let cold: Built;

beforeAll(async () => {
  generateBook({ out: dir, chapters: 6, words: 10_000, notes: 20, figures: 6, seed: 11 });
  fs.appendFileSync(path.join(dir, 'book.yaml'), 'pdf:\n  cover: false\n');
  await generatePlates(dir, 11);
  chunksOf = chunkOf();
  cold = await buildWith('cold');
}, 120_000);

describe('layout cache', () => {
  it('plans several chunks and lays each out once in a cold build', () => {
    const n = new Set(chunksOf).size;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(cold.chunkLayouts).toBe(n);
    expect(cold.cached).toBe(0);
    // n chunks, the title page with its colophon once and the contents twice (estimated numbers, then
    // the real ones), on 2 workers whose pages are used again: each worker needs a second page only
    // while its last chunk prints, so at most 2 × 2 pages, not one per layout.
    expect(cold.layouts).toBe(n + 3);
    expect(cold.contentsLayouts).toBe(2);
    expect(cold.pagesOpened).toBeGreaterThanOrEqual(2);
    expect(cold.pagesOpened).toBeLessThanOrEqual(4);
  });

  it("remembers beside each chunk's PDF the pages whose ligature text needed repair, exactly those", async () => {
    const cacheDir = layoutCacheDir(dir);
    let checked = 0;
    for (const f of fs.readdirSync(cacheDir).filter((x) => /^[0-9a-f]{64}\.json$/.test(x))) {
      const rec = JSON.parse(fs.readFileSync(path.join(cacheDir, f), 'utf8')) as { pdfs: Record<string, string>; repairs?: Record<string, number[]> };
      for (const start of Object.keys(rec.pdfs)) {
        const pdf = path.join(cacheDir, `${f.slice(0, 64)}-${start}.pdf`);
        // The chunks (not the front matter, which the join reads whole) have the pages learned.
        if (!rec.repairs?.[start]) continue;
        // Every page looked at again, by the repair itself: the pages it changes are the ones remembered.
        const doc = await PDFDocument.load(fs.readFileSync(pdf), { updateMetadata: false });
        expect(repairPages(doc).pages, f).toEqual(rec.repairs[start]);
        checked++;
      }
    }
    expect(checked).toBe(new Set(chunksOf).size);
  }, 60_000);

  it('lays nothing out when nothing changed, and prints the same bytes', async () => {
    const warm = await buildWith('warm');
    expect(warm.layouts).toBe(0);
    expect(warm.cached).toBe(new Set(chunksOf).size);
    expect(Buffer.compare(warm.bytes, cold.bytes)).toBe(0);
  }, 60_000);

  it('after a one-paragraph edit lays out only that chunk (and the front matter); same bytes as without the cache', async () => {
    editOneParagraph(3);
    const warm = await buildWith('edited');
    expect(warm.chunkLayouts).toBe(1);
    // The chunk and the title page with its colophon (which names the sources' hash); the contents,
    // whose numbers did not move, come from the cache.
    expect(warm.layouts).toBe(2);
    expect(warm.contentsLayouts).toBe(0);
    // Its layout started before the other chunks were even made: the edited file's chunk was planned first.
    expect(warm.plannedFirst).toBe(1);
    expect(cold.plannedFirst).toBe(0);
    // The page numbers did not move: the front matter was made with the last build's numbers while
    // the chunk was laid out (two workers), and that was the one used.
    expect(warm.frontAhead).toBe(1);
    // One word of one text changed: that text alone was hyphenated again (the cold build did them all).
    expect(cold.hyphenated).toBeGreaterThan(100);
    expect(warm.hyphenated).toBe(1);
    const reference = await uncached('edited-cold');
    expect(reference.chunkLayouts).toBe(new Set(chunksOf).size);
    expect(Buffer.compare(warm.bytes, reference.bytes)).toBe(0);
  }, 120_000);

  it('after a chapter grows by pages lays out its chunk and every later one with the new folios; same bytes as without the cache', async () => {
    const grown = 2;
    const extra = Array.from({ length: 8 }, () => 'Added quiet paper again and the press ran on through the night while the copies were folded. '.repeat(6)).join('\n\n');
    fs.appendFileSync(chapterFile(grown), `\n\n${extra}\n`);
    const now = chunkOf();
    const first = now[grown - 1]!;
    // No chunk before the grown chapter's changed; from it on, every chunk is laid out again.
    expect(now.slice(0, now.indexOf(first))).toEqual(chunksOf.slice(0, now.indexOf(first)));
    expect(Math.max(...now)).toBeGreaterThan(first);
    const warm = await buildWith('grown');
    expect(warm.chunkLayouts).toBe(Math.max(...now) - first + 1);
    // The pages moved: the front matter laid out ahead with the old numbers is not the one used.
    expect(warm.frontAhead).toBe(0);
    const reference = await uncached('grown-cold');
    expect(Buffer.compare(warm.bytes, reference.bytes)).toBe(0);
  }, 120_000);

  it('does not use a cached PDF whose bytes do not match its record', async () => {
    const cacheDir = layoutCacheDir(dir);
    for (const f of fs.readdirSync(cacheDir).filter((x) => x.endsWith('.pdf'))) fs.appendFileSync(path.join(cacheDir, f), '%tampered\n');
    const again = await buildWith('tampered');
    // Page counts still come from the records; every PDF is printed anew.
    expect(again.cached).toBe(0);
    expect(again.chunkLayouts).toBe(new Set(chunksOf).size);
  }, 120_000);
});

describe('the hyphenation kept in the book folder', () => {
  it('is used only for the very text it belongs to, with nothing but soft hyphens added', async () => {
    const book = prepare(dir).book;
    const texts = book.chapters[0]!.tokens.flatMap((t) => t.children ?? []).filter((t) => t.type === 'text' && t.content.length > 40).map((t) => t.content);
    expect(texts.length).toBeGreaterThan(2);
    const cacheDir = path.join(dir, '.cache', 'samizdat', 'hyphenation');
    const files = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(1);
    // Planted: one entry with other words, one with a different text's hyphenation, one that is not a string.
    const file = path.join(cacheDir, files[0]!);
    const planted = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    planted[texts[0]!] = 'Words nobody wrote.';
    planted[texts[1]!] = `${texts[2]}\u00ad`;
    planted[texts[2]!] = 42;
    fs.writeFileSync(file, JSON.stringify(planted));
    const before = counts()['hyphenated'] ?? 0;
    await hyphenateBook(book);
    const hyphenate = bookHyphenator(book)!;
    for (const t of texts.slice(0, 3)) expect(hyphenate(t).replace(/\u00ad/g, '')).toBe(t);
    // The three planted entries were hyphenated again; nothing else was.
    expect((counts()['hyphenated'] ?? 0) - before).toBe(3);
  });
});
