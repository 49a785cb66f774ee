/**
 * npm run bench: samizdat against pagedjs-cli 0.4.3 (a devDependency) on the same print HTML, in one
 * run on one machine, alternating the two, median of N runs. Wall times on a shared machine mean
 * little; the ratios of one run are what count. Timing goals live here, never in tests.
 *
 *   npm run bench                          startup, article, zine (the defaults)
 *   npm run bench -- --only article        one case; cases: startup, article, zine, full, double
 *   npm run bench -- --only full           the full generated book (40 chapters, ~270,000 words) and a
 *                                          rebuild after a one-paragraph edit in chapter 20
 *   npm run bench -- --runs 5 --keep       more runs; keep the book folders in the temp directory
 *
 * Cases and their goals (issues 11 and 14):
 *   startup  the installed command (bin/samizdat.js → compiled lib/, freshly built by `npm run build:js`)
 *            against the same CLI run from source through tsx (how bin/ ran it before lib/): `--version`,
 *            `--help`, and the time to the first progress line of a build of a one-page book
 *   article  a ~7,000-word article with 16 camera photos (4000 px, ~3 MB each; make-camera-fixture.ts):
 *            samizdat PDF + EPUB, cold image cache ≤ 0.5× pagedjs-cli's PDF, warm ≤ 0.3×; pagedjs-cli
 *            prints the book's own photos (as the issue measured it: its user has no image pipeline),
 *            and, for a stricter second ratio, samizdat's resized print variants
 *   zine     a one-page zine: samizdat's PDF within 1 s of Chromium's own start
 *            (`chromium --headless --dump-dom about:blank`, measured here too)
 *   full     the generated full book, PDF: ≤ 0.5× pagedjs-cli; a rebuild after editing one paragraph
 *            in chapter 20 ≤ 0.15× of the cold build
 *   double   the full book and a book twice as long, samizdat only: at most twice the time
 *
 * pagedjs-cli lays out samizdat's own print HTML and CSS of the same book (written by samizdat with
 * SAMIZDAT_PRINT_HTML=DIR: index.html, images/, fonts/), in Debian's Chromium
 * (PUPPETEER_EXECUTABLE_PATH; its bundled browser is never downloaded). Each run reports wall time,
 * peak memory of the whole process tree (Node and Chromium), CPU seconds of the tree and of the rest of
 * the machine meanwhile ("others"), and samizdat's stage times (SAMIZDAT_TIMINGS).
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateBook, generatePlates } from './generate-book.js';
import { makeCameraFixture } from './make-camera-fixture.js';
import { prng } from './prng.js';

const REPO = path.resolve(import.meta.dirname, '..');
const PAGEDJS_CLI = path.join(REPO, 'node_modules', 'pagedjs-cli', 'src', 'cli.js');
const CHROME = process.env['CHROME_PATH'] ?? process.env['PUPPETEER_EXECUTABLE_PATH'] ?? '/usr/bin/chromium';

interface Run {
  wallMs: number;
  peakRssMb: number;
  /** CPU seconds of the process tree, and of the rest of the machine meanwhile. */
  cpuS: number;
  othersS: number;
  stages: Record<string, number>;
  code: number;
}

const TICK = 100; // USER_HZ on Linux

/** Resident set sizes in /proc are in pages: their size, from this process's own RSS in bytes and in pages. */
const PAGE_KB = (() => {
  try {
    const pages = Number(fs.readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    return Math.max(1, Math.round(process.memoryUsage().rss / pages / 1024));
  } catch {
    return 4;
  }
})();

/**
 * The process tree of `pid`: resident memory (MB, summed) and each process's CPU seconds so far. Read
 * from /proc directly: spawning `ps` ten times a second cost the measured build CPU on a 2-core machine.
 */
function sampleTree(pid: number, cpu: Map<number, number>): number {
  const procs = new Map<number, { ppid: number; rssKb: number; cpuS: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // After "pid (comm) ": state ppid … utime(11) stime(12) cutime(13) cstime(14) … rss(21)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), rssKb: Number(f[21]) * PAGE_KB, cpuS: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICK });
    } catch {
      // gone already
    }
  }
  const tree = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [p, { ppid }] of procs) if (tree.has(ppid) && !tree.has(p)) (tree.add(p), (grew = true));
  }
  let rssKb = 0;
  for (const p of tree) {
    const info = procs.get(p);
    if (!info) continue;
    cpu.set(p, info.cpuS);
    rssKb += info.rssKb;
  }
  return rssKb / 1024;
}

