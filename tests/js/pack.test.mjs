// `npm pack` of pkg/, installed into an empty project: the package as npm users get it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pkgDir } from "./helpers.mjs";

const work = mkdtempSync(join(tmpdir(), "onoma-pack-"));
after(() => rmSync(work, { recursive: true, force: true }));
const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });

const [packed] = JSON.parse(npm(["pack", pkgDir, "--json", "--pack-destination", work], work));
const tarball = join(work, packed.filename);

test("the tarball holds the package files and nothing else", () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ["LICENSE-APACHE", "LICENSE-MIT", "README.md", "common-ends.js", "core.js", "engine.js", "engine_bg.wasm", "engine_compat_bg.wasm", "entities.js", "index.d.ts",
    "index.js", "live.js", "mentions.js",
    "node-worker.js", "node.js", "onoma-en.onm", "package.json", "pool.js", "rpc.js", "worker.js"]);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.equal(manifest.name, "onoma-ner");
  for (const field of ["repository", "homepage", "bugs"]) assert.ok(manifest[field], `${field} in package.json`);
  assert.equal(manifest.exports["./node-worker.js"], "./node-worker.js");
  assert.equal(manifest.exports["."].browser, "./index.js");
  assert.match(manifest.version, /^\d+\.\d+\.\d+/);
  assert.equal(manifest.dependencies, undefined, "no runtime dependencies");
  assert.equal(manifest.exports["."].types, "./index.d.ts");
});

test("installed in an empty project, it extracts entities through the public API", () => {
  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "empty", version: "1.0.0", type: "module" }));
  npm(["install", tarball], project);
  const text = "Dr. 😀 Angela Merkel met Tim Cook, the head of Apple Inc., in Paris on 3 May 2024 for $5 million.";
  writeFileSync(join(project, "main.mjs"), `
    import { createRecognizer } from "onoma-ner";
    const ner = await createRecognizer();
    const text = ${JSON.stringify(text)};
    const entities = ner.extract(text);
    for (const e of entities) if (text.slice(e.start, e.end) !== e.text) throw new Error("bad offsets " + JSON.stringify(e));
    console.log(JSON.stringify({ entities, info: ner.info() }));
  `);
  writeFileSync(join(project, "main.cjs"), `
    import("onoma-ner").then(async ({ createWorkerRecognizer }) => {
      const w = await createWorkerRecognizer();
      console.log(JSON.stringify(await w.analyze(${JSON.stringify(text)})));
      w.terminate();
    });
  `);
  const { entities, info } = JSON.parse(execFileSync(process.execPath, ["main.mjs"], { cwd: project, encoding: "utf8" }));
  const found = entities.map((e) => `${e.label} ${e.text}`);
  for (const expected of ["PERSON Angela Merkel", "PERSON Tim Cook", "ORG Apple Inc.", "GPE Paris"]) {
    assert.ok(found.includes(expected), `${expected} in ${found}`);
  }
  assert.equal(info.name, "onoma-en");
  const analysis = JSON.parse(execFileSync(process.execPath, ["main.cjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(analysis.entities, entities);
});
