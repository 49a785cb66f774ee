/**
 * The one-piece cover for print on demand: back, spine and front on one sheet the size the service's
 * rules give for the final interior page count (print/services.ts), laid out by Chromium from HTML
 * and cover.css like the other covers, so a book restyles it with its own styles/cover.css.
 *
 *   back   the blurb, publisher and identifier, with a white zone for the barcode (KDP, IngramSpark, Lulu)
 *   spine  title and author, only from the service's minimum page count; read top to bottom in English
 *          (the spine of a book lying face up), bottom to top in the continental languages
 *   front  the cover image (full bleed, title band) or the typographic cover
 *
 * A second print of the same page with the guides drawn over it (trim, folds, safe zones, barcode
 * zone) is the proof file <slug>-cover-guides.pdf; the print file never carries them.
 */
import type { Browser } from 'puppeteer-core';
import type { Book } from '../../model/types.js';
import { escapeHtml } from '../../render/base.js';
import { readTheme } from '../../styles.js';
import { SERVICE_RULES, type CoverSpread } from '../../print/services.js';
import type { BuildContext } from '../target.js';
import { coverSections, printFixedDocument } from './cover.js';
import type { ServedFiles } from './server.js';

const pt = (inches: number) => `${Math.round(inches * 72 * 1000) / 1000}pt`;

/** Languages whose spines read bottom to top (the continental European habit). */
const SPINE_UPWARD = new Set(['de', 'fr', 'es', 'it', 'ru', 'uk', 'pl', 'cs', 'nl', 'sv', 'da', 'no', 'nb', 'fi', 'pt', 'hu', 'be', 'bg', 'sr', 'hr', 'kk']);

/**
 * The theme's night blue (#23304a) comes out of Ghostscript's CMYK conversion at 254 % ink, over
 * IngramSpark's 240 %; this lighter one is 10 points under it. Services with a low ink limit get it.
 */
const LOW_INK_GROUND = '#2b3a57';

export interface PodCoverSpec {
  book: Book;
  spread: CoverSpread;
  fontFaces: string;
  coverUrl?: string;
  /** URL of the publisher's logo variant (book.meta.logo), printed on the back above the imprint. */
  logoUrl?: string;
  /** Right-to-left books put the front cover on the left of the sheet. */
  rtl?: boolean;
}

