/**
 * Makes a book folder of camera-like photos for the image tests and the bench: N photos (default 16) of
 * about 4000 × 3000 pixels and ~3 MB each (smooth scenes plus sensor-like grain, so they compress like
 * real photos), every fourth one stored sideways with EXIF orientation 6, one CMYK JPEG, one PNG
 * screenshot, all with camera and GPS EXIF; plus a short manuscript that refers to them with captions.
 * Deterministic: a seeded generator, so the same arguments give the same files.
 *
 *   npx tsx scripts/make-camera-fixture.ts OUT_DIR [--count 16] [--width 4000] [--height 3000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { prng } from './prng.js';

export interface CameraFixtureOptions {
  count?: number;
  width?: number;
  height?: number;
  /** JPEG quality of the "camera" (90 gives ~3 MB at 4000 × 3000 with this grain). */
  quality?: number;
}

export interface CameraFixture {
  root: string;
  photos: string[];
  /** Relative paths of the photos stored sideways (EXIF orientation 6). */
  rotated: string[];
  cmyk: string;
  screenshot: string;
  manuscript: string;
}


const GRAIN = 0.06;
const FINE = 0.12;


/** A random field of `w × h` RGB values, smoothly enlarged to the photo size. */
async function field(rnd: () => number, w: number, h: number, width: number, height: number): Promise<Buffer> {
  const small = Buffer.alloc(w * h * 3);
  for (let i = 0; i < small.length; i++) small[i] = Math.floor(rnd() * 256);
  return sharp(small, { raw: { width: w, height: h, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
}

/** Pixels of a camera-like photo: broad light and colour, mid-scale texture, fine grain. */
async function photoPixels(seed: number, width: number, height: number): Promise<Buffer> {
  const rnd = prng(seed);
  const broad = await field(rnd, 6, 5, width, height);
  const mid = await field(rnd, Math.ceil(width / 40), Math.ceil(height / 40), width, height);
  const fine = await field(rnd, Math.ceil(width / 6), Math.ceil(height / 6), width, height);
  const out = Buffer.alloc(width * height * 3);
  // Grain: a cheap xorshift per pixel (luminance-ish, shared by the three channels, plus a little chroma).
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let p = 0, i = 0; p < width * height; p++, i += 3) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const g = ((x >>> 0) & 0xff) - 128;
    for (let c = 0; c < 3; c++) {
      const v = broad[i + c]! * 0.75 + (mid[i + c]! - 128) * 0.35 + (fine[i + c]! - 128) * FINE + g * GRAIN + ((x >>> (8 + c * 5)) & 0x1f) * (GRAIN * 2.5) + 20;
      out[i + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

function cameraExif(i: number) {
  return {
    IFD0: { Make: 'Samizdat Optics', Model: `Fixture ${i}`, Software: 'make-camera-fixture', Artist: 'A. Photographer' },
    IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 19/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '18/1 4/1 0/1' },
  };
}

function screenshotSvg(width: number, height: number): string {
  const rows = Array.from({ length: 28 }, (_, r) => {
    const y = 140 + r * 48;
    const w = 600 + ((r * 397) % 900);
    return `<rect x="340" y="${y}" width="${w}" height="18" rx="4" fill="${r % 7 === 0 ? '#1a73e8' : '#3c4043'}"/>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<rect width="100%" height="72" fill="#f1f3f4"/>
<rect x="24" y="20" width="32" height="32" rx="16" fill="#ea4335"/><rect x="70" y="20" width="32" height="32" rx="16" fill="#fbbc04"/>
<rect x="116" y="20" width="32" height="32" rx="16" fill="#34a853"/>
<rect x="0" y="72" width="300" height="${height - 72}" fill="#f8f9fa"/>
<text x="340" y="118" font-family="sans-serif" font-size="40" fill="#202124">Settings — Export as EPUB</text>
${rows}
<rect x="340" y="${height - 160}" width="260" height="72" rx="8" fill="#1a73e8"/>
<text x="380" y="${height - 112}" font-family="sans-serif" font-size="32" fill="#ffffff">Export</text>
</svg>`;
}

export async function makeCameraFixture(root: string, opts: CameraFixtureOptions = {}): Promise<CameraFixture> {
  const count = opts.count ?? 16;
  const width = opts.width ?? 4000;
  const height = opts.height ?? 3000;
  const quality = opts.quality ?? 90;
  const images = path.join(root, 'images');
  fs.mkdirSync(images, { recursive: true });
  fs.mkdirSync(path.join(root, 'manuscript'), { recursive: true });
  const photos: string[] = [];
  const rotated: string[] = [];
  let cmyk = '';
  for (let i = 1; i <= count; i++) {
    const name = `images/photo-${String(i).padStart(2, '0')}.jpg`;
    const sideways = i % 4 === 2;
    const isCmyk = i === 3;
    // A sideways photo is stored as the sensor saw it (width × height) and shown upright (height × width) via EXIF.
    let img = sharp(await photoPixels(1000 + i, width, height), { raw: { width, height, channels: 3 } }).withExif(cameraExif(i));
    if (sideways) img = img.withMetadata({ orientation: 6 });
    if (isCmyk) img = img.toColourspace('cmyk').withIccProfile('cmyk');
    // CMYK keeps four full-resolution channels: a lower quality keeps that file near the others' size.
    await img.jpeg({ quality: isCmyk ? quality - 30 : quality, chromaSubsampling: '4:2:0' }).toFile(path.join(root, name));
    photos.push(name);
    if (sideways) rotated.push(name);
    if (isCmyk) cmyk = name;
  }
  const screenshot = 'images/screenshot.png';
  await sharp(Buffer.from(screenshotSvg(1920, 1200))).png().toFile(path.join(root, screenshot));

  const figures = [...photos, screenshot]
    .map((p, k) => `![Photo ${k + 1} of the fixture](../${p} "Figure ${k + 1}. ${p === cmyk ? 'A CMYK photo.' : rotated.includes(p) ? 'Shot in portrait.' : p === screenshot ? 'A screenshot.' : 'A landscape.'}")`)
    .join('\n\n');
  const manuscript = 'manuscript/01-photos.md';
  fs.writeFileSync(
    path.join(root, manuscript),
    `---\ntitle: "Camera fixture"\nauthor: ["Fixture Maker"]\nlang: en\n---\n\n# Photographs\n\nA chapter of camera photos.\n\n${figures}\n`,
  );
  return { root, photos, rotated, cmyk, screenshot, manuscript };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '');
if (isMain) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { count: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' } },
  });
  const out = path.resolve(positionals[0] ?? 'camera-fixture');
  const f = await makeCameraFixture(out, {
    count: values.count ? Number(values.count) : undefined,
    width: values.width ? Number(values.width) : undefined,
    height: values.height ? Number(values.height) : undefined,
  });
  for (const p of [...f.photos, f.screenshot]) {
    const st = fs.statSync(path.join(out, p));
    console.log(`${p}\t${(st.size / 1e6).toFixed(2)} MB`);
  }
  console.log(`book folder: ${out}`);
}
