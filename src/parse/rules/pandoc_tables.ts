/**
 * pandoc_tables: the table syntaxes of Pandoc's Markdown that markdown-it lacks, as a block rule that
 * emits markdown-it's own table tokens (so every target renders them like pipe tables):
 *   grid tables       +---+---+ borders, a +===+ line under the header, cells holding blocks (lists,
 *                     several paragraphs); alignment from colons in the header or first border
 *   simple tables     a header line over a line of dashes per column (two or more columns), rows of
 *                     one line, ended by a blank line; headerless when a dashed line opens and closes it
 *   multiline tables  opened and closed by a full dashed line, rows separated by blank lines (two or
 *                     more columns)
 * and table captions for every kind, pipe tables too: a paragraph starting `Table:` or `:` just before
 * or after the table becomes its <caption>. Alignment in simple and multiline tables comes from where
 * the header text sits over its dashes, as in Pandoc. Not supported: row and column spans in grid tables
 * (such a table stays text), and East Asian wide characters in grid and column layouts (columns are
 * counted in characters, not display cells).
 */
import type { MarkdownIt, StateBlock, Token } from 'markdown-it';

type Align = '' | 'left' | 'right' | 'center';

interface Cell {
  /** Cell text, lines joined with \n. */
  text: string;
  /** 0-based source line of the cell's first line. */
  line: number;
  /** Grid cells hold blocks; the others a line of inline text. */
  blocks: boolean;
}

interface Table {
  aligns: Align[];
  head?: Cell[];
  rows: Cell[][];
  /** First line after the table. */
  end: number;
}

const CAPTION = /^(?:[Tt]able)?:\s/;

const lineAt = (s: StateBlock, n: number): string => s.src.slice(s.bMarks[n]! + s.tShift[n]! - Math.min(s.tShift[n]!, s.sCount[n]!), s.eMarks[n]);
const isBlank = (s: StateBlock, n: number): boolean => n >= s.lineMax || s.bMarks[n]! + s.tShift[n]! >= s.eMarks[n]!;

/** Dash segments of a column line (`---  ----- --`): [start, end) of each, or undefined. */
function dashSegments(line: string): [number, number][] | undefined {
  if (!/^ *-+( +-+)* *$/.test(line)) return undefined;
  return [...line.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length]);
}

/** Cuts a line into columns that start where the dash segments start (the last runs to the end). */
function cut(line: string, segs: [number, number][]): string[] {
  return segs.map(([start], i) => line.slice(start, i + 1 < segs.length ? segs[i + 1]![0] : undefined));
}

/**
 * Pandoc's rule for simple and multiline tables: of the column's header texts (cut at the dash
 * starts), the shortest; space before it and it shorter than the dashes: center; space before only:
 * right; shorter only: left; neither: default.
 */
function alignOf(lines: string[], segs: [number, number][], i: number): Align {
  const texts = lines.map((l) => (cut(l, segs)[i] ?? '').trimEnd()).filter(Boolean).sort((a, b) => a.length - b.length);
  const x = texts[0];
  if (x === undefined) return '';
  const spaceLeft = /^\s/.test(x);
  const shorter = x.length < segs[i]![1] - segs[i]![0];
  return spaceLeft && shorter ? 'center' : spaceLeft ? 'right' : shorter ? 'left' : '';
}

function columnCells(lines: string[], segs: [number, number][], line: number): Cell[] {
  const cols = segs.map(() => [] as string[]);
  for (const l of lines) cut(l, segs).forEach((c, i) => cols[i]!.push(c.trim()));
  return cols.map((c) => ({ text: c.filter(Boolean).join('\n'), line, blocks: false }));
}

/** A simple table at `start` (header over dashes), or a headerless one (dashes, rows, dashes). */
function simpleTable(s: StateBlock, start: number, end: number): Table | undefined {
  const first = lineAt(s, start);
  let segs = dashSegments(first);
  let head: string[] | undefined;
  let rowStart: number;
  if (segs) {
    // Headerless: a dashed line of two or more columns; rows; a closing dashed line.
    if (segs.length < 2) return undefined;
    rowStart = start + 1;
  } else {
    if (start + 1 >= end) return undefined;
    segs = dashSegments(lineAt(s, start + 1));
    if (!segs || segs.length < 2 || !first.trim()) return undefined;
    head = [first];
    rowStart = start + 2;
  }
  const rows: string[] = [];
  let n = rowStart;
  for (; n < end && !isBlank(s, n); n++) {
    if (!head && dashSegments(lineAt(s, n))) break;
    rows.push(lineAt(s, n));
  }
  if (!head) {
    // Needs its closing dashed line and at least one row.
    if (n >= end || !dashSegments(lineAt(s, n)) || rows.length === 0) return undefined;
    n++;
  } else if (head && rows.length === 0) return undefined;
  const alignLines = head ?? rows.slice(0, 1);
  const aligns = segs.map((_, i) => alignOf(alignLines, segs!, i));
  return {
    aligns,
    head: head ? columnCells(head, segs, start) : undefined,
    rows: rows.map((r, i) => columnCells([r], segs!, rowStart + i)),
    end: n,
  };
}

