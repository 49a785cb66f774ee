/**
 * Hostile HTML (tests/fixtures/hostile-html): scripts in a figure's title and alt text, event handlers,
 * a script URL, inline SVG, a frame in a note. The build refuses them with file and line; and even
 * when those errors are ignored and the targets render the model anyway, no script, handler or
 * script URL reaches any output, and nothing runs in Chromium while the PDF is laid out.
 */
import { execFileSync } from 'node:child_process';
import { BuildFacts } from '../src/model/facts.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { Diagnostics } from '../src/diagnostics.js';
import { loadProject } from '../src/load/project.js';
import { resolveOptions } from '../src/config/options.js';
import { buildBook } from '../src/model/build_book.js';
import { Stage } from '../src/output/stage.js';
import { targetsFor } from '../src/targets/index.js';
import { Logger } from '../src/util/log.js';
import { createRenderer } from '../src/render/base.js';
import { checkArchive, locateBadBlock } from '../src/targets/epub/check.js';
import { createParser } from '../src/parse/markdown.js';
import { IdRegistry } from '../src/util/slug.js';
import type { Book } from '../src/model/types.js';
import { copyBook, FIXTURES, listFiles, runCli } from './helpers/book.js';
import { wellFormed } from './helpers/xml.js';

const MARKERS = /HANDLERRAN|SCRIPTRAN|ALTRAN|SVGRAN|LINKRAN|ONLOADRAN|CSSRAN/;

describe('hostile HTML', () => {
  it('is refused with the exact diagnostics, and nothing is written', async () => {
    const dir = copyBook(path.join(FIXTURES, 'hostile-html'));
    const run = await runCli(['build', dir, '--format', 'html,epub', '--quiet']);
    expect(run.code).toBe(1);
    const css = (f: string) => [
      `styles/${f}:2: warning: @import url(https://example.com/print-theme.css) is not followed: a book's styles load nothing from elsewhere (put the rules into this file) [css-dropped]`,
      `styles/${f}:4: warning: "background" dropped: it would load https://example.com/tracker.png from outside the book [css-dropped]`,
    ];
    const lines = run.stderr.split('\n').filter((l) => /^(manuscript|styles)\//.test(l));
    expect(lines).toEqual([
      'manuscript/01.md:5: error: raw HTML with active content removed: event handler onerror="…" on <img> [unsafe-html]',
      'manuscript/01.md:5: error: raw HTML with active content removed: <script> [unsafe-html]',
      'manuscript/01.md:7: error: raw HTML with active content removed: <script> [unsafe-html]',
      'manuscript/01.md:9: warning: <svg> cannot be carried into a book and is left out with its content [html-dropped]',
      'manuscript/01.md:10: error: raw HTML with active content removed: href="javascript:document.body.inser" on <a> [unsafe-html]',
      'manuscript/01.md:11: error: raw HTML with active content removed: event handler onload="…" on <img> [unsafe-html]',
      'manuscript/01.md:13: error: raw HTML with active content removed: <iframe> [unsafe-html]',
      'manuscript/01.md:5: error: image not found: x (looked in manuscript/x and x) [missing-image]',
      ...css('print.css'),
      ...css('web.css'),
    ]);
    expect(listFiles(path.join(dir, 'dist'))).toEqual([]);
  }, 60_000);

  it('reaches no output as markup and runs nothing in Chromium, even with its errors ignored', async () => {
    const dir = copyBook(path.join(FIXTURES, 'hostile-html'));
    const out = path.join(dir, 'dist');
    const diags = new Diagnostics();
    const project = loadProject(dir, diags)!;
    const options = resolveOptions(project.root, project.settings, { format: 'pdf,html,epub', out, quiet: true }, diags);
    const book = buildBook(project, diags);
    expect(diags.errors.length).toBe(7);
    const stage = new Stage(options.outDir);
    const ctx = { book, options, stage, diags: new Diagnostics(), log: new Logger(true), facts: new BuildFacts(), signal: new AbortController().signal };
    for (const target of await targetsFor(options.formats)) await target.build(ctx);
    expect(ctx.diags.errors).toEqual([]);
    stage.commit();

    const pdfText = execFileSync('pdftotext', [path.join(out, 'hostile-html.pdf'), '-'], { encoding: 'utf8' });
    expect(pdfText).toContain('A note');
    expect(pdfText).not.toMatch(MARKERS);
    const web = fs.readFileSync(path.join(out, 'hostile-html.html'), 'utf8');
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, 'hostile-html.epub')));
    const docs = await Promise.all(Object.keys(zip.files).filter((n) => n.endsWith('.xhtml')).map(async (n) => [n, await zip.files[n]!.async('string')] as const));
    // The book's CSS ends no <style>: read by an HTML parser, the page has one <style> and no <script>.
    const names: string[] = [];
    const walk = (n: DefaultTreeAdapterMap['node']) => {
      if ('tagName' in n) names.push(n.tagName);
      for (const c of (n as DefaultTreeAdapterMap['element']).childNodes ?? []) walk(c);
    };
    walk(parse(web));
    expect(names.filter((n) => n === 'style' || n === 'script')).toEqual(['style']);
    expect(web).toContain(String.raw`font-family:"<\/style><script>document.body.append('CSSRAN')<\/script>",serif`);
    for (const [name, text] of [['web', web.replace(/<style>[^]*?\n<\/style>/, '')] as const, ...docs]) {
      expect(text, name).not.toMatch(/<script|<iframe|<svg|\son[a-z]+=|javascript:/i);
      if (name !== 'web') expect(wellFormed(text), name).toBeUndefined();
    }
    // The figure keeps its picture and its alt text, without the markup.
    expect(web).toMatch(/<figure id="fig-orange"><img src="images\/orange-[0-9a-f]{8}\.jpg" alt="A safe alt"/);
    expect(web).toMatch(/alt="An orange"/);
  }, 120_000);
});

