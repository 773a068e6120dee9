// A minimal PNG encoder (8-bit RGB, no interlace) on node:zlib: enough to draw the demo
// regulators' logos and the images the tests need, without an image library.
import { crc32, deflateSync } from "node:zlib";

/** Pixel colour at (x, y) as [r, g, b], 0–255 each. */
export type Painter = (x: number, y: number) => readonly [number, number, number];

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A `width`×`height` PNG painted pixel by pixel. */
export function encodePng(width: number, height: number, paint: Painter): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < width; x++) rows.set(paint(x, y), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", new Uint8Array()),
  ]);
}

/** A flat logo: a coloured field with a white ring (a disc less its middle) on its left. */
export function demoLogo(width: number, height: number, colour: readonly [number, number, number]): Buffer {
  const r = height * 0.36;
  const [cx, cy] = [height / 2, height / 2];
  return encodePng(width, height, (x, y) => {
    const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
    const ring = d <= r && d >= r * 0.55;
    const bar = x >= height && x < width - height * 0.25 && Math.abs(y + 0.5 - cy) <= height * 0.08;
    return ring || bar ? [255, 255, 255] : colour;
  });
}
