// Accessibility of the page: axe-core's rules in the states a person works in, the names a
// screen reader reads, what it is told and when, the skip links, and the size of every
// target a finger or a shaking hand has to hit (WCAG 2.2, 2.5.8).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startHarness, waitForAnnotations, showSample, artifacts } from "./harness.mjs";

// axe-core runs inside the page. The page's CSP (script-src 'self') refuses inline scripts,
// so page.addScriptTag({content}) is blocked; page.evaluate() hands the source to the
// DevTools protocol, which the CSP does not govern, and runs it in the page's own world.
const AXE = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
// Three terms, a stop-term among them, for the terms panel.
const TERMS = [["Kingsport", "CITY"], ["harbour barrier", "STRUCTURE"], ["Atlantic", "", { stop: true }]];

let harness, sample;

before(async () => {
  harness = await startHarness();
  const { page } = await harness.openPage();
  await page.click("#sample-button");
  sample = await page.inputValue("#text-input");
  await page.context().close();
});
after(() => harness?.close());

async function withSample(options) {
  const opened = await harness.openPage(options);
  await showSample(opened.page);
  return opened;
}

// Runs axe on the page as it is and fails on any violation of impact "serious" or
// "critical"; every violation, of any impact, is printed in the test's output.
async function audit(t, page, what) {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const counts = {};
  for (const { impact } of violations) counts[impact] = (counts[impact] ?? 0) + 1;
  t.diagnostic(`axe, ${what}: ${violations.length ? JSON.stringify(counts) : "no violation"}`);
  for (const { id, impact, help, nodes } of violations) {
    t.diagnostic(`  ${impact} ${id}: ${help} (${nodes.length})`);
    for (const node of nodes) t.diagnostic(`    ${node.target.join(" ")}: ${node.failureSummary.split("\n").slice(1).join(" ").trim()}`);
  }
  const grave = violations.filter(({ impact }) => impact === "serious" || impact === "critical");
  assert.deepEqual(grave.map(({ id, nodes }) => `${id} (${nodes.length})`), [], `serious or critical violations, ${what}`);
}

async function addTerms(page) {
  await page.locator("#terms summary").click();
  for (const [words, type, { stop = false } = {}] of TERMS) {
    const rows = await page.locator("#terms li.term-row").count();
    await page.fill("#term-pattern", words);
    await page.fill("#term-label", type);
    await page.locator("#term-stop").setChecked(stop);
    await page.locator("#terms").getByRole("button", { name: "Add term" }).click();
    await page.locator("#terms li.term-row").nth(rows).waitFor();
  }
  await waitForAnnotations(page, sample);
}

test("axe finds nothing serious in the sample article, light and dark, on a desktop", async (t) => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, record } = await withSample({ ...DESKTOP, colorScheme });
    await audit(t, page, `sample article, ${colorScheme}`);
    await page.screenshot({ path: `${artifacts}/a11y-desktop-${colorScheme}.png` });
    assert.deepEqual(record.errors, []);
    await page.context().close();
  }
});

test("axe finds nothing serious on a phone, light and dark, with an entity's mentions shown", async (t) => {
  for (const colorScheme of ["light", "dark"]) {
    const { page } = await withSample({ ...PHONE, colorScheme });
    await page.locator("#entity-list button", { hasText: "Helen Okafor" }).click();
    await audit(t, page, `phone, ${colorScheme}`);
    await page.screenshot({ path: `${artifacts}/a11y-phone-${colorScheme}-full.png`, fullPage: true });
    await page.context().close();
  }
});

test("axe finds nothing serious with the correction dialog open", async (t) => {
  for (const colorScheme of ["light", "dark"]) {
    const { page } = await withSample({ ...DESKTOP, colorScheme });
    await page.locator("#doc mark.ent").first().click();
    await page.getByRole("dialog").waitFor();
    await audit(t, page, `dialog, ${colorScheme}`);
    await page.screenshot({ path: `${artifacts}/a11y-dialog-${colorScheme}.png` });
    await page.context().close();
  }
});

