import sharp, { cache, concurrency, strategy, type Sharp } from 'sharp';
import { encode as encodeBlurhash } from 'blurhash';
import { ImageFormat, ImageSize } from './media.types';

/** The pixels of a decoded image could not be read (truncated, corrupt) or are too many. */
export class ImageDecodeError extends Error {
  constructor(
    readonly tooManyPixels: boolean,
    message: string,
  ) {
    super(message);
  }
}

export interface ImageFacts {
  /** After EXIF orientation is applied. */
  width: number;
  height: number;
  blurhash: string;
  /** `#rrggbb`: the most common colour of a small version, for a placeholder behind the image. */
  dominantColor: string;
}

export interface Derivative {
  size: ImageSize;
  format: ImageFormat;
  body: Buffer;
  width: number;
  height: number;
}

const SQUARES: Array<[ImageSize, number]> = [
  [ImageSize.THUMB_512, 512],
  [ImageSize.THUMB_128, 128],
];
const DISPLAY = 1600;
const QUALITY = 82;

/**
 * Image work with sharp (libvips), bounded: at most `threads` images at a time in this process,
 * each with libvips' own thread count set to the same, so image work never takes every core from
 * the requests. Every decode refuses more than `maxPixels` (decompression bombs) and a truncated
 * or corrupt file.
 */
export class ImageProcessor {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly maxPixels: number,
    private readonly threads: number,
  ) {
    concurrency(threads);
    // Each image is decoded once or twice and never again: libvips' operation cache only holds memory.
    cache(false);
  }

  /** Checks that the image decodes within the pixel limit; returns its size and placeholders. */
  inspect(bytes: Buffer): Promise<ImageFacts> {
    return this.limited(async () => {
      const meta = await this.decoder(bytes, false)
        .metadata()
        .catch((err: Error) => {
          throw new ImageDecodeError(false, `the image does not decode: ${err.message}`);
        });
      const width = meta.autoOrient?.width ?? meta.width;
      const height = meta.autoOrient?.height ?? meta.height;
      if (!width || !height) throw new ImageDecodeError(false, 'the image has no dimensions');
      if (width * height > this.maxPixels) {
        throw new ImageDecodeError(
          true,
          `the image has ${width} × ${height} pixels; at most ${this.maxPixels.toLocaleString('en')} are accepted`,
        );
      }
      // A full decode (at a small scale: JPEG shrinks on load, but still reads every byte) proves
      // the file is whole, and gives the placeholder pixels.
      const { data, info } = await this.decoder(bytes)
        .rotate()
        .resize(32, 32, { fit: 'inside' })
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true })
        .catch((err: Error) => {
          throw new ImageDecodeError(false, `the image does not decode: ${err.message}`);
        });
      const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
      return {
        width,
        height,
        blurhash: encodeBlurhash(pixels, info.width, info.height, 4, 3),
        dominantColor: dominantColor(pixels),
      };
    });
  }

  /**
   * The derivatives: square crops of 512 and 128 px and a display size within 1600 px, each in WebP
   * and JPEG. Orientation applied, metadata (EXIF with GPS, XMP, comments) dropped: sharp writes none
   * unless asked. The image is decoded once, to the display size, and every output made from that.
   */
  derive(bytes: Buffer): Promise<Derivative[]> {
    return this.limited(async () => {
      const { data, info } = await this.decoder(bytes)
        .rotate()
        .resize(DISPLAY, DISPLAY, { fit: 'inside', withoutEnlargement: true })
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true })
        .catch((err: Error) => {
          throw new ImageDecodeError(false, `the image does not decode: ${err.message}`);
        });
      const raw = { raw: { width: info.width, height: info.height, channels: info.channels } } as const;
      const out: Derivative[] = [];
      const encode = async (size: ImageSize, image: Sharp) => {
        for (const format of [ImageFormat.WEBP, ImageFormat.JPEG]) {
          const encoded =
            format === ImageFormat.WEBP
              ? image.clone().webp({ quality: QUALITY })
              : image.clone().flatten({ background: '#ffffff' }).jpeg({ quality: QUALITY, progressive: true });
          const result = await encoded.toBuffer({ resolveWithObject: true });
          out.push({ size, format, body: result.data, width: result.info.width, height: result.info.height });
        }
      };
      await encode(ImageSize.DISPLAY_1600, sharp(data, raw));
      for (const [size, edge] of SQUARES) {
        await encode(size, sharp(data, raw).resize(edge, edge, { fit: 'cover', position: strategy.attention }));
      }
      return out;
    });
  }

  private decoder(bytes: Buffer, limited = true): Sharp {
    return sharp(bytes, {
      // The metadata read only parses the header, so it may see any size (and report it).
      limitInputPixels: limited ? this.maxPixels : false,
      failOn: 'truncated',
      sequentialRead: true,
    });
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.threads) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** The centre of the fullest bucket of a 16-level-per-channel histogram of opaque pixels. */
function dominantColor(rgba: Uint8ClampedArray): string {
  const counts = new Map<number, { n: number; r: number; g: number; b: number }>();
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] < 128) continue;
    const bucket = ((rgba[i] >> 4) << 8) | ((rgba[i + 1] >> 4) << 4) | (rgba[i + 2] >> 4);
    const c = counts.get(bucket) ?? { n: 0, r: 0, g: 0, b: 0 };
    c.n++;
    c.r += rgba[i];
    c.g += rgba[i + 1];
    c.b += rgba[i + 2];
    counts.set(bucket, c);
  }
  let best = { n: 0, r: 0, g: 0, b: 0 };
  for (const c of counts.values()) if (c.n > best.n) best = c;
  if (best.n === 0) return '#ffffff';
  const hex = (v: number) =>
    Math.round(v / best.n)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(best.r)}${hex(best.g)}${hex(best.b)}`;
}
