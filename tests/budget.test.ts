/**
 * A book of camera photos (16 JPEGs of 4000 × 3000 px, ~3 MB each, some rotated by EXIF, one CMYK,
 * one PNG screenshot — scripts/make-camera-fixture.ts) builds to a PDF under 8 MB and an EPUB under
 * 5 MB; in photocopy mode every photo in the PDF is a single gray channel; a rebuild does no image work.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCameraFixture } from '../scripts/make-camera-fixture.js';
import { runCli } from './helpers/book.js';
import { imageStats, resetImageStats } from '../src/assets/images.js';

let book: string;
let photosBytes = 0;

const outputs = (dist: string) => Object.fromEntries(fs.readdirSync(dist).map((f) => [f, fs.statSync(path.join(dist, f)).size]));

beforeAll(async () => {
  book = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-camera-')), 'book');
  const fixture = await makeCameraFixture(book);
  photosBytes = fixture.photos.reduce((s, p) => s + fs.statSync(path.join(book, p)).size, 0);
}, 240_000);

describe('a book of camera photos', () => {
  it('is a real camera-sized fixture', () => {
    expect(photosBytes).toBeGreaterThan(16 * 2.5e6);
  });

  it('builds to a PDF under 8 MB and an EPUB under 5 MB', async () => {
    const run = await runCli(['build', book, '--format', 'pdf,epub', '--out', path.join(book, 'dist'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const sizes = outputs(path.join(book, 'dist'));
    const pdf = Object.entries(sizes).find(([f]) => f.endsWith('.pdf'))!;
    const epub = Object.entries(sizes).find(([f]) => f.endsWith('.epub'))!;
    expect(pdf[1]).toBeLessThan(8e6);
    expect(epub[1]).toBeLessThan(5e6);
    // Each photo printed at 300 ppi or less, never upscaled beyond it.
    const list = execFileSync('pdfimages', ['-list', path.join(book, 'dist', pdf[0])], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(list.length).toBeGreaterThanOrEqual(17);
    for (const row of list) {
      const cols = row.trim().split(/\s+/);
      expect(Number(cols[12])).toBeLessThanOrEqual(305); // x-ppi
    }
  }, 240_000);

  it('rebuilds without image work when nothing changed', async () => {
    resetImageStats();
    const run = await runCli(['build', book, '--format', 'pdf,epub', '--out', path.join(book, 'dist-again'), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(imageStats().processed).toBe(0);
    expect(imageStats().cacheHits).toBeGreaterThan(0);
  }, 240_000);

  it('prints every photo as one gray channel in photocopy mode', async () => {
    const out = path.join(book, 'dist-gray');
    const run = await runCli(['build', book, '--format', 'pdf', '--grayscale', '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const pdf = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.pdf'))!);
    const rows = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThanOrEqual(17);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      expect(cols[5], row).toBe('gray'); // color
      expect(cols[6], row).toBe('1'); // components
    }
  }, 240_000);
});
