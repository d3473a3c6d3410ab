// End-to-end tests of the web page, as a person uses it, against the real npm package in site/onoma/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startHarness, setText, waitForAnnotations, highlights, artifacts } from "./harness.mjs";

// Entities the shipped model finds in the sample article with high confidence.
const EXPECTED = [
  ["$2.4 billion", "MONEY"], ["March 14, 2024", "DATE"], ["David Mendez", "PERSON"],
  ["the European Investment Bank", "ORG"], ["38 percent", "PERCENT"],
  ["the Coastal Resilience Act", "LAW"], ["Rotterdam", "GPE"], ["Hurricane Imogen", "EVENT"],
];
const XSS = `<img src=x onerror=alert(1)> "quoted" <script>alert('xss')</script> & Paris <b>bold</b> <svg onload=alert(2)>`;

let harness, page, record, sample, loadedRequests;

before(async () => {
  harness = await startHarness();
  ({ page, record } = await harness.openPage());
  await page.click("#sample-button");
  sample = await page.inputValue("#text-input");
  await waitForAnnotations(page, sample);
  loadedRequests = record.requests.length;
});
after(() => harness?.close());

test("the sample article is highlighted in place with the right types", async () => {
  const found = await highlights(page);
  for (const [text, label] of EXPECTED) {
    assert.ok(found.some(([t, l]) => t === text && l === label), `${text} should be ${label}`);
  }
  const status = await page.textContent("#status");
  assert.match(status, /^\d+ entities · [\d,]+ tokens · \d+ ms · model \S+ \S+$/);
  assert.equal(Number(status.split(" ")[0]), found.length);
  assert.equal(await page.textContent("#doc"), sample, "the shown text is the text, labels are not copied");
  assert.deepEqual(record.errors, []);
});

test("pasting a text annotates it without a button", async () => {
  const pasted = "Angela Merkel met Emmanuel Macron in Paris on Monday.";
  await page.fill("#text-input", "");
  await page.evaluate((text) => navigator.clipboard.writeText(text), pasted);
  await page.focus("#text-input");
  await page.keyboard.press("Control+V");
  await waitForAnnotations(page, pasted);
  assert.ok((await highlights(page)).some(([t, l]) => t === "Paris" && l === "GPE"));
  await setText(page, sample);
});

test("the confidence shows when a highlight gets keyboard focus", async () => {
  const mark = page.locator("#doc mark.ent").first();
  assert.equal(await mark.getAttribute("tabindex"), "0");
  await mark.focus();
  await page.waitForFunction(() => getComputedStyle(document.activeElement, "::before").display === "block");
  const tip = await mark.evaluate((m) => getComputedStyle(m, "::before").content);
  assert.match(tip, /^"\d+% confidence"$/);
});

test("the threshold slider hides less confident entities", async () => {
  const before = await highlights(page);
  await page.locator("#threshold").fill("0.9");
  const after = await highlights(page);
  assert.ok(after.length > 0 && after.length < before.length);
  assert.ok(after.every(([, , score]) => score >= 0.9));
  assert.equal(await page.textContent("#threshold-value"), "0.90");
  await page.locator("#threshold").fill("0.3");
  assert.equal((await highlights(page)).length, before.length);
});

test("a type can be toggled off and on from the legend", async () => {
  const person = page.locator('#legend button[data-label="PERSON"]');
  const count = Number(await person.locator(".count").textContent());
  assert.ok(count > 0);
  await person.click();
  assert.equal(await person.getAttribute("aria-pressed"), "false");
  assert.equal(await page.locator('#doc mark[data-label="PERSON"]').count(), 0);
  assert.equal(await page.locator('#entity-list [data-label="PERSON"]').count(), 0);
  assert.equal(await page.textContent("#doc"), sample);
  await person.click();
  assert.equal(await page.locator('#doc mark[data-label="PERSON"]').count(), count);
});

test("the entity list counts mentions and shows them when clicked", async () => {
  const entry = page.locator('#entity-list [data-label="ORG"] button', { hasText: "Van Rijn Group" });
  assert.equal(await entry.locator(".times").textContent(), "×2");
  // The last entity of the article is below the fold of the annotated text.
  const last = (await highlights(page)).at(-1);
  await page.locator(`#entity-list [data-label="${last[1]}"] button`, { hasText: last[0] }).first().click();
  const mark = page.locator("#doc mark.ent").last();
  await assert.doesNotReject(mark.and(page.locator(".flash")).waitFor());
  await page.waitForFunction(() => {
    const doc = document.getElementById("doc").getBoundingClientRect();
    const mark = [...document.querySelectorAll("#doc mark.ent")].at(-1).getBoundingClientRect();
    return mark.top >= doc.top && mark.bottom <= doc.bottom;
  });
});

