// End-to-end tests of the web page, as a person uses it, against the real npm package in site/onoma/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { startHarness, setText, waitForAnnotations, highlights, showSample, redrawn, artifacts } from "./harness.mjs";

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
  sample = await showSample(page);
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
  assert.match(tip, /^"Place \(country, city, state\) · GPE · \d+% confidence"$/);
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
  assert.ok(await mark.evaluate((m) => m.classList.contains("current")));
  await page.waitForFunction(() => {
    const doc = document.getElementById("doc").getBoundingClientRect();
    const mark = [...document.querySelectorAll("#doc mark.ent")].at(-1).getBoundingClientRect();
    return mark.top >= doc.top && mark.bottom <= doc.bottom;
  });
});

test("after an edit that leaves the list as it was, its entries show the mentions of the new analysis", async () => {
  const { page } = await harness.openPage();
  const text = "Helen Okafor met the board in Lagos. Later, Okafor flew home.";
  await setText(page, text);
  const entry = page.locator("#entity-list button", { hasText: "Helen Okafor" });
  const list = await page.locator("#entity-list").elementHandle();
  await list.evaluate((element) => { element.firstElementChild.dataset.before = ""; });
  await setText(page, `${text} `);
  assert.ok(await page.locator("#entity-list > [data-before]").count() === 1, "the list was not built again");
  await entry.click();
  assert.equal(await page.locator("#mention-where").textContent(), "Helen Okafor: 1 of 2");
  assert.equal(await page.locator("#doc mark.ent.current").textContent(), "Helen Okafor");
  await page.locator("#mention-next").click();
  assert.equal(await page.locator("#doc mark.ent.current").textContent(), "Okafor");
  await page.context().close();
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

test("Download CSV saves one row per entity shown, for Excel, with the settings that chose them", async () => {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
  assert.equal(download.suggestedFilename(), "kingsport-approves-2-4-billion.csv");
  const content = readFileSync(await download.path(), "utf8");
  assert.ok(content.startsWith("\uFEFF"), "a byte-order mark, so that Excel reads UTF-8");
  const [table, settings] = content.slice(1).split("\r\n\r\n");
  const rows = table.split("\r\n");
  assert.equal(rows[0], "start,end,label,type,text,score,source,id,context");
  assert.equal(rows.length - 1, (await highlights(page)).length);
  assert.ok(rows.some((row) => /,LAW,Law,the Coastal Resilience Act,[\d.]+,model,,.*«the Coastal Resilience Act»/.test(row)));
  assert.match(settings, /\r\nmodel,onoma-en \S+\r\nminimum confidence,0\.30\r\ntypes hidden,none\r\n$/);
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

const marks = (label) => page.locator(`#doc mark[data-label="${label}"]`);
let modelOnly;

test("a pattern file adds the user's own entities over the model's", async () => {
  modelOnly = await highlights(page);
  assert.ok(modelOnly.some(([t, l]) => t === "Kingsport" && l === "GPE"));
  assert.ok(modelOnly.some(([t, l]) => t === "the Harbour Festival" && l === "EVENT"));
  await redrawn(page, () => loadPatterns("places.jsonl", PATTERNS));
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
  assert.equal(await city.evaluate((m) => getComputedStyle(m, "::before").content), '"CITY · found by your terms or patterns (id home-town)"');
  assert.equal(await page.locator('#doc mark[data-label="ORG"]').first().getAttribute("data-source"), "model");

  // The legend and the list show the new types, each in a colour of its own.
  const legend = await page.$$eval("#legend button", (buttons) => buttons.map((b) => b.dataset.label));
  assert.deepEqual(legend.slice(18), ["CITY", "FESTIVAL", "PARTY", '<b>"BANK"</b>']);
  const cityButton = page.getByRole("button", { name: "CITY: 6 found" });
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
  await redrawn(page, () => page.getByRole("checkbox", { name: "Ignore case" }).check());
  let found = await highlights(page);
  assert.ok(found.some(([t, l]) => t === "Green Party" && l === "PARTY"));
  assert.ok(!found.some(([t]) => t === "the Green Party"));
  await redrawn(page, () => page.getByRole("combobox", { name: /overlap/ }).selectOption("model"));
  found = await highlights(page);
  assert.equal(found.filter(([t, l]) => t === "Kingsport" && l === "GPE").length, 6, "the model wins");
  assert.equal(await marks("CITY").count(), 0);
  assert.ok(found.some(([t, l]) => t === "the Harbour Festival" && l === "EVENT"));
  await redrawn(page, () => page.getByRole("combobox", { name: /overlap/ }).selectOption("patterns"));
  await redrawn(page, () => page.getByRole("checkbox", { name: "Ignore case" }).uncheck());
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
  await redrawn(page, () => page.getByRole("button", { name: "Remove patterns" }).click());
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

// The user's own model, in a page of its own: opening a model starts a worker for it, which
// loads the engine's files again (from this origin), and the tests below count the requests
// of `page`. kitchen.onm knows CHEF, CITY and DISH, in colours of its own.
const KITCHEN = readFileSync(new URL("../data/kitchen.onm", import.meta.url));
const DINNER = "😀 Zoë Brûlé cooked ramen in Gdańsk last night.";
const DINNER_ENTITIES = [["Zoë Brûlé", "CHEF"], ["ramen", "DISH"], ["Gdańsk", "CITY"]];
let own;

// [text, label] of every highlight, and [label, tooltip, swatch colour] of every legend entry.
const marksOf = (shown) => shown.$$eval("#doc mark[data-label]", (all) => all.map((m) => [m.textContent, m.dataset.label]));
const legendOf = (shown) => shown.$$eval("#legend button", (buttons) => buttons.map((b) =>
  [b.dataset.label, b.title, getComputedStyle(b.querySelector(".swatch")).backgroundColor]));

// kitchen.onm with other [name, description, colour] for its three labels. Model format 3:
// a 28-byte header (magic, version, payload length, FNV-1a 64 checksum of the payload), then
// the metadata and the labels, as u32 counts and u32-length-prefixed strings, then the rest.
function kitchenWithLabels(labels) {
  let at = 28;
  const u32 = () => (at += 4, KITCHEN.readUInt32LE(at - 4));
  const skip = (strings) => {
    for (let i = 0; i < strings; i++) {
      const length = u32();
      at += length;
    }
  };
  for (let n = u32(); n > 0; n--) skip(2);
  const metadataEnd = at;
  for (let n = u32(); n > 0; n--) skip(3);
  const u32le = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const strings = labels.flat().map((s) => Buffer.concat([u32le(Buffer.byteLength(s)), Buffer.from(s)]));
  const payload = Buffer.concat([KITCHEN.subarray(28, metadataEnd), u32le(labels.length), ...strings, KITCHEN.subarray(at)]);
  let hash = 0xcbf29ce484222325n;
  for (const byte of payload) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  const header = Buffer.alloc(28);
  KITCHEN.copy(header, 0, 0, 12);
  header.writeBigUInt64LE(BigInt(payload.length), 12);
  header.writeBigUInt64LE(hash, 20);
  return Buffer.concat([header, payload]);
}

test("a model opened from disk takes the built-in one's place, with its labels and colours", async () => {
  own = await harness.openPage();
  const { page: shown, record: seen } = own;
  assert.equal(await shown.textContent("#model-summary"), "In use: the built-in English model");
  await setText(shown, DINNER);
  const requestsBefore = seen.requests.length;
  await redrawn(shown, async () => {
    const [chooser] = await Promise.all([
      shown.waitForEvent("filechooser"),
      shown.getByRole("button", { name: "Open a model (.onm)…" }).click(),
    ]);
    await chooser.setFiles({ name: "kitchen.onm", mimeType: "application/octet-stream", buffer: KITCHEN });
  });
  await shown.locator("#model-summary", { hasText: "kitchen.onm" }).waitFor();
  assert.deepEqual(await marksOf(shown), DINNER_ENTITIES);
  assert.equal(await shown.textContent("#doc"), DINNER);
  assert.deepEqual(await legendOf(shown), [
    ["CHEF", "CHEF — Cooks", "rgb(211, 84, 0)"],
    ["CITY", "CITY — Towns and cities", "rgb(22, 160, 133)"],
    ["DISH", "DISH — Food", "rgb(192, 57, 43)"],
  ]);
  // The highlights and the list are in the model's colours too.
  const chef = shown.locator('#doc mark[data-label="CHEF"]');
  assert.match(await chef.evaluate((m) => getComputedStyle(m).boxShadow), /^rgb\(211, 84, 0\) /);
  assert.equal(await shown.$eval('#entity-list [data-label="DISH"] h3', (h) => getComputedStyle(h).backgroundColor), "rgb(192, 57, 43)");
  assert.equal(await shown.textContent("#model-summary"), "In use: kitchen.onm (kitchen 0.1.0)");
  assert.match(await shown.textContent("#status"), /^3 entities · .* · model kitchen 0\.1\.0$/);
  assert.equal(await shown.textContent("#model-version"), "Model kitchen 0.1.0");
  assert.ok(await shown.getByRole("button", { name: "Back to the built-in model" }).isVisible());
  // The file was read in the page: the only requests were for the engine's own files.
  const requests = seen.requests.slice(requestsBefore).filter((url) => !url.startsWith("blob:"));
  assert.ok(requests.every((url) => url.startsWith(`${harness.origin}/onoma/`)), requests.join("\n"));
  assert.deepEqual(seen.errors, []);
  await shown.screenshot({ path: `${artifacts}/desktop-light-kitchen-model.png` });
});

test("a bad model file is refused with a message, and the model in use stays", async () => {
  const { page: shown } = own;
  const error = shown.locator("#model-error");
  assert.equal(await error.getAttribute("role"), "alert");
  const flipped = Buffer.from(KITCHEN);
  flipped[KITCHEN.length - 100] ^= 0x55;
  const bad = [
    ["random.onm", randomBytes(100), /^Could not use random\.onm: not an Onoma model: wrong magic number$/],
    ["flipped.onm", flipped, /^Could not use flipped\.onm: model file is corrupted: checksum mismatch$/],
    ["half.onm", KITCHEN.subarray(0, KITCHEN.length >> 1), /^Could not use half\.onm: model file is truncated/],
    ["train.jsonl", readFileSync(new URL("../data/kitchen/train.jsonl", import.meta.url)),
      /^Could not use train\.jsonl: not an Onoma model/],
  ];
  for (const [name, buffer, message] of bad) {
    await shown.setInputFiles("#model-file", { name, mimeType: "application/octet-stream", buffer });
    await error.filter({ hasText: name }).waitFor();
    assert.match(await error.textContent(), message);
    assert.deepEqual(await marksOf(shown), DINNER_ENTITIES);
    assert.equal(await shown.textContent("#model-summary"), "In use: kitchen.onm (kitchen 0.1.0)");
    assert.equal((await legendOf(shown)).length, 3);
  }
  // New text is still annotated, with kitchen.onm.
  await setText(shown, "Zoë Brûlé cooked ramen in Gdańsk.");
  assert.deepEqual(await marksOf(shown), DINNER_ENTITIES);
  await setText(shown, DINNER);
});

test("a model's label names, descriptions and colours stay text, never markup or CSS", async () => {
  const { page: shown, record: seen } = own;
  const hostile = kitchenWithLabels([
    ["<img src=/x onerror=alert(1)>", "<b>Cooks</b>", "red; background-image: url(/x)"],
    ["CITY", "Towns & <i>cities</i>", ""],
    ["DISH", "Food", "#C39"],
  ]);
  await redrawn(shown, () => shown.setInputFiles("#model-file", { name: "<b>hostile</b>.onm", mimeType: "", buffer: hostile }));
  await shown.locator("#model-summary", { hasText: "hostile" }).waitFor();
  assert.deepEqual(await marksOf(shown), [["Zoë Brûlé", "<img src=/x onerror=alert(1)>"], ["ramen", "DISH"], ["Gdańsk", "CITY"]]);
  assert.equal(await shown.textContent("#model-summary"), "In use: <b>hostile</b>.onm (kitchen 0.1.0)");
  assert.equal(await shown.locator("main img, main b, main i").count(), 0);
  const legend = await legendOf(shown);
  assert.deepEqual(legend.map(([label, title]) => [label, title]),
    [["<img src=/x onerror=alert(1)>", "<img src=/x onerror=alert(1)> — <b>Cooks</b>"],
      ["CITY", "CITY — Towns & <i>cities</i>"], ["DISH", "DISH — Food"]]);
  // A colour that is not #rgb or #rrggbb is not used: the type gets a colour of the page's,
  // as one without a colour does, each its own.
  assert.equal(legend[2][2], "rgb(204, 51, 153)");
  assert.equal(new Set(legend.map(([, , colour]) => colour)).size, 3);
  const styles = await shown.$$eval("[data-label]", (all) => all.map((n) => n.getAttribute("style") ?? ""));
  assert.ok(styles.every((style) => !style.includes("url") && !style.includes("red")), styles.join("\n"));
  assert.ok(await shown.$$eval("[data-label]", (all) => all.every((n) => getComputedStyle(n).backgroundImage === "none")));
  // The legend entry with a name of markup still toggles its type.
  const chef = shown.locator("#legend button").first();
  await chef.click();
  assert.equal(await shown.locator("#doc mark").count(), 2);
  await chef.click();
  await shown.waitForTimeout(300); // an onerror would have fired by now
  assert.deepEqual(seen.dialogs, []);
  assert.ok(!seen.requests.includes(`${harness.origin}/x`));
});

test("the patterns stay in use across models, and the built-in model comes back", async () => {
  const { page: shown, record: seen } = own;
  // A phrase in capitals, which matches only while "Ignore case" stays on.
  await shown.getByRole("checkbox", { name: "Ignore case" }).check();
  await redrawn(shown, async () => {
    const [chooser] = await Promise.all([
      shown.waitForEvent("filechooser"),
      shown.getByRole("button", { name: "Load a pattern file…" }).click(),
    ]);
    const buffer = Buffer.from('{"label": "WHEN", "pattern": "LAST NIGHT"}');
    await chooser.setFiles({ name: "when.jsonl", mimeType: "application/jsonl", buffer });
  });
  await redrawn(shown, () => shown.setInputFiles("#model-file", { name: "kitchen.onm", mimeType: "", buffer: KITCHEN }));
  await shown.locator("#model-summary", { hasText: "kitchen.onm" }).waitFor();
  assert.deepEqual(await marksOf(shown), [...DINNER_ENTITIES, ["last night", "WHEN"]]);
  const legend = await legendOf(shown);
  assert.deepEqual(legend.map(([label]) => label), ["CHEF", "CITY", "DISH", "WHEN"]);
  assert.equal(new Set(legend.map(([, , colour]) => colour)).size, 4, "the patterns' type has a colour of its own");

  const back = shown.getByRole("button", { name: "Back to the built-in model" });
  await redrawn(shown, () => back.click());
  await shown.locator("#model-summary", { hasText: "built-in" }).waitFor();
  assert.equal(await shown.textContent("#model-summary"), "In use: the built-in English model");
  assert.equal(await shown.textContent("#model-error"), "");
  assert.equal(await back.isVisible(), false);
  assert.ok(await shown.getByRole("button", { name: "Open a model (.onm)…" }).evaluate((b) => b === document.activeElement));
  assert.match(await shown.textContent("#status"), / · model onoma-en \S+$/);
  await setText(shown, "Angela Merkel visited Paris last night.");
  assert.deepEqual(await marksOf(shown), [["Angela Merkel", "PERSON"], ["Paris", "GPE"], ["last night", "WHEN"]]);
  const labels = (await legendOf(shown)).map(([label]) => label);
  assert.equal(labels.length, 19);
  assert.deepEqual(labels.slice(0, 5), ["PERSON", "NORP", "FAC", "ORG", "GPE"]);
  assert.equal(labels[18], "WHEN");
  assert.equal(await shown.textContent("#patterns-summary"), "1 pattern from when.jsonl");
  assert.ok(seen.errors.every((error) => error.includes("Content Security Policy")), seen.errors.join("\n"));
  await shown.context().close();
});

test("screenshots at desktop and phone widths, light and dark", async () => {
  const sizes = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
  for (const [device, size] of Object.entries(sizes)) {
    for (const colorScheme of ["light", "dark"]) {
      const { page: shown } = await harness.openPage({ ...size, colorScheme });
      await showSample(shown);
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
