/**
 * Draws the illustrations for the sample publication as SVG and rasterises
 * them to JPEG with sharp. Everything is deterministic: a seeded PRNG is used
 * for all "random" texture, so re-running the script gives identical files.
 *
 *   npx tsx scripts/make-sample-images.ts
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { prng } from './prng.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "images");

const LANDSCAPE = { w: 2400, h: 1600 };
const PORTRAIT = { w: 1600, h: 2400 };

// ---------------------------------------------------------------- helpers

/** The seeded PRNG with the helpers the drawings use. */
function rng(seed: number) {
  const next = prng(seed);
  return {
    next,
    range: (lo: number, hi: number) => lo + (hi - lo) * next(),
    int: (lo: number, hi: number) => Math.floor(lo + (hi - lo + 1) * next()),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}
type Rng = ReturnType<typeof rng>;

const f = (n: number) => (Math.round(n * 10) / 10).toString();

function svg(w: number, h: number, defs: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs>
  <filter id="soft" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="18"/></filter>
  <filter id="blur6" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="6"/></filter>
  <filter id="blur40" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="40"/></filter>
  <radialGradient id="vignette" cx="50%" cy="50%" r="75%">
    <stop offset="55%" stop-color="#000" stop-opacity="0"/>
    <stop offset="100%" stop-color="#000" stop-opacity="0.45"/>
  </radialGradient>
  ${defs}
</defs>
${body}
<rect width="${w}" height="${h}" fill="url(#vignette)"/>
</svg>`;
}

/** Fine grain: many tiny low-opacity dots. */
function grain(r: Rng, w: number, h: number, n: number, colours: string[], maxOpacity = 0.08, size = 2.2): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    s += `<circle cx="${f(r.range(0, w))}" cy="${f(r.range(0, h))}" r="${f(r.range(0.6, size))}" fill="${r.pick(colours)}" opacity="${r.range(0.02, maxOpacity).toFixed(3)}"/>`;
  }
  return s;
}

/** Wood grain: long wavy strokes across a rectangle. */
function woodGrain(r: Rng, x: number, y: number, w: number, h: number, n: number, colour: string): string {
  let s = "";
  for (let i = 0; i < n; i++) {
    const y0 = y + r.range(0, h);
    const amp = r.range(2, 14);
    const ph = r.range(0, Math.PI * 2);
    const freq = r.range(0.002, 0.006);
    let d = `M ${f(x)} ${f(y0)}`;
    for (let xx = x; xx <= x + w; xx += 40) {
      d += ` L ${f(xx)} ${f(y0 + Math.sin(xx * freq + ph) * amp)}`;
    }
    s += `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${f(r.range(1, 4))}" opacity="${r.range(0.08, 0.25).toFixed(2)}"/>`;
  }
  return s;
}

/** Lines of "typed text": rows of small rectangles of varying width. */
function typedLines(
  r: Rng,
  x: number,
  y: number,
  width: number,
  rows: number,
  lineH: number,
  colour: string,
  opacity = 1,
  glyphH = lineH * 0.38,
): string {
  let s = `<g fill="${colour}" opacity="${opacity}">`;
  for (let i = 0; i < rows; i++) {
    const paraEnd = r.next() < 0.12;
    const indent = i === 0 || r.next() < 0.1 ? lineH * 1.4 : 0;
    let xx = x + indent;
    const limit = x + (paraEnd ? width * r.range(0.3, 0.8) : width);
    const yy = y + i * lineH;
    while (xx < limit) {
      const ww = Math.min(r.range(glyphH * 1.2, glyphH * 6), limit - xx);
      if (ww > glyphH * 0.6) s += `<rect x="${f(xx)}" y="${f(yy)}" width="${f(ww)}" height="${f(glyphH)}" rx="${f(glyphH * 0.2)}"/>`;
      xx += ww + glyphH * r.range(0.7, 1.1);
    }
  }
  return s + "</g>";
}

/** Halftone block: a grid of dots whose size follows a smooth function. */
function halftone(r: Rng, x: number, y: number, w: number, h: number, step: number, colour: string): string {
  const p1 = r.range(0, 6), p2 = r.range(0, 6), k1 = r.range(0.6, 1.8), k2 = r.range(0.6, 1.8);
  let s = `<g fill="${colour}">`;
  for (let yy = y + step / 2; yy < y + h; yy += step) {
    for (let xx = x + step / 2; xx < x + w; xx += step) {
      const u = (xx - x) / w, v = (yy - y) / h;
      const t = 0.5 + 0.25 * Math.sin(u * 6 * k1 + p1) + 0.25 * Math.cos(v * 5 * k2 + p2 + u * 3);
      const rad = (step / 2) * Math.max(0.05, Math.min(1, t));
      s += `<circle cx="${f(xx)}" cy="${f(yy)}" r="${f(rad)}"/>`;
    }
  }
  return s + "</g>";
}

/** A closed, wobbly loop around (cx, cy): used for contours on the cover. */
function wobblyLoop(r: Rng, cx: number, cy: number, rad: number, wob: number, phases: number[]): string {
  const pts: [number, number][] = [];
  const N = 90;
  for (let i = 0; i < N; i++) {
    const a = (i / N) * Math.PI * 2;
    const k = 1 + wob * (0.5 * Math.sin(3 * a + phases[0]!) + 0.3 * Math.sin(5 * a + phases[1]!) + 0.2 * Math.sin(2 * a + phases[2]!));
    pts.push([cx + Math.cos(a) * rad * k, cy + Math.sin(a) * rad * k * 0.85]);
  }
  void r;
  return "M " + pts.map(([a, b]) => `${f(a)} ${f(b)}`).join(" L ") + " Z";
}

function shadow(x: number, y: number, w: number, h: number, opacity = 0.35, rot = 0, cx = 0, cy = 0): string {
  return `<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" fill="#000" opacity="${opacity}" filter="url(#soft)" transform="rotate(${rot} ${cx} ${cy})"/>`;
}

// ---------------------------------------------------------------- pictures

