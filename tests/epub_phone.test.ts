/**
 * The EPUB's chapters and the web edition on a phone: the sample's documents opened in real Chromium
 * at 390×844 CSS pixels (an ordinary phone) with the book's own stylesheet. Every figure fits the
 * screen (portrait photos included), nothing runs off the side, the notes section follows the text
 * with its heading, back-links are underlined and interview questions are set off from the answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import sharp from 'sharp';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBook, FIXTURES, REPO, runCli } from './helpers/book.js';
import { findChrome, launchChrome, type RunningBrowser } from '../src/targets/pdf/chrome.js';
import { labelsFor } from '../src/i18n/labels.js';

const PHONE = { width: 390, height: 844 };

let dir: string;
let chrome: RunningBrowser;
let page: Page;
/** Text documents of the EPUBs (the sample's and the article's), in spine order. */
let chapters: string[];
/** The web editions. */
let webs: string[];

/** Builds the EPUB and web edition of `src`; unpacks the EPUB; returns its text documents and the web page. */
async function buildBook(src: string, name: string): Promise<{ chapters: string[]; web: string }> {
  const book = copyBook(src, name);
  const run = await runCli(['build', book, '--format', 'epub,html', '--quiet']);
  expect(run.code, run.stderr).toBe(0);
  dir = path.join(book, 'dist');
  const epub = fs.readdirSync(dir).find((f) => f.endsWith('.epub'))!;
  const zip = await JSZip.loadAsync(fs.readFileSync(path.join(dir, epub)));
  const unpacked = path.join(path.dirname(book), 'unpacked');
  for (const [entryName, entry] of Object.entries(zip.files)) {
    if (entry.dir) continue;
    fs.mkdirSync(path.dirname(path.join(unpacked, entryName)), { recursive: true });
    fs.writeFileSync(path.join(unpacked, entryName), await entry.async('nodebuffer'));
  }
  const oebps = path.join(unpacked, 'OEBPS');
  return {
    chapters: fs.readdirSync(oebps).filter((f) => /^text-\d+\.xhtml$/.test(f)).sort().map((f) => path.join(oebps, f)),
    web: path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.html'))!),
  };
}

beforeAll(async () => {
  // The sample (landscape and 2:3 portrait photos) and an article with a tall 5:14 picture.
  const books = [await buildBook(REPO, 'sample'), await buildBook(path.join(FIXTURES, 'epub-article'), 'article')];
  chapters = books.flatMap((b) => b.chapters);
  webs = books.map((b) => b.web);
  chrome = await launchChrome(findChrome(undefined), 60_000);
  page = await chrome.browser.newPage();
  await page.setViewport({ ...PHONE, deviceScaleFactor: 1 });
}, 180_000);

afterAll(async () => {
  await chrome?.close();
});

interface Shown {
  images: { src: string; width: number; height: number; natural: [number, number] }[];
  scrollWidth: number;
}

async function open(file: string): Promise<Shown> {
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page.evaluate(() => ({
    images: Array.from(document.querySelectorAll('figure img')).map((i) => {
      const r = i.getBoundingClientRect();
      const img = i as HTMLImageElement;
      return { src: img.getAttribute('src') ?? '', width: r.width, height: r.height, natural: [img.naturalWidth, img.naturalHeight] as [number, number] };
    }),
    scrollWidth: document.documentElement.scrollWidth,
  }));
}