/** CPU seconds the whole machine has spent busy so far. */
function machineBusyS(): number {
  try {
    const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return (v.reduce((a, b) => a + b, 0) - v[3]! - v[4]!) / TICK;
  } catch {
    return 0;
  }
}

/** Runs a command to its end, sampling its process tree. */
async function measure(cmd: string, args: string[], env: Record<string, string> = {}, timingsFile?: string): Promise<Run> {
  if (timingsFile) fs.rmSync(timingsFile, { force: true });
  const started = performance.now();
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let peak = 0;
  const cpu = new Map<number, number>();
  const busy0 = machineBusyS();
  const sampler = setInterval(() => (peak = Math.max(peak, sampleTree(child.pid!, cpu))), 100);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  const cpuS = [...cpu.values()].reduce((a, b) => a + b, 0);
  const othersS = Math.max(0, machineBusyS() - busy0 - cpuS);
  const stages = timingsFile && fs.existsSync(timingsFile) ? (JSON.parse(fs.readFileSync(timingsFile, 'utf8')) as Record<string, number>) : {};
  if (code !== 0) throw new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed (exit ${code}):\n${stderr}`);
  return { wallMs, peakRssMb: peak, cpuS, othersS, stages, code };
}

const timingsFile = path.join(os.tmpdir(), `samizdat-bench-${process.pid}.json`);

/** One samizdat build, as a user runs it: the installed command (bin/samizdat.js runs the compiled lib/). */
function samizdat(book: string, formats: string, out: string, env: Record<string, string> = {}): Promise<Run> {
  return measure(process.execPath, [path.join(REPO, 'bin', 'samizdat.js'), 'build', book, '--format', formats, '--out', out, '--quiet'], { ...env, SAMIZDAT_TIMINGS: timingsFile }, timingsFile);
}

/**
 * pagedjs-cli on a print HTML folder samizdat wrote: index.html shows samizdat's print variants of the
 * images, originals.html the book's own image files.
 */
function pagedjsCli(htmlDir: string, outPdf: string, page: 'index.html' | 'originals.html' = 'index.html'): Promise<Run> {
  return measure(process.execPath, [PAGEDJS_CLI, path.join(htmlDir, page), '-o', outPdf, '--timeout', '1200000', '--browserArgs', '--no-sandbox'], {
    PUPPETEER_EXECUTABLE_PATH: CHROME,
    PUPPETEER_SKIP_DOWNLOAD: '1',
  });
}

function chromiumStart(): Promise<Run> {
  return measure(CHROME, ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', 'about:blank']);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

const say = (s: string) => process.stdout.write(s + '\n');
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs so far of each measured thing, by label. */
class Table {
  readonly runs = new Map<string, Run[]>();
  add(label: string, r: Run): void {
    if (!this.runs.has(label)) this.runs.set(label, []);
    this.runs.get(label)!.push(r);
    say(`  ${label}: ${sec(r.wallMs)}, peak ${r.peakRssMb.toFixed(0)} MB, CPU ${r.cpuS.toFixed(1)} s (others meanwhile ${r.othersS.toFixed(1)} s)`);
  }
  wall(label: string): number {
    return median((this.runs.get(label) ?? []).map((r) => r.wallMs));
  }
  summary(label: string): void {
    const rs = this.runs.get(label) ?? [];
    if (!rs.length) return;
    say(`${label}: median ${sec(this.wall(label))} of ${rs.length}, peak memory ${median(rs.map((r) => r.peakRssMb)).toFixed(0)} MB, CPU ${median(rs.map((r) => r.cpuS)).toFixed(1)} s`);
    const keys = [...new Set(rs.flatMap((r) => Object.keys(r.stages)))];
    const stages = keys.filter((k) => !k.startsWith('count.'));
    const countKeys = keys.filter((k) => k.startsWith('count.'));
    if (stages.length) say(`    stages: ${stages.map((s) => `${s} ${sec(median(rs.map((r) => r.stages[s] ?? 0)))}`).join(', ')}`);
    if (countKeys.length) say(`    counts: ${countKeys.map((k) => `${k.slice(6)} ${median(rs.map((r) => r.stages[k] ?? 0))}`).join(', ')}`);
  }
  cpu(label: string): number {
    return median((this.runs.get(label) ?? []).map((r) => r.cpuS));
  }
  ratio(a: string, b: string, goal: string): void {
    // CPU seconds of each process tree too: on a busy shared machine wall time is mostly waiting.
    say(`RATIO ${a} / ${b} = ${(this.wall(a) / this.wall(b)).toFixed(2)}   (goal ${goal}; CPU-seconds ratio ${(this.cpu(a) / this.cpu(b)).toFixed(2)})`);
  }
}

const clearCache = (book: string) => fs.rmSync(path.join(book, '.cache'), { recursive: true, force: true });

/** Writes samizdat's print HTML of `book` into `htmlDir` (one build, not timed). */
async function exportHtml(book: string, htmlDir: string, out: string): Promise<void> {
  await samizdat(book, 'pdf', out, { SAMIZDAT_PRINT_HTML: htmlDir });
}

/** The article: the camera fixture's 16 photos and a screenshot in ~7,000 words of prose. */
async function makeArticle(root: string): Promise<void> {
  fs.rmSync(root, { recursive: true, force: true });
  const f = await makeCameraFixture(root);
  const rnd = prng(14);
  const words = 'paper ink press copy camera lens light shadow street market window harbour river bridge morning evening winter summer the a of to in on and but with from for over under through again still only'.split(' ');
  const sentence = () => {
    const n = 8 + Math.floor(rnd() * 14);
    const s = Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]!).join(' ');
    return s[0]!.toUpperCase() + s.slice(1) + '.';
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(rnd() * 5) }, sentence).join(' ');
  const images = [...f.photos, f.screenshot];
  const body: string[] = ['# A walk with a camera', ''];
  let count = 0;
  let k = 0;
  while (count < 7000) {
    const p = paragraph();
    count += p.split(' ').length;
    body.push(p, '');
    if (count > (k + 1) * (7000 / (images.length + 1)) && k < images.length) {
      body.push(`![Photo ${k + 1}](../${images[k]} "Figure ${k + 1}. A photo from the walk.")`, '');
      k++;
    }
    if (body.length % 40 === 0) body.push(`## Part ${body.length / 40}`, '');
  }
  fs.writeFileSync(path.join(root, f.manuscript), `---\ntitle: "A walk with a camera"\nauthor: ["Bench Writer"]\nlang: en\ndate: "2026-01-01"\n---\n\n${body.join('\n')}\n`);
}

