/**
 * CSS from the book (styles/*.css, style attributes in raw HTML) is parsed with css-tree, filtered and
 * written out again, never pasted: nothing may load from outside the book (no @import, no remote
 * url() or image-set() string; a declaration that would is dropped with a warning) and the result
 * cannot end the <style> element it is inlined into.
 */
import { createRequire } from 'node:module';
import type * as CssTree from 'css-tree';
import type { Diagnostics } from '../diagnostics.js';

let loaded: typeof CssTree | undefined;
/** css-tree, loaded when a book first has CSS to read (most have none: its ~50 ms stay out of their builds). */
const csstree = (): typeof CssTree => (loaded ??= createRequire(import.meta.url)('css-tree') as typeof CssTree);

/** A URL that would be fetched from outside the book: any scheme but data:, or protocol-relative. */
export function isRemoteUrl(url: string): boolean {
  const u = url.trim();
  return u.startsWith('//') || u.startsWith('\\\\') || (/^[a-z][a-z0-9+.-]*:/i.test(u) && !/^data:/i.test(u));
}

/** The remote URLs a node refers to: url() values, and strings in image-set(). */
function remoteUrls(node: CssTree.CssNode): string[] {
  const found: string[] = [];
  csstree().walk(node, {
    enter(n: CssTree.CssNode) {
      if (n.type === 'Url' && isRemoteUrl(n.value)) found.push(n.value);
      if (n.type === 'Function' && /image-set$/i.test(n.name)) {
        csstree().walk(n, (s: CssTree.CssNode) => {
          if (s.type === 'String' && isRemoteUrl(s.value)) found.push(s.value);
        });
      }
      if (n.type === 'Function' && /^(expression|-moz-binding)$/i.test(n.name)) found.push(`${n.name}()`);
    },
  });
  return found;
}

const BEHAVIOUR = /^(behavior|-moz-binding)$/i;

/**
 * Makes generated CSS safe inside <style>: `</` only occurs in strings, url() or raw values, where
 * `<\/` means the same and cannot close the element.
 */
const closeSafe = (css: string): string => css.replace(/<\//g, '<\\/').replace(/<!--/g, '<\\!--');

export interface CssProblem {
  message: string;
  line?: number;
}

/** A stylesheet, filtered; problems are reported as warnings at `file` with their line. */
export function sanitizeStylesheet(text: string, file: string, diags: Diagnostics): string {
  const problems: CssProblem[] = [];
  const ast = csstree().parse(text, {
    positions: true,
    parseCustomProperty: true,
    onParseError: (e) => problems.push({ message: `CSS that cannot be read is ignored: ${e.message}`, line: (e as { line?: number }).line }),
  });
  csstree().walk(ast, {
    enter(node: CssTree.CssNode, item: CssTree.ListItem<CssTree.CssNode>, list: CssTree.List<CssTree.CssNode>) {
      if (!list) return;
      const line = node.loc?.start.line;
      if (node.type === 'Atrule' && node.name.toLowerCase() === 'import') {
        const what = node.prelude ? csstree().generate(node.prelude) : '';
        problems.push({ message: `@import ${what} is not followed: a book's styles load nothing from elsewhere (put the rules into this file)`, line });
        list.remove(item);
        return csstree().walk.skip;
      }
      if (node.type === 'Declaration') {
        const remote = remoteUrls(node.value);
        if (remote.length || BEHAVIOUR.test(node.property)) {
          problems.push({ message: `"${node.property}" dropped: it would load ${remote[0] ?? node.property} from outside the book`, line });
          list.remove(item);
        }
        return csstree().walk.skip;
      }
      return undefined;
    },
  });
  for (const p of problems) diags.warn('css-dropped', p.message, { file, line: p.line });
  return closeSafe(csstree().generate(ast));
}

/** A style attribute's declarations, filtered the same way ('' when nothing is left). */
export function sanitizeStyleAttribute(value: string): string {
  let ast: CssTree.CssNode;
  try {
    ast = csstree().parse(value, { context: 'declarationList', parseCustomProperty: true, onParseError: () => {} });
  } catch {
    return '';
  }
  // What does not parse as a declaration (a stray `}`, `</style>`…) is not CSS and goes.
  if (ast.type === 'DeclarationList') ast.children = ast.children.filter((n) => n.type === 'Declaration' && n.value.type !== 'Raw');
  csstree().walk(ast, {
    visit: 'Declaration',
    enter(node: CssTree.Declaration, item: CssTree.ListItem<CssTree.CssNode>, list: CssTree.List<CssTree.CssNode>) {
      if (list && (remoteUrls(node.value).length || BEHAVIOUR.test(node.property) || csstree().find(node.value, (n) => n.type === 'Url'))) list.remove(item);
    },
  });
  return closeSafe(csstree().generate(ast));
}
