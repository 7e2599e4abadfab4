import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileStore } from './file-store.js';
import type { SyncChange } from './local-store.js';

function team(position: number, name = `Team ${position}`): SyncChange {
  return { cursor: `e1-${position}`, type: 'team', id: `t${position}`, data: { id: `t${position}`, hidden: false, name } };
}

describe('FileStore', () => {
  let directory: string;
  let path: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'faceoff-file-store-'));
    path = join(directory, 'nested', 'store.json');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('gives a new instance the records and cursor the last one saved', async () => {
    const before = new FileStore(path);
    await before.apply([team(1), team(2)], 'e1-2');
    await before.apply([{ ...team(1), data: { id: 't1', hidden: true } }, team(3)], 'e1-4');
    await before.close();

    const after = new FileStore(path);
    expect(await after.getCursor()).toBe('e1-4');
    expect((await after.all('team')).map((record) => record.id)).toEqual(['t2', 't3']);
    expect(await after.get('team', 't1')).toEqual({ id: 't1', hidden: true });
    expect(await after.types()).toEqual(['team']);
  });

  it('coalesces a burst of changes into a delayed write', async () => {
    const store = new FileStore(path, { writeDelayMs: 30 });
    for (let position = 1; position <= 100; position += 1) await store.apply([team(position)], `e1-${position}`);
    await expect(readFile(path, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });

    await sleep(80);
    const saved = JSON.parse(await readFile(path, 'utf8')) as { cursor: string; records: { team: unknown[] } };
    expect(saved.cursor).toBe('e1-100');
    expect(saved.records.team).toHaveLength(100);
    await store.close();
  });

  it('replaces the file whole: a failed write leaves the previous state and no stray file', async () => {
    const store = new FileStore(path);
    await store.apply([team(1)], 'e1-1');
    await store.flush();
    const saved = await readFile(path, 'utf8');
    const temporaryPath = `${path}.${process.pid}.tmp`;
    await mkdir(temporaryPath);

    await store.apply([team(2)], 'e1-2');
    await expect(store.flush()).rejects.toMatchObject({ code: 'EISDIR' });
    expect(await readFile(path, 'utf8')).toBe(saved);

    await rm(temporaryPath, { recursive: true });
    await store.close();
    expect(await readdir(join(directory, 'nested'))).toEqual(['store.json']);
    expect(await new FileStore(path).getCursor()).toBe('e1-2');
  });

  it('starts empty with a warning when the file is corrupt, then replaces it', async () => {
    await mkdir(join(directory, 'nested'));
    await writeFile(path, '{"version":1,"records":{"team":[{"id":');
    const store = new FileStore(path);
    const warned = once(store, 'warning');

    expect(await store.getCursor()).toBeUndefined();
    const [warning] = (await warned) as [Error];
    expect(warning.message).toContain('starting empty');
    await store.apply([team(1)], 'e1-1');
    await store.close();
    expect(await new FileStore(path).getCursor()).toBe('e1-1');
  });

  it('saves a clear() like any change', async () => {
    const store = new FileStore(path);
    await store.apply([team(1)], 'e1-1');
    await store.clear();
    await store.close();

    const after = new FileStore(path);
    expect(await after.getCursor()).toBeUndefined();
    expect(await after.types()).toEqual([]);
    await expect(store.apply([team(2)], 'e1-2')).rejects.toThrow('closed');
  });
});
