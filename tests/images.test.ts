/**
 * The image pipeline with real sharp and real files: variants per target, orientation, colour, cache,
 * checks with file and line, photocopy gray, enormous images, and the web edition using the variants.
 */
import fs from 'node:fs';
import { BuildFacts } from '../src/model/facts.js';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, prepare } from '../src/build.js';
import { BuildError, Diagnostics } from '../src/diagnostics.js';
import { Stage } from '../src/output/stage.js';
import { Logger } from '../src/util/log.js';
import type { BuildContext } from '../src/targets/target.js';
import type { CliFlags } from '../src/config/options.js';
import {
  checkImages,
  imageStats,
  imageVariants,
  textBlockWidthInches,
  textBlockInches,
  figureBoxInches,
  parsePageSize,
  type ImageTarget,
  type ImageVariant,
} from '../src/assets/images.js';
import { makeCameraFixture, type CameraFixture } from '../scripts/make-camera-fixture.js';

const tmpRoots: string[] = [];

function tmpBook(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-images-'));
  tmpRoots.push(root);
  fs.mkdirSync(path.join(root, 'manuscript'));
  fs.mkdirSync(path.join(root, 'images'));
  return root;
}

/** A manuscript with one figure per image, each on its own line (line numbers are checked). */
function writeManuscript(root: string, images: string[]): void {
  const lines = ['# Pictures', ''];
  for (const img of images) lines.push(`![Picture ${img}](../images/${img} "Caption for ${img}")`, '');
  fs.writeFileSync(path.join(root, 'manuscript', '01-pictures.md'), lines.join('\n'));
  fs.writeFileSync(path.join(root, 'book.yaml'), 'title: "Pictures"\nlang: en\n');
}

/** Line of the figure that refers to `img` in the manuscript written above. */
function lineOf(images: string[], img: string): number {
  return 3 + 2 * images.indexOf(img);
}

function context(root: string, flags: CliFlags = {}): BuildContext {
  const { book, options, diags } = prepare(root, flags, new Diagnostics());
  return {
    book,
    options,
    diags,
    stage: new Stage(path.join(root, 'dist-test')),
    log: new Logger(true),
    facts: new BuildFacts(),
    signal: new AbortController().signal,
  };
}

function byRelPath(ctx: BuildContext, variants: Map<string, ImageVariant>, rel: string): ImageVariant {
  const asset = [...ctx.book.assets.values()].find((a) => a.relPath === rel);
  expect(asset, rel).toBeDefined();
  const v = variants.get(asset!.id);
  expect(v, rel).toBeDefined();
  return v!;
}