function carbonCopy(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(1101);
  const defs = `
  <linearGradient id="desk" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#4a2e1c"/><stop offset="1" stop-color="#23140c"/>
  </linearGradient>
  <radialGradient id="lamp" cx="45%" cy="35%" r="60%">
    <stop offset="0" stop-color="#ffe2a8" stop-opacity="0.45"/><stop offset="1" stop-color="#ffe2a8" stop-opacity="0"/>
  </radialGradient>
  <linearGradient id="paper" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#fbf7ec"/><stop offset="1" stop-color="#ebe3cf"/>
  </linearGradient>
  <linearGradient id="copy" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#efe8d6"/><stop offset="1" stop-color="#ddd3ba"/>
  </linearGradient>
  <linearGradient id="carbon" x1="0" y1="0" x2="1" y2="0">
    <stop offset="0" stop-color="#0d1426"/><stop offset="0.6" stop-color="#1d2a4a"/><stop offset="0.85" stop-color="#4a5a80"/><stop offset="1" stop-color="#141c33"/>
  </linearGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#desk)"/>`;
  b += woodGrain(r, 0, 0, w, h, 160, "#0e0805");
  b += woodGrain(r, 0, 0, w, h, 60, "#8a5a36");
  b += `<rect width="${w}" height="${h}" fill="url(#lamp)"/>`;
  // lower sheet: the carbon copy
  const cx = 1250, cy = 820;
  b += shadow(560, 230, 1260, 1240, 0.5, -4, cx, cy);
  b += `<g transform="rotate(-4 ${cx} ${cy})">`;
  b += `<rect x="560" y="200" width="1240" height="1240" fill="url(#copy)"/>`;
  b += typedLines(r, 660, 300, 1040, 34, 32, "#3b3f6b", 0.55, 11);
  b += `</g>`;
  // carbon sheet, peeled back from the right: flat part + curled flap
  b += `<g transform="rotate(-2 ${cx} ${cy})">`;
  b += shadow(600, 190, 800, 1230, 0.45, 0, 0, 0);
  b += `<path d="M 560 170 L 1380 170 C 1480 500 1470 900 1360 1400 L 560 1400 Z" fill="#111729"/>`;
  b += `<path d="M 1380 170 C 1480 500 1470 900 1360 1400 C 1560 1300 1720 1150 1760 1010 C 1640 820 1600 450 1380 170 Z" fill="url(#carbon)"/>`;
  b += `<path d="M 1380 170 C 1600 450 1640 820 1760 1010" fill="none" stroke="#8d9bc0" stroke-width="3" opacity="0.6"/>`;
  b += `</g>`;
  // top sheet: the crisp original, half covering the carbon at the left
  b += shadow(300, 260, 760, 1120, 0.55, 3, 680, 820);
  b += `<g transform="rotate(3 680 820)">`;
  b += `<rect x="300" y="230" width="760" height="1120" fill="url(#paper)"/>`;
  b += typedLines(r, 380, 330, 600, 30, 33, "#1a1a1a", 0.92, 12);
  b += `<rect x="300" y="230" width="760" height="1120" fill="none" stroke="#cfc4a8" stroke-width="2"/>`;
  b += `</g>`;
  // a pencil
  b += `<g transform="rotate(-28 1900 1300)">`;
  b += shadow(1500, 1300, 800, 40, 0.5);
  b += `<rect x="1500" y="1270" width="700" height="44" fill="#d8a521"/><rect x="1500" y="1270" width="700" height="14" fill="#f0c44a"/>`;
  b += `<rect x="2200" y="1270" width="60" height="44" fill="#b8b8b0"/><rect x="2260" y="1270" width="40" height="44" fill="#d87a88"/>`;
  b += `<path d="M 1500 1270 L 1400 1292 L 1500 1314 Z" fill="#e7c99a"/><path d="M 1430 1285 L 1400 1292 L 1430 1299 Z" fill="#222"/>`;
  b += `</g>`;
  b += grain(r, w, h, 5000, ["#000", "#fff"], 0.08);
  return svg(w, h, defs, b);
}

function typescriptBundle(): string {
  const { w, h } = PORTRAIT;
  const r = rng(2202);
  const defs = `
  <linearGradient id="table" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#7a5236"/><stop offset="1" stop-color="#3d2616"/>
  </linearGradient>
  <radialGradient id="light" cx="40%" cy="30%" r="70%">
    <stop offset="0" stop-color="#fff1cc" stop-opacity="0.5"/><stop offset="1" stop-color="#fff1cc" stop-opacity="0"/>
  </radialGradient>
  <linearGradient id="sheet" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#f3e9cf"/><stop offset="1" stop-color="#dccaa0"/>
  </linearGradient>
  <linearGradient id="edge" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#e8dcbc"/><stop offset="1" stop-color="#b9a67c"/>
  </linearGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#table)"/>`;
  // vertical planks
  for (let x = 0; x < w; x += 400) b += `<rect x="${x}" y="0" width="3" height="${h}" fill="#1d110a" opacity="0.5"/>`;
  b += woodGrain(r, 0, 0, w, h, 140, "#2a180c");
  b += `<rect width="${w}" height="${h}" fill="url(#light)"/>`;
  // the stack, viewed from slightly above: side edges then top sheet
  const x0 = 300, y0 = 520, sw = 1000, sh = 1300, depth = 260;
  b += shadow(x0 + 40, y0 + 60, sw, sh + depth, 0.6);
  b += `<rect x="${x0}" y="${y0 + sh}" width="${sw}" height="${depth}" fill="url(#edge)"/>`;
  for (let i = 0; i < 90; i++) {
    const yy = y0 + sh + (i / 90) * depth;
    const dx = r.range(-10, 10);
    b += `<line x1="${f(x0 + dx)}" y1="${f(yy)}" x2="${f(x0 + sw + dx)}" y2="${f(yy)}" stroke="${r.pick(["#8f7b52", "#f4ead0", "#a89469"])}" stroke-width="${f(r.range(0.8, 2.2))}" opacity="0.7"/>`;
  }
  // a few sheets sticking out
  for (let i = 0; i < 7; i++) {
    const yy = y0 + r.range(40, sh - 60);
    const side = r.next() < 0.5;
    const rot = r.range(-3, 3);
    b += `<rect x="${side ? x0 - r.range(10, 40) : x0 + 40}" y="${f(yy)}" width="${sw}" height="${f(sh - (yy - y0))}" fill="#efe2c0" stroke="#b8a477" stroke-width="1.5" transform="rotate(${f(rot)} ${x0 + sw / 2} ${f(yy)})"/>`;
  }
  b += `<rect x="${x0}" y="${y0}" width="${sw}" height="${sh}" fill="url(#sheet)" stroke="#b8a477" stroke-width="2"/>`;
  // faded title block and text
  b += `<rect x="${x0 + 330}" y="${y0 + 110}" width="340" height="22" fill="#3a3550" opacity="0.6"/>`;
  b += `<rect x="${x0 + 400}" y="${y0 + 160}" width="200" height="14" fill="#3a3550" opacity="0.45"/>`;
  b += typedLines(r, x0 + 110, y0 + 260, sw - 220, 30, 32, "#3a3550", 0.55, 11);
  // foxing spots
  for (let i = 0; i < 60; i++) {
    b += `<circle cx="${f(r.range(x0, x0 + sw))}" cy="${f(r.range(y0, y0 + sh))}" r="${f(r.range(3, 18))}" fill="#a7814a" opacity="${r.range(0.04, 0.14).toFixed(2)}"/>`;
  }
  // string: one vertical and one horizontal band, with a knot and bow
  const sx = x0 + sw * 0.55, sy = y0 + sh * 0.45;
  const twine = (d: string) =>
    `<path d="${d}" fill="none" stroke="#3b2a1a" stroke-width="16" stroke-linecap="round" opacity="0.35" transform="translate(6 8)"/>` +
    `<path d="${d}" fill="none" stroke="#c9a46c" stroke-width="14" stroke-linecap="round"/>` +
    `<path d="${d}" fill="none" stroke="#8a6a3e" stroke-width="14" stroke-dasharray="6 10" stroke-linecap="butt"/>`;
  b += twine(`M ${sx - 8} ${y0 - 30} Q ${sx + 6} ${sy} ${sx - 4} ${y0 + sh + depth + 30}`);
  b += twine(`M ${x0 - 30} ${sy + 10} Q ${sx} ${sy - 8} ${x0 + sw + 30} ${sy + 4}`);
  b += twine(`M ${sx} ${sy} C ${sx - 190} ${sy - 180} ${sx - 260} ${sy + 40} ${sx} ${sy}`);
  b += twine(`M ${sx} ${sy} C ${sx + 190} ${sy - 200} ${sx + 270} ${sy + 30} ${sx} ${sy}`);
  b += twine(`M ${sx} ${sy} Q ${sx - 60} ${sy + 120} ${sx - 150} ${sy + 230}`);
  b += twine(`M ${sx} ${sy} Q ${sx + 50} ${sy + 140} ${sx + 120} ${sy + 260}`);
  b += `<circle cx="${sx}" cy="${sy}" r="22" fill="#b08a55"/>`;
  b += grain(r, w, h, 4500, ["#000", "#fff"], 0.08);
  return svg(w, h, defs, b);
}

