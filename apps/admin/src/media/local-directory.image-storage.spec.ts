import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDirectoryImageStorage } from './local-directory.image-storage.js';
import { InvalidMediaKeyException } from './media.exceptions.js';

describe('LocalDirectoryImageStorage', () => {
  let root: string;
  let directory: string;
  let storage: LocalDirectoryImageStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'faceoff-media-storage-'));
    directory = join(root, 'media');
    storage = new LocalDirectoryImageStorage(directory);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives back what was put, with its content type, and null for what was not', async () => {
    const data = Buffer.from('not really a png, storage does not care');

    await storage.put('team-logo/0a1b/256.png', data, 'image/png');

    expect(await storage.get('team-logo/0a1b/256.png')).toEqual({ data, contentType: 'image/png' });
    expect(await storage.get('team-logo/0a1b/64.png')).toBeNull();
  });

  it('replaces a file in one step, leaving no temporary file behind', async () => {
    await storage.put('a/1.webp', Buffer.from('first'), 'image/webp');
    await storage.put('a/1.webp', Buffer.from('second'), 'image/webp');

    expect((await storage.get('a/1.webp'))?.data.toString()).toBe('second');
    expect(await readdir(join(directory, 'a'))).toEqual(['1.webp']);
  });

  it.each([
    '../escape.png',
    'a/../../escape.png',
    '/etc/escape.png',
    'a\\..\\escape.png',
    './a.png',
    '.hidden.png',
    'a//b.png',
    'A.png',
    'a/b',
    'a/b.exe',
    'a/.b.png.1234.tmp',
    '',
  ])('refuses the key %j', async (key) => {
    await expect(storage.put(key, Buffer.from('x'), 'image/png')).rejects.toThrow(InvalidMediaKeyException);
    await expect(storage.get(key)).rejects.toMatchObject({ code: 'media_key_invalid', status: 400 });
    expect(() => storage.publicUrl(key)).toThrow(InvalidMediaKeyException);
    expect(await readdir(root)).toEqual([]);
  });

  it('never serves a file written beside the keys, such as a temporary one', async () => {
    await mkdir(join(directory, 'a'), { recursive: true });
    await writeFile(join(directory, 'a', '.1.png.0f.tmp'), 'half');

    await expect(storage.get('a/.1.png.0f.tmp')).rejects.toThrow(InvalidMediaKeyException);
  });

  it('refuses a content type its extension contradicts, since the extension is what get() reports', async () => {
    await expect(storage.put('a/1.png', Buffer.from('x'), 'image/webp')).rejects.toThrow('extension');
    expect(await storage.get('a/1.png')).toBeNull();
  });

  it('hands out URLs under /media, or under the public base URL', () => {
    expect(storage.publicUrl('team-logo/0a1b/256.png')).toBe('/media/team-logo/0a1b/256.png');
    expect(new LocalDirectoryImageStorage(directory, 'https://cdn.example.com/media/').publicUrl('team-logo/0a1b/256.png')).toBe(
      'https://cdn.example.com/media/team-logo/0a1b/256.png',
    );
  });
});
