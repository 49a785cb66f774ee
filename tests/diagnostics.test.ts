/**
 * Diagnostics, one fixture folder per problem: tests/fixtures/diagnostics/<case>/ holds a book and
 * expected.yaml with the exit code and the diagnostics (severity, code, file, line, message excerpt).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { copyBook, FIXTURES, listFiles, runCli } from './helpers/book.js';
import { prepare } from '../src/build.js';
import { BuildError, type Diagnostic } from '../src/diagnostics.js';

interface Expected {
  exit: number;
  diagnostics: (Partial<Diagnostic> & { message: string })[];
}

const DIR = path.join(FIXTURES, 'diagnostics');
const cases = fs.readdirSync(DIR).sort();

function diagnosticsOf(book: string): Diagnostic[] {
  try {
    return prepare(book).diags.items;
  } catch (e) {
    if (e instanceof BuildError) return e.diagnostics;
    throw e;
  }
}

describe.each(cases)('diagnostics: %s', (name) => {
  const expected = parse(fs.readFileSync(path.join(DIR, name, 'expected.yaml'), 'utf8')) as Expected;

  it('reports each expected problem with its file and line', () => {
    const got = diagnosticsOf(path.join(DIR, name));
    for (const want of expected.diagnostics) {
      const match = got.find(
        (d) =>
          d.code === want.code &&
          d.severity === want.severity &&
          d.file === want.file &&
          (want.line === undefined || d.line === want.line) &&
          d.message.includes(want.message),
      );
      expect(match, `expected ${JSON.stringify(want)} among ${JSON.stringify(got, null, 1)}`).toBeDefined();
    }
    expect(got.filter((d) => d.severity === 'error').length).toBe(expected.diagnostics.filter((d) => d.severity === 'error').length);
  });

  it(`exits ${expected.exit} and leaves the output folder as it was`, async () => {
    const book = copyBook(path.join(DIR, name));
    const out = path.join(book, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'older.txt'), 'from an earlier build');
    const run = await runCli(['build', book, '--format', 'html', '--quiet']);
    expect(run.code).toBe(expected.exit);
    for (const want of expected.diagnostics) {
      expect(run.stderr).toContain(`${want.file}${want.line ? `:${want.line}` : ''}: ${want.severity}`);
    }
    if (expected.exit !== 0) {
      expect(run.stderr).toContain('nothing was written');
      expect(listFiles(out)).toEqual(['older.txt']);
    } else {
      expect(listFiles(out)).toContain('only-warnings.html');
    }
  });
});
