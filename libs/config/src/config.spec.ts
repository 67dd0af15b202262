import { ConfigError, KOTIM_BBOX, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('gives working defaults when nothing is set: embedded database, local Redis, port 3000', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.http.port).toBe(3000);
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', queuePrefix: 'serat', jobLockMs: 30000, configured: false, prefixConfigured: false, start: 'auto' });
    expect(config.dataDir).toMatch(/[\\/]data$/);
    expect(config.embeddedDb.dir).toBe(`${config.dataDir}/pgdata`);
    expect(config.region).toEqual({ code: '62.02', name: 'Kabupaten Kotawaringin Timur', bbox: KOTIM_BBOX });
    expect(config.tileLayer).toBeNull();
    // Photos in the database by default: api replicas need no shared volume.
    expect(config.photoStore).toBe('database');
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://serat:secret@db:5432/serat',
      REDIS_URL: 'redis://cache:6380',
      PORT: '8080',
      SERAT_DATA_DIR: '/var/lib/serat',
      SERAT_REGION_BBOX: '110,-4,115,0',
      SERAT_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png',
      SERAT_TILE_ATTRIBUTION: '© tiles',
      SERAT_PHOTO_STORE: 'disk',
    });
    expect(config.databaseUrl).toBe('postgres://serat:secret@db:5432/serat');
    expect(config.http.port).toBe(8080);
    expect(config.dataDir).toBe('/var/lib/serat');
    expect(config.photoStore).toBe('disk');
    expect(config.region.bbox).toEqual([110, -4, 115, 0]);
    expect(config.tileLayer).toEqual({ url: 'https://tiles.example/{z}/{x}/{y}.png', attribution: '© tiles', maxZoom: 19 });
  });

  it('treats an empty DATABASE_URL as not set', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number between 1 and 65535 \(got "abc"\)/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL must be a URL like postgres:\/\//],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a URL like redis:\/\//],
    [{ SERAT_REGION_BBOX: '1,2,3' }, /SERAT_REGION_BBOX must be minLon,minLat,maxLon,maxLat/],
    [{ SERAT_REGION_CODE: 'Kotim' }, /SERAT_REGION_CODE must be a Kemendagri/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ SERAT_PHOTO_STORE: 's3' }, /SERAT_PHOTO_STORE must be database .* or disk .* \(got "s3"\)/],
  ])('names the variable and the problem for %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never repeats a password from a bad URL', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:hunter2@db/serat' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
      expect((error as Error).message).toContain('user:***@');
    }
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig({ PORT: 'x', REDIS_URL: 'nope' })).toThrow(/PORT .*; REDIS_URL /);
  });
});

describe('redactUrl', () => {
  it('hides passwords and leaves URLs without one alone', () => {
    expect(redactUrl('postgres://a:b@h:5432/d')).toBe('postgres://a:***@h:5432/d');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
