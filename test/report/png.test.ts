import { test } from "node:test";
import assert from "node:assert/strict";
import { svgToPng } from "../../src/report/png.ts";

test("svgToPng(svg) renders a PNG of the SVG's size, with text drawn from the bundled font", () => {
  const blank = svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"></svg>`);
  const text = svgToPng(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="5" y="25" font-size="16">PersonaX</text></svg>`);
  assert.deepEqual([...text.slice(1, 4)], [0x50, 0x4e, 0x47]); // "PNG" signature
  const width = new DataView(text.buffer, text.byteOffset).getUint32(16);
  assert.equal(width, 120);
  assert.ok(text.length > blank.length + 100, "text must add pixels (a missing font would render nothing)");
});
