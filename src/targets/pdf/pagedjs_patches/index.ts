/**
 * Fixes to Paged.js 0.4.3 that its handler API cannot reach (they are inside its Layout and Footnotes
 * classes), applied as string replacements to a copy of paged.polyfill.js when a build loads it. Each
 * patch names the exact original text it replaces; if that text is not found exactly once (another
 * Paged.js version) the build stops with a clear error instead of laying out a wrong book.
 *
 * SAMIZDAT_PAGEDJS_SKIP=name,name leaves patches out (to see a trap again, and for tests that prove
 * each patch is needed). The book-level workarounds that need no patch are in ../pagedjs_fixes.ts.
 */
import fs from 'node:fs';
import { BuildError } from '../../../diagnostics.js';
import { packageFile } from '../../../util/package_files.js';

export const POLYFILL = packageFile('pagedjs', 'dist/paged.polyfill.js');

export interface Patch {
  name: string;
  why: string;
  find: string;
  replace: string;
}

export const PATCHES: Patch[] = [
  {
    name: 'hyphen-at-page-break',
    why:
      'A word the browser hyphenated across the last line of a page was cut a letter or more past the ' +
      'hyphenation point ("journ‑" / "al" instead of "jour‑" / "nal"): the break now goes to the soft ' +
      'hyphen where the line broke.',
    find: `						if (left >= end || top >= vEnd) {
							offset = letter.startOffset;
							done = true;

							break;
						}`,
    replace: `						if (left >= end || top >= vEnd) {
							offset = letter.startOffset;
							// samizdat patch hyphen-at-page-break
							{
								const text = word.startContainer.textContent;
								const soft = text.lastIndexOf("\\u00AD", offset - 1);
								if (soft >= word.startOffset) offset = soft + 1;
							}
							done = true;

							break;
						}`,
  },
  {
    name: 'note-with-its-call',
    why:
      'When the notes already on a page left no room for even the first line of the next note, the ' +
      'note went whole to the following page while its call stayed behind. Now the line with the call ' +
      'goes to the next page too (its note follows it there). Also when the first line fits but ' +
      'orphans/widows in the note columns would send the note whole to the next page, and when the ' +
      'room "just before the call" is less than the note area\'s own margin and padding (Paged.js then ' +
      'sets a negative height, which the browser ignores, so the room is computed, not measured).',
    find: `				// set height to just before note call
				pageArea.style.setProperty(
					"--pagedjs-footnotes-height",
					\`\${noteAreaBounds.height + notePolicyDelta}px\`
				);
				noteInnerContent.style.height =
					noteAreaBounds.height + notePolicyDelta - total + "px";
			}`,
    replace: `				// set height to just before note call
				pageArea.style.setProperty(
					"--pagedjs-footnotes-height",
					\`\${noteAreaBounds.height + notePolicyDelta}px\`
				);
				noteInnerContent.style.height =
					noteAreaBounds.height + notePolicyDelta - total + "px";
				// samizdat patch note-with-its-call
				{
					const innerBottom = noteInnerContent.getBoundingClientRect().bottom;
					const lineHeight = parseFloat(window.getComputedStyle(node).lineHeight) || 12;
					const noteTop = node.getBoundingClientRect().top;
					// The top of the call's line: the text just before the call, else the call itself.
					let lineTop = noteCall.getBoundingClientRect().top;
					const before = noteCall.previousSibling;
					if (before && before.nodeType === 3 && before.textContent.length) {
						const r = document.createRange();
						r.setStart(before, before.textContent.length - 1);
						r.setEnd(before, before.textContent.length);
						const rects = r.getClientRects();
						if (rects.length) lineTop = rects[rects.length - 1].top;
					}
					const contentTop = area.getBoundingClientRect().top;
					// Room for the notes' text; a negative height set above is ignored, so innerBottom cannot tell.
					const room = noteAreaBounds.height + notePolicyDelta - total;
					let noRoom = room < lineHeight || noteTop + lineHeight > innerBottom + 0.5;
					if (!noRoom) {
						// A first line may fit and still not stay: afterPageLayout sets the notes in columns
						// and orphans/widows can send a short note whole to the next column (page). Ask the
						// same columns where the note's first letter goes.
						const inner = noteInnerContent.style;
						const saved = [inner.columnWidth, inner.columnGap];
						const box = noteContent.getBoundingClientRect();
						inner.columnWidth = Math.round(box.width) + "px";
						inner.columnGap = "calc(var(--pagedjs-margin-right) + var(--pagedjs-margin-left))";
						const texts = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
						let t = texts.nextNode();
						while (t && !t.textContent.trim()) t = texts.nextNode();
						if (t) {
							const r = document.createRange();
							const at = t.textContent.search(/\\S/);
							r.setStart(t, at);
							r.setEnd(t, at + 1);
							const first = r.getBoundingClientRect();
							noRoom = Math.round(first.left) >= Math.round(box.right) || Math.round(first.top) >= Math.round(box.bottom);
						}
						inner.columnWidth = saved[0];
						inner.columnGap = saved[1];
					}
					if (noRoom && lineTop > contentTop + lineHeight) {
						const delta = Math.floor(noteAreaBounds.top) - Math.floor(lineTop) + 1;
						pageArea.style.setProperty("--pagedjs-footnotes-height", \`\${noteAreaBounds.height + delta}px\`);
						noteInnerContent.style.height = noteAreaBounds.height + delta - total + "px";
					}
				}
			}`,
  },
  {
    name: 'note-area-never-grows',
    why:
      'Text next to a footnote call vanished at a page break, the call with it: when a note did not fit ' +
      'at the foot of its page, Paged.js moved it on after the page\'s text had been laid out and then ' +
      'recomputed the note area\'s height from what was left, counting the area\'s margin and padding ' +
      'even with no note left in it. The area grew (from the 2 px left before the call to 21 px), the ' +
      'page\'s last lines slid into the hidden column past the page, and the next page started after ' +
      'them. Now an emptied note area takes no room and the area never grows past the height the ' +
      'text was laid out with.',
    find: `				pageArea.style.setProperty(
					"--pagedjs-footnotes-height",
					\`\${height + noteContentMargins + noteContentBorders + noteContentPadding}px\`
				);`,
    replace: `				// samizdat patch note-area-never-grows
				{
					const laidOutWith = parseFloat(pageArea.style.getPropertyValue("--pagedjs-footnotes-height"));
					let now = noteInnerContent.childNodes.length === 0
						? 0
						: height + noteContentMargins + noteContentBorders + noteContentPadding;
					if (laidOutWith >= 0 && now > laidOutWith) now = laidOutWith;
					pageArea.style.setProperty("--pagedjs-footnotes-height", \`\${now}px\`);
				}`,
  },
  {
    name: 'hyphen-in-split-note',
    why:
      'A note split across pages was cut inside a hyphenated word with no hyphen printed ("library sta" / ' +
      '"tion"): the note area break now gets the same hyphen as a break in the text.',
    find: `				let extracted = overflow.extractContents();

				if (!startIsNode) {`,
    replace: `				let extracted = overflow.extractContents();
				// samizdat patch hyphen-in-split-note
				layout.hyphenateAtBreak(startContainer, (extracted.textContent || "")[0]);

				if (!startIsNode) {`,
  },
  {
    name: 'escape-id-selector',
    why:
      'target-counter() and target-text() look the link target up with querySelector("#" + id) after ' +
      'their own escaping, which escapes a digit only at the very start of the string, so "#1-introduction" ' +
      '(a numbered chapter\'s id) is an invalid selector and the layout throws. An id selector is now ' +
      'escaped with the browser\'s CSS.escape.',
    find: `	function querySelectorEscape(value) {
		if (arguments.length == 0) {
			throw new TypeError("\`CSS.escape\` requires an argument.");
		}
		var string = String(value);
`,
    replace: `	function querySelectorEscape(value) {
		if (arguments.length == 0) {
			throw new TypeError("\`CSS.escape\` requires an argument.");
		}
		var string = String(value);
		// samizdat patch escape-id-selector
		if (string.charAt(0) == "#" && string.length > 1) return "#" + CSS.escape(string.slice(1));
`,
  },
  {
    name: 'float-hook',
    why:
      'Figures float during the one layout pass (floats.ts): before the walker lays out a node on a page ' +
      'that already has content, window.__samizdatFloat may move a figure later in the source (past the ' +
      'next paragraph) and say where the walk goes on, so the text fills the page instead of a hole.',
    find: `				this.hooks && this.hooks.layoutNode.trigger(node);
`,
    replace: `				this.hooks && this.hooks.layoutNode.trigger(node);
				// samizdat patch float-hook
				if (hasRenderedContent && typeof window.__samizdatFloat === "function") {
					const resume = await window.__samizdatFloat(node, wrapper, source);
					if (resume) {
						walker = walk$2(resume, source);
						continue;
					}
				}
`,
  },
  {
    name: 'hyphen-never-wraps',
    why:
      'The hyphen Paged.js adds to the last word of a page ("rib-" of "rib-|bon") can make that line ' +
      'one hyphen too long: it wrapped, and with widows: 2 took the line before it along into the ' +
      'hidden overflow, so a whole line of text was silently lost at the foot of the page (chapter 7 of ' +
      'the generated book with seed 2 and no figures). When the added hyphen would wrap, the spaces of ' +
      'that last line are narrowed just enough for it, and the line stays.',
    find: `\t\t\t\t\tstartContainer.parentNode.classList.add("pagedjs_hyphen");
\t\t\t\t\tstartContainer.textContent += this.settings.hyphenGlyph || "\\u2011";`,
    replace: `\t\t\t\t\tstartContainer.parentNode.classList.add("pagedjs_hyphen");
\t\t\t\t\t// samizdat patch hyphen-never-wraps
\t\t\t\t\tconst hyphenGlyph = this.settings.hyphenGlyph || "\\u2011";
\t\t\t\t\tconst before = startContainer.textContent;
\t\t\t\t\tconst at = (node, i) => {
\t\t\t\t\t\tconst r = document.createRange();
\t\t\t\t\t\tr.setStart(node, i);
\t\t\t\t\t\tr.setEnd(node, i + 1);
\t\t\t\t\t\treturn r.getBoundingClientRect();
\t\t\t\t\t};
\t\t\t\t\tconst where = (node, i) => { const b = at(node, i); return Math.round(b.left) + "," + Math.round(b.top); };
\t\t\t\t\tconst last = before.length - 1;
\t\t\t\t\tconst was = where(startContainer, last);
\t\t\t\t\tstartContainer.textContent = before + hyphenGlyph;
\t\t\t\t\tif (last >= 0 && where(startContainer, last) !== was) {
\t\t\t\t\t\t// The last line without the hyphen: from the first letter on the same line as the last one.
\t\t\t\t\t\tstartContainer.textContent = before;
\t\t\t\t\t\tconst top = Math.round(at(startContainer, last).top);
\t\t\t\t\t\tlet start = last;
\t\t\t\t\t\twhile (start > 0 && Math.abs(Math.round(at(startContainer, start - 1).top) - top) <= 1) start--;
\t\t\t\t\t\tconst lineText = before.slice(start);
\t\t\t\t\t\tconst spaces = (lineText.match(/ /g) || []).length;
\t\t\t\t\t\tif (spaces > 0) {
\t\t\t\t\t\t\tconst tail = start > 0 ? startContainer.splitText(start) : startContainer;
\t\t\t\t\t\t\tconst squeeze = document.createElement("span");
\t\t\t\t\t\t\tsqueeze.className = "samizdat-squeezed-line";
\t\t\t\t\t\t\ttail.replaceWith(squeeze);
\t\t\t\t\t\t\tsqueeze.appendChild(tail);
\t\t\t\t\t\t\tconst probe = document.createElement("span");
\t\t\t\t\t\t\tprobe.textContent = hyphenGlyph;
\t\t\t\t\t\t\tprobe.style.whiteSpace = "nowrap";
\t\t\t\t\t\t\tsqueeze.appendChild(probe);
\t\t\t\t\t\t\tconst width = probe.getBoundingClientRect().width;
\t\t\t\t\t\t\tprobe.remove();
\t\t\t\t\t\t\ttail.textContent = lineText + hyphenGlyph;
\t\t\t\t\t\t\tsqueeze.style.wordSpacing = "-" + ((width + 1) / spaces).toFixed(2) + "px";
\t\t\t\t\t\t} else {
\t\t\t\t\t\t\tstartContainer.textContent = before + hyphenGlyph;
\t\t\t\t\t\t}
\t\t\t\t\t}`,
  },
];

/** Paged.js settings: the hyphen added at a break is the text font's own hyphen, not U+2011 (missing from most fonts). */
export const PAGED_SETTINGS = { hyphenGlyph: '-' };

const cache = new Map<string, string>();

/** The polyfill's source with the patches applied (all but those named in `skip`). */
export function patchedPolyfill(skip: string[] = skipFromEnv()): string {
  const key = skip.slice().sort().join(',');
  const hit = cache.get(key);
  if (hit) return hit;
  let src = fs.readFileSync(POLYFILL, 'utf8');
  for (const p of PATCHES) {
    if (skip.includes(p.name)) continue;
    const count = src.split(p.find).length - 1;
    if (count !== 1) {
      throw new BuildError(
        `cannot apply the Paged.js patch "${p.name}": its original text occurs ${count} times in ${POLYFILL} (expected once; is pagedjs still 0.4.3?)`,
      );
    }
    src = src.replace(p.find, () => p.replace);
  }
  cache.set(key, src);
  return src;
}

export function skipFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['SAMIZDAT_PAGEDJS_SKIP'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
