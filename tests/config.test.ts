/**
 * The one schema of book.yaml, front matter and flags: every value people write is read as they mean
 * it or refused with book.yaml:line — before the browser starts (a fake browser records any launch).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare } from '../src/build.js';
import { runCli } from './helpers/book.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-config-'));
const launched = path.join(tmp, 'browser-launched');
const fakeChrome = path.join(tmp, 'fake-chrome');
fs.writeFileSync(fakeChrome, `#!/bin/sh\ntouch '${launched}'\nexit 1\n`, { mode: 0o755 });

let n = 0;
function book(yaml: string): string {
  const dir = path.join(tmp, `book-${++n}`);
  fs.mkdirSync(path.join(dir, 'manuscript'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'book.yaml'), yaml);
  fs.writeFileSync(path.join(dir, 'manuscript', '01.md'), '# One\n\nText.\n');
  return dir;
}

const HEAD = 'title: Settings\nlang: en\n';

describe('book.yaml values read as people mean them', () => {
  it.each([
    ['press: no', false],
    ['press: off', false],
    ['press: false', false],
    ['press: "No"', false],
    ['press: yes', true],
    ['press: on', true],
    ['press: true', true],
  ])('pdf: {%s} → press %s', (line, want) => {
    const { options } = prepare(book(`${HEAD}pdf:\n  ${line}\n`));
    expect(options.pdf.press).toBe(want);
  });

  it('reads lengths with units, seconds, signatures, choices and empty sections', () => {
    const { options } = prepare(book(`${HEAD}pdf:\n  bleed: 0.125in\n  creep: 0.2 mm\n  signature: 16\n  impose: booklet\n  timeout: 90\n  size: 6 x 9in\n  color: grey\nepub:\n  # fonts: yes\n`));
    expect(options.pdf).toMatchObject({ bleed: '0.125in', creep: '0.2 mm', signature: 16, impose: 'booklet', timeoutMs: 90_000, size: '6 x 9in', color: 'gray' });
    expect(options.epub.fonts).toBe(false);
  });
});

describe('book.yaml values refused with their line, before any browser starts', () => {
  it.each([
    ['pdf:\n  press: maybe', 'book.yaml:4: error: pdf.press must be true or false (yes/no and on/off work too), not "maybe" [bad-option]'],
    ['pdf:\n  bleed: -3mm', 'book.yaml:4: error: pdf.bleed must be from 0 to 20 mm, not "-3mm" [bad-option]'],
    ['pdf:\n  bleed: 3', 'book.yaml:4: error: pdf.bleed needs a unit: write "3mm" (or mm, cm, in, pt, px), not 3 [bad-option]'],
    ['pdf:\n  bleed: 3 furlongs', 'book.yaml:4: error: pdf.bleed has an unknown unit "furlongs" in "3 furlongs"; use mm, cm, in, pt, px [bad-option]'],
    ['pdf:\n  signature: 3', 'book.yaml:4: error: pdf.signature must be a multiple of 4 (4, 8, 16, 32…), not 3 [bad-option]'],
    ['pdf:\n  size: "0mm x 0mm"', 'book.yaml:4: error: pdf.size is not a page size: "0mm x 0mm"; use A5, A6, A7, A4, letter, half-letter, 6x9in or "W x H" with units (e.g. "120mm x 180mm"), each side 50–1000 mm [bad-option]'],
    ['pdf:\n  timeout: 0', 'book.yaml:4: error: pdf.timeout must be more than 0 and at most 86400 seconds, not 0 [bad-option]'],
    ['pdf:\n  timeout: soon', 'book.yaml:4: error: pdf.timeout must be a number of seconds such as 300, not "soon" [bad-option]'],
    ['pdf:\n  impose: bookelt', 'book.yaml:4: error: pdf.impose must be booklet or minizine, not "bookelt" (did you mean "booklet"?) [bad-option]'],
    ['epub:\n  split: 3', 'book.yaml:4: error: epub.split must be 1, 2 or file, not 3 [bad-option]'],
    ['pdf: A5', 'book.yaml:3: error: pdf must be a mapping of options (key: value lines indented below it), not "A5" [bad-option]'],
    ['pdf:\n  sise: A6', 'book.yaml:4: error: unknown key "pdf.sise" (did you mean "pdf.size"?) [unknown-key]'],
    ['publsher: Somebody', 'book.yaml:3: error: unknown key "publsher" (did you mean "publisher"?) [unknown-key]'],
    ['layout: post', 'book.yaml:3: error: unknown key "layout" [unknown-key]'],
    ['lang2: en', 'book.yaml:3: error: unknown key "lang2" (did you mean "lang"?) [unknown-key]'],
    ['chrome: /bin/sh', 'book.yaml:3: error: chrome is not read from a book: a book never names the program to run; use --chrome PATH or CHROME_PATH [bad-option]'],
    ['description: "unclosed\nkeywords: [a, b]', 'book.yaml:3: error: malformed YAML: Missing closing "quote [yaml]'],
  ])('%s', async (lines, message) => {
    const dir = book(`${HEAD}${lines}\n`);
    const run = await runCli(['build', dir, '--format', 'pdf', '--chrome', fakeChrome]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toContain(message);
    expect(run.stderr.split('\n').filter((l) => l.includes(': error: '))).toHaveLength(1);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(launched)).toBe(false);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('names a bad flag by its flag', async () => {
    const run = await runCli(['check', book(HEAD), '--size', '0mm x 0mm']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: --size is not a page size: "0mm x 0mm"');
  });
});
