/** Figure floats, on token streams: what a figure may move past. */
import { describe, expect, it } from 'vitest';
import { createParser } from '../src/parse/markdown.js';
import { Diagnostics } from '../src/diagnostics.js';
import { IdRegistry } from '../src/util/slug.js';
import { applyMoves, floatRoom } from '../src/targets/pdf/floats.js';

function tokensOf(src: string) {
  const env = { file: 'x.md', lines: src.split('\n'), diags: new Diagnostics(), ids: new IdRegistry() };
  return createParser('en').parse(src, env);
}

const outline = (ts: ReturnType<typeof tokensOf>) =>
  ts.filter((t) => ['figure_open', 'paragraph_open', 'heading_open'].includes(t.type)).map((t) => (t.type === 'heading_open' ? t.tag : t.type.replace('_open', '')));

describe('figure floats', () => {
  it('may carry a figure into the next section, past its subheading and first paragraph', () => {
    const tokens = tokensOf('# C\n\n![A](a.png "A.")\n\nOne.\n\n## Sub\n\nTwo.\n\nThree.\n');
    expect(floatRoom([tokens]).get('fig-a')).toBe(2);
    const moved = applyMoves(tokens, new Map([['fig-a', 2]]));
    expect(outline(moved)).toEqual(['h1', 'paragraph', 'h2', 'paragraph', 'figure', 'paragraph']);
    expect(moved).toHaveLength(tokens.length);
  });

  it('never passes a chapter heading, another figure, or a heading without a paragraph under it', () => {
    expect(floatRoom([tokensOf('![A](a.png)\n\n# Next chapter\n\nText.\n')]).get('fig-a')).toBe(0);
    expect(floatRoom([tokensOf('![A](a.png)\n\nOne.\n\n![B](b.png)\n\nTwo.\n')]).get('fig-a')).toBe(1);
    expect(floatRoom([tokensOf('![A](a.png)\n\n## Sub\n\n> quote\n')]).get('fig-a')).toBe(0);
  });
});
