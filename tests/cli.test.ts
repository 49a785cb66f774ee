/** The command line, run on temporary copies of book folders. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { copyBook, FIXTURES, listFiles, REPO, runCli, spawnCli } from './helpers/book.js';

describe('samizdat build --format html', () => {
  it('writes the web edition named from the slug, with its images beside it', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const run = await runCli(['build', book, '--format', 'html']);
    expect(run.code).toBe(0);
    const files = listFiles(path.join(book, 'dist'));
    expect(files.filter((f) => !f.startsWith('images/'))).toEqual(['manifest.json', 'two-ways.html']);
    expect(files.filter((f) => f.startsWith('images/')).map((f) => f.replace(/-[0-9a-f]{8}\./, '.'))).toEqual(['images/one.jpg', 'images/two.jpg']);
    const html = fs.readFileSync(path.join(book, 'dist', 'two-ways.html'), 'utf8');
    const { document } = parseHTML(html);
    expect(document.documentElement.getAttribute('lang')).toBe('en-GB');
    const figures = [...document.querySelectorAll('figure')];
    expect(figures.map((f) => f.querySelector('figcaption')?.textContent)).toEqual(['Green. Photo: the tests.', 'An orange field']);
    for (const img of document.querySelectorAll('img')) {
      expect(fs.existsSync(path.join(book, 'dist', img.getAttribute('src')!))).toBe(true);
    }
    expect(document.querySelector('p > img')?.getAttribute('alt')).toBe('small');
    expect(document.querySelector('style')?.textContent).toContain('--text-font');
    expect(document.querySelector('meta[name="author"]')?.getAttribute('content')).toBe('First Author, Second Author');
  });

  it('writes into --out and leaves no staging folder behind', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const out = path.join(path.dirname(book), 'elsewhere');
    const run = await runCli(['build', book, '--out', out, '--format', 'html', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(fs.readdirSync(out).sort()).toEqual(['images', 'manifest.json', 'two-ways.html']);
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });

  it('refuses an unknown format', async () => {
    const book = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const run = await runCli(['build', book, '--format', 'docx']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('unknown format "docx"');
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });
});

describe('samizdat check', () => {
  it('exits non-zero on a broken footnote and names the file and line', () => {
    const book = copyBook(path.join(FIXTURES, 'diagnostics', 'missing-note'));
    const r = spawnCli(['check', book]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('manuscript/01.md:9: error: footnote reference [^ghost] has no definition');
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });

  it('passes the sample book', () => {
    const r = spawnCli(['check', REPO]);
    expect(r.stderr).toContain('check: no errors');
    expect(r.status).toBe(0);
  });
});

describe('command-line conventions', () => {
  it('names an unknown option and the nearest known one, prints the usage, exits 2 without a stack trace', () => {
    const r = spawnCli(['build', '--sise', 'A6', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('samizdat: unknown option --sise for "build" (did you mean --size?)');
    expect(r.stderr).toContain('Usage: samizdat build [DIR] [options]');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('names an unknown command and the nearest one, exits 2', async () => {
    const r = await runCli(['buidl', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('samizdat: unknown command "buidl" (did you mean "build"?)');
    expect(r.stderr).toContain('samizdat check [DIR]');
  });

  it('refuses an option of another command, a missing value and a value given to a switch', async () => {
    expect((await runCli(['verify', '--size', 'A5'])).stderr).toContain('unknown option --size for "verify"');
    const missing = await runCli(['build', '--size']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('option --size needs a value (--size SIZE)');
    expect((await runCli(['build', '--press=yes'])).stderr).toContain('option --press takes no value (got "yes")');
    expect((await runCli(['build', 'a', 'b'])).code).toBe(2);
  });

  it('prints the version of the package, the usage, and the help of a command', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    const version = await runCli(['--version']);
    expect(version).toEqual({ code: 0, stdout: `samizdat ${pkg.version}\n`, stderr: '' });
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['build', 'check', 'init', 'verify', 'help']) expect(help.stdout).toContain(`samizdat ${cmd} `);
    const buildHelp = await runCli(['help', 'build']);
    expect(buildHelp.code).toBe(0);
    expect(buildHelp.stdout).toContain('--signature N');
    expect((await runCli(['check', '--help'])).stdout).toBe((await runCli(['help', 'check'])).stdout);
    expect((await runCli(['help', 'nope'])).code).toBe(2);
  });

  it('shows a stack trace only with --debug', async () => {
    const missing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-verify-')), 'dist');
    const plain = await runCli(['verify', missing]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe(`samizdat: no manifest.json in ${missing}: build with samizdat first; nothing was written\n`);
    const debug = await runCli(['verify', missing, '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/^BuildError: no manifest.json/m);
    expect(debug.stderr).toMatch(/^\s+at verifyDist /m);
  });
});

describe('samizdat check takes the options of build', () => {
  /** A book with one 800 × 400 photo: 176 ppi across an A5 text block, 120 ppi across a letter one. */
  async function smallPhotoBook(): Promise<string> {
    const book = copyBook(path.join(FIXTURES, 'diagnostics', 'warnings'));
    fs.rmSync(path.join(book, 'manuscript'), { recursive: true });
    fs.mkdirSync(path.join(book, 'manuscript'));
    fs.mkdirSync(path.join(book, 'images'), { recursive: true });
    fs.writeFileSync(path.join(book, 'book.yaml'), 'title: Small photo\nlang: en\n');
    fs.writeFileSync(path.join(book, 'manuscript', '01.md'), '# One\n\nText.\n\n![A field](../images/field.jpg "A field.")\n');
    await sharp({ create: { width: 800, height: 400, channels: 3, background: '#6a8' } }).jpeg().toFile(path.join(book, 'images', 'field.jpg'));
    return book;
  }

  it('checks against --size, and refuses what build refuses', async () => {
    const book = await smallPhotoBook();
    const a5 = await runCli(['check', book]);
    expect(a5.code).toBe(0);
    expect(a5.stderr).not.toContain('low-resolution');
    const letter = await runCli(['check', book, '--size', 'letter']);
    expect(letter.code).toBe(0);
    expect(letter.stderr).toContain('manuscript/01.md:5: warning: image images/field.jpg is 800 × 400 pixels: only 121 ppi printed at the text width of a letter page');
    const bad = await runCli(['check', book, '--impose', 'booklet', '--signature', '6']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: --signature must be a multiple of 4 (4, 8, 16, 32…), not "6" [bad-option]');
  });

  it('refuses an output folder that is the book, and --press without Ghostscript, as build does', async () => {
    const book = await smallPhotoBook();
    const out = await runCli(['check', book, '--out', book]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`samizdat: the output folder ${book} is the book folder itself`);
    const path0 = process.env['PATH'];
    process.env['PATH'] = path.join(book, 'no-programs-here');
    try {
      for (const cmd of ['check', 'build']) {
        const press = await runCli([cmd, book, '--press', '--format', 'pdf', '--chrome', '/nonexistent/chromium']);
        expect(press.code).toBe(1);
        expect(press.stderr).toContain('error: --press needs Ghostscript: apt-get install ghostscript [press-needs-ghostscript]');
        expect(press.stderr).not.toContain('Chromium not found');
      }
    } finally {
      process.env['PATH'] = path0;
    }
    expect(fs.existsSync(path.join(book, 'dist'))).toBe(false);
  });

  it('refuses a truncated JPEG, and writes nothing into a read-only book folder', async () => {
    const broken = await smallPhotoBook();
    const jpeg = path.join(broken, 'images', 'field.jpg');
    fs.writeFileSync(jpeg, fs.readFileSync(jpeg).subarray(0, Math.floor(fs.statSync(jpeg).size / 2)));
    const book = await smallPhotoBook();
    const before = [snapshot(broken), snapshot(book)];
    makeReadOnly(broken, true);
    makeReadOnly(book, true);
    try {
      const bad = await runCli(['check', broken]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('manuscript/01.md:5: error: image images/field.jpg cannot be decoded');
      const ok = await runCli(['check', book]);
      expect(ok.stderr).toContain('check: no errors');
      expect(ok.code).toBe(0);
    } finally {
      makeReadOnly(broken, false);
      makeReadOnly(book, false);
    }
    // Nothing new in either book folder: no .cache/, no dist/ (as root, permissions do not stop writes: compare).
    expect([snapshot(broken), snapshot(book)]).toEqual(before);
  });
});

function snapshot(dir: string): string[] {
  return listFiles(dir).map((f) => `${f} ${fs.statSync(path.join(dir, f)).mtimeMs}`);
}

function makeReadOnly(dir: string, on: boolean): void {
  const walk = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      if (!on) fs.chmodSync(p, 0o755);
      for (const e of fs.readdirSync(p)) walk(path.join(p, e));
      if (on) fs.chmodSync(p, 0o555);
    } else fs.chmodSync(p, on ? 0o444 : 0o644);
  };
  walk(dir);
}
