// Shared by the tests: where the built package is, and the checks every result must pass.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const pkgDir = `${repo}pkg`;
if (!existsSync(`${pkgDir}/package.json`)) {
  throw new Error("pkg/ is missing: run `make pkg` (or `make test-js`) first");
}

export const LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
  "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"];

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });
/** White space, emoji, pictographs and flags: no grapheme cluster at an entity's edge starts with one. */
const EDGE_FORBIDDEN = /^(?:\s|\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier})$/u;

/** Whether UTF-16 offset `at` of `text` falls between two grapheme clusters (looked at in a window around it). */
function isGraphemeBoundary(text, at) {
  if (at === 0 || at === text.length) return true;
  const from = Math.max(0, at - 32);
  for (const { index } of graphemes.segment(text.slice(from, at + 32))) {
    if (from + index === at) return true;
    if (from + index > at) return false;
  }
  return false;
}

/**
 * Asserts that `entities` are plain, ordered, non-overlapping spans of `text` whose `text` is
 * its slice: the model's with one of `modelLabels` (by default the 18 OntoNotes labels),
 * pattern matches with any label, score 1 and a string `id` if their pattern has one.
 */
export function checkEntities(text, entities, modelLabels = LABELS) {
  assert.ok(Array.isArray(entities));
  let lastEnd = 0;
  for (const e of entities) {
    const keys = ["end", "label", "score", "source", "start", "text"];
    if (e.source === "pattern" && Object.hasOwn(e, "id")) keys.push("id");
    assert.deepEqual(Object.keys(e).sort(), keys.sort());
    assert.equal(Object.getPrototypeOf(e), Object.prototype);
    assert.ok(Number.isInteger(e.start) && Number.isInteger(e.end), "integer offsets");
    assert.ok(lastEnd <= e.start && e.start < e.end && e.end <= text.length, `span ${e.start}..${e.end}`);
    assert.equal(text.slice(e.start, e.end), e.text);
    if (e.source === "model") {
      assert.ok(modelLabels.includes(e.label), e.label);
    } else {
      assert.equal(e.source, "pattern");
      assert.ok(typeof e.label === "string" && e.label.trim() !== "", JSON.stringify(e));
      assert.equal(e.score, 1);
      if (Object.hasOwn(e, "id")) assert.equal(typeof e.id, "string");
    }
    assert.ok(e.score >= 0 && e.score <= 1, `score ${e.score}`);
    for (const at of [e.start, e.end]) assert.ok(isGraphemeBoundary(text, at), `${JSON.stringify(e)} splits a grapheme cluster`);
    const clusters = [...graphemes.segment(e.text)].map((g) => g.segment);
    for (const cluster of [clusters[0], clusters.at(-1)]) {
      const c = String.fromCodePoint(cluster.codePointAt(0));
      assert.ok(!EDGE_FORBIDDEN.test(c), `${JSON.stringify(e)} begins or ends with ${JSON.stringify(cluster)}`);
    }
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

const PACKAGE_TYPES = { ".js": "text/javascript", ".wasm": "application/wasm" };

/**
 * A local server for the benchmarks in a browser: the package's files under /onoma/, and
 * `pages` (path → HTML or text) as they are. Resolves to its origin and a `close()`.
 */
export async function servePackage(pages) {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    if (pages[path] !== undefined) return response.writeHead(200, { "content-type": "text/html" }).end(pages[path]);
    let body;
    try {
      body = readFileSync(normalize(join(pkgDir, path.replace(/^\/onoma\//, "/"))));
    } catch {
      return response.writeHead(404).end();
    }
    response.writeHead(200, { "content-type": PACKAGE_TYPES[extname(path)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}
