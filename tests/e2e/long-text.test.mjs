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

// Waits until the page shows the highlights of a long text's beginning, the rest analysed.
function firstPartShown(page) {
  return page.waitForFunction(() => /analysing the rest/.test(document.getElementById("status").textContent),
    null, { polling: 10 });
}

// A page showing the annotations of `text`, pasted.
async function openWith(text) {
  const { page } = await harness.openPage();
  await paste(page, text);
  await waitForAnnotations(page, text);
  return page;
}

// Where each highlight starts in the document's text.
function markOffsets(page, marks = "#doc mark.ent") {
  return page.evaluate((selector) => {
    const doc = document.getElementById("doc");
    return [...doc.querySelectorAll(selector)].map((mark) => {
      const range = document.createRange();
      range.setStart(doc, 0);
      range.setEndBefore(mark);
      return range.toString().length;
    });
  }, marks);
}

test("a long text shows the highlights of its beginning while the rest is analysed, then those of the whole", async () => {
  const { page } = await harness.openPage();
  const text = longText(200_000);
  await paste(page, text);
  await firstPartShown(page);
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
  assert.match(await page.locator("#status").textContent(), /^[\d,]+ entities · [\d,]+ tokens · [\d,]+ ms/);
  // The beginning's highlights are kept where the whole-document analysis agrees: at least
  // nine in ten of those drawn then and now.
  const drawn = early.filter((start) => start < Math.max(...all));
  const kept = drawn.filter((start) => all.includes(start)).length;
  assert.ok(kept >= 0.9 * drawn.length, `${kept} of ${drawn.length} kept`);
  await scrollTo(page, "end");
  assert.ok(Math.max(...await markOffsets(page)) > text.length * 0.95, "the end is highlighted too");
  await page.context().close();
});

// Scrolls the page to its "start" or "end" and waits until the blocks there are drawn.
async function scrollTo(page, where) {
  await page.evaluate((to) => {
    const doc = document.getElementById("doc");
    doc.scrollTop = to === "end" ? doc.scrollHeight : 0;
  }, where);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForFunction(() => {
    const marks = [...document.querySelectorAll("#doc mark.ent")];
    return marks.some((mark) => {
      const { top, bottom } = mark.getBoundingClientRect();
      const box = document.getElementById("doc").getBoundingClientRect();
      return bottom > box.top && top < box.bottom;
    });
  });
}

test("a text edited while its beginning is shown is analysed again as edited, and its old analysis is never shown", async () => {
  const { page } = await harness.openPage();
  const text = longText(150_000);
  await paste(page, text);
  await firstPartShown(page);
  const edited = `Angela Merkel spoke in Paris.\n\n${text}`;
  await paste(page, edited);
  await waitForAnnotations(page, edited);
  const found = (await highlights(page)).map(([name]) => name);
  assert.deepEqual(found.slice(0, 2), ["Angela Merkel", "Paris"]);
  assert.ok(!/analysing/.test(await page.locator("#status").textContent()));
  await page.context().close();
});

// [where it starts in the document's text, where it started when `data-was` was set (or
// null)] of every highlight drawn.
function drawnMarks(page) {
  return page.evaluate(() => {
    const doc = document.getElementById("doc");
    return [...doc.querySelectorAll("mark.ent")].map((mark) => {
      const range = document.createRange();
      range.setStart(doc, 0);
      range.setEndBefore(mark);
      return [range.toString().length, mark.dataset.was === undefined ? null : Number(mark.dataset.was)];
    });
  });
}

