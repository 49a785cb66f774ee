/** The edition manifest and `samizdat verify` (web edition only; the PDF and EPUB tests add theirs). */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyBook, FIXTURES, runCli } from './helpers/book.js';
import { sha256File } from '../src/edition/hash.js';
import type { Manifest } from '../src/edition/manifest.js';

let book: string;
let dist: string;
let manifest: Manifest;

beforeAll(async () => {
  book = copyBook(path.join(FIXTURES, 'books', 'paths'));
  dist = path.join(book, 'dist');
  const run = await runCli(['build', book, '--format', 'html', '--quiet']);
  expect(run.code).toBe(0);
  manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as Manifest;
});

describe('manifest.json', () => {
  it('lists every output with its SHA-256, size and format', () => {
    expect(manifest.outputs.map((o) => o.path.replace(/-[0-9a-f]{8}\./, '.'))).toEqual(['images/one.jpg', 'images/two.jpg', 'two-ways.html']);
    for (const o of manifest.outputs) {
      expect(o.sha256).toBe(sha256File(path.join(dist, o.path)));
      expect(o.size).toBe(fs.statSync(path.join(dist, o.path)).size);
    }
    expect(manifest.outputs.find((o) => o.path === 'two-ways.html')?.format).toBe('html');
  });

  it('lists every input with its SHA-256, and the engine versions', () => {
    expect(manifest.inputs.map((i) => i.path)).toEqual(['book.yaml', 'images/one.jpg', 'images/two.jpg', 'manuscript/01.md']);
    for (const i of manifest.inputs) expect(i.sha256).toBe(sha256File(path.join(book, i.path)));
    expect(manifest.sourcesSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.engines['markdown-it']).toMatch(/^15\./);
    expect(manifest.engines['pagedjs']).toMatch(/^0\.4\./);
    expect(manifest.engines['samizdat']).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('samizdat verify', () => {
  it('passes on an untouched build, then fails after one byte of an output is flipped or a file removed', async () => {
    expect((await runCli(['verify', dist])).code).toBe(0);
    const html = path.join(dist, 'two-ways.html');
    const bytes = fs.readFileSync(html);
    bytes[100] = bytes[100]! ^ 0x01;
    fs.writeFileSync(html, bytes);
    const changed = await runCli(['verify', dist]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('two-ways.html: changed since it was built');
    const two = manifest.outputs.find((o) => o.path.startsWith('images/two'))!.path;
    fs.rmSync(path.join(dist, two));
    const missing = await runCli(['verify', dist]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${path.basename(two)}: missing`);
  });
});
