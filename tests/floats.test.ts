/**
 * Figure floats decided during the one layout pass (src/targets/pdf/floats.ts), with real Chromium on
 * a generated book with many figures and no notes, read back with `pdftotext -bbox`: no page before a
 * figure-topped page is left more than 15 % empty inside a chapter, each figure follows the paragraph
 * it was written after within a page, the book is laid out once; the same in parallel chunks; and
 * without the hook the same book does have such holes (so the check can see them).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { counts } from '../src/util/timing.js';
import { MAX_EMPTY } from '../src/targets/pdf/floats.js';
import { geometry, parsePageSize } from '../src/targets/pdf/page_size.js';
import { generateBook, generatePlates } from '../scripts/generate-book.js';
import { pageCount, type Word } from './helpers/pdf_pages.js';

const MM = 72 / 25.4;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-floats-'));
const dir = path.join(tmp, 'book');

interface Built {
  pdf: string;
  layouts: number;
  floated: number;
}

async function buildWith(name: string, env: Record<string, string>): Promise<Built> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const before = counts();
  try {
    const out = path.join(tmp, name);
    const r = await build(dir, { format: 'pdf', out, quiet: true, reproducible: true }, { log: new Logger(true) });
    const after = counts();
    const delta = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
    return { pdf: path.join(out, r.files.find((f) => f.endsWith('.pdf'))!), layouts: delta('pdf-layouts'), floated: delta('pdf-floated') };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** The text block of an A5 page in points (page_size.ts), y from the top. */
const size = parsePageSize('A5');
const g = geometry(size);
const blockTop = g.top * MM;
const blockBottom = (size.heightMm - g.bottom) * MM;

interface PageText {
  page: number;
  /** Words inside the text block (no running head, no folio), top to bottom. */
  body: Word[];
}

function pages(pdf: string): PageText[] {
  // One pdftotext call for the whole file; pages are its <page> elements.
  const xml = execFileSync('pdftotext', ['-bbox', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return xml.split('<page ').slice(1).map((chunk, i) => {
    const body: Word[] = [];
    for (const m of chunk.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
      const w = { xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]! };
      if (w.yMin >= blockTop - 2 && w.yMax <= blockBottom + 2) body.push(w);
    }
    return { page: i + 1, body: body.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin) };
  });
}

/** Pages that begin with a figure (the first words inside the text block are its caption "Plate N."), with the empty share of the page before. */
function figureTops(ps: PageText[]): { page: number; plate: string; emptyBefore: number }[] {
  const out: { page: number; plate: string; emptyBefore: number }[] = [];
  for (const [i, p] of ps.entries()) {
    const first = p.body[0];
    const prev = ps[i - 1];
    if (!first || first.text !== 'Plate' || !prev || !prev.body.length) continue;
    const last = Math.max(...prev.body.map((w) => w.yMax));
    out.push({ page: p.page, plate: p.body[1]!.text, emptyBefore: (blockBottom - last) / (blockBottom - blockTop) });
  }
  return out;
}

interface Plate {
  /** Letters and digits of the last words of the paragraph written just before the figure. */
  ref: string;
  /** The figure is the last block of its chapter: nothing to float past, the chapter may end short. */
  last: boolean;
}

const letters = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The manuscript's plates by number ("27."). */
function plates(): Map<string, Plate> {
  const out = new Map<string, Plate>();
  for (const f of fs.readdirSync(path.join(dir, 'manuscript')).sort()) {
    const blocks = fs.readFileSync(path.join(dir, 'manuscript', f), 'utf8').trim().split(/\n\n+/);
    blocks.forEach((b, k) => {
      const m = /^!\[Plate (\d+),/.exec(b);
      if (m) out.set(`${m[1]}.`, { ref: letters(blocks[k - 1]!.split(/\s+/).slice(-6).join('')), last: k === blocks.length - 1 });
    });
  }
  return out;
}

/** The body text of the PDF as letters and digits only (hyphens and spaces gone), with each letter's page. */
function letterStream(ps: PageText[]): { text: string; page: number[] } {
  let text = '';
  const page: number[] = [];
  for (const p of ps) {
    for (const w of p.body) {
      const l = letters(w.text);
      text += l;
      for (let i = 0; i < l.length; i++) page.push(p.page);
    }
  }
  return { text, page };
}

const built: Record<'single' | 'chunks' | 'unhooked', Built> = {} as Record<'single' | 'chunks' | 'unhooked', Built>;

beforeAll(async () => {
  generateBook({ out: dir, chapters: 3, words: 9_000, notes: 0, figures: 27, seed: 5 });
  fs.appendFileSync(path.join(dir, 'book.yaml'), 'pdf:\n  cover: false\n');
  await generatePlates(dir, 5);
  built.single = await buildWith('single', { SAMIZDAT_PDF_PARALLEL: 'off' });
  built.chunks = await buildWith('chunks', { SAMIZDAT_PDF_PARALLEL: 'on', SAMIZDAT_PDF_WORKERS: '2' });
  built.unhooked = await buildWith('unhooked', { SAMIZDAT_PDF_PARALLEL: 'off', SAMIZDAT_PAGEDJS_SKIP: 'float-hook' });
}, 180_000);

describe.each(['single', 'chunks'] as const)('figure floats, %s layout', (mode) => {
  it('leaves no page before a figure-topped page more than 15 % empty inside a chapter', () => {
    const tops = figureTops(pages(built[mode].pdf));
    const all = plates();
    expect(tops.length).toBeGreaterThan(0);
    for (const t of tops) {
      if (all.get(t.plate)!.last) continue; // the chapter ends with the figure
      expect(t.emptyBefore, `page ${t.page - 1} before plate ${t.plate}`).toBeLessThanOrEqual(MAX_EMPTY);
    }
    expect(built[mode].floated).toBeGreaterThan(0);
  });

  it('puts every figure after the paragraph it follows in the manuscript, at most a page later', () => {
    const ps = pages(built[mode].pdf);
    const { text, page } = letterStream(ps);
    const all = plates();
    expect(all.size).toBe(27);
    for (const [plate, { ref }] of all) {
      const cap = text.indexOf(letters(`Plate ${plate} Drawing: the generator.`));
      expect(cap, `caption of plate ${plate}`).toBeGreaterThan(0);
      const at = text.lastIndexOf(ref, cap);
      expect(at, `reference text of plate ${plate}`).toBeGreaterThanOrEqual(0);
      expect(page[cap]! - page[at + ref.length - 1]!, `plate ${plate}`).toBeLessThanOrEqual(1);
    }
  });
});

describe('one layout pass', () => {
  it('lays the book out once (a document per chunk and the front matter twice in chunks)', () => {
    expect(built.single.layouts).toBe(1);
    expect(built.chunks.layouts).toBeGreaterThanOrEqual(3);
    expect(built.chunks.layouts).toBeLessThanOrEqual(5);
  });

  it('gives the same pages in chunks as in one pass', () => {
    expect(pageCount(built.chunks.pdf)).toBe(pageCount(built.single.pdf));
  });

  it('is what fills the holes: without the hook the same book has part-empty pages before figures', () => {
    const tops = figureTops(pages(built.unhooked.pdf));
    expect(built.unhooked.floated).toBe(0);
    expect(tops.filter((t) => t.emptyBefore > MAX_EMPTY).length).toBeGreaterThan(0);
  });
});