test("an edit draws again only the blocks near it, and the others' highlights stay on their text", async () => {
  // All highlights drawn at once; and only those near the screen.
  for (const size of [40_000, 400_000]) {
    const text = longText(size);
    const page = await openWith(text);
    await page.$$eval("#doc > .block", (blocks) => blocks.forEach((block) => { block.dataset.before = ""; }));
    const blocks = await page.locator("#doc > .block").count();
    const before = await drawnMarks(page);
    await page.$$eval("#doc mark.ent", (marks, starts) => marks.forEach((mark, i) => { mark.dataset.was = starts[i]; }),
      before.map(([start]) => start));
    // A paragraph typed into the middle, its names nowhere else in the text.
    const middle = text.indexOf("\n\n", text.length / 2) + 2;
    const paragraph = "Angela Merkel met Emmanuel Macron in Lyon.\n\n";
    const edited = text.slice(0, middle) + paragraph + text.slice(middle);
    await paste(page, edited);
    await waitForAnnotations(page, edited);
    // Blocks hold paragraphs of a few thousand characters: the new one joins a block, or
    // makes one more.
    const now = await page.locator("#doc > .block").count();
    assert.ok(now === blocks || now === blocks + 1, `size ${size}: ${now} blocks, ${blocks} before`);
    // The engine reads again the few kilobytes around the edit, whose confidences may change:
    // the blocks holding them are drawn again, every other is the element it was.
    const kept = await page.locator("#doc > .block[data-before]").count();
    assert.ok(kept >= blocks - 4, `size ${size}: ${kept} of ${blocks} blocks kept`);
    // Each highlight kept is where its text went.
    const keptMarks = (await drawnMarks(page)).filter(([, was]) => was !== null);
    assert.ok(keptMarks.length >= before.length * 0.8, `size ${size}: ${keptMarks.length} of ${before.length}`);
    for (const [start, was] of keptMarks) assert.equal(start, was < middle ? was : was + paragraph.length);
    // The new paragraph, brought into view, shows its three names.
    await page.waitForFunction(() => {
      const added = [...document.querySelectorAll("#doc > .block:not([data-before])")]
        .find((block) => block.textContent.includes("Angela Merkel met"));
      added.scrollIntoView({ block: "center" });
      return [...added.querySelectorAll("mark.ent")].map((mark) => mark.textContent).join("|")
        .includes("Angela Merkel|Emmanuel Macron|Lyon");
    });
    await page.context().close();
  }
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

test("a document with thousands of highlights keeps few elements: only the blocks near the screen hold their marks", async () => {
  const text = longText(600_000);
  const page = await openWith(text);
  const total = Number((await page.locator("#status").textContent()).match(/^([\d,]+) entities/)[1].replace(/,/g, ""));
  assert.ok(total > 15_000, `${total} entities`);
  const elements = () => page.evaluate(() => document.getElementsByTagName("*").length);
  const drawn = () => page.locator("#doc mark.ent").count();
  assert.ok(await elements() < 20_000, `${await elements()} elements`);
  const atStart = await drawn();
  assert.ok(atStart > 20 && atStart < total / 4, `${atStart} of ${total} drawn`);
  assert.equal(await page.locator("#doc").textContent(), text);
  await scrollTo(page, "end");
  assert.ok(await elements() < 20_000);
  // Those of the beginning are plain text again, but for the document's tab stop.
  const offsets = await markOffsets(page, '#doc > .block:not(:has(mark[tabindex="0"])) mark.ent');
  assert.ok(Math.min(...offsets) > text.length / 2, "the beginning's marks are plain text again");
  await page.context().close();
});

test("at any length, the list and the keys land exactly on the mention, in view", async () => {
  const text = longText(600_000);
  const page = await openWith(text);
  // The mention shown from the list, or with `focused` the highlight with the focus, once in
  // view (the blocks around it are laid out in the frames after a jump, and may move it:
  // the page brings it back), or after a second.
  const inView = (focused = false) => page.evaluate(async (focus) => {
    const where = () => {
      const mark = focus ? document.activeElement : document.querySelector("#doc mark.ent.current");
      const { top, bottom } = mark.getBoundingClientRect();
      const box = document.getElementById("doc").getBoundingClientRect();
      return { text: mark.textContent, inView: top >= box.top && bottom <= box.bottom, current: mark.matches("mark.ent") };
    };
    for (let frame = 0; frame < 60 && !where().inView; frame++) await new Promise((done) => requestAnimationFrame(done));
    return where();
  }, focused);
  // The entity with the most mentions, walked through from the list: each one lands in view,
  // on the entity's text, across the whole document.
  const entry = page.locator(".entity-group li button").first();
  const name = (await entry.getAttribute("aria-label")).split(",")[0];
  const clicks = 12;
  const seen = new Set();
  for (let i = 0; i < clicks; i++) {
    await entry.click();
    const where = await page.locator("#mention-where").textContent();
    const [, at, of] = /(\d+) of (\d+)$/.exec(where).map(Number);
    assert.equal(at, i + 1);
    assert.ok(of > clicks);
    const mark = await inView();
    assert.ok(mark.current && mark.inView, `${where}: ${JSON.stringify(mark)}`);
    assert.ok(name.includes(mark.text) || mark.text.includes(name.split(" ").at(-1)), `${mark.text} for ${name}`);
    seen.add(await page.evaluate(() => document.getElementById("doc").scrollTop));
  }
  assert.equal(seen.size, clicks, "each mention is elsewhere in the text");
  // Previous from the first wraps round to the last, at the end of the text.
  for (let i = 1; i < clicks; i++) await page.getByRole("button", { name: "Previous mention" }).click();
  assert.match(await page.locator("#mention-where").textContent(), / 1 of \d+$/);
  await page.getByRole("button", { name: "Previous mention" }).click();
  const [, last, all] = /(\d+) of (\d+)$/.exec(await page.locator("#mention-where").textContent()).map(Number);
  assert.equal(last, all);
  assert.ok((await inView()).inView);
  // End and Home move the focus to the last and first highlights of the whole text.
  await page.locator("#doc mark.ent.current").focus();
  await page.keyboard.press("End");
  const end = await inView(true);
  assert.ok(end.current && end.inView, JSON.stringify(end));
  assert.ok(await page.evaluate(() => {
    const doc = document.getElementById("doc");
    return doc.scrollTop > doc.scrollHeight / 2;
  }));
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Home");
  assert.ok((await inView(true)).inView);
  assert.equal(await page.evaluate(() => document.activeElement.tabIndex), 0);
  assert.ok(await page.evaluate(() => document.getElementById("doc").scrollTop < 2000));
  await page.context().close();
});

test("the entity list shows the 200 most mentioned entities of a type, and finds the others by search", async () => {
  const first = ["Maria", "John", "Aisha", "Chen", "Olga", "Pedro", "Fatima", "Kenji", "Grace", "Ahmed", "Lucy", "Ivan", "Priya", "Tom", "Elena", "Kwame", "Sara", "Diego"];
  const last = ["Gonzalez", "Smith", "Okafor", "Wang", "Petrova", "Silva", "Haddad", "Tanaka", "Mensah", "Khan", "Brown", "Novak", "Sharma", "Miller"];
  const names = first.flatMap((f) => last.map((l) => `${f} ${l}`));
  const text = names.map((name) => `${name} said on Monday that the plan would go ahead.`).join("\n\n");
  const page = await openWith(text);
  const people = page.locator('.entity-group[data-label="PERSON"]');
  const listed = await people.locator("li").count();
  const found = Number(await page.locator('#legend [data-label="PERSON"] .count').textContent());
  assert.ok(found > 220, `${found} people`);
  assert.equal(listed, 200);
  assert.match(await people.locator(".more").textContent(), /^[\d,]+ more, less often mentioned: search to find them\.$/);
  const missing = await page.evaluate((all) => {
    const shown = new Set([...document.querySelectorAll('.entity-group[data-label="PERSON"] li .name')].map((n) => n.firstChild.textContent));
    const marked = new Set([...document.querySelectorAll('#doc mark.ent[data-label="PERSON"]')].map((m) => m.textContent));
    return all.find((name) => !shown.has(name) && marked.has(name));
  }, names);
  await page.getByRole("searchbox").fill(missing);
  await page.waitForFunction((name) => [...document.querySelectorAll(".entity-group li .name")].some((n) => n.firstChild.textContent === name), missing);
  await page.context().close();
});

test("a text of over a million characters is edited one part at a time, and every edit reaches the whole text", async () => {
  const text = longText(1_200_000);
  const page = await openWith(text);
  const box = () => page.inputValue("#text-input");
  // Which part the box holds, as the line under it says: [from, to) in the text, of `whole`.
  const part = async (whole = text) => {
    const [, from, to, of] = /characters ([\d,]+)–([\d,]+) of ([\d,]+)/.exec(await page.textContent("#text-part-where"))
      .map((n) => Number(n.replace(/,/g, "")));
    assert.equal(of, whole.length);
    return [from - 1, to];
  };
  // A paste leaves the caret, and the box, at the end of what was pasted.
  assert.ok(await page.isVisible("#text-part"));
  let [from, to] = await part();
  assert.equal(to, text.length);
  assert.ok(to - from < 300_000, `${to - from} characters in the box`);
  assert.equal(await box(), text.slice(from, to));
  assert.ok(await page.isDisabled("#text-part .later"));

  // A key typed at the end is an edit of the whole text.
  await page.focus("#text-input");
  await page.keyboard.press("End");
  await page.evaluate(() => document.getElementById("text-input").setSelectionRange(1e9, 1e9));
  await page.keyboard.type(" Oslo.");
  let edited = `${text} Oslo.`;
  await waitForAnnotations(page, edited);

  // The part before, then a word typed at its beginning.
  await page.click("#text-part .earlier");
  const [earlierFrom, earlierTo] = await part(edited);
  assert.ok(earlierTo <= from + 1 && earlierFrom < from, `${earlierFrom}–${earlierTo} before ${from}`);
  assert.equal(await box(), edited.slice(earlierFrom, earlierTo));
  assert.equal(edited[earlierFrom - 1], "\n", "the part starts a line");
  await page.evaluate(() => document.getElementById("text-input").setSelectionRange(0, 0));
  await page.focus("#text-input");
  await page.keyboard.type("Lagos ");
  edited = `${edited.slice(0, earlierFrom)}Lagos ${edited.slice(earlierFrom)}`;
  await waitForAnnotations(page, edited);

  // Text selected in the box is added as an entity at its place in the whole text.
  await page.evaluate(() => document.getElementById("text-input").setSelectionRange(0, 5));
  await page.click("#add-entity");
  assert.equal(await page.textContent("#editor-heading"), "Add “Lagos” as an entity");
  await page.keyboard.press("Escape");

  // The part the document shows on screen, at its start.
  await scrollTo(page, "start");
  await page.click("#text-part .in-view");
  [from, to] = await part(edited);
  assert.equal(from, 0);
  assert.equal(await box(), edited.slice(0, to));
  assert.ok(await page.isDisabled("#text-part .earlier"));

  // Cleared, the text is short again, and a short text is all in the box.
  await page.click("#clear-button");
  await page.fill("#text-input", "Ada Lovelace lived in London.");
  await waitForAnnotations(page, "Ada Lovelace lived in London.");
  assert.ok(await page.isHidden("#text-part"));
  await page.context().close();
});

test("a paste that makes the text long goes into the text without passing through the box", async () => {
  const { page } = await harness.openPage();
  const text = longText(1_100_000);
  await page.fill("#text-input", "Before. ");
  await page.evaluate((pasted) => {
    const input = document.getElementById("text-input");
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
    const data = new DataTransfer();
    data.setData("text/plain", pasted);
    input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
  const expected = `Before. ${text}`;
  await waitForAnnotations(page, expected);
  const value = await page.inputValue("#text-input");
  assert.ok(value.length < 300_000 && expected.endsWith(value), `${value.length} characters in the box`);
  await page.context().close();
});
