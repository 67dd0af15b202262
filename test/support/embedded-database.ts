import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, watchProcess, type Spawned } from './processes';

/**
 * The embedded database alone (compiled: PGlite loads as an ES module, which jest's sandbox
 * cannot), in a process of its own, as `npm start` opens it. Its output has a line `port N` once
 * it serves, and a line `engine error: …` for every failure of the engine on a connection.
 */
export function spawnEmbeddedDatabase(dir: string, maxConnections: number): Spawned & { port(): Promise<number> } {
  const module = path.join(repoRoot, 'dist', 'libs', 'database', 'src', 'embedded', 'embedded-postgres.js');
  const script = `
    const { EmbeddedPostgres } = require(${JSON.stringify(module)});
    EmbeddedPostgres.start({ dir: ${JSON.stringify(dir)}, port: 0, maxConnections: ${maxConnections}, onError: (error) => console.log('engine error: ' + error.message) })
      .then((db) => {
        console.log('port ' + db.port);
        process.once('SIGTERM', () => db.stop().then(() => process.exit(0)));
      })
      .catch((error) => { console.error(error); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const spawned = watchProcess(child);
  return { ...spawned, port: async () => Number((await spawned.waitForLine(/^port \d+$/, 60000)).slice(5)) };
}
