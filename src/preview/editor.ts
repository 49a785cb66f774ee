/**
 * Links from the print view to the source: an editor URL pattern with {path} and {line} (and {column}),
 * from book.yaml `editor:`, else SAMIZDAT_EDITOR, else guessed from $VISUAL / $EDITOR for editors that
 * register a URL scheme. Without one the view shows the file and line only.
 */
import path from 'node:path';

const SCHEMES: [RegExp, string][] = [
  [/^(code|code-insiders)$/, 'vscode://file/{path}:{line}:{column}'],
  [/^(codium|vscodium)$/, 'vscodium://file/{path}:{line}:{column}'],
  [/^cursor$/, 'cursor://file/{path}:{line}:{column}'],
  [/^subl(ime_text)?$/, 'subl://open?url=file://{path}&line={line}'],
  [/^mate$/, 'txmt://open?url=file://{path}&line={line}'],
  [/^(idea|webstorm|pycharm|phpstorm|goland|clion|rubymine)(\.sh)?$/, 'idea://open?file={path}&line={line}'],
  [/^zed$/, 'zed://file/{path}:{line}'],
];

/** The pattern to use: the setting, SAMIZDAT_EDITOR, or one guessed from the editor command. */
export function editorPattern(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (setting) return setting;
  if (env['SAMIZDAT_EDITOR']) return env['SAMIZDAT_EDITOR'];
  for (const cmd of [env['VISUAL'], env['EDITOR']]) {
    const name = cmd ? path.basename(cmd.trim().split(/\s+/)[0] ?? '') : '';
    const hit = SCHEMES.find(([re]) => re.test(name));
    if (hit) return hit[1];
  }
  return undefined;
}

/** The link for a place, or undefined without a pattern. A pattern that is a bare name (code, subl) is looked up. */
export function editorLink(absPath: string, line: number, setting?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let pattern = editorPattern(setting, env);
  if (pattern && !pattern.includes('{')) pattern = SCHEMES.find(([re]) => re.test(pattern!))?.[1];
  if (!pattern) return undefined;
  const p = absPath.split(path.sep).join('/');
  return pattern.replaceAll('{path}', encodeURI(p)).replaceAll('{file}', encodeURI(p)).replaceAll('{line}', String(line)).replaceAll('{column}', '1');
}
