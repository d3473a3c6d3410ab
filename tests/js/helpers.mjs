// Shared by the tests: where the built package is, and the checks every result must pass.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = `${repo}pkg`;
if (!existsSync(`${pkgDir}/package.json`)) {
  throw new Error("pkg/ is missing: run `make pkg` (or `make test-js`) first");
}

export const LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
  "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"];

/** Asserts that `entities` are plain, ordered, non-overlapping spans of `text` whose `text` is its slice. */
export function checkEntities(text, entities) {
  assert.ok(Array.isArray(entities));
  let lastEnd = 0;
  for (const e of entities) {
    assert.deepEqual(Object.keys(e).sort(), ["end", "label", "score", "start", "text"]);
    assert.equal(Object.getPrototypeOf(e), Object.prototype);
    assert.ok(Number.isInteger(e.start) && Number.isInteger(e.end), "integer offsets");
    assert.ok(lastEnd <= e.start && e.start < e.end && e.end <= text.length, `span ${e.start}..${e.end}`);
    assert.equal(text.slice(e.start, e.end), e.text);
    assert.ok(LABELS.includes(e.label), e.label);
    assert.ok(e.score >= 0 && e.score <= 1, `score ${e.score}`);
    lastEnd = e.end;
  }
  return entities;
}

/** Lone surrogates replaced by U+FFFD, as the engine sees the text (String#toWellFormed). */
export function wellFormed(text) {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
