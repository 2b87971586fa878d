/**
 * The one Graphviz loader: @hpcc-js/wasm-graphviz (Graphviz compiled to WebAssembly, shipped in the npm
 * package, nothing downloaded). Every graph drawing in PersonaX goes through renderDot.
 */
import { Graphviz } from "@hpcc-js/wasm-graphviz";

let graphviz: Promise<Graphviz> | undefined;

/** Renders DOT text with the `dot` layout to an <svg> element (no XML declaration, DOCTYPE or comments, so it inlines in HTML). */
export async function renderDot(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot);
  return svg.slice(svg.indexOf("<svg"));
}
