import sharp from 'sharp';

/** A real JPEG with EXIF time (2026-11-27 08:15) and GPS (2°32'13" S, 112°57'20" E, in Sampit), as a phone camera writes them. */
export function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#2a6' } })
    .jpeg()
    .withExif({
      IFD2: { DateTimeOriginal: '2026:11:27 08:15:00' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '2/1 32/1 13/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 57/1 20/1' },
    })
    .toBuffer();
}
