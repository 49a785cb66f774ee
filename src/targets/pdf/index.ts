/** The print edition: Markdown → print HTML → Paged.js in headless Chromium → PDF finished with pdf-lib. */
import type { Target } from '../target.js';
import type { Section } from '../../model/types.js';
import { imageVariants } from '../../assets/images.js';
import { findChrome, launchChrome } from './chrome.js';
import { fontFaceCss } from './fonts.js';
import { printCss, printHtml } from './html.js';
import { layOut } from './layout.js';
import { finishPdf } from './finish.js';
import { pageCss, parsePageSize } from './page_size.js';
import { FONT_URL, imageUrl } from './server.js';
import { finishPrint } from '../../print/index.js';

const allIds = (sections: Section[]): string[] => sections.flatMap((s) => [s.id, ...allIds(s.children)]);

export const pdfTarget: Target = {
  format: 'pdf',
  async build(ctx) {
    const { book, options } = ctx;
    // Everything that can fail without a browser is checked before one is started.
    const size = parsePageSize(options.pdf.size);
    const chrome = findChrome(options.chrome);
    const variants = await imageVariants(ctx, 'pdf');
    const css = printCss(book.root, fontFaceCss(FONT_URL), pageCss(size, options.pdf.bleed, options.pdf.marks));
    const html = printHtml(book, css, (id) => imageUrl(id, variants.get(id)?.name ?? 'missing'));
    const files = { html, bookRoot: book.root, images: new Map([...variants].map(([id, v]) => [id, v.file])) };

    const running = await launchChrome(chrome, options.pdf.timeoutMs);
    let laid;
    try {
      laid = await layOut(ctx, running.browser, files, allIds(book.outline));
    } finally {
      await running.close();
    }
    const pdf = await finishPdf(laid.pdf, {
      meta: book.meta,
      outline: book.outline,
      headingPages: laid.headingPages,
      sourceDateEpoch: options.sourceDateEpoch,
    });
    ctx.stage.write(`${book.meta.slug}.pdf`, pdf, 'pdf');
    ctx.shared.set('pdf.pages', laid.pages.map(({ page, id, text }) => ({ page, id, text })));
    const blanks = laid.pages.filter((p) => p.blank).length;
    ctx.log.info(`pdf: ${laid.pages.length} pages (${size.label}${blanks ? `, ${blanks} blank for right-hand chapter starts` : ''})`);
    await finishPrint(ctx, `${book.meta.slug}.pdf`);
  },
};
