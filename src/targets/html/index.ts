/** The web edition: one self-contained HTML page (CSS inlined), its image variants copied beside it. */
import fs from 'node:fs';
import type { Target } from '../target.js';
import { readTheme } from '../../styles.js';
import { imageVariants } from '../../assets/images.js';
import { renderWebPage } from './page.js';
import { webImagePath } from './rules.js';

export const htmlTarget: Target = {
  format: 'html',
  async build(ctx) {
    const { book, stage } = ctx;
    const variants = await imageVariants(ctx, 'html');
    const css = readTheme(book, 'web.css');
    stage.write(`${book.meta.slug}.html`, renderWebPage(book, css, variants), 'html');
    for (const v of variants.values()) {
      fs.copyFileSync(v.file, stage.path(webImagePath(v)));
      stage.add(webImagePath(v), v.mediaType);
    }
  },
};
