import type { NetworkStatus, NodeKind, NodeOwner, SegmentPlacement } from '@serat/vocabulary';
import type { ExportNode, ExportSegment } from './export-types';
import { linePositions, pointPosition } from './layer-fields';
import { Utf8Builder, writeZip } from './zip-writer';

/**
 * Open Fibre Data Standard 0.3.0, GeoJSON publication format: a nodes and a spans
 * FeatureCollection; each feature's properties are the OFDS Node/Span without its geometry, with
 * organisation and phase references and the span's start/end node ids dereferenced into objects,
 * and the network's own metadata in `.properties.network` (the GeoJSON transformation
 * specification). Serat's own codes ride along in an extension object `serat`.
 */
export const OFDS_VERSION = '0.3.0';
export const OFDS_SCHEMA_URL = 'https://raw.githubusercontent.com/Open-Telecoms-Data/open-fibre-data-standard/0__3__0/schema/network-schema.json';

export type OfdsStatus = 'proposed' | 'planned' | 'underConstruction' | 'inactive' | 'operational' | 'decommissioned';

/**
 * Serat lifecycle → the closed nodeStatus/spanStatus codelists (same codes). Built but not yet
 * carrying traffic is `inactive`; a damaged cable carries none either. Every status has one (the
 * compiler checks); a word outside the vocabulary is left out.
 */
export const OFDS_STATUS: Readonly<Record<NetworkStatus, OfdsStatus>> = {
  planned: 'planned',
  surveyed: 'planned',
  in_construction: 'underConstruction',
  installed: 'inactive',
  spliced: 'inactive',
  tested: 'inactive',
  active: 'operational',
  damaged: 'inactive',
  decommissioned: 'decommissioned',
};

/**
 * Serat node kind → the open nodeType codelist (pop, aggregationPoint, …) and accessPoint.
 * Handholes and poles are supporting infrastructure and terminations end-user premises: no OFDS
 * node type fits, so `type` is left out for them.
 */
export const OFDS_NODE_KIND: Readonly<Record<NodeKind, { type?: string[]; accessPoint: boolean }>> = {
  noc: { type: ['pop'], accessPoint: true },
  olt: { type: ['pop'], accessPoint: true },
  odc: { type: ['aggregationPoint'], accessPoint: true },
  odp: { type: ['aggregationPoint'], accessPoint: true },
  joint_closure: { type: ['aggregationPoint'], accessPoint: false },
  handhole: { accessPoint: false },
  pole: { accessPoint: false },
  termination: { accessPoint: false },
};

/** Serat placement → the closed deployment codelist, with a description in deploymentDetails. */
export const OFDS_PLACEMENT: Readonly<Record<SegmentPlacement, { deployment?: ('aboveGround' | 'belowGround')[]; description: string }>> = {
  aerial: { deployment: ['aboveGround'], description: 'Aerial, on poles' },
  underground: { deployment: ['belowGround'], description: 'Directly buried' },
  duct: { deployment: ['belowGround'], description: 'In duct' },
  // Over a bridge or under the river bed: neither code is right for every crossing.
  river_crossing: { description: 'River crossing' },
};

/** Organisations that own Serat nodes other than the publishing local government. */
const KNOWN_OWNERS: Readonly<Partial<Record<NodeOwner, string>>> = {
  pln: 'PT PLN (Persero)',
  telkom: 'PT Telkom Indonesia (Persero) Tbk',
};

export interface OfdsNetworkInfo {
  /** A UUID (RFC 4122), as OFDS requires for network ids. */
  id: string;
  name: string;
  /** The publishing organisation, e.g. 'Dinas Komunikasi dan Informatika Kabupaten …'. */
  publisher: string;
}

interface Organisation {
  id: string;
  name: string;
  country: 'ID';
  roles: string[];
}

function organisation(id: string, name: string): Organisation {
  return { id, name, country: 'ID', roles: ['physicalInfrastructureProvider'] };
}

type Json = Record<string, unknown>;

/** A codelist lookup that does not reach Object.prototype ('constructor', '__proto__'). */
function lookup<T>(table: Readonly<Record<string, T>>, key: string | null | undefined): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

function withoutUndefined(object: Json): Json {
  for (const key of Object.keys(object)) if (object[key] === undefined) delete object[key];
  return object;
}

/** The OFDS Node object for a Serat node, with location (as embedded in span start/end). */
function ofdsNode(node: ExportNode, publisher: Organisation): Json {
  const kind = lookup(OFDS_NODE_KIND, node.kind);
  const ownerName = lookup(KNOWN_OWNERS, node.owner);
  const owner = node.owner === 'pemda' ? publisher : ownerName ? organisation(node.owner!, ownerName) : undefined;
  return withoutUndefined({
    id: node.id,
    name: node.name || node.code,
    status: lookup(OFDS_STATUS, node.status),
    location: { type: 'Point', coordinates: pointPosition(node) },
    type: kind?.type,
    accessPoint: kind?.accessPoint,
    physicalInfrastructureProvider: owner,
    serat: { code: node.code, kind: node.kind, status: node.status, owner: node.owner, kecamatanCode: node.kecamatanCode, desaCode: node.desaCode },
  });
}

/** A FeatureCollection written as UTF-8 feature by feature: `add` one feature's JSON, then `finish`. */
class FeatureCollectionWriter {
  private readonly out = new Utf8Builder();
  private count = 0;

