import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SERAT_CONFIG, SeratConfig } from '@serat/config';
import { SITE_CONNECTION_LABELS, STATUS_LABELS } from '@serat/contract';
import { ExportFilter, ExportsRepository } from '@serat/domain';
import { ExportLayer, toCsv, toGeoJson, toKml, toKmz, toOfdsZip } from '@serat/geo';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { createZodDto, ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';
import { Access } from '../auth/access';
import { Language, languageOf } from '../http/messages';
import { exportFilterSchema, KIND_SCHEMAS, toInventoryFilter } from './inventory-query';

const filterSchema = exportFilterSchema.extend({
  groupBy: z.enum(['status', 'phase']).default('status').describe('KML/KMZ: one folder per status or per phase'),
});
class FilterDto extends createZodDto(filterSchema) {}

const fileParams = z.object({ layer: z.enum(['segments', 'nodes', 'sites']), format: z.enum(['geojson', 'kml', 'kmz', 'csv']) });
class FileParams extends createZodDto(fileParams) {}

/** Folder names in the reader's language: the status and connection words the web app shows (libs/contract). */
const FOLDER_LABELS: Record<Language, Record<string, string>> = {
  id: { ...STATUS_LABELS.id, ...SITE_CONNECTION_LABELS.id },
  en: { ...STATUS_LABELS.en, ...SITE_CONNECTION_LABELS.en },
};
const NO_PHASE_LABEL: Record<Language, string> = { id: 'Tanpa tahap', en: 'No phase' };

const CONTENT_TYPES = {
  geojson: 'application/geo+json; charset=utf-8',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
  kmz: 'application/vnd.google-earth.kmz',
  csv: 'text/csv; charset=utf-8',
} as const;

/** Downloads of the inventory: GeoJSON, KML/KMZ styled by status, CSV, and OFDS. */
@ApiTags('exports')
@Controller('exports')
export class ExportsController {
  constructor(
    private readonly exports: ExportsRepository,
    @Inject(SERAT_CONFIG) private readonly config: SeratConfig,
  ) {}

  /** The inventory list's filter (GET /api/inventory/<layer>), so an export is every page of the list with it. */
  private filterOf(query: FilterDto, layer?: FileParams['layer']): ExportFilter {
    // One route serves every layer: a kind is checked against the layer's own (segments have none and ignore it, as their list does).
    if (query.kind && (layer === 'nodes' || layer === 'sites')) {
      const checked = z.object({ kind: KIND_SCHEMAS[layer] }).safeParse({ kind: query.kind.join(',') });
      if (!checked.success) throw new ZodValidationException(checked.error);
    }
    return toInventoryFilter(layer === 'segments' ? { ...query, kind: undefined } : query);
  }

  @Get('ofds.zip')
  @Access(['admin', 'planner'])
  @ApiOperation({ summary: 'Open Fibre Data Standard 0.3: nodes.geojson and spans.geojson in a zip' })
  async ofds(@Query() query: FilterDto, @Res() response: Response) {
    const filter = this.filterOf(query, 'segments');
    const segments = await this.exports.segments(filter);
    // Spans need both end nodes, whatever their own status.
    const nodes = await this.exports.nodes({ area: filter.area, phaseId: filter.phaseId });
    const ids = new Set(segments.flatMap((s) => [s.fromNodeId, s.toNodeId]));
    const used = nodes.filter((n) => ids.has(n.id));
    const missing = [...ids].filter((id) => !used.some((n) => n.id === id));
    const all = missing.length ? [...used, ...(await this.exports.nodes({})).filter((n) => missing.includes(n.id))] : used;
    // OFDS wants a UUID for the network: a stable one derived from the region code.
    const hex = createHash('sha1').update(`serat:network:${this.config.region.code}`).digest('hex');
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    const zip = await toOfdsZip(all, segments, { id, name: `Jaringan serat optik ${this.config.region.name}`, publisher: `Diskominfo ${this.config.region.name}` });
    this.send(response, zip, 'application/zip', `serat-ofds-${this.config.region.code}.zip`);
  }

  @Get(':layer.:format')
  @Access(['admin', 'planner'])
  @ApiOperation({ summary: 'Segments, nodes or sites as GeoJSON, KML, KMZ or CSV, with the filter of the inventory list (area, phase, status, kind, q)' })
  async file(@Param() params: FileParams, @Query() query: FilterDto, @Req() request: Request, @Res() response: Response) {
    const filter = this.filterOf(query, params.layer);
    const layer: ExportLayer =
      params.layer === 'segments'
        ? { kind: 'segments', items: await this.exports.segments(filter) }
        : params.layer === 'nodes'
          ? { kind: 'nodes', items: await this.exports.nodes(filter) }
          : { kind: 'sites', items: await this.exports.sites(filter) };
    const title = `Serat — ${this.config.region.name} — ${params.layer}`;
    const language = languageOf(request);
    const kmlOptions = { groupBy: query.groupBy, title, statusLabels: FOLDER_LABELS[language], noPhaseLabel: NO_PHASE_LABEL[language] };
    const name = `serat-${params.layer}-${this.config.region.code}${filter.area ? `-${filter.area}` : ''}.${params.format}`;
    switch (params.format) {
      case 'geojson':
        return this.send(response, toGeoJson(layer), CONTENT_TYPES.geojson, name);
      case 'csv':
        return this.send(response, toCsv(layer), CONTENT_TYPES.csv, name);
      case 'kml':
        return this.send(response, toKml(layer, kmlOptions), CONTENT_TYPES.kml, name);
      case 'kmz':
        return this.send(response, await toKmz(layer, kmlOptions), CONTENT_TYPES.kmz, name);
    }
  }

  private send(response: Response, body: string | Buffer, contentType: string, fileName: string): void {
    response.setHeader('Content-Type', contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
    response.send(body);
  }
}
