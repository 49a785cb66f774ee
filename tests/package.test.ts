/**
 * samizdat as a stranger installs it: the tarball `npm pack` makes, installed into a fresh project
 * outside the repository (dependencies hoisted as npm does), then `samizdat --version`, `npx samizdat
 * init`, and builds of the init book and of a fixture book with photos and a note to PDF, EPUB and web,
 * with the installed command only (compiled lib/, no tsx, no path into this repository).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { FIXTURES, listFiles, REPO } from './helpers/book.js';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-pack-'));
const project = path.join(tmp, 'project');
const bin = path.join(project, 'node_modules', '.bin', 'samizdat');
let tarball = '';

/** The installed command, run in the project folder with a clean environment (no tsx, no repo paths). */
function samizdat(args: string[], cwd = project) {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? tmp, LANG: 'C.UTF-8' };
  return spawnSync(bin, args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
}

beforeAll(() => {
  // npm pack runs `prepare`, which compiles lib/; one install into a project outside the repository.
  const packed = execFileSync('npm', ['pack', REPO, '--pack-destination', tmp, '--silent'], { cwd: tmp, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  tarball = path.join(tmp, packed);
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-zine-project', private: true }));
  execFileSync('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 600_000);

// The installed project holds every dependency: hundreds of megabytes not to leave in the temp folder.
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('ships what runs and nothing else', () => {
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of ['bin/samizdat.js', 'lib/cli.js', 'lib/init.js', 'lib/preview/client/viewer.html', 'styles/print.css', 'templates/init/book.yaml', 'package.json']) expect(files).toContain(f);
    const tops = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(tops).toEqual(['README.md', 'bin', 'lib', 'package.json', 'styles', 'templates']);
    // The installed package sits in the project, its dependencies beside it (hoisted), not inside it.
    expect(fs.existsSync(path.join(project, 'node_modules', 'pagedjs', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'node_modules', 'samizdat', 'node_modules', 'pagedjs'))).toBe(false);
  });

  it('answers --version and refuses an unknown option with exit 2', () => {
    const v = samizdat(['--version']);
    expect(v.stdout).toBe(`samizdat ${pkg.version}\n`);
    expect(v.status).toBe(0);
    const bad = samizdat(['build', '--pressed']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('samizdat: unknown option --pressed for "build" (did you mean --press?)');
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('npx samizdat init, then build, with the installed package', () => {
  const book = path.join(project, 'my-zine');

  beforeAll(() => {
    const init = spawnSync('npx', ['--no', 'samizdat', 'init', 'my-zine'], { cwd: project, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    const run = samizdat(['build', 'my-zine']);
    expect(run.status, run.stderr).toBe(0);
  }, 300_000);

  it('writes a starter book and refuses to write over it', () => {
    expect(listFiles(book).filter((f) => !/^(dist|\.cache)\//.test(f))).toEqual(['.gitignore', 'book.yaml', 'images/folded-zine.jpg', 'manuscript/01-start.md']);
    expect(fs.readFileSync(path.join(book, '.gitignore'), 'utf8')).toMatch(/^dist\/$/m);
    const again = samizdat(['init', 'my-zine']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('samizdat: my-zine/book.yaml, my-zine/manuscript/01-start.md, my-zine/.gitignore, my-zine/images/folded-zine.jpg already exist; init never overwrites files: choose a new or empty folder\n');
  });

  it('builds the init book: PDF with its fonts embedded, a clean EPUB, the web edition', () => {
    const md = fs.readFileSync(path.join(book, 'manuscript', '01-start.md'), 'utf8');
    const caption = /!\[[^\]]*\]\([^ ]+ "([^"]+)"\)/.exec(md)![1]!;
    expect(listFiles(path.join(book, 'dist')).filter((f) => !f.startsWith('images/'))).toEqual(['manifest.json', 'my-zine.epub', 'my-zine.html', 'my-zine.pdf']);
    // The starter text has inline code: set in Noto Sans Mono, from npm like the text face.
    expect(md).toMatch(/`[^`\n]+`/);
    checkPdf(path.join(book, 'dist', 'my-zine.pdf'), ['Start here', 'A section', caption], ['SourceSerif4', 'NotoSansMono']);
    checkEpub(path.join(book, 'dist', 'my-zine.epub'));
    const { document } = parseHTML(fs.readFileSync(path.join(book, 'dist', 'my-zine.html'), 'utf8'));
    expect(document.querySelector('figcaption')?.textContent).toBe(caption);
    for (const img of document.querySelectorAll('img')) expect(fs.existsSync(path.join(book, 'dist', img.getAttribute('src')!))).toBe(true);
  });
});

describe('a fixture book with photos and a note, built by the installed package', () => {
  const book = path.join(project, 'paths');

  beforeAll(() => {
    fs.cpSync(path.join(FIXTURES, 'books', 'paths'), book, { recursive: true, filter: (p) => !/[\\/](dist|\.cache)$/.test(p) });
    const run = samizdat(['build', book, '--format', 'pdf,epub,html']);
    expect(run.status, run.stderr).toBe(0);
  }, 300_000);

  it('writes all three editions', () => {
    const md = fs.readFileSync(path.join(book, 'manuscript', '01.md'), 'utf8');
    const note = /^\[\^n\]: (.+)$/m.exec(md)![1]!;
    const html = fs.readdirSync(path.join(book, 'dist')).find((f) => f.endsWith('.html'))!;
    const slug = html.replace(/\.html$/, '');
    checkPdf(path.join(book, 'dist', `${slug}.pdf`), ['Pictures', note]);
    checkEpub(path.join(book, 'dist', `${slug}.epub`));
    const { document } = parseHTML(fs.readFileSync(path.join(book, 'dist', html), 'utf8'));
    expect([...document.querySelectorAll('figure img')]).toHaveLength(2);
    for (const img of document.querySelectorAll('img')) expect(fs.existsSync(path.join(book, 'dist', img.getAttribute('src')!))).toBe(true);
    expect(document.body.textContent).toContain(note);
  });
});

/** The PDF has `faces` (pdffonts names), every font embedded and one of the faces samizdat ships. */
function checkPdf(file: string, words: string[], faces = ['SourceSerif4']): void {
  const pages = Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  expect(pages).toBeGreaterThan(2);
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  for (const face of faces) expect(fonts.some((r) => new RegExp(`^[A-Z]{6}\\+${face}-`).test(r)), `${face} in ${fonts.join('; ')}`).toBe(true);
  for (const r of fonts) expect(r, r).toMatch(/^[A-Z]{6}\+(SourceSerif4|NotoSerif|NotoSansMono)\S*\s.*\s+yes\s+yes\s+yes\s+\d+\s+\d+$/);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const w of words) expect(text).toContain(w.replace(/\s+/g, ' '));
}

function checkEpub(file: string): void {
  const r = epubcheck(file);
  expect(describeMessages([...r.errors, ...r.warnings])).toEqual([]);
}
