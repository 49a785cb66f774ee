/**
 * samizdat init [DIR]: a starter book folder that builds as it is — book.yaml with the common options
 * commented, a manuscript with a heading, a footnote and a captioned figure, a picture drawn here with
 * sharp, and a .gitignore for the outputs and the cache. Never overwrites a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TOOL_ROOT } from './util/package_files.js';

const TEMPLATE = path.join(TOOL_ROOT, 'templates', 'init');

/** Template file → where it goes in the book (npm leaves .gitignore files out of packages). */
const FILES: [string, string][] = [
  ['book.yaml', 'book.yaml'],
  ['manuscript/01-start.md', 'manuscript/01-start.md'],
  ['gitignore', '.gitignore'],
];
const PICTURE = 'images/folded-zine.jpg';

/** Thrown for a folder init must not write into: a message for the user, no stack trace. */
export class InitError extends Error {
  readonly user = true;
}

/** Writes the starter book into `dir` (made if missing); returns the files written, relative to it. */
export async function initBook(dir: string, today = new Date()): Promise<string[]> {
  const root = path.resolve(dir);
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) throw new InitError(`${dir} exists and is not a folder`);
  const targets = [...FILES.map(([, to]) => to), PICTURE];
  const existing = targets.filter((t) => fs.existsSync(path.join(root, t)));
  if (existing.length) {
    throw new InitError(
      `${existing.map((e) => path.join(dir, e)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; init never overwrites files: choose a new or empty folder`,
    );
  }
  const date = today.toISOString().slice(0, 10);
  const picture = await drawPicture();
  for (const [from, to] of FILES) {
    const text = fs.readFileSync(path.join(TEMPLATE, from), 'utf8').replace('"DATE"', `"${date}"`);
    writeNew(path.join(root, to), text);
  }
  writeNew(path.join(root, PICTURE), picture);
  return targets;
}

function writeNew(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // 'wx': fails if the file appeared meanwhile, rather than overwrite it.
  fs.writeFileSync(file, data, { flag: 'wx' });
}

/** A sheet folded into an eight-page mini-zine, on a desk: drawn as SVG, made a JPEG by sharp. */
async function drawPicture(): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const W = 1800;
  const H = 1200;
  const panels: string[] = [];
  // The unfolded sheet: 4 × 2 panels with fold lines and the cut in the middle.
  const sx = 180, sy = 220, pw = 200, ph = 280;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) {
      const x = sx + c * pw;
      const y = sy + r * ph;
      panels.push(`<rect x="${x + 30}" y="${y + 40}" width="${pw - 60}" height="22" fill="#3a3a3a"/>`);
      for (let l = 0; l < 6; l++) panels.push(`<rect x="${x + 30}" y="${y + 90 + l * 26}" width="${pw - 60 - (l % 3) * 18}" height="8" fill="#8a8a8a"/>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
  <rect width="${W}" height="${H}" fill="#c9b79c"/>
  <rect x="${sx + 14}" y="${sy + 18}" width="${4 * pw}" height="${2 * ph}" fill="#00000033"/>
  <rect x="${sx}" y="${sy}" width="${4 * pw}" height="${2 * ph}" fill="#f7f4ec"/>
  ${panels.join('\n  ')}
  <g stroke="#b0a990" stroke-width="3" stroke-dasharray="14 10">
    ${[1, 2, 3].map((c) => `<line x1="${sx + c * pw}" y1="${sy}" x2="${sx + c * pw}" y2="${sy + 2 * ph}"/>`).join('')}
    <line x1="${sx}" y1="${sy + ph}" x2="${sx + 4 * pw}" y2="${sy + ph}"/>
  </g>
  <line x1="${sx + pw}" y1="${sy + ph}" x2="${sx + 3 * pw}" y2="${sy + ph}" stroke="#c0392b" stroke-width="5"/>
  <g transform="translate(1230 330) rotate(-8)">
    <rect x="14" y="18" width="300" height="420" fill="#00000033"/>
    <rect width="300" height="420" fill="#f2eee3"/>
    <rect x="40" y="60" width="220" height="40" fill="#222"/>
    <circle cx="150" cy="250" r="80" fill="#c0392b"/>
    <rect x="40" y="360" width="150" height="14" fill="#777"/>
    <line x1="2" y1="0" x2="2" y2="420" stroke="#9c9480" stroke-width="4"/>
  </g>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 88 }).toBuffer();
}
