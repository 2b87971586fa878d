import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";

const require = createRequire(import.meta.url);
// Fonts come from an npm package so PNG text renders the same on a machine without system fonts.
const fontDir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const fontFiles = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf"].map((f) => join(fontDir, f));

/** Renders SVG markup to PNG bytes. `width` scales the image (default: the SVG's own size). */
export function svgToPng(svg: string, options: { width?: number; background?: string } = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    background: options.background ?? "white",
    fitTo: options.width ? { mode: "width", value: options.width } : { mode: "original" },
    font: { fontFiles, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans", monospaceFamily: "DejaVu Sans Mono" },
  });
  return resvg.render().asPng();
}
