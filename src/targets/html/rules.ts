/** Renderer rules of the web edition: notes at the end, linked both ways. */
import type { Asset } from '../../model/types.js';
import type { TargetRules } from '../../render/base.js';

export const noteId = (n: number) => `note-${n}`;
export const noteRefId = (n: number, call: number) => (call === 0 ? `noteref-${n}` : `noteref-${n}-${call + 1}`);

export function webAssetPath(asset: Asset): string {
  return asset.relPath.startsWith('images/') ? asset.relPath : `assets/${asset.relPath}`;
}

/** Where the web edition puts an image variant: `images/<stable variant name>`. */
export function webImagePath(variant: { name: string }): string {
  return `images/${variant.name}`;
}

export const htmlRules: TargetRules = {
  assetUrl: (asset) => encodeURI(webAssetPath(asset)),
  noteRef: (n, call) =>
    `<sup class="noteref"><a href="#${noteId(n)}" id="${noteRefId(n, call)}" role="doc-noteref">${n}</a></sup>`,
};
