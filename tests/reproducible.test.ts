/**
 * Fixed editions: the same book folder built twice — in two different folders, in two time zones —
 * gives byte-identical outputs when SOURCE_DATE_EPOCH is set; one changed character changes only the
 * outputs that contain it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBook, FIXTURES, spawnCli } from './helpers/book.js';
import type { Manifest } from '../src/edition/manifest.js';

const EPOCH = '1767225600'; // 2026-01-01T00:00:00Z

function buildIn(book: string, tz: string): Manifest {
  const r = spawnCli(['build', book, '--quiet'], {
    env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, TZ: tz },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(fs.readFileSync(path.join(book, 'dist', 'manifest.json'), 'utf8')) as Manifest;
}

const hashes = (m: Manifest) => Object.fromEntries(m.outputs.map((o) => [o.path, o.sha256]));

/** The document ID in the PDF's trailer, as qpdf reads it (both halves). */
function pdfId(book: string, m: Manifest): string[] {
  const pdf = path.join(book, 'dist', m.outputs.find((o) => o.format === 'pdf')!.path);
  const trailer = execFileSync('qpdf', ['--show-object=trailer', pdf], { encoding: 'utf8' });
  return [...trailer.matchAll(/<([0-9a-f]+)>/g)].map((x) => x[1]!);
}

let a: string;
let b: string;
let c: string;
let first: Manifest;
let second: Manifest;
let edited: Manifest;

beforeAll(() => {
  a = copyBook(path.join(FIXTURES, 'books', 'paths'), 'edition-a');
  b = copyBook(path.join(FIXTURES, 'books', 'paths'), 'another-folder');
  first = buildIn(a, 'UTC');
  second = buildIn(b, 'Pacific/Auckland');
  c = copyBook(path.join(FIXTURES, 'books', 'paths'), 'edited');
  const md = path.join(c, 'manuscript', '01.md');
  fs.writeFileSync(md, fs.readFileSync(md, 'utf8').replace('A note, so the links', 'A note; so the links'));
  edited = buildIn(c, 'UTC');
});

describe('reproducible builds', () => {
  it('builds HTML, PDF and EPUB', () => {
    expect(first.outputs.map((o) => o.format).sort()).toEqual(expect.arrayContaining(['epub', 'html', 'pdf']));
  });

  it('gives byte-identical outputs in another folder and time zone', () => {
    expect(hashes(second)).toEqual(hashes(first));
    expect(second.sourcesSha256).toBe(first.sourcesSha256);
    // The manifest itself names no folder, time zone or clock time.
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('changes the text outputs, and only them, when one character of the manuscript changes', () => {
    const before = hashes(first);
    const after = hashes(edited);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]).sort();
    expect(changed).toEqual(first.outputs.filter((o) => ['html', 'pdf', 'epub'].includes(o.format)).map((o) => o.path).sort());
    expect(edited.sourcesSha256).not.toBe(first.sourcesSha256);
  });

  it("gives the PDF a document ID that follows from its content: the same for the same book, another for an edited one", () => {
    const id = pdfId(a, first);
    expect(id).toHaveLength(2);
    expect(id[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(id[1]).toBe(id[0]);
    expect(id[0]).not.toBe('0'.repeat(32));
    expect(pdfId(b, second)).toEqual(id);
    expect(pdfId(c, edited)[0]).not.toBe(id[0]);
    // The ID written in place leaves a well-formed file.
    expect(() => execFileSync('qpdf', ['--check', path.join(a, 'dist', first.outputs.find((o) => o.format === 'pdf')!.path)], { encoding: 'utf8' })).not.toThrow();
  });
});
