/**
 * Makes small output folders of three different commands, through the CLI as a user would: level1 (with
 * the synthetic table's truth), discover pc (with a bootstrap) and crl train (synthetic case, a few epochs).
 */
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { runCli } from "../../src/cli/run-cli.ts";
import { recordingIo } from "../../src/cli/io.ts";

async function cli(args: string[]): Promise<void> {
  const io = recordingIo();
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`personax ${args.join(" ")} exited ${code}: ${io.stderr.join("\n")}`);
}

/** Enough features that one heatmap over every score source would be far wider than the page. */
const WIDE_COLS = "Height(cm),Weight(kg),Year,Latitude,Occupation_idx,Gender_idx,Arched_Eyebrows,Big_Nose,Pointy_Nose,Bushy_Eyebrows,Big_Lips,Oval_Face,Double_Chin,Receding_Hairline,Narrow_Eyes,High_Cheekbones";

export async function makeUserRuns(dir: string): Promise<{ level1: string; pc: string; crl: string }> {
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, "celeb.csv");
  await cli(["synth", "table", "--flavour", "celeb", "--n", "200", "--seed", "3", "--out", csv]);
  const level1 = join(dir, "l1"), pc = join(dir, "pc"), crl = join(dir, "crl-run");
  await cli(["level1", "--data", csv, "--rows", "final_o,final_c,final_e", "--cols", WIDE_COLS, "--tests", "fisherz,chisq",
    "--per-llm", "--truth", join(dir, "celeb.truth.json"), "--out", level1]);
  await cli(["discover", "pc", "--data", csv, "--cols", "Height(cm),Weight(kg),Year,final_o", "--test", "fisherz", "--bootstrap", "5", "--seed", "1", "--out", pc]);
  writeFileSync(join(dir, "crl.json"), JSON.stringify({
    data: { synthetic: { case: "a", seed: 3, nSamples: 300 } }, model: { hidden: [8] }, train: { epochs: 4, evalEvery: 2, batchSize: 100 }, out: "crl-run",
  }));
  await cli(["crl", "train", "--config", join(dir, "crl.json")]);
  return { level1, pc, crl };
}
