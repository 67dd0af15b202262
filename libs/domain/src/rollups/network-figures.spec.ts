import { toNetworkFigures } from './network-figures';

describe('toNetworkFigures', () => {
  it('orders statuses and kinds as the vocabulary does, in metres, leaving out what sums to none', () => {
    const figures = toNetworkFigures([
      { subject: 'segment', category: 'active', items: 2, lengthMm: 1500, connected: 0 },
      { subject: 'segment', category: 'planned', items: 1, lengthMm: 250, connected: 0 },
      { subject: 'segment', category: 'damaged', items: 0, lengthMm: 0, connected: 0 },
      { subject: 'node', category: 'tested', items: 3, lengthMm: 0, connected: 0 },
      { subject: 'site', category: 'puskesmas', items: 4, lengthMm: 0, connected: 1 },
      { subject: 'site', category: 'sopd', items: 2, lengthMm: 0, connected: 2 },
    ]);
    expect(figures).toEqual({
      segments: [
        { status: 'planned', count: 1, lengthM: 0.25 },
        { status: 'active', count: 2, lengthM: 1.5 },
      ],
      nodes: [{ status: 'tested', count: 3 }],
      sites: [
        { kind: 'sopd', total: 2, connected: 2 },
        { kind: 'puskesmas', total: 4, connected: 1 },
      ],
    });
  });
});
