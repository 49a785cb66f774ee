/**
 * Generates a long book folder for tests and benchmarks, deterministically from a seed:
 * chapters with sections, footnotes (clusters of several per page, long multi-paragraph ones, calls at
 * paragraph ends where page breaks are likely), figures reusing a few images, block quotes.
 *
 *   npx tsx scripts/generate-book.ts --out /tmp/long --chapters 40 --words 250000 --notes 400 --figures 80
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { prng } from './prng.js';

export interface GenerateOptions {
  out: string;
  chapters: number;
  words: number;
  notes: number;
  figures: number;
  seed: number;
}


const VOCAB = (
  'paper ink press copy stencil drum typewriter carbon sheet page folio margin gutter spine staple fold ' +
  'reader writer editor printer friend stranger neighbour courier archive library shelf drawer box envelope ' +
  'city village kitchen basement attic office studio market station winter summer morning evening night ' +
  'letter poem story essay report bulletin journal diary notebook pamphlet leaflet booklet volume edition ' +
  'quiet patient careful stubborn cheap rare faint sharp heavy light narrow wide slow quick early late ' +
  'carried typed copied folded passed hidden shared read kept lost found sent bound cut pasted printed ' +
  'because although while after before until since where when whether unless though ' +
  'the a an of to in on at by with from for into over under between through against across without ' +
  'and but or so yet then also still only even just perhaps nearly almost always never often again ' +
  'machine ribbon roller toner drum lever tray feeder counter stencil screen frame grain fibre thread ' +
  'voice hand eye memory promise question answer argument rumour secret habit method craft labour ' +
  'every some many few most several each other another such same whole half third last first next'
).split(/\s+/);

export function generateBook(o: GenerateOptions): { words: number; notes: number; figures: number } {
  const rnd = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  let wordCount = 0;
  const sentence = (n = int(8, 22)) => {
    const w = Array.from({ length: n }, () => pick(VOCAB));
    wordCount += n;
    const s = w.join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + (rnd() < 0.1 ? '?' : '.');
  };
  const paragraph = (sentences = int(3, 7)) => Array.from({ length: sentences }, () => sentence()).join(' ');

  fs.rmSync(o.out, { recursive: true, force: true });
  fs.mkdirSync(path.join(o.out, 'manuscript'), { recursive: true });
  fs.mkdirSync(path.join(o.out, 'images'), { recursive: true });
  fs.writeFileSync(
    path.join(o.out, 'book.yaml'),
    `title: "A Generated Book, seed ${o.seed}"\nsubtitle: "${o.chapters} chapters"\nauthor: "The Generator"\nlang: en\ndate: "2026-01-01"\nidentifier: "urn:samizdat:generated:${o.seed}"\nrights: "CC0"\n`,
  );

  const wordsPerChapter = Math.ceil(o.words / o.chapters);
  let noteNo = 0;
  let figNo = 0;
  for (let c = 1; c <= o.chapters; c++) {
    const notesHere = Math.round((o.notes * c) / o.chapters) - Math.round((o.notes * (c - 1)) / o.chapters);
    const figsHere = Math.round((o.figures * c) / o.chapters) - Math.round((o.figures * (c - 1)) / o.chapters);
    const body: string[] = [`# Chapter ${c}: the ${pick(VOCAB)} and the ${pick(VOCAB)}`, ''];
    const defs: string[] = [];
    const start = wordCount;
    const paragraphs: string[] = [];
    while (wordCount - start < wordsPerChapter) paragraphs.push(paragraph());
    // Where notes and figures go: spread over the chapter, some clustered.
    const noteAt = new Map<number, number>();
    for (let k = 0; k < notesHere; k++) {
      const at = k > 0 && rnd() < 0.3 ? [...noteAt.keys()].at(-1)! : int(0, paragraphs.length - 1);
      noteAt.set(at, (noteAt.get(at) ?? 0) + 1);
    }
    const figAt = new Set<number>();
    while (figAt.size < Math.min(figsHere, paragraphs.length)) figAt.add(int(1, paragraphs.length - 1));
    for (const [i, p] of paragraphs.entries()) {
      if (i > 0 && i % 12 === 0) body.push(`## Section ${c}.${i / 12}`, '');
      let text = p;
      for (let k = 0; k < (noteAt.get(i) ?? 0); k++) {
        noteNo++;
        const label = `n${noteNo}`;
        // Calls at the paragraph's end (where breaks are likely) and in its middle.
        const sentences = text.split(/(?<=[.?]) /);
        const pos = rnd() < 0.5 ? sentences.length - 1 : int(0, sentences.length - 1);
        sentences[pos] = sentences[pos]!.replace(/([.?])$/, `[^${label}]$1`);
        text = sentences.join(' ');
        const long = rnd() < 0.08;
        defs.push(`[^${label}]: ${paragraph(long ? 5 : int(1, 2))}` + (long ? `\n\n    ${paragraph(4)}\n\n    ${paragraph(3)}` : ''));
      }
      if (rnd() < 0.04) body.push(`> ${text}`, '>', `> ${paragraph(2)}`, '');
      else body.push(text, '');
      if (figAt.has(i)) {
        figNo++;
        const img = `plate-${(figNo % 6) + 1}.jpg`;
        body.push(`![Plate ${figNo}, a generated picture](../images/${img} "Plate ${figNo}. Drawing: the generator.")`, '');
      }
    }
    const name = `chapter-${String(c).padStart(3, '0')}.md`;
    fs.writeFileSync(path.join(o.out, 'manuscript', name), [...body, ...defs.flatMap((d) => [d, ''])].join('\n'));
  }
  return { words: wordCount, notes: noteNo, figures: figNo };
}

/** Six plates, drawn as SVG and rasterised, reused by every figure. */
export async function generatePlates(out: string, seed: number): Promise<void> {
  const rnd = prng(seed + 7);
  for (let k = 1; k <= 6; k++) {
    const shapes = Array.from({ length: 40 }, () => {
      const x = Math.floor(rnd() * 1200);
      const y = Math.floor(rnd() * 800);
      const r = 20 + Math.floor(rnd() * 120);
      const hue = Math.floor(rnd() * 360);
      return `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${hue},45%,55%)" fill-opacity="0.6"/>`;
    }).join('');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"><rect width="1200" height="800" fill="hsl(${k * 50},30%,88%)"/>${shapes}</svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toFile(path.join(out, 'images', `plate-${k}.jpg`));
  }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      chapters: { type: 'string', default: '40' },
      words: { type: 'string', default: '250000' },
      notes: { type: 'string', default: '400' },
      figures: { type: 'string', default: '80' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const o: GenerateOptions = {
    out: path.resolve(values.out),
    chapters: Number(values.chapters),
    words: Number(values.words),
    notes: Number(values.notes),
    figures: Number(values.figures),
    seed: Number(values.seed),
  };
  const r = generateBook(o);
  await generatePlates(o.out, o.seed);
  process.stdout.write(`generated ${o.out}: ${o.chapters} chapters, ${r.words} words, ${r.notes} notes, ${r.figures} figures\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  cli().catch((e) => {
    process.stderr.write(`generate-book: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
