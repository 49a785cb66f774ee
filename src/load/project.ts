/** Loads a book folder: book.yaml, the manuscript files in order, their front matter. */
import fs from 'node:fs';
import path from 'node:path';
import type { Diagnostics } from '../diagnostics.js';
import { parseYaml, type YamlResult } from '../config/yaml_source.js';
import { FRONT_MATTER_KEYS, KEY_ALIASES, SECTIONS, type Origins } from '../config/schema.js';
import { splitFrontMatter } from './front_matter.js';
import { isInside, relPosix } from '../util/paths.js';
import { listBookDir, pathExists, readBookFile, readBookText, realRoot, resolveInside, UnsafePathError } from '../util/safe_fs.js';

export interface SourceFile {
  /** Path relative to the book folder. */
  rel: string;
  abs: string;
  /** Markdown body, front matter blanked out. */
  body: string;
  /** The file's own `title:` (front matter) and its line: the file's chapter heading when it has none. */
  title?: { text: string; line: number };
  /** The file's `permalink:` (Jekyll), so links to the page's web address reach its chapter (model/links.ts). */
  permalink?: string;
}

export interface LoadedProject {
  root: string;
  files: SourceFile[];
  /** Merged settings: book.yaml, then what the first file's front matter adds (book.yaml wins). */
  settings: Record<string, unknown>;
  /** Where each setting (dotted key) was written. */
  origins: Origins;
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
  const origins: Origins = new Map();

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
      settings = { ...y.data };
      chaptersLine = y.keyLines.get('chapters');
      for (const [key, line] of y.keyLines) origins.set(key, { file: BOOK_YAML, line });
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
  const ignored = new Map<string, { file: string; line?: number; files: number }>();
  const bookTitle = settings['title'] !== undefined;
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
    const file: SourceFile = { rel, abs, body: fm.body };
    files.push(file);
    if (fm.yaml === undefined) continue;
    const y: YamlResult | undefined = parseYaml(fm.yaml, rel, fm.yamlLine, diags);
    if (!y) continue;
    for (const [key, value] of Object.entries(y.data)) {
      const line = y.keyLines.get(key);
      // A file's own title: its chapter heading, unless it is the book's title (first file, no title in book.yaml).
      if (key === 'title' && (i > 0 || bookTitle)) {
        if (value !== null && value !== undefined && String(value).trim()) file.title = { text: String(value).trim(), line: line ?? fm.yamlLine };
        continue;
      }
      if (key === 'permalink' && typeof value === 'string' && value.trim()) {
        file.permalink = value.trim();
        continue;
      }
      const known = FRONT_MATTER_KEYS.includes(key);
      if (i === 0 && known) {
        // Book metadata comes from book.yaml, else the first file; option sections merge key by key.
        const name = KEY_ALIASES[key] ?? key;
        const have = settings[name];
        if (name in SECTIONS && have && typeof have === 'object' && value && typeof value === 'object') {
          settings[name] = { ...(value as object), ...(have as object) };
        } else if (have !== undefined) continue;
        else settings[name] = value;
        for (const [k, l] of y.keyLines) if ((k === key || k.startsWith(`${key}.`)) && !origins.has(k)) origins.set(k, { file: rel, line: l });
        continue;
      }
      const seen = ignored.get(key);
      if (seen) seen.files++;
      else ignored.set(key, { file: rel, line, files: 1 });
    }
  }
  for (const [key, at] of ignored) {
    const why = FRONT_MATTER_KEYS.includes(key) ? 'book metadata and options are read from book.yaml or the first manuscript file' : 'samizdat does not read it';
    const more = at.files > 1 ? ` (and in ${at.files - 1} more file${at.files > 2 ? 's' : ''})` : '';
    diags.warn('ignored-front-matter', `front matter key "${key}" is ignored${more}: ${why}`, { file: at.file, line: at.line });
  }
  // samizdat's own cache lives in the book folder: a link out of it would make the build write elsewhere.
  for (const dir of ['.cache', '.cache/samizdat', '.cache/samizdat/images']) {
    const abs = path.join(root, dir);
    if (!pathExists(abs)) break;
    try {
      resolveInside(root, abs);
    } catch (e) {
      diags.error(e instanceof UnsafePathError ? e.code : 'unreadable', `${(e as Error).message.replace(/; samizdat reads only .*$/, '')}; samizdat keeps its image cache inside the book folder (remove the link)`, { file: dir });
      break;
    }
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
  return { root, files, settings, origins, inputs };
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
