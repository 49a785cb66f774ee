/**
 * The EPUB is checked before it is written, as the tests check it: every XML document of the archive
 * (content documents, navigation, package, NCX, SVG) must be well-formed, and the navigation must list
 * something. A document that is not is traced back to the manuscript block it was rendered from, so
 * the error names a file and line instead of an invalid EPUB being written.
 */
import JSZip from 'jszip';
import type { Token } from 'markdown-it';
import { xmlProblem, type XmlProblem } from '../../util/xml.js';
import type { BookRenderer } from '../../render/base.js';
import type { SourcePos } from '../../model/types.js';

export interface ArchiveProblem {
  entry: string;
  problem: XmlProblem;
}

/** Well-formedness of every XML entry of the finished archive. */
export async function checkArchive(data: Buffer): Promise<ArchiveProblem[]> {
  const zip = await JSZip.loadAsync(data);
  const out: ArchiveProblem[] = [];
  for (const name of Object.keys(zip.files).sort()) {
    if (zip.files[name]!.dir || !/\.(xhtml|opf|ncx|svg|xml)$/i.test(name)) continue;
    const problem = xmlProblem(await zip.files[name]!.async('string'));
    if (problem) out.push({ entry: name, problem });
  }
  return out;
}

/** The top-level blocks of a document's tokens: [start, end) ranges. */
function blocks(tokens: Token[]): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = 0;
  tokens.forEach((t, i) => {
    if (t.block) depth += t.nesting;
    if (depth === 0) {
      out.push([start, i + 1]);
      start = i + 1;
    }
  });
  if (start < tokens.length) out.push([start, tokens.length]);
  return out;
}

/** The manuscript block whose rendering alone is not well-formed (first line of it), if one is. */
export function locateBadBlock(tokens: Token[], renderer: BookRenderer, file: string): SourcePos | undefined {
  for (const [a, b] of blocks(tokens)) {
    const html = renderer.render(tokens.slice(a, b));
    if (!xmlProblem(`<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">${html}</div>`)) continue;
    const mapped = tokens.slice(a, b).find((t) => t.map);
    return { file, line: mapped?.map ? mapped.map[0] + 1 : 1 };
  }
  return undefined;
}
