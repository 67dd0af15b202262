import { InitialSchema1764300000000 } from './1764300000000-initial-schema';

/** Every migration, in order. Listed explicitly: no globbing of compiled files. */
export const MIGRATIONS = [InitialSchema1764300000000];
