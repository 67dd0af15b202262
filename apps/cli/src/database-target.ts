import type { SeratConfig } from '@serat/config';
import { EmbeddedPostgres } from '@serat/database';

export interface DatabaseTarget {
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** DATABASE_URL when set; else the embedded database under the data directory, opened here. */
export async function openDatabaseTarget(config: SeratConfig, log: (line: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, close: async () => undefined };
  log(`Opening the embedded database in ${config.embeddedDb.dir} (the first start takes a little longer) …`);
  const started = Date.now();
  const embedded = await EmbeddedPostgres.start({
    ...config.embeddedDb,
    onError: (error) => log(`The embedded database failed on one connection, which was closed: ${error.message}`),
  });
  log(`Embedded database ready on 127.0.0.1:${embedded.port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { url: embedded.url, embedded: true, close: () => embedded.stop() };
}
