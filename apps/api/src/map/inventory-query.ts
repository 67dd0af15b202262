import { INVENTORY_MAX_LIMIT, INVENTORY_SORTS } from '@serat/contract';
import type { InventoryFilter } from '@serat/domain';
import { NETWORK_STATUSES, NODE_KINDS, SITE_KINDS } from '@serat/vocabulary';
import { z } from 'zod';

/**
 * The filter of the inventory list and of the exports, parsed by one set of rules, so that a
 * filter the list takes is one the export takes, meaning the same rows. Problems carry their code
 * in `params.problem`; the api words them in the reader's language (FIELD_PROBLEMS).
 */
export const AREA_CODE = /^\d{2}\.\d{2}\.\d{2}(\.\d{4})?$/;

/** A comma-separated list of words from one vocabulary (blank: no filter). */
function wordList<const W extends readonly string[]>(words: W, problem: string) {
  return z
    .string()
    .max(500)
    .optional()
    .transform((value, ctx) => {
      if (!value?.trim()) return undefined;
      const listed = [...new Set(value.split(',').map((s) => s.trim()))];
      const bad = listed.filter((s) => !words.includes(s));
      if (bad.length) {
        ctx.addIssue({ code: 'custom', message: `unknown ${bad.join(', ')}; use ${words.join(', ')}`, params: { problem } });
        return z.NEVER;
      }
      return listed as W[number][];
    });
}

const placeFields = {
  area: z
    .string()
    .optional()
    .refine((value) => value === undefined || AREA_CODE.test(value), { error: 'must be a kecamatan or desa code like 62.02.05', params: { problem: 'area_code_invalid' } })
    .describe('A kecamatan or desa code (62.02.05, 62.02.05.2001): what lies in it; segments: what crosses it'),
  phase: z.uuid().optional().describe('A phase id'),
  q: z.string().trim().max(100).optional().describe('Part of the code or name, case-insensitive (segments: the code)'),
};
const filterFields = {
  ...placeFields,
  status: wordList(NETWORK_STATUSES, 'status_unknown').describe(`Comma-separated statuses (${NETWORK_STATUSES.join(', ')}); segments and nodes`),
};

/** Nodes and sites each have their kinds; the export (one route for all layers) takes either and checks per layer. */
const nodeKinds = wordList(NODE_KINDS, 'node_kind_unknown').describe(`Nodes: comma-separated kinds (${NODE_KINDS.join(', ')})`);
const siteKinds = wordList(SITE_KINDS, 'site_kind_unknown').describe(`Sites: comma-separated kinds (${SITE_KINDS.join(', ')})`);
const anyKinds = wordList([...NODE_KINDS, ...SITE_KINDS], 'kind_unknown').describe('Nodes or sites: comma-separated kinds of the layer');

export const KIND_SCHEMAS = { nodes: nodeKinds, sites: siteKinds } as const;

export const exportFilterSchema = z.object({ ...filterFields, kind: anyKinds });

/** Paging and sorting: a sort column of the layer's (INVENTORY_SORTS), ties by code then id. */
function paging<const S extends readonly [string, ...string[]]>(sorts: S) {
  return {
    sort: z
      .enum(sorts)
      .default(sorts[0])
      .describe(`Sort column: ${sorts.join(', ')}; ties go by code`),
    order: z.enum(['asc', 'desc']).default('asc'),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('How many matching rows come before this page'),
    limit: z.coerce.number().int().min(1).max(INVENTORY_MAX_LIMIT).default(50).describe(`Page size, at most ${INVENTORY_MAX_LIMIT}`),
  };
}

export const segmentListSchema = z.object({ ...filterFields, ...paging(INVENTORY_SORTS.segments) });
export const nodeListSchema = z.object({ ...filterFields, kind: nodeKinds, ...paging(INVENTORY_SORTS.nodes) });
// A site has no status of its own (the map shows whether it is connected); the export ignores one too.
export const siteListSchema = z.object({ ...placeFields, kind: siteKinds, ...paging(INVENTORY_SORTS.sites) });

/** The parsed query as the domain's filter. */
export function toInventoryFilter(query: { area?: string; phase?: string; status?: InventoryFilter['statuses']; q?: string; kind?: string[] }): InventoryFilter {
  return { area: query.area, phaseId: query.phase, statuses: query.status, kinds: query.kind, q: query.q || undefined };
}
