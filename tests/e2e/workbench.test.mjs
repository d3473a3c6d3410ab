// The page as a workbench, as a person uses it: correcting highlights, teaching it terms,
// finding one entity's mentions, redacting, and exporting (the files read back).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startHarness, setText, waitForAnnotations, highlights, showSample, redrawn, artifacts } from "./harness.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
// Found by the built-in model (minimum confidence 0.3): Helen Okafor, Okafor and Okafor (one
// person), Zhang Yong and Zhang (another), Kingsport twice, Rotterdam, Monday, Friday, the
// European Investment Bank, $95 million. An emoji comes before most of them.
const TEXT = "Helen Okafor, the mayor of Kingsport, met Zhang Yong in Rotterdam on Monday. 😀 Okafor said "
  + "the European Investment Bank would lend the city $95 million for the barrier. Zhang said that 東京 had "
  + "done the same. Okafor's plan goes to the Kingsport council on Friday.";

let harness, page, record;

before(async () => {
  harness = await startHarness();
  ({ page, record } = await harness.openPage());
  await setText(page, TEXT);
});
after(() => harness?.close());

const mark = (text) => page.locator("#doc mark.ent").filter({ hasText: new RegExp(`^${text}$`) });
const dialog = () => page.getByRole("dialog");
const has = (found, text, label) => found.some(([t, l]) => t === text && l === label);

// Selects `text` (its first occurrence) in the highlighted document, as a mouse would.
async function selectInDoc(text) {
  await page.evaluate((wanted) => {
    const doc = document.getElementById("doc");
    const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + 1); // from inside the word: the page widens it to whole words
      range.setEnd(node, at + wanted.length - 1);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return;
    }
    throw new Error(`${wanted} is not in the document`);
  }, text);
}

async function downloaded(button) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  return { name: download.suggestedFilename(), content: readFileSync(await download.path(), "utf8") };
}

test("a highlight is corrected from a dialog: another type, removed, or added from a selection; undo and redo", async () => {
  await mark("Rotterdam").click();
  assert.equal(await dialog().getAttribute("aria-labelledby"), "editor-heading");
  assert.equal(await page.textContent("#editor-heading"), "Correct “Rotterdam”");
  await dialog().getByRole("combobox", { name: "Type" }).selectOption("LOC");
  await redrawn(page, () => dialog().getByRole("button", { name: "Change type" }).click());
  assert.equal(await mark("Rotterdam").getAttribute("data-label"), "LOC");
  assert.equal(await mark("Rotterdam").getAttribute("data-source"), "user");
  assert.ok(await mark("Rotterdam").evaluate((m) => m === document.activeElement), "focus goes back to the highlight");

  // By keyboard: Enter on a highlight opens the dialog; Remove takes it away.
  await mark("Monday").focus();
  await page.keyboard.press("Enter");
  await redrawn(page, () => dialog().getByRole("button", { name: "Remove" }).click());
  assert.equal(await mark("Monday").count(), 0);

  // Selected text, widened to whole words, becomes an entity of a new type.
  await selectInDoc("barrier");
  await page.getByRole("button", { name: "Add as entity…" }).click();
  assert.equal(await page.textContent("#editor-heading"), "Add “barrier” as an entity");
  await dialog().getByRole("combobox", { name: "Type" }).selectOption({ label: "New type…" });
  await dialog().getByRole("textbox", { name: "Name of the new type" }).fill("STRUCTURE");
  await redrawn(page, () => page.keyboard.press("Enter"));
  assert.equal(await mark("barrier").getAttribute("data-label"), "STRUCTURE");
  assert.equal(await page.locator('#legend button[data-label="STRUCTURE"]').count(), 1, "the new type is in the legend");

  await redrawn(page, () => page.getByRole("button", { name: "Undo" }).click());
  assert.equal(await mark("barrier").count(), 0);
  await redrawn(page, () => page.getByRole("button", { name: "Redo" }).click());
  assert.equal(await mark("barrier").getAttribute("data-label"), "STRUCTURE");
  // Ctrl+Z outside the text box undoes the last correction too.
  await mark("barrier").focus();
  await redrawn(page, () => page.keyboard.press("Control+z"));
  assert.equal(await mark("barrier").count(), 0);
  await redrawn(page, () => page.keyboard.press("Control+Shift+z"));
  assert.equal(await mark("barrier").count(), 1);
});

test("the corrections of the text survive a reload, and follow the text when it is edited", async () => {
  await page.reload();
  await page.waitForFunction(() => / · model \S+ \S+$/.test(document.getElementById("status").textContent));
  await waitForAnnotations(page, TEXT);
  let found = await highlights(page);
  assert.ok(has(found, "Rotterdam", "LOC") && has(found, "barrier", "STRUCTURE"));
  assert.ok(!found.some(([t]) => t === "Monday"));

  // Text typed before the corrections moves them; text typed over one drops it.
  const edited = `Breaking: ${TEXT}`;
  await setText(page, edited);
  found = await highlights(page);
  assert.ok(has(found, "Rotterdam", "LOC") && has(found, "barrier", "STRUCTURE"));
  const moved = edited.replace("barrier", "wall");
  await setText(page, moved);
  found = await highlights(page);
  assert.ok(!found.some(([, l]) => l === "STRUCTURE") && has(found, "Rotterdam", "LOC"));
  await setText(page, TEXT);
  // Start the next tests from the model's own entities.
  while (!(await page.getByRole("button", { name: "Undo" }).isDisabled())) {
    await redrawn(page, () => page.getByRole("button", { name: "Undo" }).click());
  }
});

