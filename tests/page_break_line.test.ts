/**
 * No line lost at the foot of a page. Chapter 7 of the generated book (seed 2, no figures) has a page
 * that breaks inside "rib-|bon": the hyphen Paged.js adds to "rib" made the page's last line one
 * hyphen too long, it wrapped, and widows: 2 took the line before it into the hidden overflow ("careful
 * often many lost where still such habit read. Passed across rib-" was missing from the PDF). The patch
 * hyphen-never-wraps narrows that line's spaces instead. Read back with poppler and checked word by
 * word against the book model.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, prepare } from '../src/build.js';
import type { Book } from '../src/model/types.js';
import { Logger } from '../src/util/log.js';
import { generateBook } from '../scripts/generate-book.js';
import { checkFidelity, type Fidelity } from './helpers/check_book.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-breakline-'));
const dir = path.join(tmp, 'book');

async function buildWith(skip: string, out: string): Promise<string> {
  const saved = process.env['SAMIZDAT_PAGEDJS_SKIP'];
  process.env['SAMIZDAT_PAGEDJS_SKIP'] = skip;
  try {
    const r = await build(dir, { format: 'pdf', out: path.join(tmp, out), quiet: true, reproducible: true }, { log: new Logger(true) });
    return path.join(tmp, out, r.files.find((f) => f.endsWith('.pdf'))!);
  } finally {
    if (saved === undefined) delete process.env['SAMIZDAT_PAGEDJS_SKIP'];
    else process.env['SAMIZDAT_PAGEDJS_SKIP'] = saved;
  }
}

let book: Book;
let patched: Fidelity;
let unpatched: Fidelity;

beforeAll(async () => {
  const full = path.join(tmp, 'full');
  generateBook({ out: full, chapters: 8, words: 40_000, notes: 120, figures: 0, seed: 2 });
  fs.mkdirSync(path.join(dir, 'manuscript'), { recursive: true });
  fs.copyFileSync(path.join(full, 'book.yaml'), path.join(dir, 'book.yaml'));
  fs.appendFileSync(path.join(dir, 'book.yaml'), 'pdf:\n  parallel: off\n  cover: false\n');
  fs.copyFileSync(path.join(full, 'manuscript', 'chapter-007.md'), path.join(dir, 'manuscript', 'chapter-007.md'));
  book = prepare(dir).book;
  patched = checkFidelity(book, await buildWith('', 'patched'));
  unpatched = checkFidelity(book, await buildWith('hyphen-never-wraps', 'unpatched'));
}, 180_000);

describe('a hyphen added at a page break', () => {
  it('never pushes the last line of the page out of sight: every word printed once, in order', () => {
    expect(patched.expectedWords).toBeGreaterThan(4000);
    expect(patched.bodyDiff).toBeUndefined();
  });

  it('is why the patch exists: without it this chapter loses a line', () => {
    expect(unpatched.bodyDiff).toMatch(/careful often many lost where still such habit read/);
  });
});
