/**
 * PDF polish: inline note markup from tokens, the footnote rule and space, soft hyphens out of the
 * text layer, figures floated over part-empty pages, the colophon's facts, photocopy (gray) mode.
 * Real Chromium and poppler on the pdf-polish fixture (built in colour and in gray).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'htmlparser2';
import sharp from 'sharp';
import { build, prepare, type BuildResult } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { createPrintRenderer } from '../src/targets/pdf/rules.js';
import { pdfWords } from './helpers/pdf_pages.js';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'pdf-polish');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-polish-test-'));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const pageTexts = (pdf: string) => run('pdftotext', ['-layout', pdf, '-']).split('\f').slice(0, -1);

async function buildCopy(name: string, flags: Record<string, unknown> = {}): Promise<{ result: BuildResult; pdf: string }> {
  const dir = path.join(tmpRoot, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  const result = await build(dir, { format: 'pdf', out: path.join(dir, 'dist'), quiet: true, reproducible: true, ...flags }, { log: new Logger(true) });
  return { result, pdf: path.join(dir, 'dist', 'polish-proofs.pdf') };
}

describe('note bodies as inline markup (token level)', () => {
  it('renders a rich note as spans only, valid inside the calling paragraph', () => {
    const { book } = prepare(FIXTURE);
    const html = createPrintRenderer(book, (id) => `/img/${id}`).render(book.chapters[0]!.tokens);
    const doc = parseDocument(html);
    const notes: any[] = [];
    const walk = (n: any) => {
      if (n.attribs?.class === 'footnote') notes.push(n);
      for (const c of n.children ?? []) walk(c);
    };
    walk(doc);
    expect(notes).toHaveLength(1);
    const tags = new Set<string>();
    const classes: string[] = [];
    const collect = (n: any) => {
      if (n.type === 'tag') {
        tags.add(n.name);
        if (n.attribs.class) classes.push(n.attribs.class);
      }
      for (const c of n.children ?? []) collect(c);
    };
    collect(notes[0]);
    // only inline elements inside the note: the HTML parser keeps it inside its <p>
    expect([...tags].sort()).toEqual(['code', 'span']);
    expect(notes[0].parent.name).toBe('p');
    expect(classes).toEqual(expect.arrayContaining(['fn-p fn-first', 'fn-ul', 'fn-li', 'fn-blockquote', 'fn-p', 'fn-pre']));
    expect(classes.filter((c) => c.includes('fn-first'))).toHaveLength(1);
    // the book's tokens are untouched: the chapter still renders block markup elsewhere
    expect(book.notes[0]!.tokens.some((t) => t.tag === 'ul')).toBe(true);
  });
});

describe('pdf polish on the fixture book', () => {
  let color: { result: BuildResult; pdf: string };
  let gray: { result: BuildResult; pdf: string };
  let texts: string[];

  beforeAll(async () => {
    color = await buildCopy('color');
    gray = await buildCopy('gray', { grayscale: true });
    texts = pageTexts(color.pdf);
  }, 180_000);

  it('separates the notes from the text by at least 8 pt, with a short rule', () => {
    const p = texts.findIndex((t) => t.includes('NOTEa The first')) + 1;
    expect(p).toBeGreaterThan(0);
    const words = pdfWords(color.pdf, p);
    const note = words.find((w) => w.text === 'NOTEa')!;
    const body = words.filter((w) => w.yMax < note.yMin && w.yMin > 60);
    const lastBody = Math.max(...body.map((w) => w.yMax));
    expect(note.yMin - lastBody).toBeGreaterThanOrEqual(8);
  });

  it('keeps no soft hyphen in the text layer, and real hyphens where lines break', () => {
    const all = run('pdftotext', [color.pdf, '-']);
    expect(all).not.toContain('\u00ad');
    const layout = texts.join('\n');
    expect(layout).not.toContain('\u00ad');
    expect(layout.split('\n').filter((l) => /[a-z]-$/.test(l.trimEnd())).length).toBeGreaterThan(0);
  });

  it('fills the page before a figure: the figure floats past the next paragraphs, all text once and in order', () => {
    const flat = texts.join('\n');
    const markers = ['PARAa', 'PARAb', 'PARAc', 'PARAd', 'PARAe'];
    const at = markers.map((m) => flat.indexOf(m));
    for (const [i, m] of markers.entries()) expect(flat.split(m).length - 1, m).toBe(1);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(flat.split('CAPa:').length - 1).toBe(1);
    // the figure now comes after PARAb (it was written before it)
    expect(flat.indexOf('CAPa:')).toBeGreaterThan(flat.indexOf('PARAb'));
    // the page before the figure's page is at most 25 % empty: its last body line is near the foot
    const figPage = texts.findIndex((t) => t.includes('CAPa:')) + 1;
    const before = pdfWords(color.pdf, figPage - 1);
    const [, h] = /Page size:\s+[\d.]+ x ([\d.]+)/.exec(run('pdfinfo', [color.pdf]))!.slice(0) as unknown as [string, string];
    const pageH = Number(h);
    const top = pageH * 0.085;
    const bottom = pageH * (1 - 0.1);
    const notesTop = Math.min(bottom, ...before.filter((w) => w.text === 'NOTEa' || /^\d+\.$/.test(w.text)).map((w) => w.yMin - 8));
    const lastLine = Math.max(...before.filter((w) => w.yMax < notesTop).map((w) => w.yMax));
    expect((notesTop - lastLine) / (bottom - top)).toBeLessThan(0.25);
  });

  it('prints the edition facts on the colophon page, hash included and within the page', () => {
    const hash = color.result.book.edition.sourcesSha256;
    const colophon = texts.findIndex((t) => t.includes('SHA-256'));
    expect(colophon).toBeGreaterThan(0);
    const squashed = texts[colophon]!.replace(/\s+/g, '');
    expect(squashed).toContain(hash.slice(0, 16));
    expect(texts[colophon]).toContain('urn:uuid:5d1c1a60');
    const [w] = /Page size:\s+([\d.]+)/.exec(run('pdfinfo', [color.pdf]))!.slice(1).map(Number);
    for (const word of pdfWords(color.pdf, colophon + 1)) expect(word.xMax, word.text).toBeLessThan(w!);
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(color.pdf), 'manifest.json'), 'utf8')) as { engines: Record<string, string> };
    // The browser that laid the book out is named on the colophon as the manifest records it, whatever
    // its version string looks like and wherever the line wraps it (no format or length assumed).
    const chromium = manifest.engines['chromium'];
    expect(chromium).toBeTruthy();
    expect(squashed.toLowerCase()).toContain(`chromium${chromium!.replace(/\s+/g, '')}`.toLowerCase());
  });

  it('turns the theme colours gray in photocopy mode, and keeps them in colour otherwise', async () => {
    const page = texts.findIndex((t, i) => i > 3 && t.includes('Beta chapter') && !t.includes('CAPa')) + 1;
    const render = (pdf: string, tag: string) => {
      const prefix = path.join(tmpRoot, `${tag}-page`);
      run('pdftoppm', ['-png', '-r', '50', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
      return `${prefix}.png`;
    };
    const coloured = async (png: string) => {
      const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      let n = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) n++;
      return n;
    };
    expect(await coloured(render(color.pdf, 'color'))).toBeGreaterThan(0);
    expect(await coloured(render(gray.pdf, 'gray'))).toBe(0);
  });
});

afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
