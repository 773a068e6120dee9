// Integration tests run the real production build: build it once before any test file.
import { buildIfNeeded } from "../../scripts/lib/build";

export default function setup() {
  buildIfNeeded();
}
