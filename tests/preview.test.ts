/**
 * `samizdat preview` on a temporary copy of the sample book, run as the command line is (its own
 * process group, as a terminal runs it), viewed in real Chromium: pages and a footnote, an edit that
 * re-lays out only its chapter while the view stays on its page, a broken note shown over the pages
 * and cleared, clicking a paragraph for its file and line, refused requests, a port in use, Ctrl-C.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { findChrome, launchChrome, type RunningBrowser } from '../src/targets/pdf/chrome.js';
import { CLI_FROM_SOURCE, REPO } from './helpers/book.js';

const TIME_LIMIT_MS = 10_000;

function sampleCopy(): string {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-preview-')), 'book');
  for (const f of ['manuscript', 'images', 'styles', 'book.yaml']) fs.cpSync(path.join(REPO, f), path.join(dest, f), { recursive: true });
  return dest;
}

/** A free port, held open by a server of ours (so that the preview must take another). */
async function occupiedPort(): Promise<net.Server> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return s;
}

function request(port: number, p: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

type Info = { rev: number; applied: number; busy: boolean; ok: boolean; lastSource?: { file: string; line: number } };
const info = (page: Page) => page.evaluate(() => (window as unknown as { __samizdatPreview: Info }).__samizdatPreview);
/** Waits until the view shows the server's newest state. */
async function settled(page: Page, port: number, timeout = TIME_LIMIT_MS * 6): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const st = JSON.parse((await request(port, '/_preview/state')).body) as { rev: number };
    const i = await info(page);
    if (i.applied === st.rev && !i.busy) return;
    if (Date.now() > end) throw new Error(`the view did not settle (rev ${st.rev}, applied ${i.applied})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const overlay = (page: Page) =>
  page.evaluate(() => {
    const o = document.querySelector('samizdat-ui')!.shadowRoot!.querySelector('.overlay') as HTMLElement;
    return { shown: !o.hidden, text: o.textContent ?? '' };
  });
const currentPage = (page: Page) => page.evaluate(() => (window as unknown as { __samizdatPreview: { currentPage(): number } }).__samizdatPreview.currentPage());

describe('samizdat preview', () => {
  let book: string;
  let child: ChildProcess;
  let port = 0;
  let held: net.Server;
  let browser: RunningBrowser;
  let page: Page;
  let output = '';
  const file = () => path.join(book, 'manuscript', '01-opening.md');

  beforeAll(async () => {
    book = sampleCopy();
    held = await occupiedPort();
    const taken = (held.address() as net.AddressInfo).port;
    // A process group of its own: Ctrl-C in a terminal signals the whole group.
    child = spawn(process.execPath, [...CLI_FROM_SOURCE, 'preview', book, '--port', String(taken)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const end = Date.now() + 120_000;
    while (!/preview: http:\/\/127\.0\.0\.1:(\d+)\//.test(output)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`preview did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    port = Number(/preview: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)![1]);
    browser = await launchChrome(findChrome(undefined), 60_000);
    page = await browser.browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(`http://127.0.0.1:${port}/`);
    await settled(page, port);
  });

  afterAll(async () => {
    await browser?.close();
    held?.close();
    if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  });

  it('takes the next port when the one asked for is in use, on the loopback address only', () => {
    const taken = (held.address() as net.AddressInfo).port;
    expect(port).toBeGreaterThan(taken);
    expect(output).toContain(`port ${taken} is in use`);
  });

  it('shows the pages with each chapter, and a footnote at the foot of the page that calls it', async () => {
    const facts = await page.evaluate(() => {
      const pages = Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page'));
      const calls = pages.flatMap((p, i) => Array.from(p.querySelectorAll('[data-footnote-call]')).map((c) => ({ page: i, num: c.getAttribute('data-num') })));
      const notes = pages.flatMap((p, i) => Array.from(p.querySelectorAll('.pagedjs_footnote_area [data-footnote-marker][data-num]:not([data-split-from])')).map((n) => ({ page: i, num: n.getAttribute('data-num'), bottom: n.getBoundingClientRect().bottom, pageBottom: p.getBoundingClientRect().bottom, text: (n as HTMLElement).innerText.replace(/\u00ad/g, '') })));
      const headings = Array.from(document.querySelectorAll('#samizdat-pages h1')).map((h) => (h as HTMLElement).innerText.trim());
      return { pages: pages.length, calls, notes, headings };
    });
    const titles = fs.readdirSync(path.join(book, 'manuscript')).flatMap((f) => fs.readFileSync(path.join(book, 'manuscript', f), 'utf8').split('\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2).trim()));
    expect(facts.headings).toEqual(titles);
    expect(facts.pages).toBeGreaterThan(titles.length);
    // The first note: its marker on the page of its call, in the bottom part of that page.
    const call = facts.calls.find((c) => c.num === '1')!;
    const note = facts.notes.find((n) => n.num === '1')!;
    expect(note.page).toBe(call.page);
    expect(note.text).toContain('The invented imprint');
    expect(note.pageBottom - note.bottom).toBeLessThan(200);
  });

  it('clicking a paragraph shows its file and line', async () => {
    const lines = fs.readFileSync(file(), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('Those texts were enormously varied')) + 1;
    const target = await page.evaluateHandle(() => Array.from(document.querySelectorAll('#samizdat-pages p[data-b]')).find((p) => (p.textContent ?? '').replace(/\u00ad/g, '').startsWith('Those texts were'))!);
    await (target as unknown as { scrollIntoView(): Promise<void> }).scrollIntoView();
    await (target as unknown as { click(): Promise<void> }).click();
    await page.waitForFunction(() => !!(window as unknown as { __samizdatPreview: Info }).__samizdatPreview.lastSource, { timeout: 5000 });
    expect((await info(page)).lastSource).toMatchObject({ file: 'manuscript/01-opening.md', line });
  });

  it('an edit re-lays out only its chapter, in place, and the view stays on its page', async () => {
    const before = JSON.parse((await request(port, '/_preview/stats')).body) as { total: number; units: { key: string; kind: string; chapter: number; layouts: number }[] };
    const onPage = await currentPage(page);
    const text = fs.readFileSync(file(), 'utf8');
    const started = Date.now();
    // A word for one of the same length: the chapter keeps its lines, and the pages after it their numbers.
    fs.writeFileSync(file(), text.replace('Those texts were enormously varied.', 'Those texts were Quillfeath varied.'));
    await page.waitForFunction(() => (document.getElementById('samizdat-pages')!.textContent ?? '').replace(/\u00ad/g, '').includes('Quillfeath'), { timeout: TIME_LIMIT_MS, polling: 20 });
    const ms = Date.now() - started;
    process.stderr.write(`preview: save → updated page in ${ms} ms (sample book)\n`);
    expect(ms).toBeLessThan(TIME_LIMIT_MS);
    await settled(page, port);
    expect(await currentPage(page)).toBe(onPage);
    const after = JSON.parse((await request(port, '/_preview/stats')).body) as typeof before;
    const relaid = after.units.filter((u) => u.layouts > (before.units.find((b) => b.key === u.key)?.layouts ?? 0));
    // The chapter holding the paragraph (the second heading of the file is the book's second chapter).
    expect(relaid.map((u) => [u.kind, u.chapter])).toEqual([['chapter', 1]]);
    expect(after.total - before.total).toBe(relaid[0]!.layouts);
    fs.writeFileSync(file(), text);
    await page.waitForFunction(() => !(document.getElementById('samizdat-pages')!.textContent ?? '').replace(/\u00ad/g, '').includes('Quillfeath'), { timeout: TIME_LIMIT_MS * 6 });
    await settled(page, port);
  });

  it('a broken footnote shows its file and line over the last good pages; fixing it clears them', async () => {
    const text = fs.readFileSync(file(), 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /\[\^[^\]]+\]/.test(l) && !/^\[\^/.test(l));
    const label = /\[\^([^\]]+)\]/.exec(lines[at]!)![1]!;
    const pagesBefore = await page.evaluate(() => document.querySelectorAll('#samizdat-pages > .pagedjs_page').length);
    fs.writeFileSync(file(), lines.map((l, i) => (i === at ? l.replace(`[^${label}]`, '[^nowhere]') : l)).join('\n'));
    await page.waitForFunction(() => !(document.querySelector('samizdat-ui')!.shadowRoot!.querySelector('.overlay') as HTMLElement).hidden, { timeout: TIME_LIMIT_MS });
    const shown = await overlay(page);
    expect(shown.text).toContain(`manuscript/01-opening.md:${at + 1}`);
    expect(shown.text).toContain('[^nowhere]');
    expect(await page.evaluate(() => document.querySelectorAll('#samizdat-pages > .pagedjs_page').length)).toBe(pagesBefore);
    expect(output).toContain(`manuscript/01-opening.md:${at + 1}: error:`);
    fs.writeFileSync(file(), text);
    await page.waitForFunction(() => (document.querySelector('samizdat-ui')!.shadowRoot!.querySelector('.overlay') as HTMLElement).hidden, { timeout: TIME_LIMIT_MS });
    expect((await overlay(page)).shown).toBe(false);
  });

  it('the web edition and the EPUB view are one click away', async () => {
    const titles = fs.readFileSync(file(), 'utf8').split('\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2).trim());
    const click = (view: string) => page.evaluate((v) => (document.querySelector('samizdat-ui')!.shadowRoot!.querySelector(`button[data-view="${v}"]`) as HTMLElement).click(), view);
    await click('web');
    const web = await page.waitForFrame((f) => f.url().endsWith('/web/'), { timeout: TIME_LIMIT_MS });
    await web.waitForSelector('main h1', { timeout: TIME_LIMIT_MS });
    expect(await web.$$eval('main h1', (hs) => hs.map((h) => h.textContent!.trim()))).toEqual(expect.arrayContaining(titles));
    await click('epub');
    const reader = await page.waitForFrame((f) => f.url().endsWith('/epub/'), { timeout: 60_000 });
    await reader.waitForSelector('.epub-spine li', { timeout: 60_000 });
    const docs = await reader.$$eval('.epub-spine a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(docs.length).toBeGreaterThan(titles.length);
    // The chapter documents as a reader shows them: XHTML with the chapter's heading.
    const chapter = await request(port, new URL(docs.find((d) => /text-002/.test(d))!).pathname);
    expect(chapter.body).toContain('<?xml');
    expect(chapter.body).toContain(titles[1]);
    await click('print');
    expect(await page.evaluate(() => (document.getElementById('samizdat-web') as HTMLElement).hidden)).toBe(true);
  });

  it('refuses a foreign Host header and paths outside the book folder', async () => {
    expect((await request(port, '/')).status).toBe(200);
    expect((await request(port, '/', `evil.example:${port}`)).status).toBe(403);
    expect((await request(port, '/_preview/state', 'attacker.test')).status).toBe(403);
    expect((await request(port, '/book/manuscript/01-opening.md')).status).toBe(200);
    for (const p of ['/book/../../../../etc/passwd', '/book/%2e%2e/%2e%2e/etc/passwd', '/book/..%2f..%2fetc%2fpasswd', '/_img/..%2f..%2f..%2fetc%2fpasswd', '/_tool/fonts/..%2f..%2f..%2fpackage.json', '/etc/passwd']) {
      const r = await request(port, p);
      expect([403, 404]).toContain(r.status);
      expect(r.body).not.toMatch(/root:|"name"/);
    }
    fs.symlinkSync('/etc/passwd', path.join(book, 'images', 'escape.txt'));
    const out = await request(port, '/book/images/escape.txt');
    expect(out.status).toBe(404);
    expect(out.body).not.toContain('root:');
  });

  it('Ctrl-C stops the server and leaves no process behind', async () => {
    const pgid = child.pid!;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    process.kill(-pgid, 'SIGINT');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    // Zombies (<defunct>: tsx's esbuild helper, dead, waiting to be reaped by init) hold nothing.
    const left = spawnSync('ps', ['-o', 'pid=,stat=,args=', '-g', String(pgid)], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.trim() && !/^\s*\d+\s+Z/.test(l));
    expect(left).toEqual([]);
    await expect(request(port, '/')).rejects.toThrow();
  });
});

describe('samizdat preview of a book whose chapters run on (pdf.chapterStart: continue)', () => {
  it('an edit lays the book out again from the page where the edited chapter begins (or the nearest one before it that can be cut) until the pages come out as before, the same pages as a whole layout', async () => {
    const { startPreview } = await import('../src/preview/index.js');
    const { Logger } = await import('../src/util/log.js');
    const book = sampleCopy();
    const yaml = path.join(book, 'book.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/chapterStart: \w+/, 'chapterStart: continue'));
    const running = await startPreview(book, { port: 0, log: new Logger(true) });
    const chrome = await launchChrome(findChrome(undefined), 60_000);
    try {
      const view = await chrome.browser.newPage();
      await view.setViewport({ width: 1200, height: 900 });
      await view.goto(running.url);
      await settled(view, running.port);
      expect(running.session.state.units.map((u) => u.kind)).toEqual(['book']);
      // A chapter in the middle: where it and the one before it begin in the view (page numbers).
      const chapters = running.session.book!.chapters;
      const e = Math.floor(chapters.length / 2);
      const firstBlocks = running.session.state.units[0]!.chapters!.map((c) => c.firstBlock);
      const startPage = (k: number) =>
        view.evaluate((b) => Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page')).findIndex((p) => !!p.querySelector(`.pagedjs_page_content [data-b="${b}"]`)) + 1, firstBlocks[k]!);
      const edited = await startPage(e);
      const before = await startPage(e - 1);
      expect(before).toBeGreaterThan(1);
      expect(edited).toBeGreaterThan(before);
      const pagesBefore = await view.evaluate(() => {
        const pages = Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page'));
        pages.forEach((p, i) => ((p as unknown as { __mark: number }).__mark = i + 1));
        return pages.length;
      });
      const stats = async () => JSON.parse((await request(running.port, '/_preview/stats')).body) as { total: number; last: { from: number; kept: boolean; pages: number }[] };
      const laidBefore = (await stats()).total;
      // A paragraph of the chapter, one word for another of the same length.
      const file = path.join(book, chapters[e]!.source.file);
      const text = fs.readFileSync(file, 'utf8');
      const para = chapters[e]!.tokens.findIndex((t, i) => t.type === 'paragraph_open' && (chapters[e]!.tokens[i + 1]?.content.split(' ').length ?? 0) > 20);
      const line = chapters[e]!.tokens[para]!.map![0];
      const lines = text.split('\n');
      const word = lines[line]!.split(' ').find((w) => /^[a-z]{6}$/.test(w))!;
      lines[line] = lines[line]!.replace(word, 'Quillf');
      fs.writeFileSync(file, lines.join('\n'));
      await view.waitForFunction(() => (document.getElementById('samizdat-pages')!.textContent ?? '').replace(/\u00ad/g, '').includes('Quillf'), { timeout: TIME_LIMIT_MS, polling: 20 });
      await settled(view, running.port);
      const after = await stats();
      // One layout, from a page after the previous chapter's first page and not after the edited one's.
      expect(after.total - laidBefore).toBe(1);
      const last = after.last.at(-1)!;
      expect(last.kept).toBe(true);
      expect(last.from).toBeGreaterThan(before);
      expect(last.from).toBeLessThanOrEqual(edited);
      // The pages before it are the ones shown before, untouched; then the new ones; and once the
      // layout came back to a page as it was (after the edited chapter), the rest are the old ones.
      const marks = await view.evaluate(() => Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page'), (p) => (p as unknown as { __mark?: number }).__mark ?? 0));
      const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
      expect(marks.length).toBe(pagesBefore);
      expect(marks.slice(0, last.from - 1)).toEqual(range(1, last.from - 1));
      expect(marks.slice(last.from - 1, last.from - 1 + last.pages).every((m) => m === 0)).toBe(true);
      const rest = marks.slice(last.from - 1 + last.pages);
      expect(rest.length).toBeGreaterThan(0);
      expect(rest).toEqual(range(pagesBefore - rest.length + 1, pagesBefore));
      // Those pages are what a whole layout makes (the same print of each page: text, places, heads);
      // another view of the same state lays the whole book out.
      const prints = (p: Page) => p.evaluate(() => Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page'), (el) => (el.querySelector('.colophon') ? el.textContent : el.getAttribute('data-samizdat-print'))));
      const other = await chrome.browser.newPage();
      await other.setViewport({ width: 1200, height: 900 });
      await other.goto(running.url);
      await settled(other, running.port);
      expect(await prints(view)).toEqual(await prints(other));
      await other.close();
      // A new paragraph long enough to push the pages after it on: laid out from there again, and the
      // contents (laid out before, on the pages kept) give each chapter the page it is on now.
      const longer = lines.slice();
      longer.splice(line, 0, 'Quillpaper ' + Array.from({ length: 700 }, (_, i) => ['ink', 'paper', 'stencil', 'drum', 'toner'][i % 5]).join(' ') + '.', '');
      fs.writeFileSync(file, longer.join('\n'));
      await view.waitForFunction(() => (document.getElementById('samizdat-pages')!.textContent ?? '').replace(/\u00ad/g, '').includes('Quillpaper'), { timeout: TIME_LIMIT_MS, polling: 20 });
      await settled(view, running.port);
      expect(await view.evaluate(() => document.querySelectorAll('#samizdat-pages > .pagedjs_page').length)).toBeGreaterThan(pagesBefore);
      const pushed = (await stats()).last.at(-1)!;
      expect(pushed.kept).toBe(true);
      expect(pushed.from).toBeGreaterThan(before);
      expect(pushed.from).toBeLessThanOrEqual(edited);
      const contents = () =>
        view.evaluate(() => {
          const pages = Array.from(document.querySelectorAll('#samizdat-pages > .pagedjs_page'));
          return Array.from(document.querySelectorAll('#samizdat-pages nav.toc a[href^="#"]'), (a) => {
            const target = document.getElementById(a.getAttribute('href')!.slice(1))!;
            return [getComputedStyle(a, '::after').content, `"${pages.indexOf(target.closest('.pagedjs_page')!) + 1}"`] as [string, string];
          });
        });
      const entries = await contents();
      expect(entries.length).toBe(running.session.book!.outline.flatMap(function all(s): unknown[] { return [s, ...s.children.flatMap(all)]; }).length);
      for (const [shownNumber, page] of entries) expect(shownNumber).toBe(page);
      expect(entries.some(([n]) => Number(n.replace(/"/g, '')) > edited)).toBe(true);
      // The same pages (text, where each block stands, running heads) as the whole book laid out anew.
      // (The colophon's sources hash, laid out before the edit, is brought up to date in its text.)
      const incremental = await prints(view);
      await view.reload();
      await settled(view, running.port);
      expect((await stats()).last.at(-1)!.from).toBe(1);
      expect(await prints(view)).toEqual(incremental);
      expect(incremental.every(Boolean)).toBe(true);
    } finally {
      await chrome.close();
      await running.close();
      fs.rmSync(path.dirname(book), { recursive: true, force: true });
    }
  });
});

describe('samizdat build --watch', () => {
  it('rebuilds dist/ on each save; a broken save leaves the last good build whole', async () => {
    const { watchBuild } = await import('../src/preview/index.js');
    const { Logger } = await import('../src/util/log.js');
    const { copyBook, FIXTURES } = await import('./helpers/book.js');
    const dir = copyBook(path.join(FIXTURES, 'books', 'paths'));
    const md = path.join(dir, 'manuscript', '01.md');
    const out = path.join(dir, 'dist', 'two-ways.html');
    const results: boolean[] = [];
    const watch = await watchBuild(dir, { format: 'html' }, { log: new Logger(true), onBuilt: (ok) => results.push(ok) });
    try {
      expect(results).toEqual([true]);
      expect(fs.readFileSync(out, 'utf8')).toContain('Relative to the book folder');
      const until = async (n: number) => {
        const end = Date.now() + TIME_LIMIT_MS;
        while (results.length < n) {
          if (Date.now() > end) throw new Error(`no build after the save (${results.length} so far)`);
          await new Promise((r) => setTimeout(r, 50));
        }
        await watch.idle();
      };
      const text = fs.readFileSync(md, 'utf8');
      fs.writeFileSync(md, text.replace('as many writers type it', 'as Quillfeather types it'));
      await until(2);
      expect(results[1]).toBe(true);
      expect(fs.readFileSync(out, 'utf8')).toContain('as Quillfeather types it');
      // A note called but never defined: the build fails and dist/ keeps the previous edition.
      fs.writeFileSync(md, text.replace('image stays in its sentence.[^n]', 'image stays in its sentence.[^gone]'));
      await until(3);
      expect(results[2]).toBe(false);
      expect(fs.readFileSync(out, 'utf8')).toContain('as Quillfeather types it');
      expect(fs.readdirSync(path.join(dir, 'dist')).filter((f) => f.includes('staging'))).toEqual([]);
    } finally {
      await watch.close();
    }
  });
});
