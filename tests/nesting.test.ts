/**
 * Nesting limits are diagnostics, never silent loss: a 200-deep list and a 150-deep quote keep every
 * word (flattened past 100 containers, with a warning naming the line), a list too deep to parse is an
 * error naming its line; the EPUB of the deep book is well-formed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/book.js';
import { wellFormed } from './helpers/xml.js';
import { LAYOUT_LIMIT } from '../src/parse/rules/depth_limit.js';

function book(body: string): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-deep-')), 'book');
  fs.mkdirSync(path.join(root, 'manuscript'), { recursive: true });
  fs.writeFileSync(path.join(root, 'book.yaml'), 'title: Deep\n');
  fs.writeFileSync(path.join(root, 'manuscript', '01.md'), body);
  return root;
}

const list = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}- item${i}`).join('\n');
const quote = (n: number) => Array.from({ length: n }, (_, i) => `${'>'.repeat(i + 1)} quote${i}`).join('\n');

describe('nesting limits', () => {
  it('keeps every item of a 200-deep list and every line of a 150-deep quote, and says where it flattens', async () => {
    const root = book(`# Deep\n\n${list(200)}\n\n${quote(150)}\n`);
    const run = await runCli(['build', root, '--format', 'html,epub', '--quiet']);
    expect(run.code).toBe(0);
    // Container 101 is the item at depth 51 (a list and its item are two containers): line 3 + 50.
    expect(run.stderr).toContain(`manuscript/01.md:53: warning: blocks nest 401 levels deep here; from level ${LAYOUT_LIMIT + 1} on they are flattened into the level above (every word is kept) [nesting-flattened]`);
    const html = fs.readFileSync(path.join(root, 'dist', 'deep.html'), 'utf8');
    const words = [...Array.from({ length: 200 }, (_, i) => `item${i}`), ...Array.from({ length: 150 }, (_, i) => `quote${i}`)];
    expect(words.filter((w) => !new RegExp(`>${w}(?=[\\s<])`).test(html))).toEqual([]);
    let depth = 0;
    let deepest = 0;
    for (const m of html.matchAll(/<(\/?)(ul|li|blockquote)\b/g)) {
      depth += m[1] ? -1 : 1;
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBeLessThanOrEqual(LAYOUT_LIMIT);
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(root, 'dist', 'deep.epub')));
    for (const n of Object.keys(zip.files).filter((f) => f.endsWith('.xhtml'))) expect(wellFormed(await zip.files[n]!.async('string')), n).toBeUndefined();
  }, 60_000);

  it('refuses a list too deep to read, naming the line, instead of losing its end', async () => {
    const root = book(`# Too deep\n\n${list(600)}\n`);
    const run = await runCli(['build', root, '--format', 'html', '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('manuscript/01.md:500: error: blocks here are nested more than 500 levels deep, too deep to read; the text from this line on would be lost (flatten the lists or quotes) [nesting-too-deep]');
  }, 60_000);
});