test("“Apply to every mention” teaches the page a term for the whole text, kept in your terms", async () => {
  assert.equal(await mark("Kingsport").count(), 2);
  await mark("Kingsport").first().click();
  await dialog().getByRole("combobox", { name: "Type" }).selectOption({ label: "New type…" });
  await dialog().getByRole("textbox", { name: "Name of the new type" }).fill("CITY");
  await dialog().getByRole("checkbox", { name: /Apply to every mention/ }).check();
  await redrawn(page, () => dialog().getByRole("button", { name: "Change type" }).click());
  const labels = await mark("Kingsport").evaluateAll((marks) => marks.map((m) => m.dataset.label));
  assert.deepEqual(labels, ["CITY", "CITY"]);
  assert.match(await page.textContent("#terms"), /Kingsport/);

  // Removing every mention of "Zhang" makes a stop-term: the full name stays.
  await mark("Zhang").click();
  await dialog().getByRole("checkbox", { name: /Apply to every mention/ }).check();
  await redrawn(page, () => dialog().getByRole("button", { name: "Remove" }).click());
  const found = await highlights(page);
  assert.ok(!found.some(([t]) => t === "Zhang") && has(found, "Zhang Yong", "PERSON"));
  const stored = await page.evaluate(() => localStorage.getItem("onoma.terms"));
  assert.match(stored, /Kingsport/);
  assert.match(stored, /Zhang/);
});

test("the entity list groups one entity's mentions, searches them, and walks through them", async () => {
  const okafor = page.locator("#entity-list button", { hasText: "Helen Okafor" });
  assert.equal(await okafor.locator(".times").textContent(), "×3");
  assert.match(await okafor.getAttribute("aria-label"), /^Helen Okafor, also Okafor, 3 mentions/);
  const ebank = page.locator("#entity-list button", { hasText: "European Investment Bank" });
  assert.match(await ebank.textContent(), /also the European Investment Bank/);

  await page.getByRole("searchbox", { name: "Search entities" }).fill("okaf");
  assert.deepEqual(await page.locator("#entity-list li").allTextContents(), ["Helen Okafor also Okafor×3"]);

  await okafor.click();
  assert.equal(await page.textContent("#mention-where"), "Helen Okafor: 1 of 3");
  await page.getByRole("button", { name: "Next mention" }).click();
  assert.equal(await page.textContent("#mention-where"), "Helen Okafor: 2 of 3");
  const current = page.locator("#doc mark.current");
  assert.equal(await current.count(), 1);
  assert.equal(await current.textContent(), "Okafor");
  assert.equal(await page.locator("#doc mark.sibling").count(), 2);
  await page.getByRole("button", { name: "Previous mention" }).click();
  await page.getByRole("button", { name: "Previous mention" }).click();
  assert.equal(await page.textContent("#mention-where"), "Helen Okafor: 3 of 3");
  await page.getByRole("searchbox", { name: "Search entities" }).fill("");
  await page.screenshot({ path: `${artifacts}/workbench-list.png` });
});

