/**
 * The characters a WOFF2 font file maps (its cmap), read without fontkit: the file's table directory,
 * its one Brotli stream (Node's zlib) and the cmap table's format 4 or 12 subtable, the one fontkit's
 * characterSet reads (the same preference of platform and encoding). Loading fontkit and decoding a
 * font with it took ~0.15 s of every build for a few subset files; this reads one in ~1 ms. Anything
 * else (another format, a font collection) returns undefined, and the caller asks fontkit.
 */
import zlib from 'node:zlib';

/** fontkit's order of preference among cmap subtables: [platformID, encodingID]. */
const PREFERRED: [number, number][] = [[3, 10], [0, 6], [0, 4], [3, 1], [0, 3], [0, 2], [0, 1], [0, 0]];

/** Index in the WOFF2 known-tag table of `cmap` (0); 63 means the tag is written out. */
const CMAP_TAG_INDEX = 0;
const GLYF_TAG_INDEX = 10;
const LOCA_TAG_INDEX = 11;

export function woff2CharacterSet(data: Uint8Array): number[] | undefined {
  try {
    return read(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } catch {
    return undefined;
  }
}

function read(buf: Buffer): number[] | undefined {
  if (buf.toString('latin1', 0, 4) !== 'wOF2') return undefined;
  const flavor = buf.readUInt32BE(4);
  if (flavor === 0x74746366) return undefined; // 'ttcf': a collection
  const numTables = buf.readUInt16BE(12);
  const compressedLength = buf.readUInt32BE(20);
  let pos = 48;
  const base128 = (): number => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const b = buf[pos++]!;
      value = value * 128 + (b & 0x7f);
      if (!(b & 0x80)) return value;
    }
    throw new Error('bad UIntBase128');
  };
  // Each table's place in the decompressed stream: its stored length (transformed or not), in order.
  let offset = 0;
  let cmap: { offset: number; length: number } | undefined;
  for (let t = 0; t < numTables; t++) {
    const flags = buf[pos++]!;
    const tagIndex = flags & 0x3f;
    let tag = '';
    if (tagIndex === 63) {
      tag = buf.toString('latin1', pos, pos + 4);
      pos += 4;
    }
    const version = flags >> 6;
    const origLength = base128();
    // glyf and loca are transformed unless their version is 3; every other table unless it is 0.
    const transformed = tagIndex === GLYF_TAG_INDEX || tagIndex === LOCA_TAG_INDEX ? version !== 3 : version !== 0;
    const stored = transformed ? base128() : origLength;
    if (tagIndex === CMAP_TAG_INDEX || tag === 'cmap') {
      if (transformed) return undefined;
      cmap = { offset, length: origLength };
    }
    offset += stored;
  }
  if (!cmap) return undefined;
  const tables = zlib.brotliDecompressSync(buf.subarray(pos, pos + compressedLength));
  return characterSet(tables.subarray(cmap.offset, cmap.offset + cmap.length));
}

function characterSet(cmap: Buffer): number[] | undefined {
  const count = cmap.readUInt16BE(2);
  const records: { platform: number; encoding: number; offset: number }[] = [];
  for (let i = 0; i < count; i++) records.push({ platform: cmap.readUInt16BE(4 + i * 8), encoding: cmap.readUInt16BE(6 + i * 8), offset: cmap.readUInt32BE(8 + i * 8) });
  let chosen: (typeof records)[number] | undefined;
  for (const [platform, encoding] of PREFERRED) {
    chosen = records.find((r) => r.platform === platform && r.encoding === encoding);
    if (chosen) break;
  }
  if (!chosen) return undefined;
  const at = chosen.offset;
  const format = cmap.readUInt16BE(at);
  const out: number[] = [];
  if (format === 4) {
    const segments = cmap.readUInt16BE(at + 6) / 2;
    const ends = at + 14;
    const starts = ends + segments * 2 + 2;
    for (let i = 0; i < segments; i++) {
      const end = cmap.readUInt16BE(ends + i * 2);
      for (let c = cmap.readUInt16BE(starts + i * 2); c <= end; c++) out.push(c);
    }
    return out;
  }
  if (format === 12) {
    const groups = cmap.readUInt32BE(at + 12);
    for (let i = 0; i < groups; i++) {
      const g = at + 16 + i * 12;
      const end = cmap.readUInt32BE(g + 4);
      for (let c = cmap.readUInt32BE(g); c <= end; c++) out.push(c);
    }
    return out;
  }
  return undefined;
}