test("Copy as JSON gives exactly what the engine finds", async () => {
  await page.locator("#threshold").fill("0.5");
  await page.click("#copy-json");
  await page.locator("#export-note", { hasText: "Copied" }).waitFor();
  const exported = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  // The engine itself, on the same text and threshold, in a second page of the same site.
  const { page: reference } = await harness.openPage();
  const engine = await reference.evaluate(async ({ text, minScore }) => {
    const { createRecognizer } = await import("./onoma/index.js");
    const recognizer = await createRecognizer();
    return recognizer.analyze(text, { minScore });
  }, { text: sample, minScore: 0.5 });
  await reference.context().close();
  assert.equal(exported.text, sample);
  assert.equal(exported.minScore, 0.5);
  assert.deepEqual(exported.entities, engine.entities);
  for (const e of exported.entities) assert.equal(sample.slice(e.start, e.end), e.text);
  await page.locator("#threshold").fill("0.3");
});

test("Download CSV saves one row per entity shown", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  assert.equal(download.suggestedFilename(), "entities.csv");
  const rows = readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
  assert.equal(rows[0], "start,end,label,text,score,source,id");
  assert.equal(rows.length - 1, (await highlights(page)).length);
  assert.ok(rows.some((row) => row.includes(",LAW,the Coastal Resilience Act,") && row.endsWith(",model,")));
});

// A pattern file: a new type for a place the model calls GPE, a token pattern over a model
// EVENT, a lower-case phrase that only matches with "Ignore case", and a type written as markup.
const PATTERNS = [
  '{"label": "CITY", "pattern": "Kingsport", "id": "home-town"}',
  "",
  '{"label": "FESTIVAL", "pattern": [{"LOWER": "harbour"}, {"LOWER": "festival"}]}',
  '{"label": "PARTY", "pattern": "green party"}',
  '{"label": "<b>\\"BANK\\"</b>", "pattern": "European Investment Bank"}',
].join("\n");

async function loadPatterns(name, text) {
  const [chooser] = await Promise.all([
    page.waitForEvent("filechooser"),
    page.getByRole("button", { name: "Load a pattern file…" }).click(),
  ]);
  await chooser.setFiles({ name, mimeType: "application/jsonl", buffer: Buffer.from(text) });
}

// Waits until the page has applied a change of patterns and annotated the text again.
// (Only an analysis redraws the text while patterns change: the old blocks going shows it came.)
async function patternsApplied(change) {
  await page.$eval("#doc .block", (block) => { block.dataset.old = ""; });
  await change();
  await page.waitForFunction(() => !document.querySelector("#doc [data-old]"));
  await waitForAnnotations(page, sample);
}

const marks = (label) => page.locator(`#doc mark[data-label="${label}"]`);
let modelOnly;

