// Draws the demo regulators' logos (cases/regulators/*.png): tiny flat PNGs in each profile's
// colour, one wide and one square, so the certificate is seen fitting both. Run it again after
// changing a colour: `npx tsx scripts/demo-logos.ts`.
import fs from "node:fs";
import path from "node:path";
import { demoLogo } from "./lib/png";

const logos = [
  { file: "coto.png", width: 240, height: 80, colour: [0x17, 0x54, 0x6b] as const },
  { file: "demo-psychotherapy.png", width: 96, height: 96, colour: [0x5b, 0x2a, 0x6e] as const },
];
for (const logo of logos) {
  const file = path.resolve("cases/regulators", logo.file);
  fs.writeFileSync(file, demoLogo(logo.width, logo.height, logo.colour));
  console.log(`${path.relative(process.cwd(), file)}: ${logo.width}×${logo.height}, ${fs.statSync(file).size} bytes`);
}
