// Offsets on every kind of string, and inputs meant to break things: each call returns
// valid entities and the token and sentence counts of the native tokenizer, never traps,
// and the recognizer keeps working. Needs target/release/onoma (`cargo build --release`).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { checkEntities, pkgDir, random, repo, wellFormed } from "./helpers.mjs";

const { createRecognizer } = await import(`${pkgDir}/node.js`);
const ner = await createRecognizer();

const NAMES = ["Angela Merkel", "Paris", "Apple Inc.", "$3 million", "Monday", "the United Nations", "Tim Cook", "50%"];
// Emoji (astral, ZWJ sequences, flags, skin tones), astral letters, CJK, combining marks,
// RTL text and controls, lone surrogates, NUL and other controls.
const ODD = ["😀", "👩‍👩‍👧", "🇩🇪", "👍🏽", "𝐏", "𝔄", "草彅", "é", "e\u0301", "Z\u0308", "שלום", "مرحبا", "\u202e",
  "\u200d", "\u200b", "\ufeff", "\ud800", "\udfff", "\udbff\udbff", "\0", "\u0007", "\r\n", "\t", "\u00a0", " ", ". "];

function randomText(next) {
  let text = "";
  for (let i = 0, n = Math.floor(next() * 14); i < n; i++) {
    const pool = next() < 0.45 ? NAMES : ODD;
    text += pool[Math.floor(next() * pool.length)];
    if (next() < 0.5) text += " ";
  }
  return text;
}

test("offsets index the original string whatever surrounds, splits or follows a name", () => {
  const next = random(20260101);
  for (let i = 0; i < 3000; i++) {
    const text = randomText(next);
    const entities = checkEntities(text, ner.extract(text));
    // The engine sees lone surrogates as U+FFFD, one code unit too: same spans.
    const clean = ner.extract(wellFormed(text));
    assert.deepEqual(entities.map(({ start, end, label }) => [start, end, label]), clean.map(({ start, end, label }) => [start, end, label]));
  }
});

test("emoji and astral characters before, inside and after names", () => {
  const text = "😀 Angela Merkel 👩‍👩‍👧 met 𝐏aris Hilton in Paris🇫🇷 and Tim😀Cook at Apple Inc.👍🏽";
  const entities = checkEntities(text, ner.extract(text));
  const merkel = entities.find((e) => e.text === "Angela Merkel");
  assert.ok(merkel, JSON.stringify(entities));
  assert.equal(merkel.start, 3, "😀 and the space are 3 UTF-16 code units");
});

test("lone surrogates next to and inside names are kept in entity texts", () => {
  const text = "\ud800 Angela Merkel\udc00 visited Par\udbffis and Berlin \udfff\ud800 with Apple Inc.";
  const entities = checkEntities(text, ner.extract(text));
  assert.ok(entities.some((e) => e.text === "Berlin"), JSON.stringify(entities));
  checkEntities(text, ner.analyze(text).entities);
});

const FIVE_MB = 5 * 1024 * 1024;

/**
 * Token and sentence counts of each text by the native tokenizer (`onoma tokenize`), given
 * the text as the engine sees it (lone surrogates as U+FFFD).
 */
function nativeCounts(texts) {
  const cli = `${repo}target/release/onoma`;
  assert.ok(existsSync(cli), `${cli} is missing: run cargo build --release`);
  const input = texts.map((text, i) => JSON.stringify({ id: String(i), text: wellFormed(text) })).join("\n");
  return execFileSync(cli, ["tokenize"], { input, encoding: "utf8", maxBuffer: 1 << 30 })
    .trim().split("\n").map((line) => JSON.parse(line))
    .map(({ tokens, sentences }) => ({ tokens: tokens.length, sentences: sentences.length }));
}

test("adversarial inputs", () => {
  const next = random(7);
  let junk = "";
  while (junk.length < FIVE_MB) junk += String.fromCharCode(...Array.from({ length: 4096 }, () => Math.floor(next() * 0x10000)));
  // [text, tokens, sentences], the counts given where they follow plainly from the text:
  // each word, each "U.S." and each character of ".-.-" is one token.
  const cases = {
    empty: ["", 0, 0],
    whitespace: [" \t\n\r\u00a0\u2028\u3000".repeat(1000), 0, 0],
    "one 5 MB word": ["a".repeat(FIVE_MB), 1, 1],
    "5 MB of random UTF-16 code units": [junk],
    "U.S. x100000": ["U.S. ".repeat(100000), 100000],
    "NUL and controls": ["\0\u0001Angela Merkel\u0000visited\u001b[31mParis\u007f\u0085 on Monday\0"],
    RTL: ["גולדה מאיר ביקרה בפריז. Golda Meir visited Paris. \u202eAngela Merkel\u202c مرحبا"],
    ZWJ: ["👨\u200d👩\u200d👧 Angela\u200dMerkel and Tim\u200d Cook\u200d"],
    "dots and dashes": [".-".repeat(200000), 400000],
    "capitalised words": ["Paris Berlin London ".repeat(20000), 60000],
  };
  const native = nativeCounts(Object.values(cases).map(([text]) => text));
  Object.entries(cases).forEach(([name, [text, tokens, sentences]], i) => {
    const started = performance.now();
    const analysis = ner.analyze(text);
    checkEntities(text, analysis.entities);
    assert.deepEqual({ tokens: analysis.tokens, sentences: analysis.sentences }, native[i], `${name}: as the native tokenizer`);
    if (tokens !== undefined) assert.equal(analysis.tokens, tokens, `${name}: tokens`);
    if (sentences !== undefined) assert.equal(analysis.sentences, sentences, `${name}: sentences`);
    console.log(`${name}: ${text.length} code units, ${analysis.tokens} tokens, ${analysis.entities.length} entities, ${Math.round(performance.now() - started)} ms`);
  });
  assert.deepEqual(ner.extract("Tim Cook runs Apple Inc.").map((e) => e.text), ["Tim Cook", "Apple Inc."]);
});

test("10,000 calls leave the process's memory where it was", () => {
  const text = "Angela Merkel visited Paris on Monday. Apple Inc. hired 3,000 people in Ireland. ".repeat(5);
  const expected = ner.extract(text).length;
  for (let i = 0; i < 500; i++) ner.extract(text);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 10_000; i++) assert.equal(ner.extract(text).length, expected);
  const grown = (process.memoryUsage().rss - before) / 2 ** 20;
  // A leak of a kilobyte per call (two copies of the text) would be 10 MiB.
  console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB, grown ${grown.toFixed(1)} MiB`);
  assert.ok(grown < 8, `the resident set grew by ${grown.toFixed(1)} MiB`);
});
