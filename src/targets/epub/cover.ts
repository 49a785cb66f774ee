/**
 * The EPUB's cover image, drawn with sharp at 1600×2560 after the print cover's layout (styles/cover.css):
 *   pictorial    the book's cover image over the whole picture (cover fit), title, subtitle and
 *                authors on a light band across its lower part
 *   typographic  without a cover image: the words on one dark colour, a rule between title and author
 * so store thumbnails and library views show the title. The words are set in the book's font stack
 * from @fontsource (Source Serif 4, Noto for other scripts; WOFF files unpacked to TrueType for Pango),
 * not in whatever fonts the machine has. The result is cached beside the image variants.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type sharpType from 'sharp';
import { sharp as sharpLib } from '../../assets/sharp.js';
import type { Book } from '../../model/types.js';
import { cacheKey, imageCacheDir, writeAtomic } from '../../assets/cache.js';
import { fontFileName, fontFilePath, planStack } from '../../assets/fonts.js';
import { directionOf } from '../../i18n/direction.js';

export const COVER_WIDTH = 1600;
export const COVER_HEIGHT = 2560;

/** The colours and proportions of styles/cover.css, in pixels of a 1600×2560 cover. */
const W = COVER_WIDTH;
const H = COVER_HEIGHT;
const SAFE = Math.round(0.09 * W);
const INK = '#1b1b1b';
const PAPER = '#fbf8f1';
const NIGHT = '#23304a';
const CREAM = '#f6f1e4';
const GOLD = '#e2b64b';
const RULE = 6;

/** WOFF 1.0 → the SFNT (TrueType/OpenType) it wraps: each table inflated when it was compressed. */
export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF file');
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const selector = Math.floor(Math.log2(count));
  const range = 2 ** selector * 16;
  const header = Buffer.alloc(12 + 16 * count);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(range, 6);
  header.writeUInt16BE(selector, 8);
  header.writeUInt16BE(count * 16 - range, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  for (let i = 0; i < count; i++) {
    const o = 44 + i * 20;
    const at = woff.readUInt32BE(o + 4);
    const compressed = woff.readUInt32BE(o + 8);
    const original = woff.readUInt32BE(o + 12);
    const raw = woff.subarray(at, at + compressed);
    const data = compressed < original ? zlib.inflateSync(raw) : raw;
    header.writeUInt32BE(woff.readUInt32BE(o), 12 + i * 16);
    header.writeUInt32BE(woff.readUInt32BE(o + 16), 12 + i * 16 + 4);
    header.writeUInt32BE(offset, 12 + i * 16 + 8);
    header.writeUInt32BE(original, 12 + i * 16 + 12);
    const pad = (4 - (data.length % 4)) % 4;
    parts.push(data, Buffer.alloc(pad));
    offset += data.length + pad;
  }
  return Buffer.concat(parts);
}

/**
 * TrueType files of the book's font stack (assets/fonts.ts: Source Serif 4, then Noto for other
 * scripts) that draw `text` in `weight`/`style` (or the nearest face a family has), unpacked from the
 * @fontsource WOFF files into the cache; the family names in stack order.
 */
function fontFiles(cacheDir: string, lang: string, text: string, weight: 400 | 700, style: 'normal' | 'italic'): { files: string[]; families: string[] } {
  const stack = planStack(lang, text);
  const files: string[] = [];
  const families: string[] = [];
  for (const { family, subsets } of stack.families) {
    const face =
      family.faces.find((f) => f.weight === weight && f.style === style) ??
      family.faces.find((f) => f.weight === weight && f.style === 'normal') ??
      family.faces.find((f) => f.weight === 400 && f.style === 'normal') ??
      family.faces[0];
    if (!face) continue;
    for (const sub of subsets) {
      const woff = fontFilePath(family.pkg, fontFileName(family, sub.name, face).replace(/\.woff2$/, '.woff'));
      if (!fs.existsSync(woff)) continue;
      const out = path.join(cacheDir, 'fonts', path.basename(woff).replace(/\.woff$/, '.ttf'));
      if (!fs.existsSync(out)) writeAtomic(out, woffToSfnt(fs.readFileSync(woff)));
      files.push(out);
      if (!families.includes(family.name)) families.push(family.name);
    }
  }
  return { files, families };
}

/** Font files already handed to Pango (libvips keeps each one registered once it has been used). */
const registered = new Set<string>();

async function register(file: string): Promise<void> {
  if (registered.has(file)) return;
  await sharpLib()({ text: { text: '.', fontfile: file, rgba: true, dpi: 72 } }).png().toBuffer();
  registered.add(file);
}

const markup = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface Line {
  png: Buffer;
  width: number;
  height: number;
}