test("a pattern file adds the user's own entities over the model's", async () => {
  modelOnly = await highlights(page);
  assert.ok(modelOnly.some(([t, l]) => t === "Kingsport" && l === "GPE"));
  assert.ok(modelOnly.some(([t, l]) => t === "the Harbour Festival" && l === "EVENT"));
  await patternsApplied(() => loadPatterns("places.jsonl", PATTERNS));
  assert.equal(await page.textContent("#patterns-summary"), "4 patterns from places.jsonl");
  assert.equal(await page.textContent("#patterns-error"), "");
  assert.equal(await page.textContent("#doc"), sample);

  const found = await highlights(page);
  assert.equal(found.filter(([t, l]) => t === "Kingsport" && l === "CITY").length, sample.split("Kingsport").length - 1);
  assert.ok(!found.some(([t]) => t.includes("Kingsport") && t !== "Kingsport"));
  assert.ok(!found.some(([t, l]) => t === "Kingsport" && l === "GPE"), "the model's GPE gave way");
  assert.deepEqual(found.filter(([, l]) => l === "FESTIVAL").map(([t]) => t), ["Harbour Festival"]);
  assert.ok(!found.some(([t]) => t === "the Harbour Festival"), "the overlapped model EVENT is gone");
  assert.ok(found.some(([t, l]) => t === "the Green Party" && l === "ORG"), "case counts until asked not to");
  assert.equal(await marks("PARTY").count(), 0);
  // The markup in a type stays text, and its legend entry still toggles it.
  const bank = page.locator("#doc mark.ent", { hasText: "European Investment Bank" });
  assert.equal(await bank.getAttribute("data-label"), '<b>"BANK"</b>');
  assert.equal(await page.locator("#doc b, #legend b, #entity-list b").count(), 0);

  const city = marks("CITY").first();
  assert.equal(await city.getAttribute("data-source"), "pattern");
  assert.equal(await city.evaluate((m) => getComputedStyle(m).borderBottomStyle), "dashed");
  await city.focus();
  assert.equal(await city.evaluate((m) => getComputedStyle(m, "::before").content), '"Found by your patterns (id home-town)"');
  assert.equal(await page.locator('#doc mark[data-label="ORG"]').first().getAttribute("data-source"), "model");

  // The legend and the list show the new types, each in a colour of its own.
  const legend = await page.$$eval("#legend button", (buttons) => buttons.map((b) => b.dataset.label));
  assert.deepEqual(legend.slice(18), ["CITY", "FESTIVAL", "PARTY", '<b>"BANK"</b>']);
  const cityButton = page.getByRole("button", { name: "CITY: Found by your patterns. 6 found" });
  assert.equal(await cityButton.getAttribute("aria-pressed"), "true");
  assert.equal(await page.locator('#entity-list [data-label="CITY"] button', { hasText: "Kingsport" }).locator(".times").textContent(), "×6");
  const colours = await page.$$eval("#legend button", (buttons) => buttons.map((b) => getComputedStyle(b).backgroundColor));
  for (const colour of colours.slice(18)) assert.equal(colours.filter((c) => c === colour).length, 1, colour);
  assert.equal(new Set([await city.evaluate((m) => getComputedStyle(m).backgroundColor), colours[18]]).size, 1);

  // Toggling a new type works as for the model's, even one whose name is markup.
  await cityButton.click();
  assert.equal(await marks("CITY").count(), 0);
  await cityButton.click();
  assert.equal(await marks("CITY").count(), 6);
  const bankButton = page.locator("#legend button").nth(21);
  await bankButton.click();
  assert.equal(await bankButton.getAttribute("aria-pressed"), "false");
  assert.ok(await bankButton.evaluate((b) => b === document.activeElement));
  await bankButton.click();
  const status = await page.textContent("#status");
  assert.equal(Number(status.split(" ")[0]), found.length);
});

test("the pattern options apply to the loaded patterns at once", async () => {
  await patternsApplied(() => page.getByRole("checkbox", { name: "Ignore case" }).check());
  let found = await highlights(page);
  assert.ok(found.some(([t, l]) => t === "Green Party" && l === "PARTY"));
  assert.ok(!found.some(([t]) => t === "the Green Party"));
  await patternsApplied(() => page.getByRole("combobox", { name: /overlap/ }).selectOption("model"));
  found = await highlights(page);
  assert.equal(found.filter(([t, l]) => t === "Kingsport" && l === "GPE").length, 6, "the model wins");
  assert.equal(await marks("CITY").count(), 0);
  assert.ok(found.some(([t, l]) => t === "the Harbour Festival" && l === "EVENT"));
  await patternsApplied(() => page.getByRole("combobox", { name: /overlap/ }).selectOption("patterns"));
  await patternsApplied(() => page.getByRole("checkbox", { name: "Ignore case" }).uncheck());
  assert.equal(await marks("CITY").count(), 6);
  assert.equal(await marks("PARTY").count(), 0);
});

test("a bad pattern file is refused with the line at fault, and the patterns stay", async () => {
  const before = await highlights(page);
  const alert = page.getByRole("alert");
  await loadPatterns("broken.jsonl", '{"label": "CITY", "pattern": "Rotterdam"}\n{"label": "X", "pattern": \n');
  await alert.filter({ hasText: "broken.jsonl" }).waitFor();
  assert.match(await alert.textContent(), /^Could not use broken\.jsonl: line 2: not JSON: /);
  // JSON, but not a pattern: the engine names it, the page turns its index into the line.
  await loadPatterns("wrong.jsonl", '\n{"label": "CITY", "pattern": "Rotterdam"}\n\n{"label": "CITY"}\n');
  await alert.filter({ hasText: "wrong.jsonl" }).waitFor();
  assert.equal(await alert.textContent(), 'Could not use wrong.jsonl: line 4: missing "pattern"');
  await loadPatterns("empty.jsonl", "\n\n");
  await alert.filter({ hasText: "empty.jsonl" }).waitFor();
  assert.equal(await page.textContent("#patterns-summary"), "4 patterns from places.jsonl");
  assert.deepEqual(await highlights(page), before);
  // The old patterns are still used on new text.
  await setText(page, "Kingsport and Rotterdam signed a deal.");
  const found = await highlights(page);
  assert.ok(found.some(([t, l]) => t === "Kingsport" && l === "CITY"));
  assert.ok(found.some(([t, l]) => t === "Rotterdam" && l === "GPE"));
  await setText(page, sample);
  assert.deepEqual(await highlights(page), before);
});

