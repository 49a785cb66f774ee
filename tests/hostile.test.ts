/**
 * A book folder is untrusted input. Each case is a copy of a small book made hostile at run time
 * (symbolic links out of the folder, a planted cache entry, things in the way of the outputs, an
 * absurd title); each asserts the exact message, the exit code, and that the output folder is
 * byte for byte as it was.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { Stage } from '../src/output/stage.js';
import { copyBook, FIXTURES, listFiles, runCli } from './helpers/book.js';
import { imageStats, resetImageStats } from '../src/assets/images.js';

const PATHS = path.join(FIXTURES, 'books', 'paths');

/** Every file and link below `dir` with a hash of its bytes (links: of their target text). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      const abs = path.join(dir, r);
      if (e.isSymbolicLink()) out[r] = `link:${fs.readlinkSync(abs)}`;
      else if (e.isDirectory()) walk(r);
      else out[r] = crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/** A copy of the paths book with older outputs in dist/, so "unchanged" means something. */
function bookWithOldDist(): { book: string; dist: string } {
  const book = copyBook(PATHS);
  const dist = path.join(book, 'dist');
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'two-ways.html'), '<p>the previous edition</p>\n');
  fs.writeFileSync(path.join(dist, 'manifest.json'), '{"previous": true}\n');
  return { book, dist };
}

/** An outside folder (not inside the book) with a file in it. */
function outsideFile(name: string, data: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-outside-'));
  fs.writeFileSync(path.join(dir, name), data);
  return path.join(dir, name);
}

const LINK_HINT = 'outside the book folder; samizdat reads only files inside the book folder (copy the file in instead of linking to it) [outside-project]';

