/**
 * The CommonMark spec's examples as one book (tests/fixtures/commonmark): whatever Markdown a stranger
 * writes, the EPUB is well-formed and passes EPUBCheck. Examples are set 40 to a manuscript file (each
 * file opens with a comment, so that an example starting with `---` is not read as front matter);
 * left out are only the examples that are errors by design — images of files the book does not hold,
 * scripts — found by parsing each example alone, and the book must then build without an error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import type { Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { createParser } from '../src/parse/markdown.js';
import { Diagnostics } from '../src/diagnostics.js';
import { IdRegistry } from '../src/util/slug.js';
import { build } from '../src/build.js';
import { Logger } from '../src/util/log.js';
import { FIXTURES } from './helpers/book.js';
import { describeMessages, epubcheck } from './helpers/epubcheck.js';
import { wellFormed } from './helpers/xml.js';

interface Example {
  section: string;
  markdown: string;
}
const { examples } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'commonmark', 'examples.json'), 'utf8')) as { examples: Example[] };

const hasImage = (tokens: Token[]): boolean => tokens.some((t) => t.type === 'image' || (t.children ? hasImage(t.children) : false));

/** Why an example cannot stand in a book, or undefined. */
function refusal(markdown: string): string | undefined {
  const diags = new Diagnostics();
  const tokens = createParser('en').parse(markdown, { file: 'x.md', lines: markdown.split('\n'), diags, ids: new IdRegistry() });
  if (diags.errors.length) return diags.errors.map((d) => d.code).join(',');
  if (hasImage(tokens)) return 'image';
  return undefined;
}

describe('the CommonMark spec examples as a book', () => {
  it('builds an EPUB that is well-formed and passes EPUBCheck', async () => {
    const refused = new Map<number, string>();
    const kept: string[] = [];
    examples.forEach((e, i) => {
      const why = refusal(e.markdown);
      if (why) refused.set(i + 1, why);
      else kept.push(e.markdown);
    });
    // Images (of files the book does not hold) and the two <script> examples: nothing else.
    expect(examples.length).toBe(655);
    expect([...new Set(refused.values())].sort()).toEqual(['image', 'unsafe-html']);
    expect(refused.size).toBeLessThan(35);

    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'samizdat-commonmark-')), 'book');
    fs.mkdirSync(path.join(root, 'manuscript'), { recursive: true });
    fs.writeFileSync(path.join(root, 'book.yaml'), 'title: CommonMark examples\nlang: en\n');
    for (let g = 0; g * 40 < kept.length; g++) {
      const body = kept.slice(g * 40, (g + 1) * 40).join('\n\n');
      fs.writeFileSync(path.join(root, 'manuscript', `${String(g + 1).padStart(3, '0')}.md`), `<!-- examples ${g * 40 + 1}– -->\n\n${body}`);
    }
    const out = path.join(root, 'dist');
    const r = await build(root, { format: 'html,epub', out, quiet: true }, { log: new Logger(true) });
    expect(r.diags.errors).toEqual([]);
    const epub = path.join(out, 'commonmark-examples.epub');
    const zip = await JSZip.loadAsync(fs.readFileSync(epub));
    const docs = Object.keys(zip.files).filter((n) => n.endsWith('.xhtml'));
    expect(docs.length).toBeGreaterThan(20);
    for (const n of docs) expect(wellFormed(await zip.files[n]!.async('string')), n).toBeUndefined();
    const check = epubcheck(epub);
    expect(describeMessages([...check.errors, ...check.warnings])).toEqual([]);
  }, 240_000);
});
