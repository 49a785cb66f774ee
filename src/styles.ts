/** The built-in theme lives in the tool's styles/ folder; a book's own styles/ folder adds overrides. */
import fs from 'node:fs';
import path from 'node:path';
import { pathExists, readBookText } from './util/safe_fs.js';
import { TOOL_ROOT } from './util/package_files.js';

export { TOOL_ROOT };
export const TOOL_STYLES = path.join(TOOL_ROOT, 'styles');

/** The built-in stylesheet `name`, then the book's `styles/<name>` override when there is one. */
export function readTheme(bookRoot: string, name: string): string {
  const parts = [fs.readFileSync(path.join(TOOL_STYLES, name), 'utf8')];
  const override = path.join(bookRoot, 'styles', name);
  if (path.resolve(override) !== path.resolve(path.join(TOOL_STYLES, name)) && pathExists(override)) {
    parts.push(`/* book override: styles/${name} */\n` + readBookText(bookRoot, override));
  }
  return parts.join('\n');
}
