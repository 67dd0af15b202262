/**
 * Which addresses a monitor may reach (request forgery: a monitor is a request Serat makes on a
 * planner's behalf). Agency endpoints are usually private addresses on the fiber network, so
 * private ranges are allowed; the host itself (loopback, unspecified), link-local ranges (where
 * cloud metadata services answer), multicast and broadcast are refused unless allowed by name.
 * The check is made on the address a connection is about to use, after DNS, so an answer that
 * changes between a check and the connect (rebinding) cannot slip past it.
 */
import { BlockList, isIP } from 'node:net';

/** Refused unless SERAT_MONITOR_ALLOW_CIDRS names them. */
export const BUILT_IN_DENIED: readonly string[] = [
  '0.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '100.100.100.200/32',
  '::/128',
  '::1/128',
  'fe80::/10',
  'ff00::/8',
  'fd00:ec2::254/128',
];

export interface TargetPolicyOptions {
  /** CIDRs allowed even where the built-in list refuses (e.g. 127.0.0.0/8 for a monitor of the host itself). */
  allow?: readonly string[];
  /** CIDRs refused whatever else says (a network Serat must never probe). */
  deny?: readonly string[];
}

export type TargetVerdict = { allowed: true } | { allowed: false; reason: 'denied' | 'built_in' | 'not_an_address' };

/** A CIDR as BlockList takes it; throws on one that is not. */
export function parseCidr(cidr: string): { network: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [network, bits, extra] = cidr.trim().split('/');
  const family = isIP(network);
  const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
  if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32) || (bits !== undefined && !/^\d+$/.test(bits))) {
    throw new Error(`"${cidr}" is not a CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
  }
  return { network, prefix, family: family === 6 ? 'ipv6' : 'ipv4' };
}

/** A comma- or space-separated list of CIDRs, as the environment gives it. */
export function parseCidrList(text: string | undefined): string[] {
  const items = (text ?? '').split(/[\s,]+/).filter(Boolean);
  for (const item of items) parseCidr(item);
  return items;
}

function blockListOf(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const { network, prefix, family } = parseCidr(cidr);
    list.addSubnet(network, prefix, family);
  }
  return list;
}

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is the IPv4 address. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  const family = isIP(bare);
  if (family === 0) return null;
  return { address: bare, family: family === 6 ? 'ipv6' : 'ipv4' };
}

export class TargetPolicy {
  private readonly allow: BlockList;
  private readonly deny: BlockList;
  private readonly builtIn = blockListOf(BUILT_IN_DENIED);

  constructor(options: TargetPolicyOptions = {}) {
    this.allow = blockListOf(options.allow ?? []);
    this.deny = blockListOf(options.deny ?? []);
  }

  /** The verdict on one IP address: the deny list first, then the allow list, then the built-in refusals. */
  check(address: string): TargetVerdict {
    const ip = normalise(address);
    if (!ip) return { allowed: false, reason: 'not_an_address' };
    if (this.deny.check(ip.address, ip.family)) return { allowed: false, reason: 'denied' };
    if (this.allow.check(ip.address, ip.family)) return { allowed: true };
    if (this.builtIn.check(ip.address, ip.family)) return { allowed: false, reason: 'built_in' };
    return { allowed: true };
  }
}

/** Thrown (as a connection error) when a monitor's target resolves to an address the policy refuses. */
export class TargetRefusedError extends Error {
  readonly code = 'TARGET_REFUSED';

  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: Exclude<TargetVerdict, { allowed: true }>['reason'],
  ) {
    super(`${host} resolves to ${address}, which monitors may not reach (${reason === 'denied' ? 'SERAT_MONITOR_DENY_CIDRS' : 'loopback, link-local, metadata or multicast'})`);
    this.name = 'TargetRefusedError';
  }
}
