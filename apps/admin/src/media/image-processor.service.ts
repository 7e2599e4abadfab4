import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { ImageStorage } from './image-storage.js';
import { ImageTooLargeException, ImageTooManyPixelsException, NotAnImageException, UnsupportedImageFormatException } from './media.exceptions.js';

export const IMAGE_KINDS = ['team-logo', 'person-photo', 'moment-thumbnail'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

export type VariantFormat = 'webp' | 'png';

export interface ImageVariant {
  /** Storage key: store this rather than the URL, which follows MEDIA_PUBLIC_URL. */
  key: string;
  width: number;
  height: number;
  format: VariantFormat;
  url: string;
  bytes: number;
}

export interface ProcessedImage {
  /** The 256-pixel PNG (or the source's width when narrower): readable by every client, the size lists and cards show. */
  key: string;
  url: string;
  variants: ImageVariant[];
}

/**
 * What browsers and the apps all decode. SVG is refused because it is a
 * document that can carry scripts, HEIC and TIFF because sharp's prebuilt
 * binaries or the clients cannot all read them.
 */
const ACCEPTED_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif'];

const VARIANT_WIDTHS = [64, 256, 1024];
const CANONICAL_WIDTH = 256;
const CONTENT_TYPES: Readonly<Record<VariantFormat, string>> = { webp: 'image/webp', png: 'image/png' };
const FORMATS = Object.keys(CONTENT_TYPES) as VariantFormat[];

/**
 * Hashed into every key with the upload: change it when the rendering changes,
 * so that new renderings get new URLs rather than hide behind the old ones'
 * year-long caches.
 */
const RENDITION_VERSION = 'v1';

/**
 * Turns an editor's upload into the variants clients download, stored under
 * content-addressed keys `<kind>/<hash>/<width>.<format>`: the same file
 * uploaded twice gives the same keys, and a key's bytes never change.
 *
 * Each variant is the source scaled to 64, 256 or 1024 pixels wide, its height
 * following the aspect ratio, as WebP and as PNG. A source is never enlarged:
 * the widths it cannot fill collapse into one variant at its own width (a
 * 300-pixel logo gives 64, 256 and 300), so the widest variant holds every
 * pixel there is and nothing is stored twice. The EXIF orientation is applied
 * and all metadata dropped (no camera position leaks); colours are converted
 * to sRGB; an animated GIF or WebP keeps its first frame.
 *
 * Nothing is decoded before the byte size, the format and the dimensions in
 * the header are known to be acceptable; the decoder is held to the same
 * pixel limit in case a file's pixels disagree with its header.
 */
@Injectable()
export class ImageProcessor {
  constructor(
    private readonly storage: ImageStorage,
    @Inject(APP_CONFIG) private readonly limits: Pick<AppConfig, 'IMAGE_MAX_BYTES' | 'IMAGE_MAX_PIXELS'>,
  ) {}

  async process(data: Buffer, kind: ImageKind): Promise<ProcessedImage> {
    if (data.length > this.limits.IMAGE_MAX_BYTES) throw new ImageTooLargeException(data.length, this.limits.IMAGE_MAX_BYTES);
    const header = await this.inspect(data);
    const hash = createHash('sha256').update(RENDITION_VERSION).update(data).digest('hex').slice(0, 32);
    const keyOf = (width: number, format: VariantFormat) => `${kind}/${hash}/${width}.${format}`;
    const sourceWidth = header.autoOrient.width;
    const widths = [...new Set(VARIANT_WIDTHS.map((width) => Math.min(width, sourceWidth)))];
    const variants = await Promise.all(widths.flatMap((width) => FORMATS.map((format) => this.render(data, header, keyOf(width, format), width, format))));
    const key = keyOf(Math.min(CANONICAL_WIDTH, sourceWidth), 'png');
    return { key, url: this.storage.publicUrl(key), variants };
  }

  private async inspect(data: Buffer): Promise<Metadata> {
    let header: Metadata;
    try {
      // Reads the header only. Without a limit here, so that a refusal can say how big the image is.
      header = await sharp(data, { limitInputPixels: false }).metadata();
    } catch {
      throw new NotAnImageException('unreadable');
    }
    if (!ACCEPTED_TYPES.includes(header.mediaType ?? '')) throw new UnsupportedImageFormatException(header.mediaType ?? header.format, ACCEPTED_TYPES);
    if (header.width * header.height > this.limits.IMAGE_MAX_PIXELS) {
      throw new ImageTooManyPixelsException(header.width, header.height, this.limits.IMAGE_MAX_PIXELS);
    }
    return header;
  }

  private async render(data: Buffer, header: Metadata, key: string, width: number, format: VariantFormat): Promise<ImageVariant> {
    let output: { data: Buffer; info: OutputInfo };
    try {
      output = await sharp(data, { limitInputPixels: this.limits.IMAGE_MAX_PIXELS })
        .autoOrient()
        .resize({ width, withoutEnlargement: true })
        .toFormat(format)
        .toBuffer({ resolveWithObject: true });
    } catch (error) {
      // sharp's errors carry no code: its message is all there is to tell the pixel limit from broken data.
      if (/pixel limit/i.test((error as Error).message)) throw new ImageTooManyPixelsException(header.width, header.height, this.limits.IMAGE_MAX_PIXELS);
      throw new NotAnImageException('damaged');
    }
    await this.storage.put(key, output.data, CONTENT_TYPES[format]);
    return { key, width: output.info.width, height: output.info.height, format, url: this.storage.publicUrl(key), bytes: output.data.length };
  }
}
