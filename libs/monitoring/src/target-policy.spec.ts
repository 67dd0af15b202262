import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertTarget, guardedLookup } from './guarded-lookup';
import { BUILT_IN_DENIED, parseCidrList, TargetPolicy, TargetRefusedError } from './target-policy';

describe("the monitors' target policy", () => {
  const policy = new TargetPolicy();

  it.each([
    ['10.12.0.5', 'a router on the fiber network (private)'],
    ['172.16.4.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.3.2', 'carrier-grade NAT'],
    ['203.0.113.7', 'public'],
    ['fd12:3456::1', 'unique local IPv6'],
    ['2001:db8::1', 'global IPv6'],
  ])('allows %s (%s)', (address) => {
    expect(policy.check(address)).toEqual({ allowed: true });
  });

  it.each([
    ['127.0.0.1', 'the host itself'],
    ['127.8.8.8', 'loopback'],
    ['::1', 'IPv6 loopback'],
    ['0.0.0.0', 'unspecified'],
    ['169.254.169.254', 'cloud metadata (link-local)'],
    ['fd00:ec2::254', 'AWS metadata over IPv6'],
    ['100.100.100.200', 'Alibaba Cloud metadata'],
    ['fe80::1', 'IPv6 link-local'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback written as IPv6'],
    ['::ffff:169.254.169.254', 'metadata written as IPv6'],
  ])('refuses %s (%s)', (address) => {
    expect(policy.check(address)).toEqual({ allowed: false, reason: 'built_in' });
  });

  it('lets SERAT_MONITOR_ALLOW_CIDRS open a refused range, and SERAT_MONITOR_DENY_CIDRS close any, the deny list first', () => {
    const configured = new TargetPolicy({ allow: parseCidrList('127.0.0.0/8, 10.0.0.0/8'), deny: parseCidrList('10.99.0.0/16 192.168.7.7') });
    expect(configured.check('127.0.0.1')).toEqual({ allowed: true });
    expect(configured.check('::1')).toEqual({ allowed: false, reason: 'built_in' });
    expect(configured.check('10.99.1.1')).toEqual({ allowed: false, reason: 'denied' });
    expect(configured.check('10.1.1.1')).toEqual({ allowed: true });
    expect(configured.check('192.168.7.7')).toEqual({ allowed: false, reason: 'denied' });
    expect(configured.check('192.168.7.8')).toEqual({ allowed: true });
  });

  it('says which setting is wrong when a CIDR cannot be read', () => {
    expect(() => parseCidrList('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR');
    expect(() => parseCidrList('sampit.go.id')).toThrow('is not a CIDR');
    expect(() => parseCidrList('10.0.0.0/8/1')).toThrow('is not a CIDR');
    expect(parseCidrList('')).toEqual([]);
    expect(BUILT_IN_DENIED.length).toBeGreaterThan(5);
  });

  it('checks a literal address before a connection, and leaves a name to the lookup', () => {
    expect(() => assertTarget(policy, '127.0.0.1')).toThrow(TargetRefusedError);
    expect(() => assertTarget(policy, '[::1]')).toThrow(TargetRefusedError);
    expect(() => assertTarget(policy, '10.0.0.1')).not.toThrow();
    expect(() => assertTarget(policy, 'router.sopd.local')).not.toThrow();
  });

  describe('at connect time', () => {
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      server = http.createServer((_request, response) => response.end('ok'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const get = (lookup: ReturnType<typeof guardedLookup>, host: string) =>
      new Promise<string>((resolve, reject) => {
        const request = http.get({ host, port, lookup, timeout: 2000 }, (response) => {
          response.resume();
          response.on('end', () => resolve(String(response.statusCode)));
        });
        request.on('error', reject);
      });

    it('refuses a name that resolves to a refused address, whatever it resolved to when the monitor was saved', async () => {
      // A name that pointed elsewhere when it was entered and now answers with the host's loopback (rebinding).
      const rebinding = guardedLookup(policy, (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]));
      await expect(get(rebinding, 'router.sopd.example')).rejects.toMatchObject({ code: 'TARGET_REFUSED', address: '127.0.0.1' });
      await expect(get(guardedLookup(policy), 'localhost')).rejects.toMatchObject({ code: 'TARGET_REFUSED' });
    });

    it('connects where the policy allows it', async () => {
      const allowed = guardedLookup(new TargetPolicy({ allow: ['127.0.0.0/8'] }), (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]));
      await expect(get(allowed, 'router.sopd.example')).resolves.toBe('200');
    });

    it('passes a DNS failure on as it is', async () => {
      const failing = guardedLookup(policy, (_host, _options, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), []));
      await expect(get(failing, 'tidak-ada.sopd.example')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    });
  });
});
