import { describe, expect, it } from '@jest/globals';
import { InvalidConfigError, loadConfig } from './load-config.js';

const valid = { DATABASE_URL: 'postgres://faceoff@localhost:5432/faceoff' };

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({ API_PORT: 3000, ADMIN_PORT: 3001, LOG_LEVEL: 'info' });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('coerces numbers and keeps optional URLs', () => {
    const config = loadConfig({ ...valid, API_PORT: '8080', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(config.API_PORT).toBe(8080);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ ...valid, REDIS_URL: '', API_PORT: '' });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.API_PORT).toBe(3000);
  });

  it.each([
    [{}, 'DATABASE_URL: is required'],
    [{ ...valid, API_PORT: '70000' }, 'API_PORT'],
    [{ ...valid, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
    [{ ...valid, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ...valid, REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(InvalidConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ API_PORT: 'x', ADMIN_PORT: '0' });
      throw new Error('expected a failure');
    } catch (error) {
      expect((error as InvalidConfigError).problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'ADMIN_PORT',
        'API_PORT',
        'DATABASE_URL',
      ]);
    }
  });
});
