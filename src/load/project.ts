/** Loads a book folder: book.yaml, the manuscript files in order, their front matter. */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { parseYaml, type YamlResult } from '../config/yaml_source.js';
import { validateKeys } from '../config/validate.js';
import { splitFrontMatter } from './front_matter.js';
import { isInside, relPosix } from '../util/paths.js';

export interface SourceFile {
  /** Path relative to the book folder. */
  rel: string;
  abs: string;
  /** Markdown body, front matter blanked out. */
  body: string;
}

export interface LoadedProject {
  root: string;
  files: SourceFile[];
  /** Merged settings: book.yaml, then the first file's front matter on top. */
  settings: Record<string, unknown>;
  /** Every input file read (manuscript, book.yaml), for manifests. */
  inputs: string[];
}

export const BOOK_YAML = 'book.yaml';

export function loadProject(rootArg: string, diags: Diagnostics): LoadedProject | undefined {
  const root = path.resolve(rootArg);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    diags.error('no-book', `book folder not found: ${rootArg}`);
    return undefined;
  }
  const inputs: string[] = [];
  let settings: Record<string, unknown> = {};

  const yamlPath = path.join(root, BOOK_YAML);
  if (fs.existsSync(yamlPath)) {
    inputs.push(BOOK_YAML);
    const y = parseYaml(fs.readFileSync(yamlPath, 'utf8'), BOOK_YAML, 1, diags);
    if (y) {
      validateKeys(y, BOOK_YAML, diags);
      settings = { ...y.data };
    }
  }

  const manuscriptDir = path.join(root, 'manuscript');
  const listed = settings['chapters'];
  let paths: string[];
  if (listed !== undefined) {
    paths = resolveListedChapters(root, manuscriptDir, listed, diags);
  } else if (fs.existsSync(manuscriptDir)) {
    paths = fs
      .readdirSync(manuscriptDir)
      .filter((f) => f.toLowerCase().endsWith('.md'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((f) => path.join(manuscriptDir, f));
  } else {
    diags.error('no-manuscript', `no manuscript/ folder in ${root}: a book folder holds its Markdown files in manuscript/ (and its pictures in images/)`);
    return undefined;
  }
  if (paths.length === 0) {
    diags.error('no-manuscript', 'the manuscript has no .md files', { file: 'manuscript' });
    return undefined;
  }

  const files: SourceFile[] = [];
  for (const [i, abs] of paths.entries()) {
    const rel = relPosix(root, abs);
    let text: string;
    try {
      text = readUtf8(abs);
    } catch (e) {
      diags.error('unreadable', `cannot read manuscript file: ${(e as Error).message}`, { file: rel, line: (e as { line?: number }).line });
      continue;
    }
    inputs.push(rel);
    const fm = splitFrontMatter(text.replace(/^\uFEFF/, ''));
    if (fm.unclosed) {
      diags.error('yaml', 'front matter opened with --- is never closed with ---', { file: rel, line: 1 });
    }
    if (fm.yaml !== undefined) {
      const y: YamlResult | undefined = parseYaml(fm.yaml, rel, fm.yamlLine, diags);
      if (y && i === 0) {
        validateKeys(y, rel, diags);
        settings = { ...settings, ...y.data };
      } else if (y && Object.keys(y.data).length > 0) {
        diags.warn('ignored-front-matter', 'front matter is read from the first manuscript file only', {
          file: rel,
          line: 1,
        });
      }
    }
    files.push({ rel, abs, body: fm.body });
  }
  const styles = path.join(root, 'styles');
  if (fs.existsSync(styles)) {
    for (const f of fs.readdirSync(styles).filter((f) => f.endsWith('.css')).sort()) inputs.push(`styles/${f}`);
  }
  return { root, files, settings, inputs };
}

function resolveListedChapters(root: string, manuscriptDir: string, listed: unknown, diags: Diagnostics): string[] {
  if (!Array.isArray(listed) || listed.some((c) => typeof c !== 'string')) {
    diags.error('bad-value', '"chapters" must be a list of Markdown file names', { file: BOOK_YAML });
    return [];
  }
  const out: string[] = [];
  for (const name of listed as string[]) {
    const candidates = [path.resolve(manuscriptDir, name), path.resolve(root, name)];
    const found = candidates.find((c) => isInside(root, c) && fs.existsSync(c));
    if (!found) {
      const outside = candidates.every((c) => !isInside(root, c));
      diags.error(
        outside ? 'outside-project' : 'missing-chapter',
        outside ? `chapter "${name}" is outside the book folder` : `chapter file "${name}" not found in manuscript/`,
        { file: BOOK_YAML },
      );
      continue;
    }
    out.push(found);
  }
  return out;
}

/** Reads a text file that must be UTF-8; a corrupt or binary file is an error with the line it breaks on. */
function readUtf8(file: string): string {
  const bytes = fs.readFileSync(file);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.includes('\u0000')) throw Object.assign(new Error('it holds NUL bytes: not a text file'), { line: lineAt(text, text.indexOf('\u0000')) });
    return text;
  } catch (e) {
    if ((e as { line?: number }).line) throw e;
    // Find the first byte that is not UTF-8, to name its line.
    let good = 0;
    for (let end = bytes.length; good < end; ) {
      const mid = (good + end + 1) >> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        good = mid;
      } catch {
        end = mid - 1;
      }
    }
    const line = bytes.subarray(0, good).toString('utf8').split('\n').length;
    throw Object.assign(new Error('it is not UTF-8 text (save it as UTF-8)'), { line });
  }
}

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;