test("axe finds nothing serious while redacting", async (t) => {
  for (const colorScheme of ["light", "dark"]) {
    const { page } = await withSample({ ...DESKTOP, colorScheme });
    await page.getByRole("checkbox", { name: "Redact" }).check();
    await page.locator("#doc mark.ent.redacted").first().waitFor();
    await audit(t, page, `redacting, ${colorScheme}`);
    await page.screenshot({ path: `${artifacts}/a11y-redacting-${colorScheme}.png` });
    await page.context().close();
  }
});

test("axe finds nothing serious with the terms panel open and holding terms", async (t) => {
  for (const [colorScheme, size] of [["light", DESKTOP], ["dark", PHONE]]) {
    const { page } = await withSample({ ...size, colorScheme });
    await addTerms(page);
    await audit(t, page, `terms panel, ${colorScheme}, ${size.width}px`);
    await page.locator("#terms").screenshot({ path: `${artifacts}/a11y-terms-${colorScheme}.png` });
    await page.context().close();
  }
});

test("a highlight is read as its text, its type in plain words and its confidence, never the chip's label", async () => {
  const { page } = await withSample(DESKTOP);
  const named = (within, name) => page.locator(within).getByRole("button", { name, exact: true });
  const kingsport = page.locator('#doc mark.ent[data-label="GPE"]', { hasText: /^Kingsport$/ }).first();
  // The chip is drawn by CSS (::after, attr(data-label)), which browsers read as text too
  // ("KingsportGPE") unless the content has an empty alternative.
  assert.match(await kingsport.evaluate((mark) => getComputedStyle(mark, "::after").content), /^"GPE"/);
  assert.ok(await kingsport.evaluate((mark) => mark.matches('[role="button"]')));
  assert.ok(await named("#doc", /^Kingsport, Place, \d+% confidence$/).count() >= 2);
  const tree = await page.locator("#doc").ariaSnapshot();
  assert.doesNotMatch(tree, /GPE|PERSON|CARDINAL/, "no label of a chip is in the accessibility tree");
  assert.match(tree, /button "Kingsport, Place, \d+% confidence": Kingsport\n/);
  // The legend and the list say, in words, what they show.
  assert.equal(await named("#legend", /^Place: \d+ found$/).count(), 1);
  assert.equal(await named("#entity-list", /^Helen Okafor, also Okafor, \d+ mentions$/).count(), 1);
  await page.getByRole("checkbox", { name: "Redact" }).check();
  assert.equal(await named("#entity-list", /^\[PERSON 1\] Helen Okafor, also Okafor, \d+ mentions$/).count(), 1);
  assert.equal(await named("#doc", /^\[PERSON 1\], Person, \d+% confidence$/).count(), 2);
  await page.context().close();
});

test("the status line is not a live region: typing ten characters is announced once, when it pauses", async () => {
  const { page } = await withSample(DESKTOP);
  const status = page.locator("#status");
  assert.equal(await status.getAttribute("role"), null);
  assert.ok([null, "off"].includes(await status.getAttribute("aria-live")));
  // Every live region of the page, and each new thing any of them says.
  await page.evaluate(() => {
    window.said = [];
    const regions = document.querySelectorAll('[role="status"], [role="alert"], [role="log"], [aria-live]:not([aria-live="off"])');
    const observer = new MutationObserver((records) => {
      for (const region of new Set(records.map(({ target }) => target.closest?.("[role], [aria-live]") ?? target.parentElement))) {
        if (region.textContent.trim()) window.said.push(region.textContent);
      }
    });
    for (const region of regions) observer.observe(region, { childList: true, characterData: true, subtree: true });
  });
  await page.focus("#text-input");
  await page.keyboard.press("Control+End");
  // Slower than the page's 150 ms pause before analysing, so that each step is analysed
  // and drawn, as when a person types; "Paris" is one more entity.
  const typed = " in Paris.";
  assert.equal(typed.length, 10);
  await page.keyboard.type(typed, { delay: 220 });
  await waitForAnnotations(page, sample + typed);
  const count = Number((await status.textContent()).split(" ")[0]);
  await page.waitForFunction(() => window.said.length > 0, null, { timeout: 5000 });
  await page.waitForTimeout(2000); // nothing more comes
  assert.deepEqual(await page.evaluate(() => window.said), [`${count} entities found`]);
  assert.match(await status.textContent(), /^\d+ entities · [\d,]+ tokens · \d+ ms · model \S+ \S+$/, "the visible status is as it was");

  // An error written to the status line (as the page's showError does) is said at once.
  await page.evaluate(() => {
    const line = document.getElementById("status");
    line.textContent = "Analysis failed: a test";
    line.classList.add("error");
  });
  await page.getByRole("alert").filter({ hasText: "Analysis failed: a test" }).waitFor({ timeout: 2000 });
  await page.context().close();
});