function mimeograph(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(3303);
  const defs = `
  <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#5d7a74"/><stop offset="1" stop-color="#3a514d"/>
  </linearGradient>
  <linearGradient id="tabletop" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#9b6b43"/><stop offset="1" stop-color="#6b4428"/>
  </linearGradient>
  <linearGradient id="drum" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#2a2a2e"/><stop offset="0.25" stop-color="#6f7078"/><stop offset="0.4" stop-color="#3b3c42"/><stop offset="1" stop-color="#0f0f12"/>
  </linearGradient>
  <linearGradient id="body" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#4b5a3f"/><stop offset="1" stop-color="#28301f"/>
  </linearGradient>
  <linearGradient id="chrome" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#f2f2ee"/><stop offset="0.5" stop-color="#8d8f94"/><stop offset="1" stop-color="#d9dadc"/>
  </linearGradient>
  <radialGradient id="window" cx="15%" cy="10%" r="70%">
    <stop offset="0" stop-color="#fff8e0" stop-opacity="0.55"/><stop offset="1" stop-color="#fff8e0" stop-opacity="0"/>
  </radialGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#wall)"/>`;
  // wall tiles / plaster texture
  for (let i = 0; i < 900; i++) {
    b += `<rect x="${f(r.range(0, w))}" y="${f(r.range(0, 1100))}" width="${f(r.range(20, 120))}" height="${f(r.range(4, 14))}" fill="${r.pick(["#6f8c86", "#34494a"])}" opacity="${r.range(0.05, 0.2).toFixed(2)}"/>`;
  }
  b += `<rect y="1100" width="${w}" height="500" fill="url(#tabletop)"/>`;
  b += woodGrain(r, 0, 1100, w, 500, 60, "#3b2414");
  b += `<rect y="1100" width="${w}" height="10" fill="#c79568" opacity="0.7"/>`;
  b += `<rect width="${w}" height="${h}" fill="url(#window)"/>`;
  // shadow of the machine
  b += `<ellipse cx="1200" cy="1200" rx="900" ry="90" fill="#000" opacity="0.55" filter="url(#soft)"/>`;
  // base
  b += `<path d="M 500 1180 L 1900 1180 L 1840 900 L 560 900 Z" fill="url(#body)"/>`;
  b += `<path d="M 560 900 L 1840 900 L 1820 870 L 580 870 Z" fill="#6c7d5d"/>`;
  // feed tray with blank paper (left, slanting up)
  b += `<path d="M 150 760 L 640 880 L 640 920 L 150 800 Z" fill="#222"/>`;
  for (let i = 0; i < 14; i++) b += `<path d="M ${170 + i * 2} ${742 - i * 3} L ${640} ${860 - i * 3} L ${640} ${866 - i * 3} L ${170 + i * 2} ${748 - i * 3} Z" fill="${i % 2 ? "#f6f3ea" : "#dcd8cc"}"/>`;
  // side frames
  b += `<path d="M 640 420 L 760 420 L 780 900 L 620 900 Z" fill="#2f3a27"/>`;
  b += `<path d="M 1640 420 L 1760 420 L 1780 900 L 1620 900 Z" fill="#2f3a27"/>`;
  // the drum: cylinder seen from the front
  b += `<rect x="700" y="430" width="1000" height="380" rx="30" fill="url(#drum)"/>`;
  for (let i = 0; i < 40; i++) {
    const yy = 440 + i * 9.2;
    b += `<line x1="710" y1="${f(yy)}" x2="1690" y2="${f(yy)}" stroke="#000" stroke-width="1" opacity="${(0.05 + 0.05 * Math.sin(i)).toFixed(2)}"/>`;
  }
  b += `<ellipse cx="700" cy="620" rx="55" ry="190" fill="#1b1b1f"/><ellipse cx="1700" cy="620" rx="55" ry="190" fill="#3a3b40"/>`;
  b += `<ellipse cx="1700" cy="620" rx="30" ry="100" fill="url(#chrome)"/>`;
  // stencil wrapped on the drum, with faint lines of cut text
  b += `<rect x="860" y="470" width="680" height="300" fill="#7d6aa8" opacity="0.25"/>`;
  b += typedLines(r, 900, 500, 600, 9, 28, "#0a0a0c", 0.5, 8);
  // crank handle
  b += `<path d="M 1700 620 L 1960 380" stroke="url(#chrome)" stroke-width="34" stroke-linecap="round"/>`;
  b += `<rect x="1930" y="250" width="60" height="150" rx="28" fill="#7a1f1a"/>`;
  b += `<rect x="1940" y="260" width="16" height="120" rx="8" fill="#c0463b" opacity="0.8"/>`;
  b += `<circle cx="1700" cy="620" r="36" fill="url(#chrome)"/>`;
  // output tray with printed sheets
  b += `<path d="M 1780 1000 L 2300 1060 L 2300 1090 L 1780 1030 Z" fill="#222"/>`;
  for (let i = 0; i < 8; i++) {
    const dy = -i * 5, dx = r.range(-12, 12);
    b += `<path d="M ${f(1790 + dx)} ${990 + dy} L ${f(2280 + dx)} ${1048 + dy} L ${f(2240 + dx)} ${1000 + dy} L ${f(1760 + dx)} ${945 + dy} Z" fill="#f4f1e8" stroke="#cfc9b8" stroke-width="1"/>`;
  }
  for (let i = 0; i < 8; i++) {
    const t = i / 8;
    b += `<line x1="${f(1800 + t * 30)}" y1="${f(955 + t * 35 - 35)}" x2="${f(2180 + t * 30)}" y2="${f(1000 + t * 35 - 35)}" stroke="#23203a" stroke-width="5" stroke-dasharray="${r.int(20, 60)} 10 ${r.int(30, 90)} 12" opacity="0.7"/>`;
  }
  // ink tin and brush beside the machine
  b += `<ellipse cx="330" cy="1290" rx="140" ry="40" fill="#000" opacity="0.4" filter="url(#blur6)"/>`;
  b += `<rect x="210" y="1130" width="240" height="150" fill="#1f2a55"/><ellipse cx="330" cy="1130" rx="120" ry="30" fill="#2d3a70"/><ellipse cx="330" cy="1130" rx="100" ry="22" fill="#0b0b10"/>`;
  b += `<rect x="240" y="1180" width="180" height="50" fill="#d9c15a"/>`;
  b += grain(r, w, h, 5000, ["#000", "#fff"], 0.07);
  return svg(w, h, defs, b);
}

