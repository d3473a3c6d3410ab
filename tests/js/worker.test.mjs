// createWorkerRecognizer in Node (worker_threads): the promise API, errors, patterns, long texts.
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

test("patterns in the worker: given at creation, replaced by setPatterns, errors rejected", async () => {
  const patterns = [{ label: "CITY", pattern: "Paris", id: 90 }, { pattern: "Angela Merkel", stop: true }];
  const worker = await createWorkerRecognizer({ patterns, patternOptions: { precedence: "patterns" } });
  const local = await createRecognizer({ patterns });
  try {
    const found = checkEntities(TEXT, await worker.extract(TEXT));
    assert.deepEqual(found, local.extract(TEXT));
    assert.deepEqual(found.find((e) => e.text === "Paris"),
      { start: 22, end: 27, label: "CITY", text: "Paris", score: 1, source: "pattern", id: "90" });
    assert.ok(!found.some((e) => e.text === "Angela Merkel"), "the stop pattern removed the person");
    assert.deepEqual(await worker.labels(), local.labels());
    assert.deepEqual(await worker.extract(TEXT, { labels: ["city"] }), local.extract(TEXT, { labels: ["city"] }));

    const towns = [{ label: "TOWN", pattern: "paris" }];
    assert.equal(await worker.setPatterns(towns, { ignoreCase: true }), undefined);
    local.setPatterns(towns, { ignoreCase: true });
    assert.deepEqual(await worker.extract(TEXT), local.extract(TEXT));
    assert.ok((await worker.extract(TEXT)).some((e) => e.label === "TOWN" && e.text === "Paris"));
    assert.deepEqual((await worker.labels()).slice(18).map((l) => l.label), ["TOWN"]);
    await assert.rejects(worker.extract(TEXT, { labels: ["CITY"] }), { constructor: RangeError, message: /^onoma: unknown label "CITY"/ });

    await assert.rejects(worker.setPatterns([{ label: "X", pattern: [{ LOWR: "x" }] }]), {
      constructor: RangeError,
      message: /^onoma: patterns\[0\]: token 0: unknown token attribute "LOWR"; attributes are ORTH, /,
    });
    await assert.rejects(worker.setPatterns("Paris"), {
      constructor: TypeError,
      message: "onoma: patterns must be an array of objects like {label, pattern}, got a string",
    });
    await assert.rejects(worker.setPatterns(towns, { precedence: "rules" }), {
      constructor: RangeError,
      message: 'onoma: patternOptions.precedence must be "patterns" or "model", got "rules"',
    });
    assert.deepEqual(await worker.extract(TEXT), local.extract(TEXT), "the old patterns stay");

    await worker.setPatterns(null);
    assert.deepEqual(await worker.extract(TEXT), ner.extract(TEXT));
    assert.deepEqual(await worker.labels(), ner.labels());
  } finally {
    worker.terminate();
    local.free();
  }
  await assert.rejects(createWorkerRecognizer({ patterns: [{ label: "X", pattern: [] }] }),
    { constructor: RangeError, message: "onoma: patterns[0]: the pattern is empty" });
  await assert.rejects(createWorkerRecognizer({ patterns: [{ label: "X", pattern: "x" }], patternOptions: { ignoreCase: "yes" } }),
    { constructor: TypeError, message: "onoma: patternOptions.ignoreCase must be true or false, got a string" });
});

test("a pool of workers splits a long text and gives the entities of one recognizer", async () => {
  const cores = (await import("node:os")).default.availableParallelism?.() ?? 2;
  const pool = await createWorkerRecognizer({ workers: 2 });
  try {
    assert.equal(pool.workers, Math.min(2, cores));
    // 2,000 sentences, each with entities, so that every cut falls beside some.
    const sentences = Array.from({ length: 2000 }, (_, i) =>
      i % 3 ? `Ms. Okafor met ${["Tim Cook", "Angela Merkel"][i % 2]} in Zürich on March ${(i % 28) + 1}. ` : "Ünïcode 😀 Siemens AG paid €4 million.\n\n");
    const text = sentences.join("");
    const spans = (es) => es.map((e) => `${e.start}:${e.end}:${e.label}`);
    const whole = ner.analyze(text);
    const live = await pool.analyzeLive(text);
    assert.deepEqual(spans(checkEntities(text, live.entities)), spans(whole.entities), "analyzeLive on a new text");
    const edited = `${text}\n\nKofi Annan visited Tokyo.`;
    const added = checkEntities(edited, (await pool.analyzeLive(edited)).entities).slice(-2);
    assert.deepEqual(added.map((e) => `${e.label} ${e.text}`), ["PERSON Kofi Annan", "GPE Tokyo"]);
    const pooled = await pool.analyze(text);
    assert.deepEqual(spans(checkEntities(text, pooled.entities)), spans(whole.entities));
    assert.deepEqual([pooled.tokens, pooled.sentences], [whole.tokens, whole.sentences]);
    assert.deepEqual(spans(await pool.extract(text, { labels: ["PERSON"] })), spans(ner.extract(text, { labels: ["PERSON"] })));
    const texts = [TEXT, "", "Tim Cook runs Apple.", TEXT, "Paris"];
    assert.deepEqual(await pool.extractBatch(texts), ner.extractBatch(texts));
    await assert.rejects(pool.extractBatch([TEXT, TEXT, TEXT, 7]), {
      constructor: TypeError,
      message: "onoma: texts[3] must be a string, got a number",
    });
    await pool.setPatterns([{ label: "PRODUCT", pattern: "Ünïcode" }]);
    const found = (await pool.extract(text)).filter((e) => e.label === "PRODUCT");
    assert.equal(found.length, sentences.filter((s) => s.startsWith("Ünïcode")).length, "the patterns reach every worker");
  } finally {
    pool.terminate();
  }
  await assert.rejects(createWorkerRecognizer({ workers: 0 }), RangeError);
  await assert.rejects(createWorkerRecognizer({ workers: "2" }), TypeError);
});

