/** The web edition: one self-contained HTML page (CSS inlined), images copied beside it. */
import fs from 'node:fs';
import type { Target } from '../target.js';
import { readTheme } from '../../styles.js';
import { renderWebPage } from './page.js';
import { webAssetPath } from './rules.js';

export const htmlTarget: Target = {
  format: 'html',
  async build(ctx) {
    const { book, stage } = ctx;
    const css = readTheme(book.root, 'web.css');
    stage.write(`${book.meta.slug}.html`, renderWebPage(book, css), 'html');
    for (const asset of book.assets.values()) {
      if (asset.kind !== 'image') continue;
      fs.copyFileSync(asset.path, stage.path(webAssetPath(asset)));
      stage.add(webAssetPath(asset), asset.mediaType);
    }
  },
};
