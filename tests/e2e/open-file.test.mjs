// End-to-end tests of opening a file instead of pasting it: picked or dropped, plain text,
// Markdown or an HTML page read as its text, and files that are not text refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startHarness, waitForAnnotations, highlights } from "./harness.mjs";

let harness;
before(async () => { harness = await startHarness(); });
after(() => harness?.close());

const PAGE = `<!doctype html><html><head><title>Not read</title><style>p { color: red }</style>
<script>window.ran = true; document.title = "script ran";</script></head>
<body><h1>Summit   in  <b>Paris</b></h1>
<p style="margin: 0" class=lead>Angela Merkel met <i>Emmanuel</i> Macron in Paris on Monday<br>to discuss the European Union budget.</p>
<script>document.body.append("injected")</script>
<ul><li title="x>y" style="color: red">Berlin</li><li>Rome &amp; Madrid</li></ul>
<table><tr><th>City</th><th>Rank</th></tr><tr><td>Lisbon</td><td>3</td></tr></table>
<pre>  kept   as
  written</pre><img src="https://example.com/x.png" alt=""><p>Zoë — 東京 👩‍👩‍👧</p></body></html>`;

const PAGE_TEXT = "Summit in Paris\n\nAngela Merkel met Emmanuel Macron in Paris on Monday\nto discuss the European Union budget.\n\nBerlin\nRome & Madrid\n\n"
  + "City\tRank\nLisbon\t3\n\n  kept   as\n  written\n\nZoë — 東京 👩‍👩‍👧";

const value = (page) => page.inputValue("#text-input");
const note = (page) => page.locator("#file-note").textContent();

test("an HTML page opened with the button becomes its text: no markup, script or style, blocks on lines of their own", async () => {
  const { page, record } = await harness.openPage();
  await page.locator("#text-file").setInputFiles({ name: "summit.html", mimeType: "text/html", buffer: Buffer.from(PAGE) });
  await page.waitForFunction(() => document.getElementById("text-input").value !== "");
  assert.equal(await value(page), PAGE_TEXT);
  await waitForAnnotations(page, PAGE_TEXT);
  const found = (await highlights(page)).map(([text]) => text);
  for (const name of ["Paris", "Angela Merkel", "Emmanuel Macron", "the European Union"]) assert.ok(found.includes(name), `${name} in ${found}`);
  assert.match(await note(page), /^summit\.html: [\d,]+ characters\.$/);
  // Nothing of the file ran, and its image was not fetched.
  assert.equal(await page.evaluate(() => window.ran), undefined);
  assert.notEqual(await page.title(), "script ran");
  assert.deepEqual(record.requests.filter((url) => !url.startsWith(harness.origin)), []);
  assert.deepEqual(record.errors, []);
  await page.context().close();
});

test("a Markdown file dropped on the text is opened as it is, a byte-order mark dropped and CRLF made LF", async () => {
  const { page } = await harness.openPage();
  const markdown = "# Notes\r\n\r\nSundar Pichai spoke in *London* on Friday.\r\n";
  await page.evaluate(async (text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array([0xef, 0xbb, 0xbf]), text], "notes.md", { type: "" }));
    const card = document.querySelector(".input-card");
    const over = new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true });
    document.getElementById("text-input").dispatchEvent(over);
    if (!over.defaultPrevented) throw new Error("dragover not taken: the drop would open the file in the tab");
    if (!card.classList.contains("dropping")) throw new Error("no drop outline");
    document.getElementById("text-input").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, markdown);
  const expected = "# Notes\n\nSundar Pichai spoke in *London* on Friday.\n";
  await page.waitForFunction((text) => document.getElementById("text-input").value === text, expected);
  await waitForAnnotations(page, expected);
  assert.ok((await highlights(page)).some(([text]) => text === "London"));
  assert.equal(await page.locator(".input-card.dropping").count(), 0);
  await page.context().close();
});

test("a file that is not text is refused with a message, and the text stays as it was", async () => {
  const { page } = await harness.openPage();
  await page.fill("#text-input", "Kept text about Oslo.");
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
  await page.locator("#text-file").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: png });
  await page.waitForFunction(() => /not a text file/.test(document.getElementById("file-note").textContent));
  assert.equal(await note(page), "photo.png is not a text file. Open a .txt, .md or .html file.");
  assert.equal(await page.locator("#file-note.error").count(), 1);
  assert.equal(await value(page), "Kept text about Oslo.");
  // The same picker opens a text file next, and the note says so.
  await page.locator("#text-file").setInputFiles({ name: "oslo.txt", mimeType: "text/plain", buffer: Buffer.from("Oslo.\n") });
  await page.waitForFunction(() => document.getElementById("text-input").value === "Oslo.\n");
  assert.equal(await note(page), "oslo.txt: 6 characters.");
  assert.equal(await page.locator("#file-note.error").count(), 0);
  await page.context().close();
});

test("the button opens the file picker, reachable by keyboard", async () => {
  const { page } = await harness.openPage();
  // Listening for the chooser before the key is pressed, as Playwright asks.
  const opened = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Open a file…" }).press("Enter");
  const chooser = await opened;
  assert.equal(chooser.isMultiple(), false);
  await chooser.setFiles({ name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("Rome.") });
  await page.waitForFunction(() => document.getElementById("text-input").value === "Rome.");
  await page.context().close();
});
