/**
 * DNS for monitors, checked against the target policy: the addresses a name resolves to are the
 * ones the connection uses (net and http take this as `lookup`), so what was checked is what is
 * reached. A literal IP address skips DNS in Node, so `assertTarget` checks it before connecting.
 */
import * as dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { TargetPolicy, TargetRefusedError } from './target-policy';

type LookupAll = (hostname: string, options: dns.LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void) => void;

/** A `lookup` for net.connect and http.request that refuses a name resolving to any address the policy refuses. */
export function guardedLookup(policy: TargetPolicy, resolve: LookupAll = dns.lookup as LookupAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family as number | undefined, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      for (const entry of addresses) {
        const verdict = policy.check(entry.address);
        if (!verdict.allowed) return callback(Object.assign(new TargetRefusedError(hostname, entry.address, verdict.reason), { errno: 0 }), '', 0);
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Throws TargetRefusedError for a literal IP address the policy refuses; a name is left to the lookup. */
export function assertTarget(policy: TargetPolicy, host: string): void {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) === 0) return;
  const verdict = policy.check(bare);
  if (!verdict.allowed) throw new TargetRefusedError(host, bare, verdict.reason);
}
