import { buildTemplateDatabase, createMigratedTemplate, dropTemplateDatabase, templateName } from '@serat/database';
import { seedKotim } from '../kotim-seed';

/** The migrated template with the Kotim boundaries and demo network loaded; one per test run (suffix). */
export const seededTemplateName = (suffix: string) => `serat_tpl_seeded_${suffix}`;

/** Builds the templates of a test run afresh: every migration applied, then a copy with the Kotim data seeded. */
export async function createTemplateDatabases(adminUrl: string, suffix: string): Promise<void> {
  await createMigratedTemplate(adminUrl, suffix);
  await buildTemplateDatabase(adminUrl, seededTemplateName(suffix), templateName(suffix), seedKotim);
}

/** Removes the templates of a test run (each test file drops its own copy). */
export async function dropTemplateDatabases(adminUrl: string, suffix: string): Promise<void> {
  await dropTemplateDatabase(adminUrl, seededTemplateName(suffix));
  await dropTemplateDatabase(adminUrl, templateName(suffix));
}
