// The public API in Node (pkg/node.js): results, options, errors, trap recovery, models.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { checkEntities, LABELS, pkgDir, repo } from "./helpers.mjs";

const { createRecognizer } = await import(`${pkgDir}/node.js`);
const ner = await createRecognizer();
const ARTICLE = "Angela Merkel visited Paris on Monday. Apple Inc. hired 3,000 people in Ireland last year.";

test("extract finds entities as plain objects indexing the string", () => {
  const entities = checkEntities(ARTICLE, ner.extract(ARTICLE));
  const found = entities.map((e) => `${e.label} ${e.text}`);
  for (const expected of ["PERSON Angela Merkel", "GPE Paris", "DATE Monday", "GPE Ireland"]) {
    assert.ok(found.includes(expected), `${expected} in ${found}`);
  }
});

test("entity edges are where a reader cuts: no emoji or half flag, the currency sign inside", () => {
  const text = "Gao Weimin 🇨🇳 took part. 😀😀 Tim Cook paid €89 and $25 each.\n1. Elon Musk 🚀";
  const found = checkEntities(text, ner.extract(text)).map((e) => [e.label, e.text, e.start, e.end]);
  for (const expected of [["PERSON", "Gao Weimin", 0, 10], ["PERSON", "Tim Cook", 32, 40], ["MONEY", "€89", 46, 49],
    ["MONEY", "$25", 54, 57], ["PERSON", "Elon Musk", 67, 76]]) {
    assert.ok(found.some((f) => JSON.stringify(f) === JSON.stringify(expected)), `${expected} in ${JSON.stringify(found)}`);
  }
  assert.ok(!found.some(([, t]) => t === "1." || t === "1"), "a list number is not an entity");
});

test("amounts and clock times in everyday forms", () => {
  const text = "she earns 20 euros an hour and the meeting is at 3pm.";
  const found = ner.extract(text).map((e) => `${e.label} ${e.text}`);
  assert.ok(found.includes("MONEY 20 euros") && found.includes("TIME 3pm"), found.join(", "));
});

test("the shares of a text give its entities once each, at the whole text's UTF-16 offsets", () => {
  const paragraph = "Ünïcödé 😀: Angela Merkel met Emmanuel Macron in Paris on Monday. Siemens AG paid €4 million.\n\n";
  const text = paragraph.repeat(30);
  const whole = ner.analyze(text);
  for (const shares of [1, 2, 5]) {
    const parts = Array.from({ length: shares }, (_, i) => ner.analyzeShare(text, i, shares));
    const entities = checkEntities(text, parts.flatMap((p) => p.entities));
    const spans = (es) => es.map((e) => `${e.start}:${e.end}:${e.label}`);
    assert.deepEqual(spans(entities), spans(whole.entities), `${shares} shares`);
    assert.equal(parts.reduce((n, p) => n + p.sentences, 0), whole.sentences);
  }
  assert.throws(() => ner.analyzeShare(text, 2, 2), RangeError);
});

test("analyzeLive reads an edited text again only where it changed, at the new UTF-16 offsets", () => {
  const paragraph = "Ünïcödé 😀: Angela Merkel met Emmanuel Macron in Paris on Monday. Siemens AG paid €4 million.\n\n";
  const live = new Set();
  const spans = (es) => es.map((e) => `${e.start}:${e.end}:${e.label}:${e.text}`);
  let text = paragraph.repeat(60);
  assert.deepEqual(spans(ner.analyzeLive(text).entities), spans(ner.analyze(text).entities), "a new text is read whole");
  const edits = [
    (t) => t + "Kofi Annan visited Tokyo.",
    (t) => "👩‍🔬 Zürich.\n\n" + t,
    (t) => {
      const at = t.indexOf("\n\n", t.length / 2) + 2;
      return t.slice(0, at) + "Kyoto is in Japan. " + t.slice(at);
    },
    (t) => t.slice(0, 3000),
  ];
  for (const edit of edits) {
    text = edit(text);
    const edited = ner.analyzeLive(text);
    const whole = ner.analyze(text);
    checkEntities(text, edited.entities);
    assert.deepEqual([edited.tokens, edited.sentences], [whole.tokens, whole.sentences]);
    const expected = new Set(spans(whole.entities));
    const same = spans(edited.entities).filter((s) => expected.has(s)).length;
    assert.ok(same >= expected.size * 0.99 && edited.entities.length <= expected.size * 1.01, `${same} of ${expected.size}`);
    for (const s of spans(edited.entities)) live.add(s.split(":").slice(2).join(":"));
  }
  for (const found of ["PERSON:Kofi Annan", "GPE:Tokyo", "GPE:Kyoto"]) assert.ok(live.has(found), found);
  assert.throws(() => ner.analyzeLiveShare(text, 3, 3), RangeError);
});