/** A multiline table: a full dashed line, header lines, column dashes, rows separated by blank lines, a dashed line. */
function multilineTable(s: StateBlock, start: number, end: number): Table | undefined {
  const top = lineAt(s, start);
  if (!/^ *-{3,} *$/.test(top)) return undefined;
  // Header lines up to the column line.
  let n = start + 1;
  const head: string[] = [];
  for (; n < end && !isBlank(s, n) && !dashSegments(lineAt(s, n)); n++) head.push(lineAt(s, n));
  if (n >= end || isBlank(s, n)) return undefined;
  const segs = dashSegments(lineAt(s, n))!;
  // Two columns at least: a one-column "table" between two rules is far more often an <hr>, a setext
  // heading and text (Pandoc would read a one-column multiline table here; samizdat does not).
  if (segs.length < 2) return undefined;
  const rowsStart = ++n;
  const rows: { lines: string[]; line: number }[] = [];
  let current: { lines: string[]; line: number } | undefined;
  for (; n < end; n++) {
    if (isBlank(s, n)) {
      current = undefined;
      continue;
    }
    const l = lineAt(s, n);
    if (/^ *-{3,} *$/.test(l) && (n + 1 >= end || isBlank(s, n + 1))) break;
    if (!current) rows.push((current = { lines: [], line: n }));
    current.lines.push(l);
  }
  if (n >= end || rows.length === 0 || n === rowsStart) return undefined;
  const alignLines = head.length ? head : rows[0]!.lines;
  return {
    aligns: segs.map((_, i) => alignOf(alignLines, segs, i)),
    head: head.length ? columnCells(head, segs, start + 1) : undefined,
    rows: rows.map((r) => columnCells(r.lines, segs, r.line)),
    end: n + 1,
  };
}

/** A grid table: + borders at the same places on every line; no spans. */
function gridTable(s: StateBlock, start: number, end: number): Table | undefined {
  const top = lineAt(s, start).trimEnd();
  if (!/^\+([-:=]+\+)+$/.test(top)) return undefined;
  const bounds = [...top.matchAll(/\+/g)].map((m) => m.index);
  const separator = (l: string, ch: string) =>
    l.length === top.length && bounds.every((b) => l[b] === '+') && bounds.slice(1).every((b, i) => new RegExp(`^[${ch}:]+$`).test(l.slice(bounds[i]! + 1, b)));
  const alignsFrom = (l: string): Align[] =>
    bounds.slice(1).map((b, i) => {
      const seg = l.slice(bounds[i]! + 1, b);
      const L = seg.startsWith(':');
      const R = seg.endsWith(':');
      return L && R ? 'center' : L ? 'left' : R ? 'right' : '';
    });
  let aligns = alignsFrom(top);
  let head: Cell[] | undefined;
  const rows: Cell[][] = [];
  let lines: string[] = [];
  let rowLine = start + 1;
  let n = start + 1;
  for (; n < end; n++) {
    const l = lineAt(s, n).trimEnd();
    if (l.startsWith('|')) {
      if (l.length !== top.length || !bounds.every((b) => l[b] === '|')) return undefined;
      if (lines.length === 0) rowLine = n;
      lines.push(l);
      continue;
    }
    const isHead = separator(l, '=');
    if (!isHead && !separator(l, '-')) break;
    if (lines.length === 0) return undefined;
    const cells = bounds.slice(1).map((b, i): Cell => {
      const texts = lines.map((x) => x.slice(bounds[i]! + 1, b).trimEnd());
      const indent = Math.min(...texts.filter((t) => t.trim()).map((t) => t.search(/\S/)));
      return { text: texts.map((t) => t.slice(Number.isFinite(indent) ? indent : 0)).join('\n').trim(), line: rowLine, blocks: true };
    });
    if (isHead) {
      if (head || rows.length) return undefined;
      head = cells;
      aligns = alignsFrom(l);
    } else rows.push(cells);
    lines = [];
  }
  if (lines.length || (rows.length === 0 && !head)) return undefined;
  return { aligns, head, rows, end: n };
}

