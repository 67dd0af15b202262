import { formatViewHash, parseViewHash } from './view-hash';

describe('the view in the address', () => {
  it('reads zoom, latitude and longitude', () => {
    expect(parseViewHash('#12.5/-2.5412/112.9501')).toEqual({ zoom: 12.5, lat: -2.5412, lon: 112.9501 });
  });

  it('names no view for other hashes or impossible places', () => {
    for (const hash of ['', '#', '#12/-2.5', '#a/b/c', '#12/95/112', '#12/-2/190', '#-3/1/1']) expect(parseViewHash(hash)).toBeNull();
  });

  it('writes more decimals the closer the view, and reads back what it wrote', () => {
    expect(formatViewHash({ zoom: 8, lat: -2.123456, lon: 112.654321 })).toBe('#8/-2.123/112.654');
    expect(formatViewHash({ zoom: 16.25, lat: -2.123456, lon: 112.654321 })).toBe('#16.25/-2.12346/112.65432');
    const view = { zoom: 14, lat: -2.5, lon: 112.95 };
    expect(parseViewHash(formatViewHash(view))).toEqual(view);
  });
});