test("options restrict labels and scores", () => {
  const all = ner.extract(ARTICLE);
  assert.deepEqual(ner.extract(ARTICLE, { labels: ["GPE", "person"] }), all.filter((e) => ["GPE", "PERSON"].includes(e.label)));
  const cut = all[1].score;
  assert.deepEqual(ner.extract(ARTICLE, { minScore: cut }), all.filter((e) => e.score >= cut));
  assert.deepEqual(ner.extract(ARTICLE, { labels: [] }), []);
  assert.deepEqual(ner.extract(ARTICLE, {}), all);
  assert.deepEqual(ner.extract(ARTICLE, { minScore: undefined, labels: undefined }), all);
});

test("extractBatch and analyze agree with extract", () => {
  const texts = [ARTICLE, "", "Tim Cook runs Apple from Cupertino."];
  assert.deepEqual(ner.extractBatch(texts), texts.map((t) => ner.extract(t)));
  assert.deepEqual(ner.extractBatch(texts, { labels: ["ORG"] }), texts.map((t) => ner.extract(t, { labels: ["ORG"] })));
  assert.deepEqual(ner.extractBatch([]), []);
  const analysis = ner.analyze(ARTICLE, { minScore: 0.5 });
  assert.deepEqual(Object.keys(analysis).sort(), ["entities", "sentences", "tokens"]);
  assert.deepEqual(analysis.entities, ner.extract(ARTICLE, { minScore: 0.5 }));
  assert.equal(analysis.sentences, 2);
  assert.equal(analysis.tokens, 17);
  assert.deepEqual(ner.analyze(""), { entities: [], tokens: 0, sentences: 0 });
});

test("labels and info describe the model", () => {
  const labels = ner.labels();
  assert.deepEqual(labels.map((l) => l.label), LABELS);
  assert.ok(labels.every((l) => typeof l.description === "string" && l.description.length > 5));
  const info = ner.info();
  assert.equal(info.name, "onoma-en");
  assert.match(info.version, /^\d+\.\d+/);
  assert.equal(typeof info.engineVersion, "string");
  assert.ok(info.features > 1000);
  assert.ok(Number(info.metadata.test_f1_gold_tokens) > 0.5, JSON.stringify(info.metadata));
});

/** Asserts that `call` throws an instance of exactly `type` whose message is `message` (or matches it). */
function assertThrows(call, type, message) {
  assert.throws(call, (error) => {
    assert.equal(error.constructor, type, String(error));
    if (message instanceof RegExp) assert.match(error.message, message);
    else assert.equal(error.message, message);
    return true;
  });
}

test("a text that is not a string is a TypeError and the recognizer goes on working", () => {
  const cases = [
    [() => ner.extract(42), "onoma: text must be a string, got a number"],
    [() => ner.extract(), "onoma: text must be a string, got undefined"],
    [() => ner.extract(new String("Paris")), "onoma: text must be a string, got an object"],
    [() => ner.analyze(null), "onoma: text must be a string, got null"],
    [() => ner.extractBatch("Paris"), "onoma: texts must be an array of strings, got a string"],
    [() => ner.extractBatch(["Paris", 3]), "onoma: texts[1] must be a string, got a number"],
  ];
  for (const [call, message] of cases) {
    assertThrows(call, TypeError, message);
    assert.deepEqual(ner.extract("Paris").map((e) => e.text), ["Paris"]);
  }
});

test("bad options are TypeErrors or RangeErrors naming the mistake, alike in every method", () => {
  const minScore = "onoma: options.minScore must be a number from 0 to 1, got";
  const object = "onoma: options must be an object like { labels, minScore }, got";
  const cases = [
    [{ labels: "GPE" }, TypeError, "onoma: options.labels must be an array of label names, got a string"],
    [{ labels: ["GPE", null] }, TypeError, "onoma: options.labels[1] must be a label name (a string), got null"],
    [{ labels: ["CITY"] }, RangeError, /^onoma: unknown label "CITY" in options\.labels; labels are PERSON, NORP, /],
    [{ minscore: 0.5 }, TypeError, 'onoma: unknown option "minscore"; options are labels, minScore'],
    [{ minScore: "0.5" }, TypeError, `${minScore} a string`],
    [{ minScore: 1n }, TypeError, `${minScore} a bigint`],
    [{ minScore: -0.1 }, RangeError, `${minScore} -0.1`],
    [{ minScore: 1.5 }, RangeError, `${minScore} 1.5`],
    [{ minScore: NaN }, RangeError, `${minScore} NaN`],
    [{ minScore: Infinity }, RangeError, `${minScore} Infinity`],
    ["GPE", TypeError, `${object} a string`],
    [["GPE"], TypeError, `${object} an array`],
    [() => {}, TypeError, `${object} a function`],
  ];
  for (const [options, type, message] of cases) {
    assertThrows(() => ner.extract("Paris", options), type, message);
    assertThrows(() => ner.extractBatch(["Paris"], options), type, message);
    assertThrows(() => ner.analyze("Paris", options), type, message);
  }
  assert.deepEqual(ner.extract("Paris").map((e) => e.text), ["Paris"]);
});