test("redaction gives every mention of one person the same placeholder, aliases included", async () => {
  await page.getByRole("checkbox", { name: "Redact" }).check();
  const shown = await page.$$eval("#doc mark.ent", (marks) => marks.map((m) => m.textContent));
  assert.ok(shown.every((text) => /^\[[A-Z_]+ \d+\]$/.test(text)), shown.join(" "));
  const docText = await page.textContent("#doc");
  assert.ok(docText.startsWith("[PERSON 1], the mayor of [CITY 1], met [PERSON 2] in [GPE 1]"), docText);
  assert.match(docText, /😀 \[PERSON 1\] said \[ORG 1\]/);
  assert.match(docText, /\[PERSON 1\]'s plan/);
  assert.match(await page.textContent("#entity-list"), /\[PERSON 1\]Helen Okafor/);

  // A type hidden in the legend is not redacted; the download is the text as shown.
  await page.locator('#legend button[data-label="DATE"]').click();
  const { name, content } = await downloaded("Redacted text");
  assert.equal(name, "helen-okafor-the-mayor-of-redacted.txt");
  assert.equal(content, await page.textContent("#doc"));
  assert.match(content, /on Monday\. 😀 \[PERSON 1\] said/);
  assert.match(content, /東京/);
  await page.locator('#legend button[data-label="DATE"]').click();

  await page.getByRole("combobox", { name: "as" }).selectOption("mask");
  const masked = await page.textContent("#doc");
  assert.ok(masked.startsWith("█████ ██████, the mayor of █████████"), masked);
  await page.screenshot({ path: `${artifacts}/workbench-redacted.png` });
  await page.getByRole("checkbox", { name: "Redact" }).uncheck();
  assert.equal(await page.textContent("#doc"), TEXT);
});

test("exports: a training file onoma train reads, CSV for Excel, and a standalone HTML page", async () => {
  // A correction, so that the training file holds the corrected entities.
  await mark("Rotterdam").click();
  await dialog().getByRole("combobox", { name: "Type" }).selectOption("LOC");
  await redrawn(page, () => dialog().getByRole("button", { name: "Change type" }).click());

  const jsonl = await downloaded("Training file (JSONL)");
  assert.equal(jsonl.name, "helen-okafor-the-mayor-of.jsonl");
  const [record_] = jsonl.content.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(record_.text, TEXT);
  const codePoints = [...TEXT];
  const spans = record_.entities.map((e) => [codePoints.slice(e.start, e.end).join(""), e.label]);
  assert.deepEqual(spans.filter(([t]) => ["Rotterdam", "Kingsport", "Okafor"].includes(t)),
    [["Kingsport", "CITY"], ["Rotterdam", "LOC"], ["Okafor", "PERSON"], ["Okafor", "PERSON"], ["Kingsport", "CITY"]]);
  // The trainer reads it: every entity of the file, and its labels.
  const onoma = `${repo}target/release/onoma`;
  if (existsSync(onoma)) {
    const dir = mkdtempSync(join(tmpdir(), "onoma-workbench-"));
    const corpus = join(dir, jsonl.name);
    writeFileSync(corpus, jsonl.content);
    const run = spawnSync(onoma, ["train", "--corpus", corpus, "--dev", corpus, "--out", join(dir, "m.onm"),
      "--lexicons", "none", "--epochs", "1", "--runs", "1", "--crf-runs", "1"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const labels = run.stderr.match(/\d+ labels: (.*)/)[1].split(" ");
    assert.deepEqual(labels.toSorted(), [...new Set(record_.entities.map((e) => e.label))].sort());
    assert.match(run.stderr, new RegExp(`\\(\\d+, ${record_.entities.length}\\) -> \\(\\d+, ${record_.entities.length}\\)`));
    assert.ok(existsSync(join(dir, "m.onm")));
  }

  const csv = await downloaded("CSV");
  assert.equal(csv.name, "helen-okafor-the-mayor-of.csv");
  assert.ok(csv.content.startsWith("\uFEFFstart,end,label,type,text,score,source,id,context\r\n"), csv.content.slice(0, 80));
  assert.match(csv.content, /\r\n\d+,\d+,LOC,[^,]*,Rotterdam,1,user,,/);

  const html = await downloaded("HTML page");
  assert.equal(html.name, "helen-okafor-the-mayor-of.html");
  assert.match(html.content, /^<!doctype html>/i);
  assert.ok(!/<script|<link|src=/i.test(html.content), "standalone: no script, stylesheet or image");
  assert.match(html.content, /<mark[^>]*data-label="PERSON"[^>]*>Helen Okafor<\/mark>/);

  // Nothing to export: the buttons are disabled.
  await setText(page, "nothing here at all.");
  for (const name of ["Copy as JSON", "CSV", "Training file (JSONL)", "HTML page", "Redacted text"]) {
    assert.ok(await page.getByRole("button", { name, exact: true }).isDisabled(), name);
  }
  await setText(page, TEXT);
});

test("the document is one tab stop; arrow keys go from highlight to highlight; Escape closes the dialog", async () => {
  assert.equal(await page.locator('#doc mark.ent[tabindex="0"]').count(), 1);
  const first = page.locator("#doc mark.ent").first();
  await first.focus();
  await page.keyboard.press("ArrowRight");
  const second = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(second, (await highlights(page))[1][0]);
  assert.equal(await page.locator('#doc mark.ent[tabindex="0"]').count(), 1);
  await page.keyboard.press("Enter");
  assert.ok(await dialog().isVisible());
  await page.screenshot({ path: `${artifacts}/workbench-dialog.png` });
  await page.keyboard.press("Escape");
  assert.ok(!(await dialog().isVisible()));
  assert.equal(await page.evaluate(() => document.activeElement.textContent), second);
  assert.deepEqual(record.errors, []);
  const foreign = record.requests.filter((url) => !url.startsWith(`${harness.origin}/`) && !url.startsWith("blob:"));
  assert.deepEqual(foreign, []);
});

test("the README's picture: the sample article, one entity's mentions walked through, a highlight being corrected", async () => {
  const { page: shown } = await harness.openPage({ width: 1280, height: 760 });
  await showSample(shown);
  await shown.locator("#entity-list button", { hasText: "Helen Okafor" }).click();
  await shown.locator("#doc mark.ent", { hasText: /^Rotterdam$/ }).first().click();
  await shown.getByRole("dialog").getByRole("combobox", { name: "Type" }).selectOption({ label: "New type…" });
  await shown.getByRole("dialog").getByRole("textbox", { name: "Name of the new type" }).fill("PORT");
  await shown.screenshot({ path: `${artifacts}/workbench.png` });
  await shown.context().close();
});