function photocopier(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(4404);
  const defs = `
  <linearGradient id="room" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#1c2230"/><stop offset="1" stop-color="#2c3446"/>
  </linearGradient>
  <linearGradient id="case" x1="0" y1="0" x2="1" y2="0">
    <stop offset="0" stop-color="#b9b6ab"/><stop offset="0.5" stop-color="#e4e1d6"/><stop offset="1" stop-color="#a7a498"/>
  </linearGradient>
  <linearGradient id="lid" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#4b4e55"/><stop offset="1" stop-color="#2a2c31"/>
  </linearGradient>
  <linearGradient id="beam" x1="0" y1="0" x2="1" y2="0">
    <stop offset="0" stop-color="#9fe8ff" stop-opacity="0"/><stop offset="0.5" stop-color="#eaffff" stop-opacity="1"/><stop offset="1" stop-color="#9fe8ff" stop-opacity="0"/>
  </linearGradient>
  <radialGradient id="glow" cx="50%" cy="50%" r="50%">
    <stop offset="0" stop-color="#bff4ff" stop-opacity="0.8"/><stop offset="1" stop-color="#bff4ff" stop-opacity="0"/>
  </radialGradient>
  <linearGradient id="floor" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#3b3f47"/><stop offset="1" stop-color="#1a1c20"/>
  </linearGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#room)"/>`;
  // shelves of paper reams in the background
  for (let row = 0; row < 3; row++) {
    const yy = 160 + row * 260;
    b += `<rect x="0" y="${yy + 200}" width="${w}" height="16" fill="#11151e"/>`;
    let xx = r.range(0, 60);
    while (xx < w) {
      const rw = r.range(90, 170), rh = r.range(110, 190);
      b += `<rect x="${f(xx)}" y="${f(yy + 200 - rh)}" width="${f(rw)}" height="${f(rh)}" fill="${r.pick(["#d8503f", "#e8c547", "#5b8fc7", "#ebe7dc", "#7bb07a", "#c06fa5"])}" opacity="0.45"/>`;
      xx += rw + r.range(6, 40);
    }
  }
  b += `<rect y="1180" width="${w}" height="420" fill="url(#floor)"/>`;
  // floor tiles
  for (let i = -12; i < 24; i++) b += `<line x1="${1200 + i * 80}" y1="1180" x2="${1200 + i * 260}" y2="1600" stroke="#000" stroke-width="2" opacity="0.25"/>`;
  for (let j = 0; j < 6; j++) b += `<line x1="0" y1="${1180 + j * j * 14 + j * 20}" x2="${w}" y2="${1180 + j * j * 14 + j * 20}" stroke="#000" stroke-width="2" opacity="0.25"/>`;
  b += `<ellipse cx="1180" cy="1320" rx="820" ry="90" fill="#000" opacity="0.6" filter="url(#soft)"/>`;
  // copier body
  b += `<path d="M 520 720 L 1780 720 L 1800 1300 L 500 1300 Z" fill="url(#case)"/>`;
  b += `<rect x="520" y="1010" width="1260" height="10" fill="#8c897e"/>`;
  b += `<rect x="560" y="1060" width="560" height="90" rx="10" fill="#cfcbc0" stroke="#8c897e" stroke-width="3"/>`;
  b += `<rect x="560" y="1170" width="560" height="90" rx="10" fill="#cfcbc0" stroke="#8c897e" stroke-width="3"/>`;
  b += `<rect x="780" y="1095" width="120" height="16" rx="8" fill="#6e6b62"/><rect x="780" y="1205" width="120" height="16" rx="8" fill="#6e6b62"/>`;
  // top: platen glass in perspective
  b += `<path d="M 560 640 L 1740 640 L 1780 720 L 520 720 Z" fill="#d4d1c6"/>`;
  b += `<path d="M 640 650 L 1480 650 L 1500 706 L 610 706 Z" fill="#0d1a24"/>`;
  // the light bar sweeping across the glass
  b += `<path d="M 1010 650 L 1130 650 L 1150 706 L 990 706 Z" fill="url(#beam)"/>`;
  b += `<ellipse cx="1070" cy="640" rx="360" ry="160" fill="url(#glow)" opacity="0.7"/>`;
  // raised lid
  b += `<path d="M 560 640 L 1500 640 L 1460 250 L 620 250 Z" fill="url(#lid)"/>`;
  b += `<path d="M 600 620 L 1470 620 L 1440 280 L 640 280 Z" fill="#ececea" opacity="0.9"/>`;
  b += `<path d="M 600 620 L 1470 620 L 1440 280 L 640 280 Z" fill="url(#glow)" opacity="0.5"/>`;
  // control panel
  b += `<path d="M 1520 640 L 1760 640 L 1790 720 L 1540 720 Z" fill="#3b3e45"/>`;
  b += `<rect x="1570" y="655" width="90" height="30" fill="#22e08a" opacity="0.85"/>`;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) b += `<circle cx="${1680 + i * 22}" cy="${664 + j * 26}" r="8" fill="${i === 3 && j === 1 ? "#ff5a3c" : "#d0d2d8"}"/>`;
  // output tray, right
  b += `<path d="M 1790 930 L 2150 900 L 2170 940 L 1800 980 Z" fill="#8c897e"/>`;
  for (let i = 0; i < 10; i++) {
    const dy = -i * 5;
    b += `<path d="M ${1810 + r.range(-6, 6)} ${f(930 + dy)} L ${2120 + r.range(-6, 6)} ${f(902 + dy)} L ${2140} ${f(928 + dy)} L ${1820} ${f(958 + dy)} Z" fill="#f6f6f2" stroke="#bdbab0" stroke-width="1"/>`;
  }
  b += `<path d="M 1820 905 L 2120 878" stroke="#222" stroke-width="4" stroke-dasharray="30 8 50 10 20 8" opacity="0.7"/>`;
  // a stray page on the floor
  b += `<g transform="rotate(14 2050 1420)"><rect x="1880" y="1330" width="300" height="200" fill="#f1efe8"/>`;
  b += halftone(r, 1900, 1350, 120, 160, 10, "#222");
  b += typedLines(r, 2040, 1360, 120, 7, 22, "#222", 0.8, 7) + `</g>`;
  // dust motes in the light
  for (let i = 0; i < 220; i++) {
    b += `<circle cx="${f(r.range(700, 1500))}" cy="${f(r.range(200, 700))}" r="${f(r.range(1, 4))}" fill="#dff9ff" opacity="${r.range(0.1, 0.5).toFixed(2)}"/>`;
  }
  b += grain(r, w, h, 4000, ["#000", "#fff"], 0.07);
  return svg(w, h, defs, b);
}

const ZINE_PAPERS = ["#f2d24b", "#f08aa0", "#8fc5e8", "#9ed28f", "#f7f3e8", "#f4a259", "#c9b3e6", "#eae4d3"];

function zineCover(r: Rng, x: number, y: number, zw: number, zh: number, rot: number, open: boolean): string {
  const paper = r.pick(ZINE_PAPERS);
  const cx = x + zw / 2, cy = y + zh / 2;
  let s = `<g transform="rotate(${f(rot)} ${f(cx)} ${f(cy)})">`;
  s += `<rect x="${f(x + 18)}" y="${f(y + 26)}" width="${f(open ? zw * 2 : zw)}" height="${f(zh)}" fill="#000" opacity="0.45" filter="url(#blur6)"/>`;
  if (open) {
    s += `<rect x="${f(x)}" y="${f(y)}" width="${f(zw * 2)}" height="${f(zh)}" fill="#f7f4ec"/>`;
    s += `<line x1="${f(x + zw)}" y1="${f(y)}" x2="${f(x + zw)}" y2="${f(y + zh)}" stroke="#b9b3a3" stroke-width="3"/>`;
    s += typedLines(r, x + zw * 0.1, y + zh * 0.1, zw * 0.8, Math.floor(zh / 30) - 3, 26, "#1b1b1b", 0.85, 8);
    s += halftone(r, x + zw * 1.1, y + zh * 0.08, zw * 0.8, zh * 0.45, 11, "#151515");
    s += typedLines(r, x + zw * 1.1, y + zh * 0.6, zw * 0.8, Math.floor((zh * 0.35) / 26), 26, "#1b1b1b", 0.85, 8);
    for (const sy of [0.3, 0.7]) s += `<rect x="${f(x + zw - 3)}" y="${f(y + zh * sy - 18)}" width="6" height="36" fill="#9a9ca3"/>`;
  } else {
    s += `<rect x="${f(x)}" y="${f(y)}" width="${f(zw)}" height="${f(zh)}" fill="${paper}"/>`;
    s += `<rect x="${f(x)}" y="${f(y)}" width="${f(zw)}" height="${f(zh)}" fill="none" stroke="#000" stroke-opacity="0.12" stroke-width="2"/>`;
    // cut-and-paste cover: a halftone photo block, some ransom-note blocks
    const px = x + zw * r.range(0.08, 0.2), py = y + zh * r.range(0.25, 0.4);
    const pw = zw * r.range(0.6, 0.8), ph = zh * r.range(0.35, 0.5);
    s += `<g transform="rotate(${f(r.range(-4, 4))} ${f(px + pw / 2)} ${f(py + ph / 2)})"><rect x="${f(px)}" y="${f(py)}" width="${f(pw)}" height="${f(ph)}" fill="#fff" opacity="0.6"/>`;
    s += halftone(r, px, py, pw, ph, r.pick([9, 11, 13]), "#141414") + `</g>`;
    let bx = x + zw * 0.08;
    const by = y + zh * 0.07;
    for (let k = 0; k < r.int(4, 7); k++) {
      const bw = r.range(26, 60), bh = r.range(40, 70);
      s += `<rect x="${f(bx)}" y="${f(by + r.range(-6, 6))}" width="${f(bw)}" height="${f(bh)}" fill="${r.pick(["#111", "#111", "#d83a2e", "#fff"])}" transform="rotate(${f(r.range(-8, 8))} ${f(bx + bw / 2)} ${f(by + bh / 2)})"/>`;
      bx += bw + r.range(4, 12);
      if (bx > x + zw * 0.85) break;
    }
    s += `<rect x="${f(x + zw * 0.1)}" y="${f(y + zh * 0.88)}" width="${f(zw * 0.5)}" height="12" fill="#111" opacity="0.7"/>`;
    for (const sy of [0.25, 0.75]) s += `<rect x="${f(x + 8)}" y="${f(y + zh * sy - 18)}" width="7" height="36" fill="#a5a8ae"/>`;
  }
  return s + `</g>`;
}

