import { redactUrl } from '@serat/config';

/**
 * Turns a failure to reach or prepare the database into one line that says what to do.
 * Used by every entry point before it gives up with a non-zero exit.
 */
export function explainDatabaseError(error: unknown, url: string): string {
  const err = error as { code?: string; message?: string };
  const where = redactUrl(url);
  switch (err.code) {
    case 'ECONNREFUSED':
      return `Cannot reach PostgreSQL at ${where}: connection refused. Start PostgreSQL or correct DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach PostgreSQL at ${where}: unknown host. Correct the host name in DATABASE_URL.`;
    case 'ETIMEDOUT':
      return `Cannot reach PostgreSQL at ${where}: timed out. Check the network and DATABASE_URL.`;
    case '3D000':
      return `The database named in DATABASE_URL (${where}) does not exist. Create it (createdb) or correct DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the credentials in DATABASE_URL (${where}). Correct the user or password.`;
    case '0A000':
    case '58P01':
    case '42704':
      if (/postgis/i.test(err.message ?? '')) {
        return `PostGIS is not installed on the PostgreSQL server at ${where}. Install PostGIS 3 (Debian: apt-get install postgresql-15-postgis-3) and run the migrations again.`;
      }
      break;
    case '42501':
      if (/extension/i.test(err.message ?? '') || /permission denied to create extension/i.test(err.message ?? '')) {
        return `The database user may not create the postgis extension on ${where}. Ask an administrator to run CREATE EXTENSION postgis once, then run the migrations again.`;
      }
      break;
    case undefined:
      // Not an error of the driver or the server: only its message can tell (below).
      break;
  }
  if (/extension "postgis" is not available|could not open extension control file.*postgis/i.test(err.message ?? '')) {
    return `PostGIS is not installed on the PostgreSQL server at ${where}. Install PostGIS 3 (Debian: apt-get install postgresql-15-postgis-3) and run the migrations again.`;
  }
  if (/relation "migrations" does not exist|relation "admin_areas" does not exist/i.test(err.message ?? '')) {
    return `The database at ${where} has not been migrated. Run: npm run migrate`;
  }
  return `Database error at ${where}: ${err.message ?? String(error)}`;
}
