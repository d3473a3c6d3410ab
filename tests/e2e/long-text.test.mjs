// End-to-end tests of long texts on the page: the beginning is highlighted first, then the
// whole text, analysed as one document.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startHarness, waitForAnnotations, highlights } from "./harness.mjs";

let harness;
before(async () => { harness = await startHarness(); });
after(() => harness?.close());

const articles = readFileSync(new URL("../data/fresh_news.jsonl", import.meta.url), "utf8")
  .trim().split("\n").map((line) => JSON.parse(line).text);

// About `characters` long: the fresh news articles, repeated, a blank line apart.
function longText(characters) {
  const parts = [];
  for (let i = 0, length = 0; length < characters; i++) {
    parts.push(articles[i % articles.length]);
    length += parts.at(-1).length + 2;
  }
  return parts.join("\n\n");
}

// Puts `text` in the box as a paste does: all at once, one input event.
function paste(page, text) {
  return page.evaluate((pasted) => {
    const input = document.getElementById("text-input");
    input.value = pasted;
    input.dispatchEvent(new Event("input"));
  }, text);
}

// Where each highlight starts in the document's text.
function markOffsets(page) {
  return page.evaluate(() => {
    const doc = document.getElementById("doc");
    return [...doc.querySelectorAll("mark.ent")].map((mark) => {
      const range = document.createRange();
      range.setStart(doc, 0);
      range.setEndBefore(mark);
      return range.toString().length;
    });
  });
}

test("a long text shows the highlights of its beginning while the rest is analysed, then those of the whole", async () => {
  const { page } = await harness.openPage();
  const text = longText(200_000);
  await paste(page, text);
  await page.waitForFunction(() => /analysing the rest/.test(document.getElementById("status").textContent),
    null, { polling: 10 });
  const status = await page.locator("#status").textContent();
  const [, percent] = /in the first (\d+) %/.exec(status);
  const early = await markOffsets(page);
  assert.equal(await page.locator("#doc").textContent(), text, "the whole text is shown at once");
  assert.ok(early.length > 100, `${early.length} early highlights`);
  // Only the beginning is highlighted, cut after a paragraph.
  const firstPart = Math.max(...early) + 1;
  assert.ok(firstPart < (Number(percent) + 1) * text.length / 100, `${firstPart} of ${text.length} for ${percent} %`);
  assert.ok(Number(percent) < 40);

  await waitForAnnotations(page, text);
  const all = await markOffsets(page);
  assert.ok(Math.max(...all) > text.length * 0.9, "the end is highlighted too");
  assert.match(await page.locator("#status").textContent(), /^[\d,]+ entities · [\d,]+ tokens · [\d,]+ ms/);
  // The beginning's highlights are kept where the whole-document analysis agrees: at least
  // nine in ten of them.
  const kept = early.filter((start) => all.includes(start)).length;
  assert.ok(kept >= 0.9 * early.length, `${kept} of ${early.length} kept`);
  await page.context().close();
});

test("a text edited while its beginning is shown is analysed again as edited, and its old analysis is never shown", async () => {
  const { page } = await harness.openPage();
  const text = longText(150_000);
  await paste(page, text);
  await page.waitForFunction(() => /analysing the rest/.test(document.getElementById("status").textContent),
    null, { polling: 10 });
  const edited = `Angela Merkel spoke in Paris.\n\n${text}`;
  await paste(page, edited);
  await waitForAnnotations(page, edited);
  const found = (await highlights(page)).map(([name]) => name);
  assert.deepEqual(found.slice(0, 2), ["Angela Merkel", "Paris"]);
  assert.ok(!/analysing/.test(await page.locator("#status").textContent()));
  await page.context().close();
});

test("a short text is analysed in one step", async () => {
  const { page } = await harness.openPage();
  const seen = page.evaluate(() => new Promise((resolve) => {
    const status = document.getElementById("status");
    const log = [];
    new MutationObserver(() => log.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    setTimeout(() => resolve(log), 3000);
  }));
  const text = longText(60_000);
  await paste(page, text);
  await waitForAnnotations(page, text);
  assert.ok(!(await seen).some((line) => /analysing the rest/.test(line)));
  await page.context().close();
});
