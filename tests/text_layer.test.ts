/**
 * The PDF's text layer: soft hyphens stay out of the words a reader copies or searches, also in blocks
 * where dropping every soft hyphen at once would have moved a line (the generated book's first chapters,
 * which once kept 9 such lines). Real Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateBook, generatePlates } from '../scripts/generate-book.js';
import { runCli } from './helpers/book.js';

let text = '';
let sourceWords = new Set<string>();
let sourceText = '';

beforeAll(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-textlayer-'));
  const full = path.join(tmp, 'full');
  generateBook({ out: full, chapters: 12, words: 60_000, notes: 60, figures: 12, seed: 3 });
  await generatePlates(full, 3);
  // The first four chapters of the full-length book, laid out in one pass.
  const book = path.join(tmp, 'book');
  fs.mkdirSync(path.join(book, 'manuscript'), { recursive: true });
  fs.cpSync(path.join(full, 'images'), path.join(book, 'images'), { recursive: true });
  fs.copyFileSync(path.join(full, 'book.yaml'), path.join(book, 'book.yaml'));
  for (const c of ['001', '002', '003', '004']) fs.copyFileSync(path.join(full, 'manuscript', `chapter-${c}.md`), path.join(book, 'manuscript', `chapter-${c}.md`));
  fs.appendFileSync(path.join(book, 'book.yaml'), 'pdf:\n  parallel: off\n');
  for (const f of fs.readdirSync(path.join(book, 'manuscript'))) {
    const md = fs.readFileSync(path.join(book, 'manuscript', f), 'utf8');
    sourceText += md;
    for (const w of md.match(/\p{L}+/gu) ?? []) sourceWords.add(w);
  }
  const run = await runCli(['build', book, '--format', 'pdf', '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  const pdf = path.join(book, 'dist', fs.readdirSync(path.join(book, 'dist')).find((f) => f.endsWith('.pdf'))!);
  text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
}, 180_000);

describe('text layer', () => {
  it('reads every word set with an f-ligature with all its letters (fibre, not fbre)', () => {
    const ligatureWords = [...sourceWords].filter((w) => /f[fil]/.test(w));
    expect(ligatureWords.length).toBeGreaterThan(5);
    // Hyphenated line ends joined again, so "of-|fice" is read as one word.
    const pdfWords = new Set(text.replace(/\u00ad/g, '').replace(/-\n/g, '').match(/\p{L}+/gu));
    const slips: string[] = [];
    for (const w of ligatureWords) {
      for (const m of w.matchAll(/f(?=[fil])/g)) {
        const slipped = w.slice(0, m.index + 1) + w.slice(m.index + 2);
        if (!sourceWords.has(slipped) && pdfWords.has(slipped)) slips.push(`${w} → ${slipped}`);
      }
    }
    expect(slips).toEqual([]);
    for (const w of ligatureWords) expect(pdfWords.has(w), w).toBe(true);
  });

  it('keeps hyphenated line ends and next to no soft hyphens', () => {
    expect(text.length).toBeGreaterThan(100_000);
    expect(text).toMatch(/\p{L}-\n/u);
    const withShy = text.split('\n').filter((l) => l.includes('\u00ad'));
    expect(withShy.length, withShy.slice(0, 3).join('\n')).toBeLessThan(3);
  });

  it('prints no hyphen inside a word away from a line end (a line-end hyphen never drags its word to the next line)', () => {
    // Words of the text with a hyphen between letters that the manuscript does not have: "care-ful"
    // mid-line, where the pass had turned a line-end soft hyphen into "-" and the word then moved.
    const midLine = text
      .split('\n')
      .flatMap((line) => [...line.matchAll(/\p{L}+-\p{L}+/gu)].map((m) => m[0]))
      .filter((w) => sourceWords.has(w.replace('-', '')) && !sourceText.includes(w));
    expect(midLine).toEqual([]);
  });
});
