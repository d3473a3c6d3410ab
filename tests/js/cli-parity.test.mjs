// The wasm package finds exactly the entities of the native CLI on the OntoNotes test texts
// (label and span, the CLI's code point offsets converted from UTF-16). Needs
// $SHARED/eval (../shared by default) and target/release/onoma (`cargo build --release`).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { pkgDir, repo } from "./helpers.mjs";

const texts = `${process.env.SHARED ?? `${repo}../shared`}/eval/ontonotes_test.jsonl`;
const cli = `${repo}target/release/onoma`;

test("same entities as the native CLI on the OntoNotes test set", { skip: !existsSync(texts) && `no ${texts}: skipped` }, async () => {
  assert.ok(existsSync(cli), `${cli} is missing: run cargo build --release`);
  const input = readFileSync(texts, "utf8");
  const native = execFileSync(cli, ["annotate"], { input, encoding: "utf8", maxBuffer: 1 << 30 })
    .trim().split("\n").map((line) => JSON.parse(line));
  const records = input.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  assert.equal(native.length, records.length);

  const { createRecognizer } = await import(`${pkgDir}/node.js`);
  const ner = await createRecognizer();
  let compared = 0;
  records.forEach(({ id, text }, i) => {
    assert.equal(native[i].id, id);
    // Code point index of each UTF-16 index (the CLI counts code points).
    const codePoint = new Uint32Array(text.length + 1);
    for (let u = 0, c = 0; u <= text.length; u++) {
      codePoint[u] = c;
      const pairHead = /[\uD800-\uDBFF]/.test(text[u] ?? "") && /[\uDC00-\uDFFF]/.test(text[u + 1] ?? "");
      if (!pairHead) c++;
    }
    const wasm = ner.extract(text).map((e) => [codePoint[e.start], codePoint[e.end], e.label]);
    assert.deepEqual(wasm, native[i].entities.map((e) => [e.start, e.end, e.label]), `text ${id}`);
    compared += wasm.length;
  });
  assert.ok(compared > 1000, `${compared} entities compared`);
});
