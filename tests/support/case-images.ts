// Images for the case-image tests, made with sharp (a photo-like JPEG with EXIF, a PNG with alpha,
// a WebP) and by hand (a decompression bomb: a valid PNG whose zeros expand to 100 megapixels).
import { createDeflate, crc32 } from "node:zlib";
import sharp from "sharp";

export function photo(width: number, height: number, format: "jpeg" | "png" | "webp" = "jpeg"): Promise<Buffer> {
  const image = sharp({ create: { width, height, channels: 4, background: { r: 23, g: 84, b: 107, alpha: 1 } } })
    .composite([
      {
        input: Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 3}" fill="#fc0"/></svg>`,
        ),
      },
    ])
    // A camera's metadata, which the stored image must not keep.
    .withExif({ IFD0: { Copyright: "Test camera", Artist: "Someone" } });
  return format === "jpeg"
    ? image.jpeg().toBuffer()
    : format === "png"
      ? image.png().toBuffer()
      : image.webp().toBuffer();
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A grey PNG `side`×`side` px of zeros: about 100 KB that decode to side² bytes. */
export async function pngBomb(side = 10_000): Promise<Buffer> {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (d: Buffer) => parts.push(d));
  const ended = new Promise((resolve) => deflate.on("end", resolve));
  const row = Buffer.alloc(side + 1);
  for (let y = 0; y < side; y++) {
    if (!deflate.write(row)) await new Promise((resolve) => deflate.once("drain", resolve));
  }
  deflate.end();
  await ended;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", Buffer.concat(parts)),
    pngChunk("IEND", new Uint8Array()),
  ]);
}
export const svg = Buffer.from(
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);
/** The smallest GIF (1×1): a real image, but not a type the player takes. */
export const gif = Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");
