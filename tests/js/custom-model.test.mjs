// A model with labels of its own (tests/data/kitchen.onm: CHEF, CITY, DISH), in Node's
// recognizer and worker: its labels with description and colour, UTF-16 offsets on
// non-ASCII text, label filters, and patterns on top of it.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { checkEntities, pkgDir, repo } from "./helpers.mjs";

const { createRecognizer, createWorkerRecognizer } = await import(`${pkgDir}/node.js`);
const bytes = await readFile(`${repo}tests/data/kitchen.onm`);
const KITCHEN = ["CHEF", "CITY", "DISH"];
const TEXT = "😀 Zoë Brûlé cooked ramen in Gdańsk last night.";

/** `[text, start, end, label]` of each entity. */
const brief = (entities) => entities.map((e) => [e.text, e.start, e.end, e.label]);

test("a custom model's labels come from the model file, with description and colour", async () => {
  const ner = await createRecognizer({ model: bytes });
  assert.deepEqual(ner.labels(), [
    { label: "CHEF", description: "Cooks", colour: "#d35400" },
    { label: "CITY", description: "Towns and cities", colour: "#16a085" },
    { label: "DISH", description: "Food", colour: "#c0392b" },
  ]);
});

test("a custom model finds its own labels at UTF-16 offsets, filtered by its label names", async () => {
  const ner = await createRecognizer({ model: bytes });
  const entities = ner.extract(TEXT);
  checkEntities(TEXT, entities, KITCHEN);
  // The emoji is two UTF-16 code units: "Zoë" starts at 3.
  assert.deepEqual(brief(entities), [
    ["Zoë Brûlé", 3, 12, "CHEF"],
    ["ramen", 20, 25, "DISH"],
    ["Gdańsk", 29, 35, "CITY"],
  ]);
  assert.deepEqual(brief(ner.extract(TEXT, { labels: ["dish"] })), [["ramen", 20, 25, "DISH"]]);
  assert.throws(() => ner.extract(TEXT, { labels: ["PERSON"] }), /PERSON/);
});

test("patterns add labels on top of a custom model, and the worker agrees", async () => {
  const patterns = [{ label: "DRINK", pattern: "kompot" }, { label: "DISH", pattern: "night", id: "d9" }];
  const ner = await createRecognizer({ model: bytes, patterns });
  const text = `${TEXT} Kompot and kompot.`;
  const entities = ner.extract(text);
  checkEntities(text, entities, KITCHEN);
  const fromPatterns = entities.filter((e) => e.source === "pattern");
  // Phrases match the case written by default: "Kompot" is not "kompot".
  assert.deepEqual(brief(fromPatterns), [["night", 41, 46, "DISH"], ["kompot", 59, 65, "DRINK"]]);
  assert.equal(fromPatterns[0].id, "d9");
  assert.deepEqual(ner.labels().map((l) => l.label), ["CHEF", "CITY", "DISH", "DRINK"]);
  const worker = await createWorkerRecognizer({ model: bytes, patterns });
  try {
    assert.deepEqual(await worker.extract(text), ner.extract(text));
    assert.deepEqual(await worker.labels(), ner.labels());
  } finally {
    worker.terminate();
  }
});
