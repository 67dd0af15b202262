/**
 * The house rules of data access, checked on the source tree (STYLE.md, "Where things go"):
 *
 * - one writer per table: every INSERT, UPDATE and DELETE of a table is in one repository file;
 *   bulk paths compose that repository's set-based SQL (insertRowsSql) instead of repeating it;
 * - SQL only in repositories: no `.query(` elsewhere in the domain lib and the apps;
 * - transactions start in one place (UnitOfWork in libs/domain/src/shared/transaction.ts), and
 *   controllers, services and processors never hold the DataSource (controllers no manager either).
 *
 * Allowed elsewhere, and why:
 * - libs/database: it owns the connection (data source, transaction guard, the database probe of
 *   the health check), the migrations (schema and data changes as SQL, run before the apps) and
 *   the helpers that make test databases; the seed under it is being moved out on its own.
 * - spec files and test/: tests arrange and inspect rows with SQL of their own.
 * - apps/web: the browser app; its `transaction(` is IndexedDB's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** TypeScript sources of libs/ and apps/ (relative, with forward slashes), tests and the browser app left out. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && rel !== 'apps/web') walk(rel);
      } else if (rel.endsWith('.ts') && !rel.endsWith('.spec.ts') && !rel.endsWith('.d.ts')) {
        out.push(rel);
      }
    }
  };
  walk('libs');
  walk('apps');
  return out.sort();
}

/** The code without comments: a rule is about statements, not about prose that names one. */
function code(file: string): string {
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*(\/\/|--).*$/gm, '');
}

const inDatabaseLib = (file: string) => file.startsWith('libs/database/');
const isRepository = (file: string) => file.endsWith('.repository.ts');

/** Tables a text writes to; `${…}` for a statement whose table is put in at run time (which no one can check). */
function writtenTables(text: string): string[] {
  const tables: string[] = [];
  for (const match of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\$\{|[a-z_][a-z0-9_]*\b)/g)) tables.push(match[1]);
  return tables;
}

describe('data access rules', () => {
  const files = sources();
  const scanned = files.filter((file) => !inDatabaseLib(file));

  it('finds the statements it is about (a scan that sees nothing proves nothing)', () => {
    expect(
      writtenTables(
        'await manager.query(`WITH h AS (INSERT INTO status_changes (node_id) SELECT id FROM n) UPDATE nodes SET code = $1 ON CONFLICT DO UPDATE SET x = 1 FOR UPDATE`)',
      ),
    ).toEqual(['status_changes', 'nodes']);
    expect(writtenTables('`DELETE FROM ${table} WHERE id = $1`')).toEqual(['${']);
    expect(scanned).toContain('libs/domain/src/network/status.repository.ts');
    expect(writtenTables(code('libs/domain/src/network/status.repository.ts'))).toContain('status_changes');
    expect(writtenTables(code('libs/domain/src/audit/audit.repository.ts'))).toContain('audit_log');
  });

  it('has one writer per table, and the history and the audit log are written by their repositories only', () => {
    const writers = new Map<string, Set<string>>();
    for (const file of scanned) {
      for (const table of writtenTables(code(file))) writers.set(table, (writers.get(table) ?? new Set()).add(file));
    }
    const shared = [...writers].filter(([, by]) => by.size > 1).map(([table, by]) => `${table}: ${[...by].join(', ')}`);
    expect(shared).toEqual([]);
    const outsideRepositories = [...writers].flatMap(([table, by]) => [...by].filter((file) => !isRepository(file)).map((file) => `${table}: ${file}`));
    expect(outsideRepositories).toEqual([]);
    // A write whose table is made at run time cannot be checked: each statement names its table.
    expect(writers.get('${') ?? new Set()).toEqual(new Set());
    expect([...(writers.get('status_changes') ?? [])]).toEqual(['libs/domain/src/network/status.repository.ts']);
    expect([...(writers.get('audit_log') ?? [])]).toEqual(['libs/domain/src/audit/audit.repository.ts']);
  });

  it('runs SQL in repositories only', () => {
    const offenders = scanned.filter((file) => !isRepository(file) && /\.query\s*\(|createQueryBuilder\s*\(|getRepository\s*\(/.test(code(file)));
    expect(offenders).toEqual([]);
  });

  it('opens transactions through the UnitOfWork only', () => {
    const helper = 'libs/domain/src/shared/transaction.ts';
    const offenders = scanned.filter((file) => file !== helper && /\.transaction\s*\(|createQueryRunner\s*\(|\.startTransaction\s*\(/.test(code(file)));
    expect(offenders).toEqual([]);
    // Repositories may run a self-contained transaction of their own through the same helper; services use the UnitOfWork.
    const direct = scanned.filter((file) => file !== helper && !isRepository(file) && /\binTransaction\s*\(/.test(code(file)));
    expect(direct).toEqual([]);
  });

  it('keeps the DataSource out of controllers, services and processors, and the manager out of controllers', () => {
    const adapters = scanned.filter((file) => /\.(controller|service|processor)\.ts$/.test(file));
    expect(adapters.length).toBeGreaterThan(10);
    expect(adapters.filter((file) => /\bDataSource\b|InjectDataSource|InjectEntityManager/.test(code(file)))).toEqual([]);
    expect(adapters.filter((file) => file.endsWith('.controller.ts') && /\bEntityManager\b|\.manager\b/.test(code(file)))).toEqual([]);
  });
});