describe('the EPUB on a 390×844 phone screen', () => {
  it('fits every figure on the screen, portrait photos included, and nothing runs off the side', async () => {
    let figures = 0;
    let portrait = 0;
    let tall = 0;
    for (const f of chapters) {
      const shown = await open(f);
      expect(shown.scrollWidth, f).toBeLessThanOrEqual(PHONE.width);
      for (const img of shown.images) {
        expect(img.natural[0], img.src).toBeGreaterThan(0);
        expect(img.width, img.src).toBeLessThanOrEqual(PHONE.width);
        expect(img.height, img.src).toBeLessThanOrEqual(PHONE.height * 0.9 + 1);
        // Scaled, not cropped or stretched: the box keeps the picture's proportions (object-fit: contain).
        expect(Math.abs(img.width / img.height - img.natural[0] / img.natural[1]), img.src).toBeLessThan(0.02);
        figures++;
        if (img.natural[1] > img.natural[0]) portrait++;
        // Fitted to the width alone, this one would be taller than the screen.
        if ((img.natural[1] / img.natural[0]) * PHONE.width > PHONE.height) tall++;
      }
    }
    expect(figures).toBeGreaterThan(3);
    expect(portrait).toBeGreaterThan(1);
    expect(tall).toBeGreaterThan(0);
  });

  it('shows a chapter’s notes after its text under a heading, with underlined back-links (screenshot)', async () => {
    const withNotes = chapters.find((f) => fs.readFileSync(f, 'utf8').includes('doc-endnotes'))!;
    await open(withNotes);
    const notes = await page.evaluate(() => {
      const section = document.querySelector('section[role="doc-endnotes"]')!;
      const heading = section.querySelector('h2, h3')!;
      const back = section.querySelector('a.note-number')!;
      const text = document.querySelector('section > p')!;
      return {
        heading: heading.textContent,
        headingTop: heading.getBoundingClientRect().top + window.scrollY,
        textBottom: text.getBoundingClientRect().bottom + window.scrollY,
        backDecoration: getComputedStyle(back).textDecorationLine,
        headingHeight: heading.getBoundingClientRect().height,
      };
    });
    expect(notes.heading).toBe(labelsFor('en').notes);
    expect(notes.headingTop).toBeGreaterThan(notes.textBottom);
    expect(notes.headingHeight).toBeGreaterThan(0);
    expect(notes.backDecoration).toContain('underline');
    // A screenshot of the whole chapter at phone width: the page is as wide as the phone, no wider.
    const shot = path.join(dir, 'phone-chapter.png');
    await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    const m = await sharp(shot).metadata();
    expect(m.width).toBe(PHONE.width);
    expect(m.height).toBeGreaterThan(PHONE.height);
  });

  it('sets interview questions off from the answers', async () => {
    const interview = chapters.find((f) => fs.readFileSync(f, 'utf8').includes('class="question"'))!;
    await open(interview);
    const styles = await page.evaluate(() =>
      ['p.question', 'p.answer'].map((s) => {
        const p = document.querySelector(s)!;
        return { style: getComputedStyle(p).fontStyle, indent: getComputedStyle(p).textIndent };
      }),
    );
    expect(styles[0]!.style).toBe('italic');
    expect(styles[1]!.style).toBe('normal');
    expect(styles.map((s) => s.indent)).toEqual(['0px', '0px']);
  });
});

describe('the web edition on a 390×844 phone screen', () => {
  it('fits every figure on the screen and sets interview questions off from the answers', async () => {
    let figures = 0;
    for (const web of webs) {
      const shown = await open(web);
      expect(shown.scrollWidth).toBeLessThanOrEqual(PHONE.width);
      for (const img of shown.images) {
        expect(img.natural[0], img.src).toBeGreaterThan(0);
        expect(img.width, img.src).toBeLessThanOrEqual(PHONE.width);
        expect(img.height, img.src).toBeLessThanOrEqual(PHONE.height * 0.9 + 1);
        figures++;
      }
      const styles = await page.evaluate(() => ['p.question', 'p.answer'].map((s) => getComputedStyle(document.querySelector(s)!).fontStyle));
      expect(styles).toEqual(['italic', 'normal']);
      const backs = await page.evaluate(() => Array.from(document.querySelectorAll('a[role="doc-backlink"]')).map((a) => getComputedStyle(a).textDecorationLine));
      expect(backs.length).toBeGreaterThan(0);
      for (const d of backs) expect(d).toContain('underline');
    }
    expect(figures).toBeGreaterThan(4);
  });
});