test("Remove patterns brings back the model alone", async () => {
  await patternsApplied(() => page.getByRole("button", { name: "Remove patterns" }).click());
  assert.deepEqual(await highlights(page), modelOnly);
  assert.equal(await page.locator("#legend button").count(), 18);
  assert.equal(await page.locator('#doc mark[data-source="pattern"]').count(), 0);
  assert.equal(await page.textContent("#patterns-summary"), "");
  assert.equal(await page.getByRole("button", { name: "Remove patterns" }).count(), 0);
  assert.ok(await page.getByRole("button", { name: "Load a pattern file…" }).evaluate((b) => b === document.activeElement));
});

test("pasted markup stays text: no element, no script, no dialog", async () => {
  await setText(page, XSS);
  assert.equal(await page.textContent("#doc"), XSS);
  const tags = await page.$$eval("#doc *", (nodes) => [...new Set(nodes.map((n) => `${n.tagName}.${n.className}`))]);
  assert.deepEqual(tags.filter((tag) => tag !== "DIV.block" && tag !== "MARK.ent"), []);
  assert.equal(await page.locator('img[src="x"], svg[onload], script:not([src])').count(), 0);
  await page.waitForTimeout(300); // an onerror or onload would have fired by now
  assert.deepEqual(record.dialogs, []);
  // And the Content-Security-Policy would stop a script that got in all the same.
  const injected = await page.evaluate(() => {
    const script = Object.assign(document.createElement("script"), { textContent: "window.injected = true" });
    document.body.append(script);
    script.remove();
    return window.injected ?? false;
  });
  assert.equal(injected, false);
  await setText(page, sample);
});

test("typing in a long article keeps the page responsive and shows the latest text", async () => {
  const long = Array(20).fill(sample).join("\n\n");
  await setText(page, long);
  // Watch the main thread only from here: pasting 39,000 characters is the browser's own work.
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: "longtask" });
  });
  await page.focus("#text-input");
  await page.keyboard.press("Control+End");
  const typed = " Ursula von der Leyen visited Lisbon.";
  await page.keyboard.type(typed, { delay: 15 });
  await waitForAnnotations(page, long + typed);
  assert.ok((await highlights(page)).some(([t]) => t === "Lisbon"));
  const longest = Math.max(0, ...await page.evaluate(() => window.longTasks));
  console.log(`longest main-thread task while typing in a ${long.length}-character article: ${Math.round(longest)} ms`);
  assert.ok(longest < 250, `main thread blocked for ${longest} ms`);
  await setText(page, sample);
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
  for (const [device, size] of Object.entries(sizes)) {
    for (const colorScheme of ["light", "dark"]) {
      const { page: shown } = await harness.openPage({ ...size, colorScheme });
      await shown.click("#sample-button");
      await waitForAnnotations(shown, sample);
      const overflow = await shown.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling at ${size.width}px (${overflow}px too wide)`);
      // On a desktop, show a tooltip too; on a phone hovering would scroll away from the top.
      if (device === "desktop") await shown.locator('#doc mark[data-label="PERSON"]').first().hover();
      await shown.screenshot({ path: `${artifacts}/${device}-${colorScheme}.png` });
      if (device === "phone") await shown.screenshot({ path: `${artifacts}/${device}-${colorScheme}-full.png`, fullPage: true });
      await shown.context().close();
    }
  }
});

test("once loaded, the page makes no request at all", async () => {
  const later = record.requests.slice(loadedRequests).filter((url) => !url.startsWith("blob:"));
  assert.deepEqual(later, [], "requests after the page and model had loaded");
});

test("no request ever leaves the page's own origin", async () => {
  // The record does see the worker's requests: it fetched the engine.
  assert.ok(record.requests.includes(`${harness.origin}/onoma/engine_bg.wasm`), record.requests.join("\n"));
  const foreign = record.requests.filter((url) => !url.startsWith(`${harness.origin}/`) && !url.startsWith("blob:"));
  assert.deepEqual(foreign, []);
  assert.ok(!record.requests.includes(`${harness.origin}/x`), "the pasted <img src=x> was never loaded");
  assert.ok(record.errors.every((error) => error.includes("Content Security Policy")), record.errors.join("\n"));
});