/** A book folder with a title and one manuscript file. */
function oneFileBook(title: string, body: string): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-one-')), 'book');
  fs.mkdirSync(path.join(root, 'manuscript'), { recursive: true });
  fs.writeFileSync(path.join(root, 'book.yaml'), `title: ${title}\n`);
  fs.writeFileSync(path.join(root, 'manuscript', '01.md'), body);
  return root;
}

describe('structural checks of the build', () => {
  it('refuses an empty manuscript with a clear error instead of an EPUB with an empty contents', async () => {
    const root = oneFileBook('Empty', '\n\n');
    const run = await runCli(['build', root, '--format', 'epub', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('manuscript/01.md:1: error: the manuscript has no text: manuscript/01.md is empty [empty-book]');
    expect(listFiles(path.join(root, 'dist'))).toEqual([]);
  });

  it('takes control characters out of the text, with a warning naming the line', async () => {
    const root = oneFileBook('Controls', '# One\n\nA page ends here.\f\n\nAnother\u0001 begins.\n');
    const run = await runCli(['build', root, '--format', 'epub', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('manuscript/01.md:3: warning: control characters (such as form feeds) cannot be carried into a book and are left out [control-character]');
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(root, 'dist', 'controls.epub')));
    expect(await checkArchive(await zip.generateAsync({ type: 'nodebuffer' }))).toEqual([]);
  });

  it('finds a malformed document in an archive and the manuscript block it came from', async () => {
    const zip = new JSZip();
    zip.file('OEBPS/text-001.xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>a<b>b</p></body></html>');
    zip.file('OEBPS/ok.xhtml', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>');
    const problems = await checkArchive(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(problems.map((p) => p.entry)).toEqual(['OEBPS/text-001.xhtml']);

    // A token stream whose third block renders a character XML cannot hold (made by hand: the
    // manuscript loader takes them out).
    const md = createParser('en');
    const env = { file: 'manuscript/02.md', lines: [] as string[], diags: new Diagnostics(), ids: new IdRegistry() };
    const tokens = md.parse('# T\n\nfine\n\n- one\n- two x\n', env);
    tokens.find((t) => t.type === 'inline' && t.content === 'two x')!.children![0]!.content = 'two \u0001';
    const renderer = createRenderer({ assets: new Map() } as unknown as Book, { assetUrl: () => '', noteRef: () => '', xhtml: true });
    expect(locateBadBlock(tokens, renderer, 'manuscript/02.md')).toEqual({ file: 'manuscript/02.md', line: 5 });
  });
});
