/** Fidelity report of a built book PDF against its model (used by tests/longbook.test.ts and by hand). */
import { prepare } from '../../src/build.js';
import type { Book } from '../../src/model/types.js';
import { compareWords, expectedText, firstDifference, indexOfSeq, joinLines, notePieces, pageRegions, splitCalls, tokens, type PageRegions, type NotePiece } from './book_text.js';

export interface Fidelity {
  regions: PageRegions[];
  /** First page of the chapters. */
  start: number;
  bodyDiff?: string;
  /** Words whose f-ligature lost a letter in the text layer only (see compareWords). */
  ligatureSlips: string[];
  bodyWords: number;
  expectedWords: number;
  /** Note number → page of its call. */
  callPages: Map<number, number>;
  callProblems: string[];
  markers: number[];
  pieces: NotePiece[];
  noteProblems: string[];
}

export function checkFidelity(book: Book, pdf: string): Fidelity {
  const regions = pageRegions(pdf);
  const want = expectedText(book);
  const pageTokens = regions.map((r) => tokens(r.body));
  const all = pageTokens.flat();
  const owner = pageTokens.flatMap((t, i) => t.map(() => i + 1));
  const at = indexOfSeq(all, want.body.slice(0, 12));
  const start = at < 0 ? 1 : owner[at]!;
  let got = tokens(joinLines(regions.filter((r) => r.page >= start).map((r) => r.body)));
  // Figures float (floats.ts): compare the running text without captions, and find every caption once.
  let body = want.body;
  const captionProblems: string[] = [];
  for (const caption of want.captions) {
    body = withoutSeq(body, caption);
    const before = got.length;
    got = withoutSeq(got, caption);
    if (got.length === before) captionProblems.push(`caption «${caption.join(' ')}» not in the PDF`);
  }
  // Words after the last chapter belong to the back cover (the imposition's covers), not to the text.
  const compared = compareWords(got.slice(0, body.length), body);
  const bodyDiff = compared.diff ?? (captionProblems.length ? captionProblems.join('; ') : undefined);
  const { ligatureSlips } = compared;

  const callPages = new Map<number, number>();
  const callProblems: string[] = [];
  let next = 1;
  for (const r of regions.filter((x) => x.page >= start)) {
    const s = splitCalls(r.calls, next);
    next = s.next;
    if (s.bad.length) callProblems.push(`page ${r.page}: calls ${s.bad.join(', ')} where ${next} was expected`);
    for (const n of s.numbers) {
      if (callPages.has(n)) callProblems.push(`page ${r.page}: second call ${n}`);
      else callPages.set(n, r.page);
    }
  }
  const { pieces, orphans } = notePieces(regions);
  const noteProblems = orphans.map((o) => `page ${o.page}: footnote text outside any note: ${o.text.slice(0, 60)}`);
  const markers = pieces.filter((p) => !p.continued).map((p) => p.number);
  for (const p of pieces) {
    const call = callPages.get(p.number);
    if (!p.continued && call !== p.page) noteProblems.push(`note ${p.number} on page ${p.page}, its call on ${call}`);
    if (p.continued) {
      const prev = pieces[pieces.indexOf(p) - 1];
      if (!prev || prev.number !== p.number || prev.page !== p.page - 1) noteProblems.push(`note ${p.number}: continuation on page ${p.page} does not follow its start`);
    }
  }
  for (const [n, words] of want.notes) {
    const text = joinLines(pieces.filter((p) => p.number === n).map((p) => p.text));
    const d = firstDifference(tokens(text), words);
    if (d) noteProblems.push(`note ${n}: ${d}`);
  }
  return { regions, start, bodyDiff, ligatureSlips, bodyWords: got.length, expectedWords: want.body.length, callPages, callProblems, markers, pieces, noteProblems };
}

if (process.argv[1] && process.argv[1].endsWith('check_book.ts')) {
  const [dir, pdf] = process.argv.slice(2);
  const { book } = prepare(dir!);
  const f = checkFidelity(book, pdf!);
  const markersOk = f.markers.every((m, i) => m === i + 1) && f.markers.length === book.notes.length;
  process.stdout.write(
    JSON.stringify(
      {
        start: f.start,
        bodyWords: f.bodyWords,
        expectedWords: f.expectedWords,
        bodyDiff: f.bodyDiff,
        ligatureSlips: f.ligatureSlips,
        calls: f.callPages.size,
        callProblems: f.callProblems,
        markers: f.markers.length,
        markersOk,
        continued: f.pieces.filter((p) => p.continued).map((p) => `${p.number}@${p.page}`),
        noteProblems: f.noteProblems,
      },
      null,
      1,
    ) + '\n',
  );
}

/** `words` with the first occurrence of `seq` taken out (unchanged when it does not occur). */
function withoutSeq(words: string[], seq: string[]): string[] {
  const at = indexOfSeq(words, seq);
  return at < 0 ? words : [...words.slice(0, at), ...words.slice(at + seq.length)];
}