test("live analyses in a worker, sent as edits, equal the recognizer's of each whole text", async () => {
  // A text of blocks, with pairs and lone surrogates, edited where the edits meet them.
  const paragraph = (i) => `Ms. Okafor met ${["Tim Cook", "Angela Merkel"][i % 2]} in Zürich 😀 on March ${(i % 28) + 1}. `
    + `Siemens AG paid €${i} million to the Government of Ghana.\n\n`;
  let text = Array.from({ length: 300 }, (_, i) => paragraph(i)).join("");
  const at = (needle) => text.indexOf(needle, text.length >> 1);
  const edits = [
    () => `${text}Kofi Annan visited Tokyo.`, // typed at the end
    () => `Mr. Kofi Annan said so.\n\n${text}`, // at the start
    () => `${text.slice(0, at("Zürich"))}Bern${text.slice(at("Zürich") + 6)}`, // a name in the middle
    () => `${text.slice(0, at("😀") + 1)}${text.slice(at("😀") + 2)}`, // a lone high surrogate left
    () => `${text.slice(0, at("\ud83d") + 1)}\ude00${text.slice(at("\ud83d") + 1)}`, // paired again
    () => `${text.slice(0, at("😀"))}\udc00${text.slice(at("😀"))}`, // a lone low one before a pair
    () => text, // nothing changed
    () => text.slice(0, 20_000), // most of it cut
    () => "",
    () => "Angela Merkel visited Paris.",
  ];
  const recognizer = await createRecognizer();
  const worker = await createWorkerRecognizer();
  try {
    let last = await worker.analyzeLive(text);
    assert.deepEqual(last, recognizer.analyzeLive(text));
    for (const [i, edit] of edits.entries()) {
      text = edit();
      const options = i === 3 ? { minScore: 0.9 } : i === 4 ? { labels: ["PERSON", "GPE"] } : undefined;
      const answer = await worker.analyzeLive(text, options);
      assert.deepEqual(answer, recognizer.analyzeLive(text, options), `edit ${i}`);
      checkEntities(text, answer.entities);
      if (i === 0) {
        // Typed at the end: every entity before it is the object of the last answer.
        assert.equal(answer.entities.filter((e, k) => e === last.entities[k]).length, last.entities.length);
      }
      last = answer;
    }
    await assert.rejects(worker.analyzeLive(`${text}x`, { labels: ["NOPE"] }), RangeError);
    assert.deepEqual(await worker.analyzeLive(`${text} in Rome`), recognizer.analyzeLive(`${text} in Rome`), "after an error");
  } finally {
    worker.terminate();
    recognizer.free();
  }
});

test("with a refresh limit, stale blocks are read again over later calls", async () => {
  // "Apple" in every block and "apple" in the first, until the edit: all blocks go stale.
  const text = Array.from({ length: 300 }, (_, i) => `Analysts at Apple said on day ${i} that Apple Inc. will grow.\n\n`).join("");
  const recognizer = await createRecognizer();
  const pool = await createWorkerRecognizer({ workers: 2 });
  try {
    const options = { refreshLimit: 3000 };
    await pool.analyzeLive(`He ate an apple.\n\n${text}`, options);
    const edited = `He ate a pear.\n\n${text}`;
    const pending = [];
    let answer;
    do {
      answer = await pool.analyzeLive(edited, options);
      pending.push(answer.pending);
    } while (answer.pending > 0 && pending.length < 100);
    assert.ok(pending.length > 2 && pending.every((n, i) => i === 0 || n < pending[i - 1]), `pending: ${pending}`);
    assert.deepEqual(answer.entities, recognizer.analyzeLive(edited).entities);
    await assert.rejects(pool.analyzeLive(edited, { refreshLimit: -1 }), RangeError);
    await assert.rejects(pool.analyzeLive(edited, { refreshLimit: "1" }), TypeError);
    assert.throws(() => recognizer.analyzeLive(edited, { refreshLimit: 1.5 }), RangeError);
  } finally {
    pool.terminate();
    recognizer.free();
  }
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
