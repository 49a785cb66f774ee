/**
 * npm run bench: builds the sample book and a generated book of about 300 pages several times and
 * prints the median wall time per stage and the peak memory of the whole process tree (Node and
 * Chromium). Timing goals live here, never in tests.
 *
 *   npm run bench                      sample ×3, generated ~300 pages ×2
 *   npm run bench -- --full            also the full long book (40 chapters, 250,000 words): PDF in one
 *                                      pass and in parallel chunks, and a book twice as long in parallel
 *   npm run bench -- --runs 5 --formats pdf
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateBook, generatePlates } from './generate-book.js';

const REPO = path.resolve(import.meta.dirname, '..');

interface Run {
  wallMs: number;
  peakRssMb: number;
  stages: Record<string, number>;
  code: number;
}

/** Sum of the resident memory of a process and all its descendants, in MB. */
function treeRssMb(pid: number): number {
  try {
    const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
    const tree = new Set([pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [p, pp] of rows) if (tree.has(pp) && !tree.has(p)) (tree.add(p), (grew = true));
    }
    return rows.filter(([p]) => tree.has(p)).reduce((s, [, , rss]) => s + rss, 0) / 1024;
  } catch {
    return 0;
  }
}

async function buildOnce(book: string, formats: string, out: string, env: Record<string, string> = {}): Promise<Run> {
  const timingsFile = path.join(os.tmpdir(), `samizdat-bench-${process.pid}.json`);
  fs.rmSync(timingsFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO, 'src', 'cli.ts'), 'build', book, '--format', formats, '--out', out, '--quiet'], {
    env: { ...process.env, ...env, SAMIZDAT_TIMINGS: timingsFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssMb(child.pid!))), 200);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  const stages = fs.existsSync(timingsFile) ? (JSON.parse(fs.readFileSync(timingsFile, 'utf8')) as Record<string, number>) : {};
  return { wallMs, peakRssMb: peak, stages, code };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

async function bench(label: string, book: string, formats: string, runs: number, env: Record<string, string> = {}): Promise<void> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-bench-out-'));
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await buildOnce(book, formats, out, env);
    if (r.code !== 0) throw new Error(`${label}: build failed (exit ${r.code})`);
    results.push(r);
    process.stdout.write(`  ${label} run ${i + 1}/${runs}: ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMb.toFixed(0)} MB\n`);
  }
  const stageNames = [...new Set(results.flatMap((r) => Object.keys(r.stages)))];
  const sizes = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isFile()).map((f) => `${f} ${(fs.statSync(path.join(out, f)).size / 1e6).toFixed(2)} MB`);
  process.stdout.write(`${label}: median wall ${(median(results.map((r) => r.wallMs)) / 1000).toFixed(2)} s, median peak memory ${median(results.map((r) => r.peakRssMb)).toFixed(0)} MB\n`);
  for (const s of stageNames) process.stdout.write(`    ${s.padEnd(12)} ${(median(results.map((r) => r.stages[s] ?? 0)) / 1000).toFixed(2)} s\n`);
  process.stdout.write(`    outputs: ${sizes.join(', ')}\n`);
  fs.rmSync(out, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      formats: { type: 'string', default: 'html,pdf,epub' },
      full: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  process.stdout.write(`samizdat bench on ${os.cpus().length} cores, Node ${process.version}\n`);
  await bench('sample', REPO, values.formats!, runs);

  const mid = path.join(os.tmpdir(), 'samizdat-bench-300');
  const r = generateBook({ out: mid, chapters: 12, words: 80_000, notes: 120, figures: 24, seed: 3 });
  await generatePlates(mid, 3);
  process.stdout.write(`generated ~300-page book: ${r.words} words, ${r.notes} notes, ${r.figures} figures\n`);
  await bench('generated-300', mid, values.formats!, Math.max(1, Math.min(runs, 2)));

  if (values.full) {
    const full = path.join(os.tmpdir(), 'samizdat-bench-full');
    const f = generateBook({ out: full, chapters: 40, words: 250_000, notes: 400, figures: 80, seed: 1 });
    await generatePlates(full, 1);
    process.stdout.write(`generated full book: ${f.words} words, ${f.notes} notes, ${f.figures} figures\n`);
    // PDF layout of the long book: one pass against parallel chunks (src/targets/pdf/parallel.ts).
    await bench('generated-full single-pass pdf', full, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'off' });
    await bench('generated-full parallel pdf', full, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'on' });
    await bench('generated-full', full, values.formats!, 1);
    // Twice the book: the parallel layout should take at most twice the time.
    const twice = path.join(os.tmpdir(), 'samizdat-bench-twice');
    const t = generateBook({ out: twice, chapters: 80, words: 500_000, notes: 800, figures: 160, seed: 1 });
    await generatePlates(twice, 1);
    process.stdout.write(`generated double book: ${t.words} words, ${t.notes} notes, ${t.figures} figures\n`);
    await bench('generated-double parallel pdf', twice, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'on' });
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(1);
});