test("null options, like undefined ones, filter nothing", () => {
  const all = ner.extract(ARTICLE);
  assert.deepEqual(ner.extract(ARTICLE, null), all);
  assert.deepEqual(ner.extract(ARTICLE, { labels: null, minScore: null }), all);
});

/** The longest text accepted, as js/README.md and index.d.ts state it. */
const MAX_TEXT_LENGTH = 10_000_000;

test("a text over the length limit is a RangeError stating the limit; the recognizer goes on", () => {
  const refusal = (what, length) =>
    `onoma: ${what}.length must be at most ${MAX_TEXT_LENGTH}, got ${length}; split longer texts`;
  const over = "a".repeat(MAX_TEXT_LENGTH + 1);
  assertThrows(() => ner.extract(over), RangeError, refusal("text", MAX_TEXT_LENGTH + 1));
  assertThrows(() => ner.analyze(over), RangeError, refusal("text", MAX_TEXT_LENGTH + 1));
  assertThrows(() => ner.extractBatch(["Paris", over]), RangeError, refusal("texts[1]", MAX_TEXT_LENGTH + 1));
  // The 100 MB of the bug report, which trapped the engine when it ran out of memory.
  const article = ARTICLE.repeat(Math.ceil(100_000_000 / ARTICLE.length));
  assertThrows(() => ner.extract(article), RangeError, refusal("text", article.length));
  assert.deepEqual(ner.extract("Paris").map((e) => e.text), ["Paris"]);
  // A word as long as the limit is cheap to analyse; a batch's texts are analysed one by
  // one, so the limit is on each text, not on their total.
  const longest = "a".repeat(MAX_TEXT_LENGTH);
  assert.deepEqual(ner.extractBatch([longest, longest, ARTICLE]), [[], [], ner.extract(ARTICLE)]);
});

test("the documentation states the enforced limit", async () => {
  const limit = MAX_TEXT_LENGTH.toLocaleString("en-US");
  assert.match(await readFile(`${pkgDir}/README.md`, "utf8"), new RegExp(`texts longer than ${limit} `, "i"));
  assert.match(await readFile(`${pkgDir}/index.d.ts`, "utf8"), new RegExp(`longer than ${limit} `));
});

test("creation options are checked", async () => {
  await assert.rejects(createRecognizer({ modle: new Uint8Array() }), /^TypeError: onoma: unknown option "modle"; options are model, wasm, patterns, patternOptions$/);
  await assert.rejects(createRecognizer({ model: "en" }), /options\.model must be the bytes of an \.onm file/);
  await assert.rejects(createRecognizer({ model: new Uint8Array(100) }), /^Error: onoma: not an Onoma model: wrong magic number$/);
});

test("a model given as bytes works like the built-in one and can be freed", async () => {
  const bytes = await readFile(`${repo}models/onoma-en.onm`);
  const custom = await createRecognizer({ model: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
  assert.deepEqual(custom.extract(ARTICLE), ner.extract(ARTICLE));
  bytes.fill(0); // the recognizer kept its own copy
  custom.free();
  custom.free();
  assert.throws(() => custom.extract(ARTICLE), /^Error: onoma: this recognizer has been freed$/);
  assert.ok(ner.extract(ARTICLE).length > 0);
});

test("after a trap the call throws a clear Error and every recognizer works again", async () => {
  const bytes = await readFile(`${repo}models/onoma-en.onm`);
  const custom = await createRecognizer({ model: bytes });
  const before = ner.extract(ARTICLE);
  assert.throws(() => ner.__trap(), (error) =>
    error.constructor === Error &&
    /^onoma: the WebAssembly engine failed \(RuntimeError: unreachable\); it was restarted/.test(error.message) &&
    error.cause instanceof WebAssembly.RuntimeError);
  assert.deepEqual(ner.extract(ARTICLE), before);
  assert.deepEqual(custom.extract(ARTICLE), before, "a model given as bytes is reloaded too");
  assert.throws(() => custom.__trap(), /engine failed/);
  assert.deepEqual(ner.analyze(ARTICLE).entities, before);
});

test("an exception thrown by an options getter is survived", () => {
  const options = {
    get minScore() {
      throw new RangeError("boom");
    },
  };
  assert.throws(() => ner.extract(ARTICLE, options), /^Error: onoma: the WebAssembly engine failed \(RangeError: boom\)/);
  assert.ok(ner.extract(ARTICLE).length > 0);
});

test("recognizers share one engine instance and the default model", async () => {
  const other = await createRecognizer();
  assert.deepEqual(other.extract(ARTICLE), ner.extract(ARTICLE));
  other.free();
  assert.ok(ner.extract(ARTICLE).length > 0);
});