export function podCoverHtml(spec: PodCoverSpec, guides: boolean): string {
  const { book, spread } = spec;
  const rules = SERVICE_RULES[spread.service];
  const m = book.meta;
  const e = escapeHtml;
  const { front, back } = coverSections(spec);
  const lang = m.lang.split('-')[0]!.toLowerCase();
  const upward = SPINE_UPWARD.has(lang);
  const spineWords = [e(m.title), m.authors.length ? `<span class="spine-author">${m.authors.map(e).join(', ')}</span>` : ''].filter(Boolean).join('<span class="spine-gap"></span>');
  const spine = `<section class="cover-spine${upward ? ' upward' : ''}" id="cover-spine">${spread.spineText ? `<p class="spine-text">${spineWords}</p>` : ''}</section>`;
  const panel = spread.trimWidthIn + spread.bleedIn;
  const bc = rules.barcode;
  const barcode = bc
    ? `<div class="barcode-zone" style="width:${pt(bc.widthIn)};height:${pt(bc.heightIn)};bottom:${pt(spread.bleedIn + bc.fromBottomIn)};${spec.rtl ? 'left' : 'right'}:${pt(bc.fromSpineIn)}"></div>`
    : '';
  const logo = spec.logoUrl ? `<img class="cover-logo" src="${e(spec.logoUrl)}" alt="">` : '';
  const backWithZone = back.replace(/<\/section>$/, `${logo}${barcode}\n</section>`);
  const guideLayer = guides
    ? `<div class="guides">
<div class="guide trim" style="left:${pt(spread.bleedIn)};top:${pt(spread.bleedIn)};right:${pt(spread.bleedIn)};bottom:${pt(spread.bleedIn)}"></div>
<div class="guide fold" style="left:${pt(panel)}"></div>
<div class="guide fold" style="left:${pt(panel + spread.spineIn)}"></div>
<div class="guide safe" style="left:${pt(spread.bleedIn + rules.coverSafeIn)};top:${pt(spread.bleedIn + rules.coverSafeIn)};width:${pt(spread.trimWidthIn - 2 * rules.coverSafeIn)};bottom:${pt(spread.bleedIn + rules.coverSafeIn)}"></div>
<div class="guide safe" style="left:${pt(panel + spread.spineIn + rules.coverSafeIn)};top:${pt(spread.bleedIn + rules.coverSafeIn)};width:${pt(spread.trimWidthIn - 2 * rules.coverSafeIn)};bottom:${pt(spread.bleedIn + rules.coverSafeIn)}"></div>
${spread.spineIn > 2 * rules.spineSafeIn ? `<div class="guide safe" style="left:${pt(panel + rules.spineSafeIn)};top:${pt(spread.bleedIn + rules.coverSafeIn)};width:${pt(spread.spineIn - 2 * rules.spineSafeIn)};bottom:${pt(spread.bleedIn + rules.coverSafeIn)}"></div>` : ''}
<p class="guide-note">${e(`${rules.name}: ${spread.pages} pages on ${spread.paper} paper, spine ${spread.spineIn.toFixed(3)} in, sheet ${spread.widthIn.toFixed(3)} × ${spread.heightIn.toFixed(3)} in — proof only, not for print`)}</p>
</div>`
    : '';
  const panels = spec.rtl ? [front, spine, backWithZone] : [backWithZone, spine, front];
  return `<!DOCTYPE html>
<html lang="${e(m.lang)}"${spec.rtl ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<title>${e(m.title)}</title>
<style>
${spec.fontFaces}
@page { size: ${pt(spread.widthIn)} ${pt(spread.heightIn)}; margin: 0; }
:root {${rules.inkLimit < 260 ? ` --cover-ground: ${LOW_INK_GROUND};` : ''} --trim-width: ${pt(spread.trimWidthIn)}; --trim-height: ${pt(spread.trimHeightIn)}; --bleed: ${pt(spread.bleedIn)}; --paper-width: ${pt(panel)}; --paper-height: ${pt(spread.heightIn)}; --spine-width: ${pt(spread.spineIn)}; }
${readTheme(book, 'cover.css')}
.pod-spread { position: relative; display: flex; flex-direction: row; direction: ltr; width: ${pt(spread.widthIn)}; height: ${pt(spread.heightIn)}; overflow: hidden; }
.pod-spread .cover-page { break-after: auto; flex: none; }
.cover-spine { flex: none; width: var(--spine-width); height: var(--paper-height); background: var(--cover-ground, #23304a); color: #f6f1e4; display: flex; align-items: center; justify-content: center; overflow: hidden; }
.spine-text { writing-mode: vertical-rl; margin: 0; white-space: nowrap; font-weight: 600; font-size: min(calc(0.5 * var(--spine-width)), 13pt); letter-spacing: 0.03em; }
.cover-spine.upward .spine-text { transform: rotate(180deg); }
.spine-gap { display: inline-block; height: 1.5em; }
.spine-author { font-weight: 400; }
.barcode-zone { position: absolute; background: #ffffff; }
.cover-logo { position: absolute; left: calc(var(--bleed) + ${pt(rules.coverSafeIn)} + 0.1in); bottom: calc(var(--bleed) + ${pt(rules.coverSafeIn)} + 0.1in); max-width: 1.2in; max-height: 0.6in; }
.guides { position: absolute; inset: 0; }
.guide { position: absolute; box-sizing: border-box; }
.guide.trim { border: 0.5pt dashed #e0007a; }
.guide.fold { top: 0; bottom: 0; width: 0; border-left: 0.5pt dashed #e0007a; }
.guide.safe { border: 0.5pt solid #00a0e0; }
.guide-note { position: absolute; left: ${pt(spread.bleedIn + 0.05)}; top: ${pt(spread.bleedIn + 0.03)}; margin: 0; font: 7pt sans-serif; color: #e0007a; background: #ffffff; }
</style>
</head>
<body>
<div class="pod-spread">
${panels.join('\n')}
${guideLayer}
</div>
</body>
</html>
`;
}

/** The print file and the guides proof, one sheet each. */
export async function layOutPodCover(ctx: BuildContext, browser: Browser, files: ServedFiles, spec: PodCoverSpec): Promise<{ cover: Uint8Array; guides: Uint8Array }> {
  const cover = await printFixedDocument(ctx, browser, files, podCoverHtml(spec, false), 'print-on-demand cover');
  const guides = await printFixedDocument(ctx, browser, files, podCoverHtml(spec, true), 'print-on-demand cover guides');
  return { cover, guides };
}
