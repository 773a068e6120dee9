// Images for the logo tests: real PNGs (scripts/lib/png.ts) and the smallest JPEG the checks read
// (a JFIF header and a frame header with the size, no image data; pdf-lib embeds it as it is).
import { encodePng } from "../../scripts/lib/png";

export function png(width: number, height: number): Buffer {
  return encodePng(width, height, (x, y) => ((x + y) % 2 === 0 ? [23, 84, 107] : [255, 255, 255]));
}

export function jpeg(width: number, height: number): Buffer {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0, 0];
  const sof0 = [
    ...[0xff, 0xc0, 0x00, 0x11, 0x08],
    ...[height >> 8, height & 0xff, width >> 8, width & 0xff],
    ...[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01],
  ];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

export const svg = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