/** A paragraph starting `Table:` or `:` at `start`: its text and the line after it. */
function caption(s: StateBlock, start: number, end: number): { text: string; line: number; end: number } | undefined {
  if (start >= end || isBlank(s, start) || s.sCount[start]! - s.blkIndent >= 4) return undefined;
  const first = lineAt(s, start).trim();
  if (!CAPTION.test(first + ' ')) return undefined;
  const parts = [first.replace(/^(?:[Tt]able)?:\s*/, '')];
  let n = start + 1;
  for (; n < end && !isBlank(s, n); n++) parts.push(lineAt(s, n).trim());
  return { text: parts.join('\n').trim(), line: start, end: n };
}

export function pandocTablesPlugin(md: MarkdownIt): void {
  const rules = (md.block.ruler as unknown as { __rules__: { name: string; fn: (s: StateBlock, a: number, b: number, silent: boolean) => boolean }[] }).__rules__;
  const pipeTable = rules.find((r) => r.name === 'table')!.fn;

  /** Emits a parsed table's tokens. */
  const emit = (s: StateBlock, t: Table, start: number): void => {
    const open = s.push('table_open', 'table', 1);
    open.map = [start, t.end];
    const section = (cells: Cell[][], tag: 'th' | 'td', wrap: 'thead' | 'tbody') => {
      s.push(`${wrap}_open`, wrap, 1).map = [cells[0]![0]!.line, t.end];
      for (const row of cells) {
        s.push('tr_open', 'tr', 1).map = [row[0]!.line, row[0]!.line + 1];
        row.forEach((cell, i) => {
          const c = s.push(`${tag}_open`, tag, 1);
          c.map = [cell.line, cell.line + 1];
          if (t.aligns[i]) c.attrs = [['style', `text-align:${t.aligns[i]}`]];
          cellContent(s, cell);
          s.push(`${tag}_close`, tag, -1);
        });
        s.push('tr_close', 'tr', -1);
      }
      s.push(`${wrap}_close`, wrap, -1);
    };
    if (t.head) section([t.head], 'th', 'thead');
    if (t.rows.length) section(t.rows, 'td', 'tbody');
    s.push('table_close', 'table', -1);
  };

  /** Inserts a caption right after the table_open at `at`. */
  const addCaption = (s: StateBlock, at: number, cap: { text: string; line: number }) => {
    const T = s.tokens[at]!.constructor as new (type: string, tag: string, nesting: -1 | 0 | 1) => Token;
    const level = s.tokens[at]!.level + 1;
    const open = Object.assign(new T('caption_open', 'caption', 1), { block: true, level, map: [cap.line, cap.line + 1] });
    const inline = Object.assign(new T('inline', '', 0), { content: cap.text, children: [], level: level + 1, map: [cap.line, cap.line + 1] });
    const close = Object.assign(new T('caption_close', 'caption', -1), { block: true, level });
    s.tokens.splice(at + 1, 0, open, inline, close);
  };

  /** Any kind of table at `start`: tokens pushed, state.line after it; false when there is none. */
  const anyTable = (s: StateBlock, start: number, end: number): boolean => {
    if (s.sCount[start]! - s.blkIndent >= 4) return false;
    const t = gridTable(s, start, end) ?? multilineTable(s, start, end) ?? simpleTable(s, start, end);
    if (t) {
      emit(s, t, start);
      s.line = t.end;
      return true;
    }
    return pipeTable(s, start, end, false);
  };

  md.block.ruler.before('table', 'pandoc_tables', (s, start, end, silent) => {
    if (silent) return false;
    const before = caption(s, start, end);
    if (before) {
      let t = before.end;
      while (t < end && isBlank(s, t)) t++;
      if (t >= end || t - before.end > 1) return false;
      const at = s.tokens.length;
      if (!anyTable(s, t, end)) return false;
      addCaption(s, at, before);
      return true;
    }
    const at = s.tokens.length;
    if (!anyTable(s, start, end)) return false;
    let n = s.line;
    while (n < end && isBlank(s, n)) n++;
    const after = n - s.line <= 1 ? caption(s, n, end) : undefined;
    if (after) {
      addCaption(s, at, after);
      s.line = after.end;
    }
    return true;
  });

  /** A cell's content: one line of inline text, or (grid) blocks, a lone paragraph as plain text. */
  function cellContent(s: StateBlock, cell: Cell): void {
    if (!cell.text) return;
    if (!cell.blocks) {
      const inline = s.push('inline', '', 0);
      inline.content = cell.text;
      inline.map = [cell.line, cell.line + 1];
      inline.children = [];
      return;
    }
    const inner: Token[] = [];
    s.md.block.parse(cell.text, s.md, s.env, inner);
    const plain = inner.length === 3 && inner[0]!.type === 'paragraph_open';
    for (const tok of plain ? [inner[1]!] : inner) {
      tok.level += s.level;
      if (tok.map) tok.map = [tok.map[0] + cell.line, tok.map[1] + cell.line];
      s.tokens.push(tok);
    }
  }
}
