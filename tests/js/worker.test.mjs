// createWorkerRecognizer in Node (worker_threads): the promise API, errors, long texts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { checkEntities, pkgDir } from "./helpers.mjs";

const { createRecognizer, createWorkerRecognizer } = await import(`${pkgDir}/node.js`);
const ner = await createRecognizer();
const TEXT = "Angela Merkel visited Paris on Monday with 3,000 people from Apple Inc. 😀";

test("the worker gives the same results as the recognizer, as promises", async () => {
  const worker = await createWorkerRecognizer();
  try {
    assert.deepEqual(await worker.extract(TEXT), ner.extract(TEXT));
    assert.deepEqual(await worker.extract(TEXT, { labels: ["GPE"] }), ner.extract(TEXT, { labels: ["GPE"] }));
    assert.deepEqual(await worker.analyze(TEXT, { minScore: 0.5 }), ner.analyze(TEXT, { minScore: 0.5 }));
    assert.deepEqual(await worker.extractBatch([TEXT, ""]), ner.extractBatch([TEXT, ""]));
    assert.deepEqual(await worker.labels(), ner.labels());
    assert.deepEqual(await worker.info(), ner.info());
  } finally {
    worker.terminate();
  }
});

test("errors reject with the class and message the recognizer throws, and the worker goes on", async () => {
  const worker = await createWorkerRecognizer();
  try {
    await assert.rejects(worker.extract(7), { constructor: TypeError, message: "onoma: text must be a string, got a number" });
    await assert.rejects(worker.analyze(TEXT, { labels: "GPE" }), {
      constructor: TypeError,
      message: "onoma: options.labels must be an array of label names, got a string",
    });
    await assert.rejects(worker.extractBatch([TEXT], { minScore: Infinity }), {
      constructor: RangeError,
      message: "onoma: options.minScore must be a number from 0 to 1, got Infinity",
    });
    await assert.rejects(worker.extract("a".repeat(10_000_001)), {
      constructor: RangeError,
      message: "onoma: text.length must be at most 10000000, got 10000001; split longer texts",
    });
    await assert.rejects(worker.__trap(), /^Error: onoma: the WebAssembly engine failed \(RuntimeError: unreachable\)/);
    assert.deepEqual(await worker.extract(TEXT), ner.extract(TEXT));
  } finally {
    worker.terminate();
  }
  await assert.rejects(worker.extract(TEXT), /^Error: onoma: the worker recognizer has been terminated$/);
});

test("a bad model rejects createWorkerRecognizer", async () => {
  await assert.rejects(createWorkerRecognizer({ model: new Uint8Array(64) }), /^Error: onoma: not an Onoma model/);
  await assert.rejects(createWorkerRecognizer({ workerUrl: new URL("./missing.js", import.meta.url) }), /^Error: onoma: the worker (failed|stopped)/);
});

test("calls run in order; a 5 MB text does not block the main thread", async () => {
  const worker = await createWorkerRecognizer();
  try {
    const long = "The European Central Bank met in Frankfurt on Thursday. ".repeat(90000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const [big, small] = await Promise.all([worker.analyze(long), worker.extract(TEXT)]);
    clearInterval(timer);
    assert.ok(long.length > 5_000_000);
    assert.equal(big.sentences, 90000);
    assert.equal(checkEntities(long, big.entities).length % 90000, 0);
    assert.deepEqual(small, ner.extract(TEXT));
    assert.ok(ticks > 20, `the main thread ran timers meanwhile (${ticks})`);
  } finally {
    worker.terminate();
  }
});

test("an idle worker does not keep Node running", () => {
  const script = `import { createWorkerRecognizer } from ${JSON.stringify(`${pkgDir}/node.js`)};
    const w = await createWorkerRecognizer();
    console.log((await w.extract("Tim Cook runs Apple Inc.")).length);`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30000 });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "2");
});
