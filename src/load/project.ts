/** Loads a book folder: book.yaml, the manuscript files in order, their front matter. */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { parseYaml, type YamlResult } from '../config/yaml_source.js';
import { validateKeys } from '../config/validate.js';
import { splitFrontMatter } from './front_matter.js';
import { isInside, relPosix } from '../util/paths.js';
import { listBookDir, pathExists, readBookFile, readBookText, realRoot, resolveInside, UnsafePathError } from '../util/safe_fs.js';

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
  // Real paths from here on: every file is checked to be inside this folder after following links.
  const root = realRoot(rootArg);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    diags.error('no-book', fs.existsSync(root) ? `${rootArg} is a file, not a book folder` : `book folder not found: ${rootArg}`);
    return undefined;
  }
  const inputs: string[] = [];
  let settings: Record<string, unknown> = {};
  let chaptersLine: number | undefined;

  const yamlPath = path.join(root, BOOK_YAML);
  if (pathExists(yamlPath)) {
    inputs.push(BOOK_YAML);
    let text: string | undefined;
    try {
      text = readBookText(root, yamlPath);
    } catch (e) {
      diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', (e as Error).message, { file: BOOK_YAML });
    }
    const y = text === undefined ? undefined : parseYaml(text, BOOK_YAML, 1, diags);
    if (y) {
      validateKeys(y, BOOK_YAML, diags);
      settings = { ...y.data };
      chaptersLine = y.keyLines.get('chapters');
    }
  }

  const manuscriptDir = path.join(root, 'manuscript');
  const listed = settings['chapters'];
  let paths: string[];
  if (listed !== undefined) {
    paths = resolveListedChapters(root, manuscriptDir, listed, diags, chaptersLine);
  } else if (pathExists(manuscriptDir)) {
    try {
      paths = listBookDir(root, manuscriptDir)
        .filter((f) => f.toLowerCase().endsWith('.md'))
        .map((f) => path.join(manuscriptDir, f));
    } catch (e) {
      diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', (e as Error).message, { file: 'manuscript' });
      return undefined;
    }
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
      text = readUtf8(root, abs);
    } catch (e) {
      if (e instanceof UnsafePathError) diags.error(e.code, e.message, { file: rel });
      else diags.error('unreadable', `cannot read manuscript file: ${(e as Error).message}`, { file: rel, line: (e as { line?: number }).line });
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
  // The book's stylesheets are read by the targets; a link out of the folder is refused here, before any.
  const styles = path.join(root, 'styles');
  if (pathExists(styles)) {
    try {
      for (const f of listBookDir(root, styles).filter((f) => f.endsWith('.css'))) {
        try {
          resolveInside(root, path.join(styles, f));
          inputs.push(`styles/${f}`);
        } catch (e) {
          diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', (e as Error).message, { file: `styles/${f}` });
        }
      }
    } catch (e) {
      diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', (e as Error).message, { file: 'styles' });
    }
  }
  return { root, files, settings, inputs };
}

function resolveListedChapters(root: string, manuscriptDir: string, listed: unknown, diags: Diagnostics, keyLine?: number): string[] {
  if (!Array.isArray(listed) || listed.some((c) => typeof c !== 'string')) {
    diags.error('bad-value', '"chapters" must be a list of Markdown file names', { file: BOOK_YAML });
    return [];
  }
  const out: string[] = [];
  for (const name of listed as string[]) {
    const candidates = [path.resolve(manuscriptDir, name), path.resolve(root, name)];
    const found = candidates.find((c) => isInside(root, c) && pathExists(c));
    if (found) {
      try {
        resolveInside(root, found);
      } catch (e) {
        diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', `chapter "${name}": ${(e as Error).message}`, { file: BOOK_YAML, line: keyLine });
        continue;
      }
    }
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
function readUtf8(root: string, file: string): string {
  const bytes = readBookFile(root, file);
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
