/**
 * npm run bench: builds the sample book and a generated book of about 300 pages several times and
 * prints the median wall time per stage and the peak memory of the whole process tree (Node and
 * Chromium). Timing goals live here, never in tests.
 *
 *   npm run bench                      sample ×3, generated ~300 pages ×2
 *   npm run bench -- --full            also the full long book (40 chapters, 250,000 words, ~950 pages)
 *                                      and a book twice as long (80 chapters), PDF in parallel chunks,
 *                                      with their ratio (the goal: at most 2) and peak memory
 *   npm run bench -- --full --single   also the full book's PDF in one pass, once, figures floated as
 *                                      the product does (each float pass lays the book out again:
 *                                      about 7 minutes on 2 cores)
 *   npm run bench -- --runs 5 --formats pdf
 *
 * The machine may be shared: each run also reports the CPU seconds of the build's process tree and of
 * everything else on the machine meanwhile ("others"), since wall times mean little when others are
 * busy.
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
  /** CPU seconds of the build's process tree, and of the rest of the machine meanwhile. */
  cpuS: number;
  othersS: number;
  stages: Record<string, number>;
  code: number;
}

const TICK = 100; // USER_HZ on Linux

/** The process tree of `pid`: resident memory (MB, summed) and each process's CPU seconds so far. */
function sampleTree(pid: number, cpu: Map<number, number>): number {
  try {
    const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' });
    const rows = out.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
    const tree = new Set([pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [p, pp] of rows) if (tree.has(pp) && !tree.has(p)) (tree.add(p), (grew = true));
    }
    for (const p of tree) {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu.set(p, (Number(f[11]) + Number(f[12])) / TICK);
      } catch {
        // gone already
      }
    }
    return rows.filter(([p]) => tree.has(p)).reduce((s, [, , rss]) => s + rss, 0) / 1024;
  } catch {
    return 0;
  }
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

async function buildOnce(book: string, formats: string, out: string, env: Record<string, string> = {}): Promise<Run> {
  const timingsFile = path.join(os.tmpdir(), `samizdat-bench-${process.pid}.json`);
  fs.rmSync(timingsFile, { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(REPO, 'src', 'cli.ts'), 'build', book, '--format', formats, '--out', out, '--quiet'], {
    env: { ...process.env, ...env, SAMIZDAT_TIMINGS: timingsFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const cpu = new Map<number, number>();
  const busy0 = machineBusyS();
  const sampler = setInterval(() => (peak = Math.max(peak, sampleTree(child.pid!, cpu))), 200);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(sampler);
  const wallMs = performance.now() - started;
  const cpuS = [...cpu.values()].reduce((a, b) => a + b, 0);
  const othersS = Math.max(0, machineBusyS() - busy0 - cpuS);
  const stages = fs.existsSync(timingsFile) ? (JSON.parse(fs.readFileSync(timingsFile, 'utf8')) as Record<string, number>) : {};
  return { wallMs, peakRssMb: peak, cpuS, othersS, stages, code };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

async function bench(label: string, book: string, formats: string, runs: number, env: Record<string, string> = {}): Promise<Run[]> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-bench-out-'));
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await buildOnce(book, formats, out, env);
    if (r.code !== 0) throw new Error(`${label}: build failed (exit ${r.code})`);
    results.push(r);
    process.stdout.write(
      `  ${label} run ${i + 1}/${runs}: ${(r.wallMs / 1000).toFixed(1)} s, peak ${r.peakRssMb.toFixed(0)} MB, CPU ${r.cpuS.toFixed(1)} s (others on the machine meanwhile: ${r.othersS.toFixed(1)} s)\n`,
    );
  }
  const stageNames = [...new Set(results.flatMap((r) => Object.keys(r.stages)))];
  const sizes = fs.readdirSync(out).filter((f) => fs.statSync(path.join(out, f)).isFile()).map((f) => `${f} ${(fs.statSync(path.join(out, f)).size / 1e6).toFixed(2)} MB`);
  process.stdout.write(`${label}: median wall ${(median(results.map((r) => r.wallMs)) / 1000).toFixed(2)} s, median peak memory ${median(results.map((r) => r.peakRssMb)).toFixed(0)} MB\n`);
  for (const s of stageNames) process.stdout.write(`    ${s.padEnd(12)} ${(median(results.map((r) => r.stages[s] ?? 0)) / 1000).toFixed(2)} s\n`);
  process.stdout.write(`    outputs: ${sizes.join(', ')}\n`);
  fs.rmSync(out, { recursive: true, force: true });
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      formats: { type: 'string', default: 'html,pdf,epub' },
      full: { type: 'boolean', default: false },
      single: { type: 'boolean', default: false },
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
    // PDF layout of the long book in parallel chunks (src/targets/pdf/parallel.ts), then twice the book.
    const once = await bench('generated-full parallel pdf', full, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'on' });
    const twice = path.join(os.tmpdir(), 'samizdat-bench-twice');
    const t = generateBook({ out: twice, chapters: 80, words: 500_000, notes: 800, figures: 160, seed: 1 });
    await generatePlates(twice, 1);
    process.stdout.write(`generated double book: ${t.words} words, ${t.notes} notes, ${t.figures} figures\n`);
    const double = await bench('generated-double parallel pdf', twice, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'on' });
    const ratio = (k: (r: Run) => number) => (median(double.map(k)) / median(once.map(k))).toFixed(2);
    process.stdout.write(
      `double/full: wall ×${ratio((r) => r.wallMs)}, pdf-layout ×${ratio((r) => r.stages['pdf-layout'] ?? NaN)}, CPU ×${ratio((r) => r.cpuS)} (goal: at most ×2)\n`,
    );
    // One pass, figures floated as the product does (the float passes lay the whole book out again).
    if (values.single) await bench('generated-full single-pass pdf', full, 'pdf', 1, { SAMIZDAT_PDF_PARALLEL: 'off' });
    else process.stdout.write('generated-full single-pass pdf: not run (--single; about 7 minutes on 2 cores)\n');
  }
}

main().catch((e) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(1);
});