/** A block of text `width` pixels wide at most, wrapped at words, as a transparent PNG. */
async function words(text: string, lang: string, colour: string, px: number, weight: 400 | 700, style: 'normal' | 'italic', cacheDir: string): Promise<Line> {
  const { files, families } = fontFiles(cacheDir, lang, text, weight, style);
  for (const f of files) await register(f);
  // Pango falls back along the family list for letters the first family lacks.
  const font = `${[...families, 'serif'].join(', ')},${style === 'italic' ? ' Italic' : ''}${weight === 700 ? ' Bold' : ''} ${px}`;
  const img = sharpLib()({
    text: { text: `<span foreground="${colour}">${markup(text)}</span>`, font, ...(files[0] ? { fontfile: files[0] } : {}), width: W - 2 * SAFE, rgba: true, wrap: 'word', dpi: 72, align: directionOf(lang) === 'rtl' ? 'right' : 'left' },
  });
  const { data, info } = await img.png().toBuffer({ resolveWithObject: true });
  return { png: data, width: info.width, height: info.height };
}

export interface CoverWords {
  lang: string;
  title: string;
  subtitle?: string;
  authors: string[];
}

const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/></svg>`);

/**
 * Draws the cover: `image` (a file) under the band, or the typographic cover without one. With
 * `text: false` the same cover without its words (the tests compare the two).
 */
export async function drawCover(cw: CoverWords, image: string | undefined, cacheDir: string, text = true): Promise<Buffer> {
  const ink = image ? INK : CREAM;
  const title = await words(cw.title, cw.lang, ink, Math.round(0.085 * W), 700, 'normal', cacheDir);
  const subtitle = cw.subtitle ? await words(cw.subtitle, cw.lang, ink, Math.round(0.045 * W), 400, 'italic', cacheDir) : undefined;
  const author = cw.authors.length ? await words(cw.authors.join(', '), cw.lang, ink, Math.round(0.05 * W), 400, 'normal', cacheDir) : undefined;
  const gapSub = Math.round(0.045 * W * 0.5);
  const gapAuthor = image ? Math.round(0.05 * W * 0.9) : 0;
  const ruleGap = Math.round(0.03 * H);
  const blocks: { png?: Buffer; height: number; fill?: string; width?: number }[] = [{ png: title.png, width: title.width, height: title.height }];
  if (subtitle) blocks.push({ height: gapSub }, { png: subtitle.png, width: subtitle.width, height: subtitle.height });
  if (!image) blocks.push({ height: ruleGap }, { height: RULE, fill: GOLD, width: Math.round(0.3 * (W - 2 * SAFE)) }, { height: ruleGap });
  if (author) blocks.push({ height: gapAuthor }, { png: author.png, width: author.width, height: author.height });
  const textHeight = blocks.reduce((s, b) => s + b.height, 0);

  const layers: sharpType.OverlayOptions[] = [];
  let y: number;
  if (image) {
    const pad = Math.round(0.035 * H);
    const bandHeight = textHeight + 2 * pad;
    const bandTop = H - Math.round(0.1 * H) - bandHeight;
    layers.push({ input: rect(0, bandTop - RULE, W, bandHeight + 2 * RULE, INK), top: 0, left: 0 }, { input: rect(0, bandTop, W, bandHeight, PAPER), top: 0, left: 0 });
    y = bandTop + pad;
  } else {
    y = Math.round(0.22 * H);
  }
  // Right-to-left books set their words from the right edge.
  const left = (width: number) => (directionOf(cw.lang) === 'rtl' ? W - SAFE - width : SAFE);
  for (const b of blocks) {
    if (b.png && text) layers.push({ input: b.png, top: y, left: left(b.width!) });
    if (b.fill && text) layers.push({ input: rect(left(b.width!), y, b.width!, b.height, b.fill), top: 0, left: 0 });
    y += b.height;
  }
  const base = image
    ? sharpLib()(image).rotate().resize(W, H, { fit: 'cover' })
    : sharpLib()({ create: { width: W, height: H, channels: 3, background: NIGHT } });
  const flat = await base.removeAlpha().toColourspace('srgb').png().toBuffer();
  return sharpLib()(flat).composite(layers).flatten({ background: '#ffffff' }).jpeg({ quality: 86, chromaSubsampling: '4:4:4' }).toBuffer();
}

/** The cover image file for `book` (cached by its words and its picture), drawn when not cached. */
export async function epubCoverFile(book: Book): Promise<string> {
  const m = book.meta;
  const asset = m.cover ? book.assets.get(m.cover) : undefined;
  const cacheDir = imageCacheDir(book.root);
  const words: CoverWords = { lang: m.lang, title: m.title, subtitle: m.subtitle, authors: m.authors };
  const key = cacheKey({ epubCover: 2, words, picture: asset?.sha256 ?? null, sharp: sharpLib().versions.vips });
  const file = path.join(cacheDir, `epub-cover-${key.slice(0, 24)}.jpg`);
  if (!fs.existsSync(file)) writeAtomic(file, await drawCover(words, asset?.path, cacheDir));
  return file;
}

/** What the cover shows, for its alt text: the picture's words (title, subtitle, authors). */
export function coverAlt(book: Book, coverLabel: string): string {
  const m = book.meta;
  return [`${coverLabel}: ${m.title}`, m.subtitle, m.authors.join(', ')].filter(Boolean).join('. ');
}
