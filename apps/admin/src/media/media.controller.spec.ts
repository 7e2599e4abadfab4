import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { DomainExceptionFilter } from '@app/bootstrap';
import { ImageStorage } from './image-storage.js';
import { LocalDirectoryImageStorage } from './local-directory.image-storage.js';
import { MediaController } from './media.controller.js';

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The path as it is: a URL, as fetch takes, would have its `..` resolved before sending. */
function get(origin: string, path: string): Promise<Response> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    request({ hostname, port, path }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('MediaController', () => {
  let directory: string;
  let storage: LocalDirectoryImageStorage;
  let app: NestFastifyApplication;
  let origin: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'faceoff-media-http-'));
    storage = new LocalDirectoryImageStorage(directory);
    const moduleRef = await Test.createTestingModule({
      controllers: [MediaController],
      providers: [{ provide: ImageStorage, useValue: storage }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
    app.useGlobalFilters(new DomainExceptionFilter());
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves a stored variant with its content type, cacheable forever', async () => {
    const data = Buffer.from('webp bytes');
    await storage.put('team-logo/0a1b/256.webp', data, 'image/webp');

    const response = await get(origin, storage.publicUrl('team-logo/0a1b/256.webp'));

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('image/webp');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toEqual(data);
  });

  it('answers a missing key with a 404 nobody caches for long', async () => {
    const response = await get(origin, '/media/team-logo/ffff/256.png');

    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: { code: 'media_not_found' } });
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it.each(['/media/../../etc/passwd', '/media/..%2f..%2fetc%2fpasswd', '/media/a/%2e%2e/%2e%2e/x.png', '/media/A.PNG'])('refuses %s as a key', async (path) => {
    const response = await get(origin, path);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString())).toMatchObject({ error: { code: 'media_key_invalid' } });
  });
});