describe('symbolic links out of the book folder are refused', () => {
  it('a manuscript file linked to a system file', async () => {
    const { book, dist } = bookWithOldDist();
    const target = outsideFile('passwd', 'root:x:0:0:root:/root:/bin/bash\n');
    fs.symlinkSync(target, path.join(book, 'manuscript', '02.md'));
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html,epub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`manuscript/02.md: error: manuscript/02.md leads through a symbolic link to ${target}, ${LINK_HINT}`);
    expect(r.stderr).not.toContain('root:x:0:0');
    expect(snapshot(dist)).toEqual(before);
  });

  it('a stylesheet linked out, and a chapter listed in book.yaml that is a link out', async () => {
    const { book, dist } = bookWithOldDist();
    const css = outsideFile('hostname', 'secret-host-name\n');
    fs.mkdirSync(path.join(book, 'styles'));
    fs.symlinkSync(css, path.join(book, 'styles', 'web.css'));
    fs.symlinkSync(css, path.join(book, 'manuscript', 'extra.txt'));
    fs.appendFileSync(path.join(book, 'book.yaml'), 'chapters:\n  - 01.md\n  - extra.txt\n');
    const line = fs.readFileSync(path.join(book, 'book.yaml'), 'utf8').split('\n').indexOf('chapters:') + 1;
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`styles/web.css: error: styles/web.css leads through a symbolic link to ${css}, ${LINK_HINT}`);
    expect(r.stderr).toContain(`book.yaml:${line}: error: chapter "extra.txt": manuscript/extra.txt leads through a symbolic link to ${css}, ${LINK_HINT}`);
    expect(snapshot(dist)).toEqual(before);
  });

  it('an images folder linked to another folder: every reference names its line', async () => {
    const { book, dist } = bookWithOldDist();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-outside-'));
    fs.cpSync(path.join(book, 'images'), elsewhere, { recursive: true });
    fs.rmSync(path.join(book, 'images'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(book, 'images'));
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html']);
    expect(r.code).toBe(1);
    // manuscript/01.md refers to images on lines 5, 9 and 11 (see the fixture).
    expect(r.stderr).toContain(`manuscript/01.md:5: error: image images/one.jpg: images/one.jpg leads through a symbolic link to ${path.join(elsewhere, 'one.jpg')}, ${LINK_HINT}`);
    expect(r.stderr).toContain(`manuscript/01.md:9: error: image ../images/two.jpg: images/two.jpg leads through a symbolic link to ${path.join(elsewhere, 'two.jpg')}, ${LINK_HINT}`);
    expect(r.stderr).toContain(`manuscript/01.md:11: error: image ../images/one.jpg:`);
    expect(snapshot(dist)).toEqual(before);
  });

  it('a link that stays inside the book folder is fine', async () => {
    const book = copyBook(PATHS);
    fs.mkdirSync(path.join(book, 'pictures'));
    fs.renameSync(path.join(book, 'images', 'two.jpg'), path.join(book, 'pictures', 'two.jpg'));
    fs.symlinkSync(path.join('..', 'pictures', 'two.jpg'), path.join(book, 'images', 'two.jpg'));
    const r = await runCli(['build', book, '--format', 'html', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('the image cache is verified, never trusted by name', () => {
  it('a planted link or wrong bytes in the cache are made again, never shipped', async () => {
    const book = copyBook(PATHS);
    expect((await runCli(['build', book, '--format', 'html', '--quiet'])).code).toBe(0);
    const shipped = snapshot(path.join(book, 'dist'));
    const variants = path.join(book, '.cache', 'samizdat', 'images', 'variants');
    const files = fs.readdirSync(variants).filter((f) => f.endsWith('.jpg')).sort();
    expect(files).toHaveLength(2);
    const secret = outsideFile('passwd', 'root:x:0:0:root:/root:/bin/bash\n');
    fs.rmSync(path.join(variants, files[0]!));
    fs.symlinkSync(secret, path.join(variants, files[0]!));
    // Same size, other bytes: only the hash tells.
    const other = fs.readFileSync(path.join(variants, files[1]!));
    other.writeUInt8(other.readUInt8(other.length - 3) ^ 0xff, other.length - 3);
    fs.writeFileSync(path.join(variants, files[1]!), other);
    resetImageStats();
    const r = await runCli(['build', book, '--format', 'html', '--quiet']);
    expect(r.code).toBe(0);
    expect(imageStats().processed).toBe(2);
    expect(imageStats().cacheHits).toBe(0);
    // The outputs are exactly those of the clean build, and the cache holds plain files again.
    expect(snapshot(path.join(book, 'dist'))).toEqual(shipped);
    for (const f of files) expect(fs.lstatSync(path.join(variants, f)).isFile()).toBe(true);
  });
});

describe('the cache folder is not a way out either', () => {
  it('a .cache linked out of the book folder is refused before anything is written there', async () => {
    const { book, dist } = bookWithOldDist();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-outside-'));
    fs.symlinkSync(elsewhere, path.join(book, '.cache'));
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`.cache: error: .cache leads through a symbolic link to ${elsewhere}, outside the book folder; samizdat keeps its image cache inside the book folder (remove the link) [outside-project]`);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(snapshot(dist)).toEqual(before);
  });
});

describe('outputs move in all at once or not at all', () => {
  it('a file named images where the images folder goes: error before anything moves', async () => {
    const { book, dist } = bookWithOldDist();
    fs.writeFileSync(path.join(dist, 'images'), 'not a folder\n');
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html,epub']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`samizdat: ${path.join(dist, 'images')} is a file where samizdat writes a folder; move it away or choose another --out; nothing was written`);
    expect(snapshot(dist)).toEqual(before);
    expect(fs.readdirSync(dist).filter((f) => f.startsWith('.samizdat-staging'))).toEqual([]);
  });

  it('a folder where a file goes', async () => {
    const { book, dist } = bookWithOldDist();
    fs.rmSync(path.join(dist, 'manifest.json'));
    fs.mkdirSync(path.join(dist, 'manifest.json'));
    const before = snapshot(dist);
    const r = await runCli(['build', book, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`samizdat: ${path.join(dist, 'manifest.json')} is a folder where samizdat writes a file; move it away or choose another --out; nothing was written`);
    expect(snapshot(dist)).toEqual(before);
  });

  it('a move that fails half-way puts everything back', () => {
    const { dist } = bookWithOldDist();
    const before = snapshot(dist);
    const stage = new Stage(dist);
    stage.write('two-ways.html', '<p>new</p>\n', 'html');
    stage.write('images/one-00000000.jpg', 'jpeg', 'html');
    stage.write('manifest.json', '{}\n', 'manifest');
    // The third rename (of three files, each: old aside, new in) fails as a full or read-only disk would.
    const real = fs.renameSync;
    let calls = 0;
    const spy = vi.spyOn(fs, 'renameSync').mockImplementation((a, b) => {
      if (++calls === 3) throw Object.assign(new Error('EROFS: read-only file system, rename'), { code: 'EROFS', path: String(a) });
      real(a, b);
    });
    try {
      expect(() => stage.commit()).toThrow(/^the outputs could not be moved into .*: .* is on a read-only file system; the output folder was left as it was$/);
    } finally {
      spy.mockRestore();
    }
    stage.abort();
    expect(snapshot(dist)).toEqual(before);
    expect(fs.readdirSync(dist).sort()).toEqual(['manifest.json', 'two-ways.html']);
  });

  it('--out may not be the book folder, contain it, or lie in its manuscript/images/styles', async () => {
    const book = copyBook(PATHS);
    const before = snapshot(path.dirname(book));
    const cases: [string, string][] = [
      [book, `the output folder ${book} is the book folder itself; outputs would overwrite the book (use the default dist/ or another --out)`],
      [path.dirname(book), `the output folder ${path.dirname(book)} contains the book folder; choose a folder beside or inside it (the default is dist/)`],
      [path.join(book, 'images', 'out'), `the output folder ${path.join(book, 'images', 'out')} is inside the book's images/ folder; outputs would become part of the book (the default is dist/)`],
      [path.join(book, 'manuscript'), `the output folder ${path.join(book, 'manuscript')} is inside the book's manuscript/ folder; outputs would become part of the book (the default is dist/)`],
    ];
    for (const [out, message] of cases) {
      const r = await runCli(['build', book, '--out', out, '--format', 'html']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`samizdat: ${message}; nothing was written\n`);
    }
    expect(snapshot(path.dirname(book))).toEqual(before);
  });
});

describe('file-system problems are sentences', () => {
  it('an output folder below a file (ENOTDIR)', async () => {
    const book = copyBook(PATHS);
    const out = path.join(book, 'book.yaml', 'dist');
    const r = await runCli(['build', book, '--out', out, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`samizdat: cannot create the output folder: ${out} cannot be used: a part of its path is a file, not a folder; nothing was written\n`);
  });

  it('a manuscript folder that is a file, a book folder that is a file', async () => {
    const book = copyBook(PATHS);
    fs.rmSync(path.join(book, 'manuscript'), { recursive: true });
    fs.writeFileSync(path.join(book, 'manuscript'), 'oops\n');
    const r = await runCli(['check', book]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('manuscript: error: manuscript cannot be used: a part of its path is a file, not a folder');
    const r2 = await runCli(['check', path.join(book, 'book.yaml')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain(`error: ${path.join(book, 'book.yaml')} is a file, not a book folder [no-book]`);
  });

  it('a 5,000-character title gives a shortened file name', async () => {
    const book = copyBook(PATHS);
    const words = Array.from({ length: 1000 }, (_, i) => `word${i}`);
    const yaml = fs.readFileSync(path.join(book, 'book.yaml'), 'utf8').replace(/^title:.*$/m, `title: "${words.join(' ')}"`).replace(/^slug:.*\n/m, '');
    fs.writeFileSync(path.join(book, 'book.yaml'), yaml);
    const r = await runCli(['build', book, '--format', 'html', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // word0-word1-…: whole words up to 80 characters (hand count: 5 + 14×6 would pass 80; 13 fit).
    const expected = words.slice(0, words.findIndex((_, i) => words.slice(0, i + 1).join('-').length > 80)).join('-');
    expect(expected.length).toBeLessThanOrEqual(80);
    expect(listFiles(path.join(book, 'dist')).filter((f) => f.endsWith('.html'))).toEqual([`${expected}.html`]);
  });
});