function zineStack(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(5505);
  const defs = `
  <linearGradient id="tbl" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#6c8a9b"/><stop offset="1" stop-color="#3c5565"/>
  </linearGradient>
  <radialGradient id="sun" cx="70%" cy="20%" r="80%">
    <stop offset="0" stop-color="#fff6d8" stop-opacity="0.5"/><stop offset="1" stop-color="#fff6d8" stop-opacity="0"/>
  </radialGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#tbl)"/>`;
  // painted table surface: brush strokes
  for (let i = 0; i < 400; i++) {
    const x = r.range(-100, w), y = r.range(0, h);
    b += `<rect x="${f(x)}" y="${f(y)}" width="${f(r.range(80, 300))}" height="${f(r.range(2, 6))}" fill="${r.pick(["#7d9cad", "#34495a"])}" opacity="${r.range(0.1, 0.3).toFixed(2)}" transform="rotate(${f(r.range(-3, 3))} ${f(x)} ${f(y)})"/>`;
  }
  b += `<rect width="${w}" height="${h}" fill="url(#sun)"/>`;
  // scattered zines, back to front
  const spots: [number, number, boolean][] = [
    [120, 90, false], [640, 40, false], [1180, 120, false], [1750, 60, false],
    [260, 700, false], [880, 560, true], [1650, 720, false], [60, 1100, false],
    [520, 1050, false], [1200, 1080, false], [1900, 1150, false],
  ];
  for (const [x, y, open] of spots) {
    b += zineCover(r, x + r.range(-40, 40), y + r.range(-30, 30), 360, 500, r.range(-22, 22), open);
  }
  // a neat stack in the middle-right
  for (let i = 0; i < 9; i++) {
    b += zineCover(r, 1500 + r.range(-10, 10), 330 - i * 6, 360, 500, r.range(-5, 5) + 8, false);
  }
  // stapler
  b += `<g transform="rotate(-20 2150 1300)">`;
  b += `<rect x="1980" y="1250" width="420" height="110" rx="30" fill="#000" opacity="0.45" filter="url(#soft)"/>`;
  b += `<rect x="1960" y="1220" width="420" height="100" rx="30" fill="#b3262b"/>`;
  b += `<rect x="1960" y="1220" width="420" height="36" rx="18" fill="#d9474a"/>`;
  b += `<rect x="1940" y="1300" width="460" height="36" rx="12" fill="#2b2b2e"/>`;
  b += `</g>`;
  // loose staples
  for (let i = 0; i < 14; i++) {
    const x = r.range(1700, 2300), y = r.range(900, 1500), a = r.range(0, 180);
    b += `<path d="M ${f(x)} ${f(y)} l 0 -8 l 30 0 l 0 8" fill="none" stroke="#c8cad0" stroke-width="3" transform="rotate(${f(a)} ${f(x + 15)} ${f(y)})"/>`;
  }
  b += grain(r, w, h, 5000, ["#000", "#fff"], 0.07);
  return svg(w, h, defs, b);
}

