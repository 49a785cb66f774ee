/**
 * How fast `samizdat preview` shows an edit: the time from writing a manuscript file to the new text
 * standing in the laid-out page of the view (real Chromium, the system's), and to the view being
 * settled (figure floats done), with how many chapters were laid out again for it.
 *
 *   npx tsx scripts/bench-preview.ts                 the sample book (a copy of this repository's)
 *   npx tsx scripts/bench-preview.ts --long          the generated ~950-page book (40 chapters)
 *   npx tsx scripts/bench-preview.ts --book DIR      a copy of DIR
 *   --edits N (default 5): edits, each in another paragraph of a chapter in the middle of the book
 *   --continue: with pdf.chapterStart: continue (chapters run on: the view lays out from a page on)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'puppeteer-core';
import { startPreview } from '../src/preview/index.js';
import { findChrome, launchChrome } from '../src/targets/pdf/chrome.js';
import { Logger } from '../src/util/log.js';
import { generateBook, generatePlates } from './generate-book.js';

const REPO = path.resolve(import.meta.dirname, '..');

interface Info {
  rev: number;
  applied: number;
  busy: boolean;
  layouts: number;
  currentPage(): number;
  goToPage(n: number): void;
}

const info = (page: Page) => page.evaluate(() => {
  const i = (window as unknown as { __samizdatPreview: Info }).__samizdatPreview;
  return { rev: i.rev, applied: i.applied, busy: i.busy, layouts: i.layouts };
});

async function settled(page: Page, rev: () => number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const i = await info(page);
    if (i.applied === rev() && !i.busy) return;
    if (Date.now() > end) throw new Error(`the view did not settle in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { long: { type: 'boolean' }, book: { type: 'string' }, edits: { type: 'string' }, continue: { type: 'boolean' } } });
  const edits = Number(values.edits ?? 5);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-bench-preview-'));
  const book = path.join(tmp, 'book');
  let label: string;
  if (values.long) {
    generateBook({ out: book, chapters: 40, words: 250000, notes: 400, figures: 80, seed: 1 });
    await generatePlates(book, 1);
    label = 'generated book (40 chapters, 250,000 words)';
  } else {
    const src = values.book ? path.resolve(values.book) : REPO;
    const parts = values.book ? fs.readdirSync(src).filter((f) => f !== 'dist' && f !== '.cache') : ['manuscript', 'images', 'styles', 'book.yaml'];
    for (const f of parts) fs.cpSync(path.join(src, f), path.join(book, f), { recursive: true });
    label = values.book ? `copy of ${values.book}` : 'the sample book';
  }
  if (values.continue) {
    const yaml = path.join(book, 'book.yaml');
    const text = fs.readFileSync(yaml, 'utf8');
    fs.writeFileSync(yaml, /chapterStart:/.test(text) ? text.replace(/chapterStart: \w+/, 'chapterStart: continue') : `${text}\npdf:\n  chapterStart: continue\n`);
    label += ', chapters run on';
  }
  const running = await startPreview(book, { port: 0, log: new Logger(true) });
  const chrome = await launchChrome(findChrome(undefined), 120_000);
  try {
    const page = await chrome.browser.newPage();
    await page.setViewport({ width: 1300, height: 900 });
    const t0 = performance.now();
    await page.goto(running.url);
    await settled(page, () => running.session.state.rev, 900_000);
    const firstMs = performance.now() - t0;
    const pages = await page.evaluate(() => document.querySelectorAll('#samizdat-pages > .pagedjs_page').length);
    const chapters = running.session.book!.chapters;
    process.stdout.write(`${label}: ${pages} pages, ${chapters.length} chapters; first view settled in ${(firstMs / 1000).toFixed(1)} s\n`);

    // Paragraphs of the chapter in the middle: one edit each, the view on the edited page.
    const ch = chapters[Math.floor(chapters.length / 2)]!;
    const file = path.join(book, ch.source.file);
    const paragraphs = ch.tokens.filter((t, i) => t.type === 'paragraph_open' && t.map && ch.tokens[i + 1]?.content.split(' ').length! > 30).map((t) => t.map![0]);
    const shown: number[] = [];
    const done: number[] = [];
    const relaid: number[] = [];
    const froms: string[] = [];
    for (let k = 0; k < edits; k++) {
      const line = paragraphs[Math.floor(((k + 1) * paragraphs.length) / (edits + 1))]!;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const word = `Benchmark${k}word`;
      const words = lines[line]!.split(' ');
      words.splice(3, 0, word);
      lines[line] = words.join(' ');
      // Look at the page the paragraph is on, as a writer would.
      await page.evaluate((w) => {
        const el = Array.from(document.querySelectorAll('#samizdat-pages [data-b]')).find((e) => (e.textContent ?? '').replace(/\u00ad/g, '').includes(w));
        el?.scrollIntoView();
      }, words.slice(4, 10).join(' '));
      const before = (await info(page)).layouts;
      // The first page holding the new word as it goes into the view, and the next frame after it
      // (painted): seen by a mutation observer, so that looking costs the view nothing meanwhile.
      await page.evaluate((w) => {
        const win = window as unknown as { __benchShown?: number };
        win.__benchShown = undefined;
        const obs = new MutationObserver((records) => {
          for (const r of records) for (const n of Array.from(r.addedNodes)) {
            if (!(n.textContent ?? '').replace(/\u00ad/g, '').includes(w)) continue;
            obs.disconnect();
            requestAnimationFrame(() => (win.__benchShown = performance.timeOrigin + performance.now()));
            return;
          }
        });
        obs.observe(document.getElementById('samizdat-pages')!, { childList: true });
      }, word);
      const t = Date.now();
      fs.writeFileSync(file, lines.join('\n'));
      await page.waitForFunction(() => (window as unknown as { __benchShown?: number }).__benchShown !== undefined, { timeout: 120_000, polling: 50 });
      const at = await page.evaluate(() => (window as unknown as { __benchShown: number }).__benchShown);
      shown.push(at - t);
      await new Promise((r) => setTimeout(r, 100));
      await settled(page, () => running.session.state.rev, 120_000);
      done.push(Date.now() - t);
      if (process.env['SAMIZDAT_PREVIEW_PROFILE']) process.stderr.write(`view phases (ms from the state's arrival): ${JSON.stringify(await page.evaluate(() => (window as unknown as { __samizdatPreview: { phases: unknown } }).__samizdatPreview.phases))}\n`);
      relaid.push((await info(page)).layouts - before);
      froms.push(running.server.layouts.last.slice(-(relaid.at(-1)! || Infinity), relaid.at(-1)! ? undefined : 0).map((l) => `${l.pages} pages from page ${l.from} in ${Math.round(l.ms)} ms${l.kept ? "" : " (dropped)"}`).join(' + '));
    }
    process.stdout.write(
      `edit in chapter ${chapters.indexOf(ch) + 1} (${ch.source.file}), ${edits} edits: save → new text in the page ${median(shown).toFixed(0)} ms median ` +
        `(${shown.map((x) => x.toFixed(0)).join(', ')}); settled ${median(done).toFixed(0)} ms median; layouts per edit: ${relaid.join(', ')} (${froms.join('; ')})\n`,
    );
  } finally {
    await chrome.close();
    await running.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`bench-preview: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
