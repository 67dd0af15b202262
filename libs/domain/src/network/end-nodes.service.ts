import { Injectable } from '@nestjs/common';
import type { Position } from 'geojson';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { NetworkEditRepository, NodeRow } from './network-edit.repository';
import type { NetworkStatus, NodeKind } from '@serat/vocabulary';
import { NodesRepository } from './nodes.repository';

/**
 * The node at a segment end that names none: the nearest stored node within the tolerance (the
 * repository's spatial query), else a new one there. The editor resolves every free end so; an
 * import only the rare end whose new node's code is taken (see libs/geo/src/snapping.ts for how
 * the two resolve ends).
 */
@Injectable()
export class EndNodesService {
  constructor(
    private readonly reads: NetworkEditRepository,
    private readonly nodes: NodesRepository,
  ) {}

  /** A new node whose code is taken gets a suffix derived from its position, so the same input always makes the same code. */
  async nodeAtOrNew(
    position: Position,
    toleranceM: number,
    node: { code: string; kind: NodeKind; status: NetworkStatus },
    manager: EntityManager,
  ): Promise<{ node: NodeRow; created: boolean }> {
    const [lon, lat] = position;
    const near = await this.reads.nearestNode(lon, lat, toleranceM, manager);
    if (near) return { node: near, created: false };
    const fields = { name: null, kind: node.kind, status: node.status, owner: null, lon, lat };
    const suffix = createHash('sha1').update(`${lon},${lat}`).digest('hex').slice(0, 6);
    const id = (await this.nodes.insert({ ...fields, code: node.code }, manager)) ?? (await this.nodes.insert({ ...fields, code: `${node.code}-${suffix}` }, manager));
    if (!id) throw new Error(`node codes ${node.code} and ${node.code}-${suffix} are both taken`);
    return { node: (await this.reads.findNode(id, manager))!, created: true };
  }
}
