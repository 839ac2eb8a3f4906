import type { ObjectTokenizer } from './media-objects.repository';

/** Boxes looked at, at most, per level: a real file has a handful; a hostile one cannot loop us. */
const MAX_BOXES = 500;

interface Box {
  type: string;
  /** Where the box's content starts and ends (absolute offsets). */
  start: number;
  end: number;
}

/**
 * Duration and picture size of an MP4/QuickTime file from its `moov` box (mvhd, tkhd), for the
 * files music-metadata, an audio library, gives no duration for (video without a sound track).
 * Reads box headers only, through the random-access tokenizer. Null when there is no usable moov.
 */
export async function isoBmffFacts(
  tokenizer: ObjectTokenizer,
): Promise<{ durationSeconds: number; width: number | null; height: number | null } | null> {
  const size = tokenizer.fileInfo.size ?? 0;
  const moov = (await children(tokenizer, 0, size)).find((b) => b.type === 'moov');
  if (!moov) return null;
  const inMoov = await children(tokenizer, moov.start, moov.end);
  const mvhd = inMoov.find((b) => b.type === 'mvhd');
  if (!mvhd) return null;
  const head = await read(tokenizer, mvhd.start, Math.min(32, mvhd.end - mvhd.start));
  if (head.length < 20) return null;
  const v1 = head[0] === 1;
  const timescale = v1 ? head.readUInt32BE(20) : head.readUInt32BE(12);
  const duration = v1 ? Number(head.readBigUInt64BE(24)) : head.readUInt32BE(16);
  if (!timescale || !duration) return null;
  let width: number | null = null;
  let height: number | null = null;
  for (const trak of inMoov.filter((b) => b.type === 'trak')) {
    const tkhd = (await children(tokenizer, trak.start, trak.end)).find((b) => b.type === 'tkhd');
    if (!tkhd) continue;
    const body = await read(tokenizer, tkhd.start, Math.min(92, tkhd.end - tkhd.start));
    const at = body[0] === 1 ? 88 : 76;
    if (body.length < at + 8) continue;
    const w = body.readUInt32BE(at) / 65536;
    const h = body.readUInt32BE(at + 4) / 65536;
    if (w > 0 && h > 0) {
      width = Math.round(w);
      height = Math.round(h);
      break;
    }
  }
  return { durationSeconds: duration / timescale, width, height };
}

async function children(tokenizer: ObjectTokenizer, start: number, end: number): Promise<Box[]> {
  const boxes: Box[] = [];
  let pos = start;
  while (pos + 8 <= end && boxes.length < MAX_BOXES) {
    const header = await read(tokenizer, pos, Math.min(16, end - pos));
    let boxSize = header.readUInt32BE(0);
    let headerSize = 8;
    if (boxSize === 1) {
      if (header.length < 16) break;
      boxSize = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (boxSize === 0) {
      boxSize = end - pos;
    }
    if (boxSize < headerSize || pos + boxSize > end) break;
    boxes.push({ type: header.toString('latin1', 4, 8), start: pos + headerSize, end: pos + boxSize });
    pos += boxSize;
  }
  return boxes;
}

async function read(tokenizer: ObjectTokenizer, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  await tokenizer.peekBuffer(buffer, { position, length });
  return buffer;
}