function minizineFold(): string {
  const { w, h } = PORTRAIT;
  const r = rng(6606);
  const defs = `
  <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#f4efe2"/><stop offset="1" stop-color="#e6dcc6"/>
  </linearGradient>
  <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
    <path d="M 0 0 L 10 5 L 0 10 z" fill="#2d5fa8"/>
  </marker>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#bg)"/>`;
  // faint graph paper
  for (let x = 0; x <= w; x += 40) b += `<line x1="${x}" y1="0" x2="${x}" y2="${h}" stroke="#7fa6c9" stroke-width="${x % 200 === 0 ? 2 : 1}" opacity="${x % 200 === 0 ? 0.35 : 0.18}"/>`;
  for (let y = 0; y <= h; y += 40) b += `<line x1="0" y1="${y}" x2="${w}" y2="${y}" stroke="#7fa6c9" stroke-width="${y % 200 === 0 ? 2 : 1}" opacity="${y % 200 === 0 ? 0.35 : 0.18}"/>`;
  // step 1: the flat sheet with 8 panels (4 x 2)
  const sx = 200, sy = 200, sw = 1200, sh = 820;
  b += shadow(sx + 20, sy + 30, sw, sh, 0.25);
  b += `<rect x="${sx}" y="${sy}" width="${sw}" height="${sh}" fill="#fffdf7" stroke="#2b2b2b" stroke-width="4"/>`;
  const pw = sw / 4, ph = sh / 2;
  const panelCol = ["#f08aa0", "#8fc5e8", "#f2d24b", "#9ed28f"];
  for (let row = 0; row < 2; row++) {
    for (let col = 0; col < 4; col++) {
      const px = sx + col * pw, py = sy + row * ph;
      const upside = row === 0;
      // small thumbnail content per panel: a block and lines
      let g = `<rect x="${f(px + 40)}" y="${f(py + 40)}" width="${f(pw - 80)}" height="${f(ph * 0.38)}" fill="${panelCol[(col + row) % 4]}" opacity="0.8"/>`;
      g += typedLines(r, px + 40, py + 60 + ph * 0.42, pw - 80, 6, 28, "#3a3a3a", 0.6, 9);
      b += upside ? `<g transform="rotate(180 ${f(px + pw / 2)} ${f(py + ph / 2)})">${g}</g>` : g;
      // page number as pips (no fonts): n small dots
      const n = row === 1 ? [1, 2, 3, 4][col]! : [8, 7, 6, 5][col]!;
      for (let k = 0; k < n; k++) {
        const dy = upside ? py + 22 : py + ph - 22;
        b += `<circle cx="${f(px + pw / 2 - (n - 1) * 9 + k * 18)}" cy="${f(dy)}" r="6" fill="#2d5fa8"/>`;
      }
    }
  }
  // fold lines (dashed) and the single cut (solid red)
  for (let col = 1; col < 4; col++) b += `<line x1="${sx + col * pw}" y1="${sy}" x2="${sx + col * pw}" y2="${sy + sh}" stroke="#2d5fa8" stroke-width="4" stroke-dasharray="18 12"/>`;
  b += `<line x1="${sx}" y1="${sy + ph}" x2="${sx + pw}" y2="${sy + ph}" stroke="#2d5fa8" stroke-width="4" stroke-dasharray="18 12"/>`;
  b += `<line x1="${sx + 3 * pw}" y1="${sy + ph}" x2="${sx + sw}" y2="${sy + ph}" stroke="#2d5fa8" stroke-width="4" stroke-dasharray="18 12"/>`;
  b += `<line x1="${sx + pw}" y1="${sy + ph}" x2="${sx + 3 * pw}" y2="${sy + ph}" stroke="#d8322a" stroke-width="8"/>`;
  // scissors glyph made of shapes
  const scx = sx + pw - 50, scy = sy + ph;
  b += `<g transform="translate(${scx} ${scy}) rotate(0)"><circle cx="-40" cy="-22" r="18" fill="none" stroke="#d8322a" stroke-width="7"/><circle cx="-40" cy="22" r="18" fill="none" stroke="#d8322a" stroke-width="7"/><path d="M -24 -14 L 40 10 M -24 14 L 40 -10" stroke="#d8322a" stroke-width="7" stroke-linecap="round"/></g>`;
  // step 2: the sheet folded lengthwise and pushed into a diamond (schematic)
  const my = 1380;
  b += `<path d="M 260 ${my} L 620 ${my - 160} L 980 ${my} L 620 ${my + 160} Z" fill="#fffdf7" stroke="#2b2b2b" stroke-width="4"/>`;
  b += `<path d="M 260 ${my} L 620 ${my - 160} L 620 ${my + 160} Z" fill="#e9e1cf" stroke="#2b2b2b" stroke-width="3"/>`;
  b += `<line x1="620" y1="${my - 160}" x2="620" y2="${my + 160}" stroke="#d8322a" stroke-width="6"/>`;
  b += `<path d="M 120 ${my} L 230 ${my}" stroke="#2d5fa8" stroke-width="10" marker-end="url(#arrow)"/>`;
  b += `<path d="M 1120 ${my} L 1010 ${my}" stroke="#2d5fa8" stroke-width="10" marker-end="url(#arrow)"/>`;
  // curved arrow from the flat sheet to the diamond, and from diamond to booklet
  b += `<path d="M 1440 900 C 1560 1050 1500 1250 1200 1300" fill="none" stroke="#2d5fa8" stroke-width="10" marker-end="url(#arrow)"/>`;
  b += `<path d="M 800 1600 C 820 1720 900 1780 1000 1800" fill="none" stroke="#2d5fa8" stroke-width="10" marker-end="url(#arrow)"/>`;
  // step 3: the finished booklet, slightly open, in perspective
  const bx = 1040, by = 1720;
  b += `<ellipse cx="${bx + 180}" cy="${by + 520}" rx="300" ry="40" fill="#000" opacity="0.25" filter="url(#soft)"/>`;
  b += `<path d="M ${bx} ${by} L ${bx + 300} ${by + 40} L ${bx + 300} ${by + 500} L ${bx} ${by + 460} Z" fill="#f08aa0" stroke="#2b2b2b" stroke-width="4"/>`;
  b += `<path d="M ${bx} ${by} L ${bx - 120} ${by + 60} L ${bx - 120} ${by + 520} L ${bx} ${by + 460} Z" fill="#d9708a" stroke="#2b2b2b" stroke-width="4"/>`;
  b += `<path d="M ${bx + 40} ${by + 120} L ${bx + 260} ${by + 150} L ${bx + 260} ${by + 330} L ${bx + 40} ${by + 300} Z" fill="#ffffff" opacity="0.7"/>`;
  b += `<g transform="translate(${bx + 40} ${by + 120}) skewY(7.6)">${halftone(r, 0, 0, 220, 180, 12, "#2b2b2b")}</g>`;
  // a hand-drawn sparkle of motion lines around the booklet
  for (let i = 0; i < 6; i++) {
    const a = -Math.PI / 2 + (i - 2.5) * 0.3;
    const x1 = bx + 150 + Math.cos(a) * 320, y1 = by + 240 + Math.sin(a) * 320;
    const x2 = bx + 150 + Math.cos(a) * 380, y2 = by + 240 + Math.sin(a) * 380;
    b += `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="#d8322a" stroke-width="7" stroke-linecap="round"/>`;
  }
  // step markers: 1, 2, 3 as filled circles with pips
  const marker = (x: number, y: number, n: number) => {
    let s = `<circle cx="${x}" cy="${y}" r="46" fill="#2d5fa8"/>`;
    for (let k = 0; k < n; k++) s += `<circle cx="${f(x - (n - 1) * 12 + k * 24)}" cy="${y}" r="8" fill="#fffdf7"/>`;
    return s;
  };
  b += marker(140, 140, 1) + marker(140, 1200, 2) + marker(700, 1960, 3);
  b += grain(r, w, h, 3000, ["#6b5a3a", "#ffffff"], 0.08);
  return svg(w, h, defs, b);
}

function risograph(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(7707);
  const defs = `
  <linearGradient id="bgr" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#f5efe0"/><stop offset="1" stop-color="#e3d8bf"/>
  </linearGradient>
  <radialGradient id="drumface" cx="40%" cy="35%" r="70%">
    <stop offset="0" stop-color="#5a5d66"/><stop offset="0.7" stop-color="#26282e"/><stop offset="1" stop-color="#111216"/>
  </radialGradient>
  <clipPath id="sheetclip"><rect x="250" y="1040" width="1900" height="460"/></clipPath>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#bgr)"/>`;
  b += grain(r, w, h, 4000, ["#8a7a5a"], 0.12, 2.5);
  // three drums, each a colour, overlapping like layers
  const drums = [
    { cx: 700, cy: 560, col: "#ff48b0" },
    { cx: 1200, cy: 520, col: "#0078bf" },
    { cx: 1700, cy: 560, col: "#ffe800" },
  ];
  for (const d of drums) {
    b += `<circle cx="${d.cx + 30}" cy="${d.cy + 40}" r="360" fill="#000" opacity="0.25" filter="url(#soft)"/>`;
  }
  for (const d of drums) {
    b += `<circle cx="${d.cx}" cy="${d.cy}" r="350" fill="${d.col}" opacity="0.72"/>`;
  }
  for (const d of drums) {
    // the drum mechanism: rings, mesh screen dots and an axle
    b += `<circle cx="${d.cx}" cy="${d.cy}" r="350" fill="none" stroke="#1a1a1a" stroke-width="6" opacity="0.6"/>`;
    b += `<circle cx="${d.cx}" cy="${d.cy}" r="300" fill="none" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="4 10" opacity="0.5"/>`;
    for (let k = 0; k < 16; k++) {
      const a = (k / 16) * Math.PI * 2 + r.range(0, 0.1);
      b += `<line x1="${f(d.cx + Math.cos(a) * 80)}" y1="${f(d.cy + Math.sin(a) * 80)}" x2="${f(d.cx + Math.cos(a) * 290)}" y2="${f(d.cy + Math.sin(a) * 290)}" stroke="#1a1a1a" stroke-width="3" opacity="0.25"/>`;
    }
    b += `<circle cx="${d.cx}" cy="${d.cy}" r="80" fill="url(#drumface)"/>`;
    b += `<circle cx="${d.cx}" cy="${d.cy}" r="24" fill="#c9ccd2"/>`;
  }
  // paper passing underneath, printed in misregistered layers
  b += `<rect x="250" y="1080" width="1900" height="440" fill="#000" opacity="0.2" filter="url(#soft)"/>`;
  b += `<rect x="250" y="1040" width="1900" height="460" fill="#fbf8f0"/>`;
  b += `<g clip-path="url(#sheetclip)">`;
  // pink layer: large shapes; blue layer offset a few pixels; yellow accents
  const shapes = (dx: number, dy: number, col: string, op: number, seed: number) => {
    const q = rng(seed);
    let s = `<g transform="translate(${dx} ${dy})" fill="${col}" opacity="${op}">`;
    for (let i = 0; i < 7; i++) {
      const cx = 350 + i * 260 + q.range(-40, 40), cy = 1270 + q.range(-90, 90);
      s += `<circle cx="${f(cx)}" cy="${f(cy)}" r="${f(q.range(70, 150))}"/>`;
    }
    return s + `</g>`;
  };
  b += shapes(0, 0, "#ff48b0", 0.8, 11);
  b += `<g opacity="0.75">${halftone(r, 260, 1060, 1880, 420, 14, "#0078bf")}</g>`;
  b += shapes(14, -9, "#ffe800", 0.55, 12);
  b += `</g>`;
  // motion arrows under the drums
  for (const d of drums) b += `<path d="M ${d.cx - 120} 990 L ${d.cx + 120} 990" stroke="#1a1a1a" stroke-width="8" stroke-linecap="round" opacity="0.5"/><path d="M ${d.cx + 120} 990 l -30 -18 m 30 18 l -30 18" stroke="#1a1a1a" stroke-width="8" stroke-linecap="round" opacity="0.5" fill="none"/>`;
  // ink tubes on the right
  for (let i = 0; i < 3; i++) {
    const x = 2200, y = 180 + i * 260;
    const col = drums[i]!.col;
    b += `<rect x="${x + 12}" y="${y + 14}" width="140" height="200" rx="20" fill="#000" opacity="0.3" filter="url(#blur6)"/>`;
    b += `<rect x="${x}" y="${y}" width="140" height="200" rx="20" fill="#f7f7f2" stroke="#555" stroke-width="3"/>`;
    b += `<rect x="${x}" y="${y + 60}" width="140" height="80" fill="${col}"/>`;
    b += `<rect x="${x + 40}" y="${y - 30}" width="60" height="32" rx="6" fill="#333"/>`;
  }
  return svg(w, h, defs, b);
}

