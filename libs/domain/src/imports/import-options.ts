import { z } from 'zod';
import { NETWORK_STATUSES, NODE_KINDS, SEGMENT_PLACEMENTS, SEGMENT_TIERS } from '@serat/vocabulary';
import { ImportMapping, mappingSchema } from './import-mapping';
import type { PlanDefaults } from './import-plan';

export const importOptionsSchema = z.object({
  /** Refuse positions outside the configured region (false for files from elsewhere). */
  regionCheck: z.boolean().default(true),
  templateId: z.uuid().optional(),
  mapping: mappingSchema.optional(),
  /** Names the source in external references and made-up codes; default: the file name. */
  source: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,40}$/)
    .optional(),
  defaultStatus: z.enum(NETWORK_STATUSES).default('planned'),
  defaultTier: z.enum(SEGMENT_TIERS).default('distribution'),
  defaultPlacement: z.enum(SEGMENT_PLACEMENTS).default('aerial'),
  nodeKind: z.enum(NODE_KINDS).default('joint_closure'),
  /**
   * Written by the dry run, never taken from a caller: the mapping it used (the template's, as it
   * was then, with the options' own over it). The commit applies exactly this one.
   */
  analysedMapping: mappingSchema.optional(),
});
export type ImportOptions = z.output<typeof importOptionsSchema>;

/** The mapping a dry run applies: a template's (as stored now) with the options' own over it; none given, the default names alone. */
export function mappingToAnalyse(own: ImportMapping | undefined, template: { mapping: unknown } | null): ImportMapping {
  return (template ? { ...mappingSchema.parse(template.mapping), ...own } : own) ?? {};
}

/** What a create takes for what the file does not give. */
export function planDefaults(options: ImportOptions): PlanDefaults {
  return { status: options.defaultStatus, placement: options.defaultPlacement, tier: options.defaultTier, nodeKind: options.nodeKind };
}
