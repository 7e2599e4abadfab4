import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { ImageStorage, type StoredImage } from './image-storage.js';
import { InvalidMediaKeyException } from './media.exceptions.js';

/**
 * Up to eight lower-case segments of letters, digits, `-` and `_` (never first),
 * the last with an extension. No `.` or `..` segment, no leading `/`, no
 * backslash, nothing a filesystem or a URL reads specially: a key cannot leave
 * the directory, and it needs no escaping in a URL.
 */
const KEY_PATTERN = /^(?:[a-z0-9][a-z0-9_-]{0,63}\/){0,7}[a-z0-9][a-z0-9_-]{0,63}\.([a-z0-9]{1,8})$/;

/** The directory keeps no metadata: the extension is the content type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = { png: 'image/png', webp: 'image/webp' };

/** {@link ImageStorage} on a local directory, for one host (or a shared volume). */
export class LocalDirectoryImageStorage extends ImageStorage {
  readonly directory: string;
  private readonly urlPrefix: string;

  /**
   * @param directory relative to the working directory when not absolute
   * @param publicBaseUrl prefix of the URLs handed out (a CDN); by default `/media`, served by MediaController
   */
  constructor(directory: string, publicBaseUrl = '/media') {
    super();
    this.directory = resolve(directory);
    this.urlPrefix = publicBaseUrl.replace(/\/+$/, '');
  }

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const { path, contentType: typeOfKey } = this.locate(key);
    if (contentType !== typeOfKey) throw new Error(`"${key}" is stored as ${typeOfKey}, not ${contentType}: its extension is its content type`);
    await mkdir(dirname(path), { recursive: true });
    // Beside the target, so that the rename stays on one filesystem and is atomic;
    // the leading dot keeps it outside KEY_PATTERN, so it is never served half-written.
    const temporaryPath = resolve(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
    try {
      const file = await open(temporaryPath, 'wx');
      try {
        await file.writeFile(data);
        // Served as immutable: bytes lost to a crash after the rename would be cached as they are, forever.
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporaryPath, path);
    } catch (error) {
      await rm(temporaryPath, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredImage | null> {
    const { path, contentType } = this.locate(key);
    try {
      return { data: await readFile(path), contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  publicUrl(key: string): string {
    this.locate(key);
    return `${this.urlPrefix}/${key}`;
  }

  private locate(key: string): { path: string; contentType: string } {
    const extension = KEY_PATTERN.exec(key)?.[1];
    const contentType = extension === undefined ? undefined : CONTENT_TYPES[extension];
    if (contentType === undefined) throw new InvalidMediaKeyException(key);
    const path = resolve(this.directory, key);
    // The pattern alone keeps keys inside; this holds even if it is ever loosened.
    const inside = relative(this.directory, path);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new InvalidMediaKeyException(key);
    return { path, contentType };
  }
}