function zineFair(): string {
  const { w, h } = LANDSCAPE;
  const r = rng(8808);
  const defs = `
  <linearGradient id="hall" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#3c2f4a"/><stop offset="0.6" stop-color="#6a4d5c"/><stop offset="1" stop-color="#8c6a5a"/>
  </linearGradient>
  <linearGradient id="cloth" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#2f6b5b"/><stop offset="1" stop-color="#173a31"/>
  </linearGradient>
  <linearGradient id="top" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#3f8a75"/><stop offset="1" stop-color="#2f6b5b"/>
  </linearGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#hall)"/>`;
  // bokeh lights in the background
  for (let i = 0; i < 70; i++) {
    b += `<circle cx="${f(r.range(0, w))}" cy="${f(r.range(40, 700))}" r="${f(r.range(20, 90))}" fill="${r.pick(["#ffd58a", "#ffb08a", "#fff0c8", "#ff9ec4"])}" opacity="${r.range(0.08, 0.3).toFixed(2)}" filter="url(#blur6)"/>`;
  }
  // soft silhouettes of other tables and visitors (no faces)
  for (let i = 0; i < 14; i++) {
    const x = r.range(-50, w), y = r.range(520, 700), s = r.range(0.7, 1.2);
    b += `<g opacity="0.35" filter="url(#blur6)"><ellipse cx="${f(x)}" cy="${f(y - 170 * s)}" rx="${f(48 * s)}" ry="${f(58 * s)}" fill="#1f1828"/><path d="M ${f(x - 110 * s)} ${f(y + 160)} Q ${f(x - 100 * s)} ${f(y - 110 * s)} ${f(x)} ${f(y - 110 * s)} Q ${f(x + 100 * s)} ${f(y - 110 * s)} ${f(x + 110 * s)} ${f(y + 160)} Z" fill="#1f1828"/></g>`;
  }
  // bunting across the top
  let d = "M -20 120 Q 1200 330 2420 110";
  b += `<path d="${d}" fill="none" stroke="#f4e9d8" stroke-width="4" opacity="0.8"/>`;
  for (let i = 0; i < 22; i++) {
    const t = i / 21;
    const x = -20 + t * 2440;
    const y = (1 - t) * (1 - t) * 120 + 2 * (1 - t) * t * 330 + t * t * 110;
    b += `<path d="M ${f(x - 40)} ${f(y)} L ${f(x + 40)} ${f(y)} L ${f(x)} ${f(y + 100)} Z" fill="${r.pick(["#ff48b0", "#0078bf", "#ffe800", "#f4e9d8", "#00a95c", "#ff6c2f"])}" opacity="0.9"/>`;
  }
  void d;
  // the table in perspective
  b += `<path d="M 200 900 L 2200 900 L 2400 1180 L 0 1180 Z" fill="url(#top)"/>`;
  b += `<path d="M 0 1180 L 2400 1180 L 2400 1600 L 0 1600 Z" fill="url(#cloth)"/>`;
  for (let x = 40; x < w; x += 120) b += `<path d="M ${x} 1180 Q ${x + 20} 1400 ${x - 10} 1600" fill="none" stroke="#0c241e" stroke-width="6" opacity="0.35"/>`;
  // rows of booklets on the table, back row smaller
  const rows = [
    { y: 930, hgt: 120, wdt: 90, n: 17, x0: 260, x1: 2140 },
    { y: 1000, hgt: 150, wdt: 110, n: 14, x0: 170, x1: 2230 },
    { y: 1080, hgt: 175, wdt: 130, n: 12, x0: 80, x1: 2320 },
  ];
  for (const row of rows) {
    const step = (row.x1 - row.x0) / row.n;
    for (let i = 0; i < row.n; i++) {
      const x = row.x0 + i * step + r.range(-6, 6);
      const skew = ((x - 1200) / 1200) * 12;
      const col = r.pick(ZINE_PAPERS);
      const top = row.y - row.hgt * 0.35;
      b += `<path d="M ${f(x + 8)} ${f(row.y + 10)} L ${f(x + row.wdt + 14)} ${f(row.y + 10)} L ${f(x + row.wdt + skew + 10)} ${f(top + 12)} L ${f(x + skew + 8)} ${f(top + 12)} Z" fill="#000" opacity="0.3" filter="url(#blur6)"/>`;
      b += `<path d="M ${f(x)} ${f(row.y)} L ${f(x + row.wdt)} ${f(row.y)} L ${f(x + row.wdt + skew)} ${f(top)} L ${f(x + skew)} ${f(top)} Z" fill="${col}"/>`;
      // cover marks: a block and two bars
      const bw = row.wdt * 0.6;
      b += `<path d="M ${f(x + row.wdt * 0.2)} ${f(row.y - row.hgt * 0.08)} L ${f(x + row.wdt * 0.2 + bw)} ${f(row.y - row.hgt * 0.08)} L ${f(x + row.wdt * 0.2 + bw + skew * 0.5)} ${f(row.y - row.hgt * 0.22)} L ${f(x + row.wdt * 0.2 + skew * 0.5)} ${f(row.y - row.hgt * 0.22)} Z" fill="${r.pick(["#111", "#d83a2e", "#0078bf", "#ff48b0"])}" opacity="0.85"/>`;
      b += `<line x1="${f(x + row.wdt * 0.2 + skew * 0.8)}" y1="${f(top + row.hgt * 0.05)}" x2="${f(x + row.wdt * 0.75 + skew * 0.8)}" y2="${f(top + row.hgt * 0.05)}" stroke="#111" stroke-width="4" opacity="0.7"/>`;
    }
  }
  // cash box at the right corner
  b += `<ellipse cx="2120" cy="1170" rx="170" ry="26" fill="#000" opacity="0.4" filter="url(#blur6)"/>`;
  b += `<path d="M 1980 1160 L 2260 1160 L 2240 1060 L 2000 1060 Z" fill="#2a4f8a"/>`;
  b += `<path d="M 2000 1060 L 2240 1060 L 2210 1010 L 2030 1010 Z" fill="#3f6db5"/>`;
  b += `<rect x="2095" y="1085" width="50" height="22" rx="4" fill="#d8d8d8"/>`;
  // a small price-card stand and a potted plant
  b += `<path d="M 360 1150 L 480 1150 L 460 1050 L 380 1050 Z" fill="#f7f2e6"/><line x1="390" y1="1085" x2="450" y2="1085" stroke="#d83a2e" stroke-width="8"/><line x1="395" y1="1115" x2="440" y2="1115" stroke="#222" stroke-width="5"/>`;
  b += `<path d="M 560 1170 L 660 1170 L 680 1090 L 540 1090 Z" fill="#b5572f"/>`;
  for (let i = 0; i < 9; i++) {
    const a = -Math.PI / 2 + (i - 4) * 0.28;
    b += `<path d="M 610 1090 Q ${f(610 + Math.cos(a) * 60)} ${f(1090 + Math.sin(a) * 130)} ${f(610 + Math.cos(a) * 110)} ${f(1090 + Math.sin(a) * 160)}" fill="none" stroke="#4f9a4a" stroke-width="14" stroke-linecap="round"/>`;
  }
  b += grain(r, w, h, 5000, ["#000", "#fff"], 0.07);
  return svg(w, h, defs, b);
}

