import 'reflect-metadata';
import { ConfigError, loadConfig } from '@serat/config';
import { EmbeddedDatabaseError } from '@serat/database';
import { parseArgs } from 'node:util';
import { CommandError, createUserCommand, migrateCommand, seedCommand, startCommand } from './commands';

const USAGE = `Usage: node dist/apps/cli/src/main.js <command>

Commands:
  start            database (embedded unless DATABASE_URL is set), migrations, demo data on a fresh
                   embedded database, then the api and a worker (npm start)
  migrate          apply pending migrations (npm run migrate)
  migrate:revert   revert the last migration
  seed             load the Kotim boundaries and the demo network; safe to repeat (npm run seed)
  user:create      create an account (npm run user:create -- --role admin --email you@example.org)
                   options: --role admin|planner|technician|mentor|viewer (required), --email (required),
                   --username, --name, --password-stdin (read the password from standard input;
                   without it a temporary password is generated, printed once, and must be changed)
`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const log = (line: string) => process.stdout.write(`serat: ${line}\n`);

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  switch (command) {
    case 'start':
      return startCommand(config, log);
    case 'migrate':
      await migrateCommand(config, log);
      return 0;
    case 'migrate:revert':
      await migrateCommand(config, log, { revert: true });
      return 0;
    case 'seed':
      await seedCommand(config, log);
      return 0;
    case 'user:create': {
      const { values } = parseArgs({
        args: argv.slice(1),
        options: {
          role: { type: 'string' },
          email: { type: 'string' },
          username: { type: 'string' },
          name: { type: 'string' },
          'password-stdin': { type: 'boolean', default: false },
        },
        strict: true,
      });
      if (!values.role || !values.email) throw new CommandError('user:create needs --role and --email (see --help)');
      const password = values['password-stdin'] ? (await readStdin()).split(/\r?\n/)[0] : undefined;
      await createUserCommand(config, log, { role: values.role as never, email: values.email, username: values.username, name: values.name, passwordFromStdin: password });
      return 0;
    }
    default:
      process.stderr.write(`serat: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof ConfigError || error instanceof CommandError || error instanceof EmbeddedDatabaseError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = known ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`serat: ${message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