/** A stored-sideways photo: red top-left quadrant as stored, so upright (orientation 6 = 90° clockwise) it is top-right. */
async function sidewaysJpeg(file: string): Promise<void> {
  const w = 800;
  const h = 600;
  const raw = Buffer.alloc(w * h * 3, 200);
  for (let y = 0; y < h / 2; y++) for (let x = 0; x < w / 2; x++) raw.set([230, 20, 20], (y * w + x) * 3);
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .withExif({ IFD0: { Make: 'Test Camera', Model: 'T-1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 19/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .jpeg({ quality: 90 })
    .toFile(file);
}

/** A PNG claiming `w × h` pixels with only its first row of data: an "enormous" image that costs nothing to make. */
function headerOnlyPng(file: string, w: number, h: number): void {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const firstRow = zlib.deflateSync(Buffer.alloc(1 + w * 3));
  fs.writeFileSync(file, Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', firstRow), chunk('IEND', Buffer.alloc(0))]));
}

async function expectBuildError(p: Promise<unknown>): Promise<void> {
  await expect(p).rejects.toBeInstanceOf(BuildError);
}

afterAll(() => {
  for (const r of tmpRoots) fs.rmSync(r, { recursive: true, force: true });
});

describe('page sizes', () => {
  it('computes the text-block width from named and measured sizes', () => {
    // The PDF target's margins: 12 % inside, 10 % outside.
    const block = (widthMm: number) => (widthMm * 0.78) / 25.4;
    expect(textBlockWidthInches('A5')).toBeCloseTo(block(148), 2);
    expect(textBlockWidthInches('letter')).toBeCloseTo(block(215.9), 2);
    expect(textBlockWidthInches('half-letter')).toBeCloseTo(block(139.7), 2);
    expect(textBlockWidthInches('6x9in')).toBeCloseTo(block(152.4), 2);
    expect(textBlockWidthInches('150 x 220 mm')).toBeCloseTo(block(150), 2);
    // Figures take at most 60 % of the text-block height.
    expect(figureBoxInches('A5').height).toBeCloseTo(textBlockInches('A5').height * 0.6, 5);
    expect(parsePageSize('12cm x 18cm')!.width).toBeCloseTo(120 / 25.4, 9);
    expect(parsePageSize('12cm x 18cm')!.height).toBeCloseTo(180 / 25.4, 9);
    expect(parsePageSize('432pt x 648pt')!.width).toBeCloseTo(6, 2);
    expect(parsePageSize('432pt x 648pt')!.height).toBeCloseTo(9, 2);
    expect(parsePageSize('A7')!.width).toBeCloseTo(74 / 25.4, 5);
    expect(parsePageSize('huge')).toBeUndefined();
  });
});

describe('variants of camera photos', () => {
  let fx: CameraFixture;
  let ctx: BuildContext;
  const variants = new Map<ImageTarget, Map<string, ImageVariant>>();

  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-camera-'));
    tmpRoots.push(root);
    fx = await makeCameraFixture(root, { count: 3, width: 3000, height: 2250 });
    ctx = context(root);
    decodedBefore = imageStats().decoded;
    for (const t of ['pdf', 'epub', 'html'] as const) variants.set(t, await imageVariants(ctx, t));
  });
  let decodedBefore = 0;

  it('decodes each image once for all the targets of the build', () => {
    // The fixture: 3 photos (one of them CMYK) and a screenshot, all asked for by the PDF, the EPUB and the web edition.
    const images = fx.photos.length + 1;
    expect(variants.get('pdf')!.size).toBe(images);
    expect(imageStats().decoded - decodedBefore).toBe(images);
  });

  it('gives each target its size and format, never upscaled', async () => {
    const a5 = Math.round(textBlockWidthInches('A5') * 300);
    const pdfPhoto = byRelPath(ctx, variants.get('pdf')!, fx.photos[0]!);
    expect([pdfPhoto.width, pdfPhoto.height, pdfPhoto.mediaType]).toEqual([a5, Math.round((a5 * 2250) / 3000), 'image/jpeg']);
    expect(pdfPhoto.name).toMatch(/^photo-01-[0-9a-f]{8}\.jpg$/);
    const epubPhoto = byRelPath(ctx, variants.get('epub')!, fx.photos[0]!);
    expect([epubPhoto.width, epubPhoto.height, epubPhoto.mediaType]).toEqual([1600, 1200, 'image/jpeg']);
    expect((await sharp(epubPhoto.file).metadata()).isProgressive).toBe(true);
    expect((await sharp(pdfPhoto.file).metadata()).isProgressive).toBe(false);
    expect(byRelPath(ctx, variants.get('html')!, fx.photos[0]!).name).toBe(epubPhoto.name);

    const shot = byRelPath(ctx, variants.get('epub')!, fx.screenshot);
    expect([shot.width, shot.height, shot.mediaType]).toEqual([1600, 1000, 'image/png']);
    // The screenshot is 1920 wide: at A5 the pdf variant is downsampled, at a larger page it is never upscaled.
    expect(byRelPath(ctx, variants.get('pdf')!, fx.screenshot).width).toBe(a5);
    const letter = await imageVariants(context(fx.root, { size: 'letter' }), 'pdf');
    const letterCtx = context(fx.root, { size: 'letter' });
    expect(byRelPath(letterCtx, letter, fx.photos[0]!).width).toBe(Math.round(textBlockWidthInches('letter') * 300));
    expect(byRelPath(letterCtx, letter, fx.screenshot).width).toBe(1920);

    for (const map of variants.values()) {
      for (const v of map.values()) {
        const m = await sharp(v.file).metadata();
        expect([m.width, m.height], v.name).toEqual([v.width, v.height]);
        expect(fs.statSync(v.file).size).toBe(v.bytes);
        expect(m.exif, v.name).toBeUndefined();
        expect(m.icc, v.name).toBeUndefined();
        expect(m.depth).toBe('uchar');
        expect(m.space).toBe('srgb');
      }
    }
  });

  it('turns sideways camera photos upright and converts CMYK to sRGB', async () => {
    const rotated = fx.rotated[0]!;
    const src = await sharp(path.join(fx.root, rotated)).metadata();
    expect([src.width, src.height, src.orientation]).toEqual([3000, 2250, 6]);
    const v = byRelPath(ctx, variants.get('epub')!, rotated);
    expect([v.width, v.height]).toEqual([1200, 1600]);
    // In print a portrait figure is limited by the figure box's height, at 300 ppi.
    const p = byRelPath(ctx, variants.get('pdf')!, rotated);
    expect(p.height).toBe(Math.round(figureBoxInches('A5').height * 300));
    expect(p.width).toBe(Math.round((p.height * 2250) / 3000));
    const m = await sharp(v.file).metadata();
    expect(m.orientation).toBeUndefined();

    const cmyk = byRelPath(ctx, variants.get('pdf')!, fx.cmyk);
    expect((await sharp(path.join(fx.root, fx.cmyk)).metadata()).space).toBe('cmyk');
    const cm = await sharp(cmyk.file).metadata();
    expect([cm.space, cm.channels]).toEqual(['srgb', 3]);
  });

  it('names variants stably and serves a rebuild from the cache without sharp work', async () => {
    const before = imageStats();
    const again = await imageVariants(context(fx.root), 'pdf');
    const after = imageStats();
    expect(after.processed - before.processed).toBe(0);
    expect(after.probed - before.probed).toBe(0);
    // Each image has two distinct variants in a build of PDF, EPUB and web edition (the print one, and
    // the screen one the EPUB and the web edition share); the first call checks both.
    expect(after.cacheHits - before.cacheHits).toBe(again.size * 2);
    expect([...again.values()].map((v) => v.name)).toEqual([...variants.get('pdf')!.values()].map((v) => v.name));
    expect(fs.readdirSync(path.join(fx.root, '.cache', 'samizdat', 'images', 'variants')).length).toBeGreaterThan(0);
  });
});

describe('orientation, colour and depth of small images', () => {
  it('applies EXIF orientation to the pixels and strips EXIF, GPS and camera data', async () => {
    const root = tmpBook();
    await sidewaysJpeg(path.join(root, 'images', 'side.jpg'));
    writeManuscript(root, ['side.jpg']);
    const ctx = context(root);
    for (const target of ['pdf', 'epub'] as const) {
      const v = [...(await imageVariants(ctx, target)).values()][0]!;
      expect([v.width, v.height]).toEqual([600, 800]);
      const { data, info } = await sharp(v.file).raw().toBuffer({ resolveWithObject: true });
      const px = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
      const [r, g] = px(info.width - 20, 20);
      expect(r).toBeGreaterThan(180);
      expect(g).toBeLessThan(80);
      expect(px(20, 20)[1]).toBeGreaterThan(150);
      const m = await sharp(v.file).metadata();
      expect(m.exif).toBeUndefined();
      expect(fs.readFileSync(v.file).includes(Buffer.from('Test Camera'))).toBe(false);
    }
  });

  it('reduces 16-bit images to 8 bits and keeps transparency as PNG', async () => {
    const root = tmpBook();
    const raw = Buffer.alloc(400 * 300 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + (i >> 7)) % 256;
    await sharp(raw, { raw: { width: 400, height: 300, channels: 3 } }).toColourspace('rgb16').png().toFile(path.join(root, 'images', 'deep.png'));
    await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 90, b: 200, alpha: 0.5 } } })
      .png()
      .toFile(path.join(root, 'images', 'glass.png'));
    writeManuscript(root, ['deep.png', 'glass.png']);
    expect((await sharp(path.join(root, 'images', 'deep.png')).metadata()).depth).toBe('ushort');
    const ctx = context(root);
    const v = await imageVariants(ctx, 'epub');
    const deep = byRelPath(ctx, v, 'images/deep.png');
    expect((await sharp(deep.file).metadata()).depth).toBe('uchar');
    const glass = byRelPath(ctx, v, 'images/glass.png');
    expect(glass.mediaType).toBe('image/png');
    expect((await sharp(glass.file).metadata()).hasAlpha).toBe(true);
  });
});