/** Wall time until the command's first line on stderr, and to its end. */
async function firstLine(cmd: string, args: string[]): Promise<{ firstMs: number; wallMs: number }> {
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let firstMs = NaN;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (Number.isNaN(firstMs)) firstMs = performance.now() - started;
    stderr += d.toString();
  });
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${args.join(' ')} failed (exit ${code}):\n${stderr}`);
  return { firstMs, wallMs: performance.now() - started };
}

async function startup(t: Table, runs: number, tmp: string): Promise<void> {
  say('\n== startup: the installed command (compiled lib/) vs the CLI from source through tsx');
  execFileSync('npm', ['run', '--silent', 'build:js'], { cwd: REPO, stdio: 'inherit' });
  const book = path.join(tmp, 'startup');
  fs.rmSync(book, { recursive: true, force: true });
  fs.mkdirSync(path.join(book, 'manuscript'), { recursive: true });
  fs.writeFileSync(path.join(book, 'book.yaml'), 'title: Start-up\nlang: en\n');
  fs.writeFileSync(path.join(book, 'manuscript', '01.md'), '# One page\n\nA few words.\n');
  const ways = { installed: [path.join(REPO, 'bin', 'samizdat.js')], 'tsx (before)': ['--import', 'tsx', path.join(REPO, 'src', 'cli.ts')] };
  const firsts = new Map<string, number[]>();
  for (let i = 0; i < Math.max(runs, 5); i++) {
    for (const [way, pre] of Object.entries(ways)) {
      t.add(`startup ${way} --version`, await measure(process.execPath, [...pre, '--version']));
      t.add(`startup ${way} --help`, await measure(process.execPath, [...pre, '--help']));
      const r = await firstLine(process.execPath, [...pre, 'build', book, '--format', 'html,epub', '--out', path.join(tmp, 'startup-out')]);
      say(`  startup ${way} build: first progress line after ${sec(r.firstMs)}, done after ${sec(r.wallMs)}`);
      firsts.set(way, [...(firsts.get(way) ?? []), r.firstMs]);
    }
  }
  for (const way of Object.keys(ways)) {
    t.summary(`startup ${way} --version`);
    t.summary(`startup ${way} --help`);
    say(`startup ${way} build: first progress line, median ${sec(median(firsts.get(way)!))}`);
  }
  t.ratio('startup installed --version', 'startup tsx (before) --version', '< 1');
}

async function article(t: Table, runs: number, tmp: string): Promise<void> {
  say('\n== article: ~7,000 words, 16 camera photos; samizdat PDF + EPUB vs pagedjs-cli PDF');
  const book = path.join(tmp, 'article');
  await makeArticle(book);
  const html = path.join(tmp, 'article-html');
  const out = path.join(tmp, 'article-out');
  await exportHtml(book, html, out);
  for (let i = 0; i < runs; i++) {
    clearCache(book);
    t.add('article samizdat cold', await samizdat(book, 'pdf,epub', out));
    t.add('article pagedjs-cli', await pagedjsCli(html, path.join(tmp, 'article-cli.pdf'), 'originals.html'));
    t.add('article pagedjs-cli on resized images', await pagedjsCli(html, path.join(tmp, 'article-cli-resized.pdf')));
    // Warm: the image cache only (the layout is done again), as the issue's "warm" means.
    t.add('article samizdat warm', await samizdat(book, 'pdf,epub', out, { SAMIZDAT_LAYOUT_CACHE: 'off' }));
    // Unchanged rebuild: image and layout caches.
    t.add('article samizdat unchanged', await samizdat(book, 'pdf,epub', out));
  }
  for (const l of ['article samizdat cold', 'article samizdat warm', 'article samizdat unchanged', 'article pagedjs-cli', 'article pagedjs-cli on resized images']) t.summary(l);
  // The issue's baseline: pagedjs-cli printing the book's photos as they are (11.9 s in its table), as
  // a user of pagedjs-cli, who has no image pipeline, does.
  t.ratio('article samizdat cold', 'article pagedjs-cli', '≤ 0.5');
  t.ratio('article samizdat warm', 'article pagedjs-cli', '≤ 0.3');
  t.ratio('article samizdat unchanged', 'article pagedjs-cli', '—');
  // Stricter: pagedjs-cli given samizdat's resized print images (the image work done for it).
  t.ratio('article samizdat cold', 'article pagedjs-cli on resized images', '—');
  t.ratio('article samizdat warm', 'article pagedjs-cli on resized images', '—');
}

async function zine(t: Table, runs: number, tmp: string): Promise<void> {
  say('\n== zine: one page; samizdat PDF vs Chromium start and pagedjs-cli');
  const book = path.join(tmp, 'zine');
  fs.rmSync(book, { recursive: true, force: true });
  fs.mkdirSync(path.join(book, 'manuscript'), { recursive: true });
  fs.writeFileSync(path.join(book, 'book.yaml'), 'title: A one-page zine\nlang: en\npdf:\n  cover: false\n  frontMatter: false\n  chapterStart: continue\n');
  fs.writeFileSync(path.join(book, 'manuscript', '01.md'), '# One page\n\nA few words on one page, to see what a build costs beyond the browser.\n');
  const html = path.join(tmp, 'zine-html');
  const out = path.join(tmp, 'zine-out');
  await exportHtml(book, html, out);
  for (let i = 0; i < runs; i++) {
    t.add('zine chromium start', await chromiumStart());
    t.add('zine samizdat', await samizdat(book, 'pdf', out, { SAMIZDAT_LAYOUT_CACHE: 'off' }));
    t.add('zine pagedjs-cli', await pagedjsCli(html, path.join(tmp, 'zine-cli.pdf')));
  }
  for (const l of ['zine chromium start', 'zine samizdat', 'zine pagedjs-cli']) t.summary(l);
  const over = t.wall('zine samizdat') - t.wall('zine chromium start');
  say(`DIFF zine samizdat − chromium start = ${sec(over)}   (goal ≤ 1 s)`);
  t.ratio('zine samizdat', 'zine pagedjs-cli', '—');
}

/** Edits one paragraph of chapter 20 (a word changed, same length class) or puts it back. */
function editChapter20(book: string, restore?: string): string {
  const file = path.join(book, 'manuscript', 'chapter-020.md');
  const before = fs.readFileSync(file, 'utf8');
  if (restore !== undefined) {
    fs.writeFileSync(file, restore);
    return before;
  }
  const lines = before.split('\n');
  const i = lines.findIndex((l, k) => k > 10 && /^[A-Z][a-z]/.test(l));
  lines[i] = lines[i]!.replace(/\b(paper|ink|press|copy)\b/, 'PAPER');
  fs.writeFileSync(file, lines.join('\n'));
  return before;
}

async function full(t: Table, runs: number, tmp: string): Promise<void> {
  say('\n== full: the generated full book (40 chapters); samizdat PDF vs pagedjs-cli PDF; rebuild after a one-paragraph edit');
  const book = path.join(tmp, 'full');
  const g = generateBook({ out: book, chapters: 40, words: 250_000, notes: 400, figures: 80, seed: 1 });
  await generatePlates(book, 1);
  say(`generated: ${g.words} words, ${g.notes} notes, ${g.figures} figures`);
  const html = path.join(tmp, 'full-html');
  const out = path.join(tmp, 'full-out');
  await exportHtml(book, html, out);
  for (let i = 0; i < runs; i++) {
    clearCache(book);
    t.add('full samizdat cold', await samizdat(book, 'pdf', out));
    try {
      t.add('full pagedjs-cli', await pagedjsCli(html, path.join(tmp, 'full-cli.pdf')));
    } catch (e) {
      // pagedjs-cli cannot raise Puppeteer's 180 s protocol timeout: on a busy machine it gives up on a long book.
      say(`  full pagedjs-cli: failed (${(e as Error).message.split('\n').find((l) => /Error/.test(l)) ?? 'see above'}); no ratio from this run`);
    }
    const original = editChapter20(book);
    try {
      t.add('full samizdat rebuild after edit', await samizdat(book, 'pdf', out));
    } finally {
      editChapter20(book, original);
    }
  }
  for (const l of ['full samizdat cold', 'full pagedjs-cli', 'full samizdat rebuild after edit']) t.summary(l);
  t.ratio('full samizdat cold', 'full pagedjs-cli', '≤ 0.5');
  t.ratio('full samizdat rebuild after edit', 'full samizdat cold', '≤ 0.15');
}

async function double(t: Table, runs: number, tmp: string): Promise<void> {
  say('\n== double: the full book and one twice as long, samizdat PDF (cold)');
  for (const [label, chapters, words] of [['once', 40, 250_000], ['twice', 80, 500_000]] as const) {
    const book = path.join(tmp, `double-${label}`);
    generateBook({ out: book, chapters, words, notes: chapters * 10, figures: chapters * 2, seed: 1 });
    await generatePlates(book, 1);
    for (let i = 0; i < runs; i++) {
      clearCache(book);
      t.add(`double ${label}`, await samizdat(book, 'pdf', path.join(tmp, `double-${label}-out`)));
    }
    t.summary(`double ${label}`);
  }
  t.ratio('double twice', 'double once', '≤ 2');
}

const CASES = { startup, article, zine, full, double } as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: 'startup,article,zine' },
      keep: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  const only = values.only!.split(',').map((s) => s.trim()) as (keyof typeof CASES)[];
  for (const c of only) if (!(c in CASES)) throw new Error(`unknown case ${c}; cases: ${Object.keys(CASES).join(', ')}`);
  if (!fs.existsSync(PAGEDJS_CLI)) throw new Error('pagedjs-cli is not installed (npm ci installs it as a devDependency)');
  // lib/ from the current sources (bin/samizdat.js runs it).
  execFileSync('npm', ['run', '--silent', 'build:js'], { cwd: REPO, stdio: 'inherit' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-bench-'));
  say(`samizdat bench: ${os.cpus().length} cores, Node ${process.version}, ${execFileSync(CHROME, ['--version'], { encoding: 'utf8' }).trim()}`);
  say(`load before: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (1, 5, 15 min); runs: ${runs}, median reported`);
  const t = new Table();
  try {
    for (const c of only) await CASES[c](t, runs, tmp);
  } finally {
    say(`\nload after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(1);
});