  add(featureJson: string): void {
    this.out.push(this.count++ === 0 ? `{"type":"FeatureCollection","features":[\n${featureJson}` : `,\n${featureJson}`);
  }

  finish(): Buffer {
    this.out.push(this.count === 0 ? '{"type":"FeatureCollection","features":[]}\n' : '\n]}\n');
    return this.out.toBuffer();
  }
}

/** The network's own properties, as every feature carries them. */
function ofdsNetwork(network: OfdsNetworkInfo, publicationDate: string): Json {
  return {
    id: network.id,
    name: network.name,
    publisher: { name: network.publisher },
    publicationDate,
    crs: { name: 'urn:ogc:def:crs:OGC::CRS84', uri: 'http://www.opengis.net/def/crs/OGC/1.3/CRS84' },
    language: 'id',
    links: [{ rel: 'describedby', href: OFDS_SCHEMA_URL }],
  };
}

/** The two feature collections as UTF-8 JSON. */
export interface OfdsGeoJson {
  nodes: Buffer;
  spans: Buffer;
}

/**
 * The two OFDS GeoJSON feature collections. Node and span ids are Serat's ids; names are node
 * names (else codes) and segment codes. Every span's start and end must be among `nodes`.
 */
export function toOfdsGeoJson(nodes: ExportNode[], segments: ExportSegment[], network: OfdsNetworkInfo, publicationDate = new Date()): OfdsGeoJson {
  // Objects repeated in every feature are serialised once and spliced in as JSON text.
  const networkJson = JSON.stringify(ofdsNetwork(network, publicationDate.toISOString().slice(0, 10)));
  // Serat's owner code for the local government is 'pemda'; it publishes and owns its network.
  const publisher = organisation('pemda', network.publisher);
  const publisherJson = JSON.stringify(publisher);
  const nodeJson = new Map<string, string>();
  const nodeFeatures = new FeatureCollectionWriter();
  for (let i = 0; i < nodes.length; i++) {
    const object = ofdsNode(nodes[i], publisher);
    nodeJson.set(nodes[i].id, JSON.stringify(object));
    const { location, ...properties } = object;
    nodeFeatures.add(`{"type":"Feature","geometry":${JSON.stringify(location)},"properties":${JSON.stringify(properties).slice(0, -1)},"network":${networkJson}}}`);
  }

  const missing = new Set<string>();
  for (const segment of segments) {
    if (!nodeJson.has(segment.fromNodeId)) missing.add(segment.fromNodeId);
    if (!nodeJson.has(segment.toNodeId)) missing.add(segment.toNodeId);
  }
  if (missing.size > 0) {
    const some = [...missing].slice(0, 5).join(', ');
    throw new RangeError(`OFDS export: ${missing.size} span end node(s) are not among the exported nodes (${some}${missing.size > 5 ? ', …' : ''}).`);
  }

  const spanFeatures = new FeatureCollectionWriter();
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const placement = lookup(OFDS_PLACEMENT, segment.placement);
    const fibreCount = typeof segment.coreCount === 'number' && Number.isInteger(segment.coreCount) && segment.coreCount > 0 ? segment.coreCount : undefined;
    const lengthM = Number.isFinite(segment.lengthM) ? segment.lengthM : undefined;
    const head = withoutUndefined({
      id: segment.id,
      name: segment.code,
      phase: segment.phaseName ? { id: segment.phaseName, name: segment.phaseName } : undefined,
      status: lookup(OFDS_STATUS, segment.status),
    });
    const tail = withoutUndefined({
      directed: false,
      transmissionMedium: ['fibre'],
      deployment: placement?.deployment,
      deploymentDetails: placement ? { description: placement.description } : undefined,
      fibreCount,
      // OFDS 0.3 defines fibreLength in kilometres; the metres are kept in serat.lengthM.
      fibreLength: lengthM === undefined ? undefined : lengthM / 1000,
      countries: ['ID'],
      serat: {
        code: segment.code,
        status: segment.status,
        placement: segment.placement,
        tier: segment.tier,
        cableType: segment.cableType,
        lengthM: lengthM ?? null,
        fromNodeCode: segment.fromNodeCode,
        toNodeCode: segment.toNodeCode,
      },
    });
    const properties =
      `${JSON.stringify(head).slice(0, -1)},"start":${nodeJson.get(segment.fromNodeId)},"end":${nodeJson.get(segment.toNodeId)}` +
      `,"physicalInfrastructureProvider":${publisherJson},${JSON.stringify(tail).slice(1, -1)},"network":${networkJson}}`;
    spanFeatures.add(`{"type":"Feature","geometry":${JSON.stringify({ type: 'LineString', coordinates: linePositions(segment) })},"properties":${properties}}`);
  }
  return { nodes: nodeFeatures.finish(), spans: spanFeatures.finish() };
}

/** A zip with nodes.geojson and spans.geojson in the OFDS GeoJSON publication format. */
export async function toOfdsZip(nodes: ExportNode[], segments: ExportSegment[], network: OfdsNetworkInfo): Promise<Buffer> {
  const { nodes: nodesJson, spans: spansJson } = toOfdsGeoJson(nodes, segments, network);
  return writeZip([
    { name: 'nodes.geojson', data: nodesJson },
    { name: 'spans.geojson', data: spansJson },
  ]);
}
