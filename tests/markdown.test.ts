/**
 * Parser fixtures, readable as documents: tests/fixtures/markdown/*.txt hold blocks of
 *   title (lang: xx) · "." · Markdown · "." · expected HTML · "."
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createParser } from '../src/parse/markdown.js';
import { Diagnostics } from '../src/diagnostics.js';
import { IdRegistry } from '../src/util/slug.js';
import type { ParseEnv } from '../src/parse/env.js';
import { FIXTURES } from './helpers/book.js';

interface Case {
  title: string;
  lang: string;
  input: string;
  expected: string;
}

function readCases(file: string): Case[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const cases: Case[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!lines[i]!.trim()) {
      i++;
      continue;
    }
    const title = lines[i++]!;
    const parts: string[][] = [[], []];
    for (const part of parts) {
      if (lines[i++] !== '.') throw new Error(`${file}: expected "." after line ${i}`);
      while (lines[i] !== '.') part.push(lines[i++]!);
    }
    i++;
    cases.push({
      title,
      lang: /\(lang: ([\w-]+)\)/.exec(title)?.[1] ?? 'en',
      input: parts[0]!.join('\n'),
      expected: parts[1]!.join('\n'),
    });
  }
  return cases;
}

const dir = path.join(FIXTURES, 'markdown');
for (const file of fs.readdirSync(dir).sort()) {
  describe(`markdown fixtures: ${file}`, () => {
    for (const c of readCases(path.join(dir, file))) {
      it(c.title, () => {
        const md = createParser(c.lang);
        const env: ParseEnv = { file: file, lines: c.input.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
        expect(md.render(c.input, env).trim()).toBe(c.expected.trim());
      });
    }
  });
}