function cover(): string {
  const { w, h } = PORTRAIT;
  const r = rng(9909);
  const defs = `
  <linearGradient id="cbg" x1="0" y1="0" x2="0.4" y2="1">
    <stop offset="0" stop-color="#f6efdd"/><stop offset="1" stop-color="#e8dcc0"/>
  </linearGradient>`;
  let b = `<rect width="${w}" height="${h}" fill="url(#cbg)"/>`;
  // contour "islands" in riso blue, several centres, many nested loops
  const centres = [
    [420, 520, 380], [1200, 900, 460], [600, 1600, 520], [1350, 2050, 340],
  ] as const;
  for (const [cx, cy, R] of centres) {
    const phases = [r.range(0, 6), r.range(0, 6), r.range(0, 6)];
    for (let k = 1; k <= 12; k++) {
      const rad = (R * k) / 12;
      b += `<path d="${wobblyLoop(r, cx, cy, rad, 0.18 + k * 0.01, phases.map((p) => p + k * 0.12))}" fill="${k === 2 ? "#0078bf" : "none"}" fill-opacity="0.25" stroke="#0078bf" stroke-width="${k % 4 === 0 ? 5 : 2.5}" opacity="0.75"/>`;
    }
  }
  // roads: a loose grid of slightly bent lines in pink, misregistered
  const roads = (dx: number, dy: number, col: string, op: number) => {
    const q = rng(4242);
    let s = `<g transform="translate(${dx} ${dy})" stroke="${col}" fill="none" opacity="${op}" stroke-linecap="round">`;
    for (let i = 0; i < 9; i++) {
      const x = 80 + i * 180 + q.range(-30, 30);
      s += `<path d="M ${f(x)} -20 C ${f(x + q.range(-120, 120))} 800 ${f(x + q.range(-120, 120))} 1600 ${f(x + q.range(-60, 60))} ${h + 20}" stroke-width="${f(q.range(3, 9))}"/>`;
    }
    for (let j = 0; j < 12; j++) {
      const y = 100 + j * 200 + q.range(-40, 40);
      s += `<path d="M -20 ${f(y)} C 500 ${f(y + q.range(-100, 100))} 1100 ${f(y + q.range(-100, 100))} ${w + 20} ${f(y + q.range(-60, 60))}" stroke-width="${f(q.range(3, 9))}"/>`;
    }
    return s + `</g>`;
  };
  b += roads(0, 0, "#ff48b0", 0.6);
  // towns and the routes a text travels between them: dashed hops
  const towns: [number, number][] = [];
  for (let i = 0; i < 26; i++) towns.push([r.range(120, w - 120), r.range(140, h - 140)]);
  towns.sort((a, c) => a[1] - c[1]);
  let route = `M ${f(towns[0]![0])} ${f(towns[0]![1])}`;
  for (let i = 1; i < towns.length; i++) {
    const [x0, y0] = towns[i - 1]!, [x1, y1] = towns[i]!;
    route += ` Q ${f((x0 + x1) / 2 + r.range(-160, 160))} ${f((y0 + y1) / 2)} ${f(x1)} ${f(y1)}`;
  }
  b += `<path d="${route}" fill="none" stroke="#1a1a1a" stroke-width="6" stroke-dasharray="2 18" stroke-linecap="round"/>`;
  for (const [x, y] of towns) {
    b += `<circle cx="${f(x)}" cy="${f(y)}" r="22" fill="#ffe800" stroke="#1a1a1a" stroke-width="5"/>`;
    b += `<circle cx="${f(x + 5)}" cy="${f(y - 4)}" r="7" fill="#ff48b0" opacity="0.9"/>`;
  }
  // a few paper "sheets" flying along the route, like passed-on pages
  for (let i = 0; i < 7; i++) {
    const [x, y] = towns[r.int(0, towns.length - 1)]!;
    const rot = r.range(-30, 30);
    b += `<g transform="rotate(${f(rot)} ${f(x + 60)} ${f(y - 80)})"><rect x="${f(x + 20)}" y="${f(y - 140)}" width="90" height="120" fill="#fffdf5" stroke="#1a1a1a" stroke-width="3"/>`;
    for (let k = 0; k < 6; k++) b += `<line x1="${f(x + 32)}" y1="${f(y - 120 + k * 16)}" x2="${f(x + 32 + r.range(40, 66))}" y2="${f(y - 120 + k * 16)}" stroke="#1a1a1a" stroke-width="4"/>`;
    b += `</g>`;
  }
  // a broad band of colour at the top and bottom for the title area to sit on
  b += `<rect x="0" y="0" width="${w}" height="560" fill="#ff48b0" opacity="0.18"/>`;
  b += `<rect x="0" y="${h - 300}" width="${w}" height="300" fill="#0078bf" opacity="0.18"/>`;
  b += grain(r, w, h, 6000, ["#5b4a2c", "#ffffff"], 0.12, 2.4);
  return svg(w, h, defs, b);
}

// ---------------------------------------------------------------- output

const PICTURES: Record<string, () => string> = {
  "carbon-copy": carbonCopy,
  "typescript-bundle": typescriptBundle,
  mimeograph,
  photocopier,
  "zine-stack": zineStack,
  "minizine-fold": minizineFold,
  risograph,
  "zine-fair": zineFair,
  cover,
};

async function main() {
  await mkdir(OUT, { recursive: true });
  const only = process.argv.slice(2);
  for (const [name, draw] of Object.entries(PICTURES)) {
    if (only.length && !only.includes(name)) continue;
    const file = path.join(OUT, `${name}.jpg`);
    const info = await sharp(Buffer.from(draw()), { density: 72 })
      .flatten({ background: "#ffffff" })
      .jpeg({ quality: 82, mozjpeg: true, chromaSubsampling: "4:2:0" })
      .toFile(file);
    console.log(`${path.relative(ROOT, file)}  ${info.width}x${info.height}  ${(info.size / 1024).toFixed(0)} KB`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
