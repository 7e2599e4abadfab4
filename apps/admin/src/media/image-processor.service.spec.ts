import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { ImageProcessor } from './image-processor.service.js';
import { LocalDirectoryImageStorage } from './local-directory.image-storage.js';
import {
  ImageRejectedException,
  ImageTooLargeException,
  ImageTooManyPixelsException,
  NotAnImageException,
  UnsupportedImageFormatException,
} from './media.exceptions.js';

const limits = { IMAGE_MAX_BYTES: 1024 * 1024, IMAGE_MAX_PIXELS: 50_000_000 };

function solid(width: number, height: number, channels: 3 | 4 = 3) {
  return sharp({ create: { width, height, channels, background: { r: 200, g: 30, b: 60, alpha: 0.5 } } });
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A valid one-bit greyscale PNG of `size`×`size` black pixels: tens of kilobytes that decode to `size`² pixels. */
function pngBomb(size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filters, not interlaced
  const rows = Buffer.alloc((1 + Math.ceil(size / 8)) * size); // each row: filter "none", then zero bits
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('ImageProcessor', () => {
  let directory: string;
  let storage: LocalDirectoryImageStorage;
  let processor: ImageProcessor;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'faceoff-media-'));
    storage = new LocalDirectoryImageStorage(directory);
    processor = new ImageProcessor(storage, limits);
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('stores 64, 256 and 1024 pixel wide variants of a photo, each as WebP and PNG', async () => {
    const [width, height] = [1600, 1200];
    const upload = await solid(width, height).jpeg().toBuffer();

    const result = await processor.process(upload, 'person-photo');

    expect(result.variants.map(({ width, format }) => `${width}.${format}`).sort()).toEqual(
      ['64.webp', '64.png', '256.webp', '256.png', '1024.webp', '1024.png'].sort(),
    );
    for (const variant of result.variants) {
      const stored = await storage.get(variant.key);
      expect(stored?.contentType).toBe(`image/${variant.format}`);
      const metadata = await sharp(stored!.data).metadata();
      expect(metadata).toMatchObject({ format: variant.format, width: variant.width, height: Math.round((height * variant.width) / width) });
      expect(variant.height).toBe(metadata.height);
      expect(variant.bytes).toBe(stored!.data.length);
      expect(variant.key).toMatch(new RegExp(`^person-photo/[0-9a-f]{32}/${variant.width}\\.${variant.format}$`));
      expect(variant.url).toBe(`/media/${variant.key}`);
    }
    const canonical = result.variants.find((variant) => variant.key === result.key);
    expect(canonical).toMatchObject({ width: 256, format: 'png', url: result.url });
  });

  it('never enlarges: widths past the source collapse into one variant at its width', async () => {
    const upload = await solid(300, 120, 4).png().toBuffer();

    const { variants, key } = await processor.process(upload, 'team-logo');

    expect([...new Set(variants.map((variant) => variant.width))].sort((a, b) => a - b)).toEqual([64, 256, 300]);
    expect(variants).toHaveLength(6);
    const largest = await storage.get(variants.find((variant) => variant.width === 300 && variant.format === 'png')!.key);
    expect(await sharp(largest!.data).metadata()).toMatchObject({ width: 300, height: 120, hasAlpha: true });
    expect(key).toMatch(/\/256\.png$/);
  });

  it('points at the source width when it is narrower than 256 pixels', async () => {
    const upload = await solid(100, 100).webp().toBuffer();

    const { variants, key } = await processor.process(upload, 'team-logo');

    expect(variants.map((variant) => variant.width).sort((a, b) => a - b)).toEqual([64, 64, 100, 100]);
    expect(key).toMatch(/\/100\.png$/);
  });

  it('applies the EXIF orientation before measuring widths', async () => {
    const upload = await solid(400, 100).jpeg().withMetadata({ orientation: 6 }).toBuffer();

    const { variants } = await processor.process(upload, 'moment-thumbnail');

    expect(variants.filter((variant) => variant.format === 'png').map(({ width, height }) => [width, height])).toEqual([
      [64, 256],
      [100, 400],
    ]);
  });

  it('stores the same upload under the same keys, and another under others', async () => {
    const upload = await solid(500, 500).png().toBuffer();
    const other = await solid(501, 500).png().toBuffer();

    const first = await processor.process(upload, 'team-logo');
    const second = await processor.process(Buffer.from(upload), 'team-logo');
    const third = await processor.process(other, 'team-logo');

    const keys = (result: { variants: { key: string }[] }) => result.variants.map((variant) => variant.key).sort();
    expect(keys(second)).toEqual(keys(first));
    expect(second.key).toBe(first.key);
    expect(keys(third).filter((key) => keys(first).includes(key))).toEqual([]);
  });

  it('refuses a file that is not an image', async () => {
    const upload = Buffer.from('name,team\nOvechkin,WSH\n');

    const rejection = processor.process(upload, 'person-photo');

    await expect(rejection).rejects.toThrow(NotAnImageException);
    await expect(rejection).rejects.toThrow(ImageRejectedException);
    await expect(rejection).rejects.toMatchObject({ code: 'image_not_an_image', status: 400 });
  });

  it('refuses an image whose data is cut short', async () => {
    const complete = await solid(800, 600).png({ compressionLevel: 0 }).toBuffer();

    const rejection = processor.process(complete.subarray(0, complete.length / 2), 'person-photo');

    await expect(rejection).rejects.toMatchObject({ code: 'image_not_an_image', status: 400 });
  });

  it('refuses an SVG, which is a document rather than pixels', async () => {
    const upload = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script>alert(1)</script></svg>');

    const rejection = processor.process(upload, 'team-logo');

    await expect(rejection).rejects.toThrow(UnsupportedImageFormatException);
    await expect(rejection).rejects.toMatchObject({ code: 'image_unsupported_format', status: 415, details: { format: 'image/svg+xml' } });
  });

  it('refuses a file over the byte limit before looking at it', async () => {
    const upload = Buffer.alloc(limits.IMAGE_MAX_BYTES + 1);

    const rejection = processor.process(upload, 'person-photo');

    await expect(rejection).rejects.toThrow(ImageTooLargeException);
    await expect(rejection).rejects.toMatchObject({
      code: 'image_too_large',
      status: 413,
      details: { bytes: limits.IMAGE_MAX_BYTES + 1, maxBytes: limits.IMAGE_MAX_BYTES },
    });
  });

  it('refuses a decompression bomb from its header, storing nothing', async () => {
    const upload = pngBomb(20_000);
    expect(upload.length).toBeLessThan(limits.IMAGE_MAX_BYTES);

    const rejection = processor.process(upload, 'team-logo');

    await expect(rejection).rejects.toThrow(ImageTooManyPixelsException);
    await expect(rejection).rejects.toMatchObject({
      code: 'image_too_many_pixels',
      status: 422,
      details: { width: 20_000, height: 20_000, maxPixels: limits.IMAGE_MAX_PIXELS },
    });
    expect(await readdir(directory)).toEqual([]);
  });

  it('accepts an image of exactly the pixel limit', async () => {
    const upload = await solid(200, 150).png().toBuffer();
    const atLimit = new ImageProcessor(storage, { ...limits, IMAGE_MAX_PIXELS: 200 * 150 });
    const belowLimit = new ImageProcessor(storage, { ...limits, IMAGE_MAX_PIXELS: 200 * 150 - 1 });

    await expect(atLimit.process(upload, 'team-logo')).resolves.toMatchObject({ key: expect.any(String) });
    await expect(belowLimit.process(upload, 'team-logo')).rejects.toMatchObject({ code: 'image_too_many_pixels' });
  });
});