test("a skip link, first on the page and shown when focused, goes to the highlighted text; another to the list", async () => {
  const { page } = await harness.openPage(DESKTOP);
  const skip = page.getByRole("link", { name: "Skip to the highlighted text" });
  const inView = async (locator) => {
    const box = await locator.boundingBox();
    return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= DESKTOP.width && box.y + box.height <= DESKTOP.height
      && box.width >= 24 && box.height >= 24;
  };
  assert.equal(await inView(skip), false, "out of sight until focused");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the highlighted text");
  assert.ok(await inView(skip), "in sight once focused");
  await page.screenshot({ path: `${artifacts}/a11y-skip-link.png`, clip: { x: 0, y: 0, width: 640, height: 160 } });
  await page.fill("#text-input", sample);
  await waitForAnnotations(page, sample);
  await skip.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "doc");
  assert.ok(await page.evaluate(() => document.activeElement.matches('[role="region"][aria-label="Highlighted text"]')));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.matches("#doc mark.ent")), true, "then Tab reaches the first highlight");
  const toList = page.getByRole("link", { name: "Skip to the list of entities" });
  await toList.focus();
  assert.ok(await inView(toList));
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "entity-list");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".entity-group") !== null), true);
  await page.context().close();
});

// Every visible control's target: its box, or for a checkbox the label around it (a click on
// the label ticks it). Highlights are left out: they are words in the text, which WCAG's
// inline exception covers. Each is [what, width, height].
function targets(page, within = "body") {
  return page.$$eval(`${within} :is(a[href], button, input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"]))`, (controls) => {
    const found = [];
    for (const control of controls) {
      if (control.matches("#doc mark.ent") || control.closest("[inert]") || !control.checkVisibility({ visibilityProperty: true })) continue;
      const target = control.matches('input[type="checkbox"], input[type="radio"]') ? control.closest("label") ?? control : control;
      const box = target.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right + scrollX <= 0 || box.bottom + scrollY <= 0) continue; // off-screen: a skip link
      const what = control.id ? `#${control.id}` : `${control.tagName.toLowerCase()} “${(control.getAttribute("aria-label") ?? control.textContent ?? "").trim().slice(0, 30)}”`;
      found.push([what, box.width, box.height]);
    }
    return found;
  });
}

// WCAG 2.5.8 would let a smaller target pass when nothing else is within 12 px of its centre;
// the page asks more of itself: every target is at least 24 by 24 CSS pixels.
test("every control is a target of at least 24 by 24 px, on a phone and a desktop", async (t) => {
  for (const size of [PHONE, DESKTOP]) {
    const { page } = await withSample(size);
    await addTerms(page);
    await page.locator("#entity-list button", { hasText: "Helen Okafor" }).click();
    await page.getByRole("checkbox", { name: "Redact" }).check();
    const states = [["sample, terms, mentions, redacting", await targets(page)]];
    await page.getByRole("checkbox", { name: "Redact" }).uncheck();
    await page.locator("#doc mark.ent").first().click();
    states.push(["correction dialog", await targets(page, "dialog")]);
    await page.keyboard.press("Escape");
    for (const [state, found] of states) {
      const [what, w, h] = found.reduce((a, b) => (Math.min(b[1], b[2]) < Math.min(a[1], a[2]) ? b : a));
      t.diagnostic(`${size.width}px, ${state}: ${found.length} targets, the smallest ${what} ${w.toFixed(1)}×${h.toFixed(1)}`);
      assert.ok(found.length > (state.startsWith("sample") ? 50 : 4), "the controls were found");
      const small = found.filter(([, width, height]) => width < 24 || height < 24);
      assert.deepEqual(small.map(([name, width, height]) => `${name}: ${width.toFixed(1)}×${height.toFixed(1)}`), [], `${size.width}px, ${state}`);
    }
    await page.context().close();
  }
});
