// The package's two engine builds and its model file in Node: the SIMD build where the
// JavaScript engine runs WebAssembly SIMD, the other build elsewhere, the same entities from
// both, and a clear error when the model file is missing.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pkgDir, repo } from "./helpers.mjs";

const shared = process.env.SHARED ?? `${repo}../shared`;
// Texts with every type, odd characters and long documents: the first 60 OntoNotes test texts.
const TEXTS = readFileSync(`${shared}/eval/ontonotes_test.jsonl`, "utf8").split("\n").filter((l) => l.trim())
  .slice(0, 60).map((l) => JSON.parse(l).text);
TEXTS.push("Zürich 😀 Berlin: Ünïcödé Ltd. paid €4 million to مرحبا Angela Merkel on 3 May.");

/**
 * What a fresh Node process finds in TEXTS with the package at `dir`: {simd, entities}; with
 * `noSimd`, WebAssembly.validate says no to every module, as an engine without SIMD would to
 * the package's probe.
 */
function run(dir, noSimd = false) {
  const script = `
    ${noSimd ? "WebAssembly.validate = () => false;" : ""}
    const { createRecognizer } = await import(${JSON.stringify(`${dir}/node.js`)});
    const texts = JSON.parse((await import("node:fs")).readFileSync(0, "utf8"));
    const ner = await createRecognizer();
    console.log(JSON.stringify({ simd: ner.info().engineSimd, entities: texts.map((t) => ner.extract(t)) }));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    input: JSON.stringify(TEXTS), encoding: "utf8", maxBuffer: 1 << 28,
  }));
}

test("the SIMD build runs where SIMD is, the other build elsewhere, and both find the same entities", () => {
  const simd = run(pkgDir);
  const compat = run(pkgDir, true);
  assert.equal(simd.simd, true, "Node runs WebAssembly SIMD");
  assert.equal(compat.simd, false);
  assert.ok(simd.entities.flat().length > 500);
  assert.deepEqual(compat.entities, simd.entities);
});

const work = mkdtempSync(join(tmpdir(), "onoma-builds-"));
after(() => rmSync(work, { recursive: true, force: true }));

test("without its model file the package says which file it could not read", () => {
  cpSync(pkgDir, work, { recursive: true });
  rmSync(join(work, "onoma-en.onm"));
  assert.throws(() => run(work), (error) => {
    assert.match(error.stderr, /onoma: cannot load the built-in model: ENOENT: no such file or directory, open '.*onoma-en\.onm'/);
    return true;
  });
});