describe('vector images', () => {
  it('passes a clean SVG through with its content unchanged, without a resolution warning', async () => {
    const root = tmpBook();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#c33"/></svg>';
    fs.writeFileSync(path.join(root, 'images', 'mark.svg'), svg);
    writeManuscript(root, ['mark.svg']);
    const ctx = context(root);
    const v = [...(await imageVariants(ctx, 'pdf')).values()][0]!;
    expect([v.mediaType, v.width, v.height]).toEqual(['image/svg+xml', 120, 80]);
    expect(v.name).toMatch(/^mark-[0-9a-f]{8}\.svg$/);
    // Every SVG is parsed and written again by the cleaner (svg.ts): an XML declaration may come first
    // and an empty element may be closed by its end tag; the elements and attributes are the same.
    expect(fs.readFileSync(v.file, 'utf8')).toMatch(
      /^(<\?xml version="1\.0" encoding="UTF-8"\?>\s*)?<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="120" height="80"><rect width="120" height="80" fill="#c33"(\/>|><\/rect>)<\/svg>\s*$/,
    );
    expect(ctx.diags.warnings).toHaveLength(0);
  });
});

describe('photocopy mode', () => {
  it('makes the pdf variant one gray channel, and leaves the epub in colour', async () => {
    const root = tmpBook();
    const raw = Buffer.alloc(900 * 600 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = 60 + ((i * 13) % 120);
    await sharp(raw, { raw: { width: 900, height: 600, channels: 3 } }).jpeg().toFile(path.join(root, 'images', 'colour.jpg'));
    writeManuscript(root, ['colour.jpg']);
    const ctx = context(root, { grayscale: true });
    const pdf = [...(await imageVariants(ctx, 'pdf')).values()][0]!;
    const m = await sharp(pdf.file).metadata();
    expect([m.format, m.channels, pdf.channels]).toEqual(['jpeg', 1, 1]);
    // Contrast stretched: the 60–180 source spans (nearly) the whole range.
    const stats = await sharp(pdf.file).stats();
    expect(stats.channels[0]!.min).toBeLessThan(40);
    expect(stats.channels[0]!.max).toBeGreaterThan(215);
    const epub = [...(await imageVariants(ctx, 'epub')).values()][0]!;
    expect((await sharp(epub.file).metadata()).channels).toBe(3);
  });
});

describe('cache invalidation', () => {
  it('makes the variant again when the file changes', async () => {
    const root = tmpBook();
    const file = path.join(root, 'images', 'pic.jpg');
    await sharp({ create: { width: 500, height: 400, channels: 3, background: '#336699' } }).jpeg().toFile(file);
    writeManuscript(root, ['pic.jpg']);
    const first = [...(await imageVariants(context(root), 'epub')).values()][0]!;
    const warm = imageStats();
    await imageVariants(context(root), 'epub');
    expect(imageStats().processed).toBe(warm.processed);
    await sharp({ create: { width: 500, height: 400, channels: 3, background: '#993366' } }).jpeg().toFile(file);
    const before = imageStats();
    const changed = [...(await imageVariants(context(root), 'epub')).values()][0]!;
    // The build's two distinct variants of the picture (print, and screen for EPUB and web), from one decoding.
    expect(imageStats().processed - before.processed).toBe(2);
    expect(imageStats().decoded - before.decoded).toBe(1);
    expect(imageStats().probed - before.probed).toBe(1);
    expect(changed.name).not.toBe(first.name);
    expect(changed.name).toMatch(/^pic-[0-9a-f]{8}\.jpg$/);
  });
});

describe('checks, with the file and line of the reference', () => {
  it('warns about low resolution in print, with the ppi figure', async () => {
    const root = tmpBook();
    const images = ['big.jpg', 'small.jpg'];
    await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#777' } }).jpeg().toFile(path.join(root, 'images', 'big.jpg'));
    await sharp({ create: { width: 600, height: 400, channels: 3, background: '#777' } }).jpeg().toFile(path.join(root, 'images', 'small.jpg'));
    writeManuscript(root, images);
    const ctx = context(root);
    // The check phase (metadata only) reports it; the build's own check does not report it twice.
    const probes = await checkImages(ctx.book, ctx.options, ctx.diags);
    expect(probes.size).toBe(2);
    expect(ctx.diags.warnings.filter((d) => d.code === 'low-resolution')).toHaveLength(1);
    await imageVariants(ctx, 'pdf');
    const warnings = ctx.diags.warnings.filter((d) => d.code === 'low-resolution');
    expect(warnings).toHaveLength(1);
    const ppi = Math.round(600 / textBlockWidthInches('A5'));
    expect(warnings[0]).toMatchObject({ file: 'manuscript/01-pictures.md', line: lineOf(images, 'small.jpg') });
    expect(warnings[0]!.message).toContain(`${ppi} ppi`);
    expect(warnings[0]!.message).toContain('images/small.jpg');
    // Reported once per build, however many targets ask.
    await imageVariants(ctx, 'epub');
    expect(ctx.diags.warnings.filter((d) => d.code === 'low-resolution')).toHaveLength(1);
    // Without a PDF to print, no warning.
    const epubOnly = context(root, { format: 'epub' });
    await imageVariants(epubOnly, 'epub');
    expect(epubOnly.diags.warnings.filter((d) => d.code === 'low-resolution')).toHaveLength(0);
  });

  it('reports a corrupt image as an error and makes no variants', async () => {
    const root = tmpBook();
    const images = ['fine.jpg', 'broken.jpg'];
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#123' } }).jpeg().toFile(path.join(root, 'images', 'fine.jpg'));
    fs.writeFileSync(path.join(root, 'images', 'broken.jpg'), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 0x5a)]));
    writeManuscript(root, images);
    const ctx = context(root);
    const before = imageStats();
    await expectBuildError(imageVariants(ctx, 'epub'));
    expect(imageStats().processed).toBe(before.processed);
    const errors = ctx.diags.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'corrupt-image', file: 'manuscript/01-pictures.md', line: lineOf(images, 'broken.jpg') });
    expect(errors[0]!.message).toContain('images/broken.jpg');
  });

  it('reports an enormous image as a clear error instead of decoding it', async () => {
    const root = tmpBook();
    headerOnlyPng(path.join(root, 'images', 'huge.png'), 30000, 30000);
    writeManuscript(root, ['huge.png']);
    const ctx = context(root);
    await expectBuildError(imageVariants(ctx, 'pdf'));
    expect(ctx.diags.errors).toHaveLength(1);
    expect(ctx.diags.errors[0]).toMatchObject({ code: 'image-too-large', file: 'manuscript/01-pictures.md', line: 3 });
    expect(ctx.diags.errors[0]!.message).toMatch(/30000 × 30000 pixels \(900 megapixels\).*268 megapixels/);
  });

  it('rejects files that are not images, naming the supported formats', () => {
    const root = tmpBook();
    fs.writeFileSync(path.join(root, 'images', 'scan.bmp'), Buffer.concat([Buffer.from('BM'), Buffer.alloc(100)]));
    writeManuscript(root, ['scan.bmp']);
    let caught: unknown;
    try {
      prepare(root, {}, new Diagnostics());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BuildError);
    const d = (caught as BuildError).diagnostics.find((x) => x.severity === 'error')!;
    expect(d).toMatchObject({ file: 'manuscript/01-pictures.md', line: 3 });
    expect(d.message).toMatch(/supported: .*jpg.*png/);
  });
});

describe('web edition', () => {
  it('copies the variants and points the page at them with their pixel sizes', async () => {
    const root = tmpBook();
    await sidewaysJpeg(path.join(root, 'images', 'side.jpg'));
    await sharp({ create: { width: 2400, height: 1800, channels: 3, background: '#4a7' } }).jpeg().toFile(path.join(root, 'images', 'wide.jpg'));
    writeManuscript(root, ['side.jpg', 'wide.jpg']);
    const out = path.join(root, 'out');
    const result = await build(root, { format: 'html', out, quiet: true });
    const images = result.files.filter((f) => f.startsWith('images/'));
    expect(images).toHaveLength(2);
    const wide = images.find((f) => /^images\/wide-[0-9a-f]{8}\.jpg$/.test(f))!;
    expect(wide).toBeDefined();
    expect((await sharp(path.join(out, wide)).metadata()).width).toBe(1600);
    const html = fs.readFileSync(path.join(out, result.files.find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toContain(`src="${wide}"`);
    expect(html).toMatch(new RegExp(`src="${wide}"[^>]*width="1600" height="1200"`));
    expect(html).toMatch(/src="images\/side-[0-9a-f]{8}\.jpg"[^>]*width="600" height="800"/);
  });
});
