// End-to-end tests of how the page loads and keeps itself: compressed answers from the
// server, the settings kept in the browser, the copy for offline use (service worker), the
// engine's download progress, and a load that fails and is tried again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startHarness, setText, waitForAnnotations, waitForModel, highlights } from "./harness.mjs";

const site = new URL("../../site/", import.meta.url);
const ENGINE = readFileSync(new URL("onoma/engine_bg.wasm", site));
const MODEL = readFileSync(new URL("onoma/onoma-en.onm", site));
const TEXT = "Angela Merkel met Emmanuel Macron in Paris on Monday to discuss the European Union budget.";

let harness;
before(async () => { harness = await startHarness(); });
after(() => harness?.close());

// A GET (or HEAD) straight to the server: {status, headers, body} with the body as sent.
function get(path, headers = {}, method = "GET") {
  return new Promise((resolve, reject) => {
    httpRequest(`${harness.origin}${path}`, { method, headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject).end();
  });
}

test("the server compresses the engine and the page for a client that takes it, and the bytes decode to the files", async () => {
  const decode = { gzip: gunzipSync, br: brotliDecompressSync };
  for (const path of ["/onoma/engine_bg.wasm", "/onoma/onoma-en.onm", "/app.js", "/index.html", "/style.css"]) {
    const file = readFileSync(new URL(path.slice(1), site));
    const etags = new Set();
    for (const [accept, encoding] of [["gzip", "gzip"], ["gzip, deflate, br", "br"], ["br;q=0, gzip;q=0.5", "gzip"],
      ["", undefined], ["identity", undefined], ["gzip;q=0", undefined]]) {
      const { status, headers, body } = await get(path, { "Accept-Encoding": accept });
      assert.equal(status, 200);
      assert.equal(headers["content-encoding"], encoding, `${path} for "${accept}"`);
      assert.equal(headers.vary, "Accept-Encoding");
      assert.equal(Number(headers["content-length"]), body.length);
      assert.equal(headers["x-content-type-options"], "nosniff");
      assert.equal(headers["cache-control"], "no-cache");
      assert.ok((encoding ? decode[encoding](body) : body).equals(file), `${path} for "${accept}" decodes to the file`);
      if (encoding) assert.ok(body.length < file.length);
      etags.add(headers.etag);
      // The validator of what was sent answers 304, with no body; HEAD sends the headers only.
      const again = await get(path, { "Accept-Encoding": accept, "If-None-Match": headers.etag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
      const head = await get(path, { "Accept-Encoding": accept }, "HEAD");
      assert.equal(head.headers["content-length"], headers["content-length"]);
      assert.equal(head.body.length, 0);
    }
    assert.equal(etags.size, 3, "one validator per encoding");
  }
  assert.equal((await get("/onoma/engine_bg.wasm", { "Accept-Encoding": "gzip" })).headers["content-type"], "application/wasm");
  assert.equal((await get("/nothing-here.js", { "Accept-Encoding": "gzip" })).status, 404);
});

// The settings of the page as a person sees them.
const settingsOf = (page) => page.evaluate(() => ({
  threshold: document.getElementById("threshold-value").textContent,
  hidden: [...document.querySelectorAll('#legend button[aria-pressed="false"]')].map((b) => b.dataset.label),
  redact: document.getElementById("redact").checked,
  redactStyle: document.getElementById("redact-style").value,
  ignoreCase: document.getElementById("ignore-case").checked,
  precedence: document.getElementById("precedence").value,
}));

async function reload(page, text = TEXT) {
  await page.reload();
  await waitForModel(page);
  if (await page.isChecked("#redact")) {
    // The document shows placeholders instead of the text.
    await page.waitForFunction(() => {
      const status = document.getElementById("status");
      return /^\d+ entit/.test(status.textContent) && !status.classList.contains("busy");
    });
  } else {
    await waitForAnnotations(page, text);
  }
}

test("the settings survive a reload, and bad stored settings are ignored", async () => {
  const { page, record } = await harness.openPage();
  await setText(page, TEXT);
  await page.locator("#threshold").fill("0.5");
  await page.locator('#legend button[data-label="GPE"]').click();
  await page.getByRole("checkbox", { name: "Redact" }).check();
  await page.locator("#redact-style").selectOption("type");
  await page.getByRole("checkbox", { name: "Ignore case" }).check();
  await page.locator("#precedence").selectOption("model");
  const set = { threshold: "0.50", hidden: ["GPE"], redact: true, redactStyle: "type", ignoreCase: true, precedence: "model" };
  assert.deepEqual(await settingsOf(page), set);
  const shown = await highlights(page);
  assert.ok(shown.length > 0 && shown.every(([, label, score]) => label !== "GPE" && score >= 0.5), JSON.stringify(shown));

  await reload(page);
  assert.deepEqual(await settingsOf(page), set);
  assert.deepEqual(await highlights(page), shown, "the same highlights, redacted the same way");
  assert.ok(await page.locator("#redact-style").isVisible());
  assert.equal(await page.locator("#doc.redacting").count(), 1);

  const defaults = { threshold: "0.30", hidden: [], redact: false, redactStyle: "placeholder", ignoreCase: false, precedence: "patterns" };
  for (const bad of ["{not json", "[1, 2]", "null", JSON.stringify({
    minScore: 7, hidden: "GPE", redact: "yes", redactStyle: "<b>", ignoreCase: 1, precedence: "both",
  })]) {
    await page.evaluate((value) => localStorage.setItem("onoma.settings", value), bad);
    await reload(page);
    assert.deepEqual(await settingsOf(page), defaults, bad);
  }
  assert.deepEqual(record.errors, []);
  await page.context().close();
});

// The page, with its worker and service worker, asked only this origin for anything.
const foreign = (record) => record.requests.filter((url) => !url.startsWith(`${harness.origin}/`) && !url.startsWith("blob:"));

test("a reload without a network works from this browser's copy, with the text and settings, and says so", async () => {
  // Each time the engine or the model comes, to the page and (from the server) to the service worker.
  const engineRequests = { "engine_bg.wasm": [], "onoma-en.onm": [] };
  const { page, record } = await harness.openPage({
    setUp: (context) => context.on("requestfinished", (request) => {
      engineRequests[new URL(request.url()).pathname.replace("/onoma/", "")]?.push(request);
    }),
  });
  const context = page.context();
  await setText(page, TEXT);
  await page.locator("#threshold").fill("0.5");
  await page.locator('#legend button[data-label="GPE"]').click();
  const shown = await highlights(page);
  assert.ok(shown.length > 0);
  assert.ok(await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    return navigator.serviceWorker.controller?.scriptURL.endsWith("/sw.js");
  }));
  assert.equal(await page.locator("#offline-note").isVisible(), false);
  assert.deepEqual(record.failures, []);

  await context.setOffline(true);
  await reload(page);
  assert.equal(await page.inputValue("#text-input"), TEXT);
  assert.deepEqual(await highlights(page), shown);
  assert.equal(await page.textContent("#threshold-value"), "0.50");
  assert.equal(await page.locator('#legend button[data-label="GPE"]').getAttribute("aria-pressed"), "false");
  const note = page.locator("#offline-note");
  assert.ok(await note.isVisible());
  assert.equal(await note.textContent(), "Offline: running from this browser's copy");
  // New text is annotated offline too.
  await setText(page, "Olaf Scholz flew to Madrid.");
  assert.ok((await highlights(page)).some(([text, label]) => text === "Olaf Scholz" && label === "PERSON"));
  const failedOffline = record.failures.length;
  assert.ok(failedOffline > 0, "the service worker did try the network first");
  await context.setOffline(false);
  await note.waitFor({ state: "hidden" });

  // Online again, a reload gets everything from the server, and nothing fails.
  await reload(page, "Olaf Scholz flew to Madrid.");
  assert.equal(record.failures.length, failedOffline, record.failures.slice(failedOffline).join("\n"));
  assert.deepEqual(foreign(record), []);
  // The first visit downloaded the engine and the model once, through the service worker, which kept them.
  for (const [file, requests] of Object.entries(engineRequests)) {
    const fromNetwork = requests.filter((request) => request.serviceWorker());
    assert.equal(fromNetwork.length, 2, `${file} once on the first visit and once on the online reload`);
    const fromPage = await Promise.all(requests.filter((request) => !request.serviceWorker()).map((request) => request.response()));
    assert.ok(fromPage.length >= 2 && fromPage.every((response) => response.fromServiceWorker()), file);
  }
  await context.close();
});

test("a page answered from the copy because the server cannot be reached says so, though the browser thinks it is online", async () => {
  const { page } = await harness.openPage();
  const context = page.context();
  await setText(page, TEXT);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.route("**/*", (route) => route.abort("connectionrefused"));
  await reload(page);
  assert.equal(await page.evaluate(() => navigator.onLine), true);
  await page.locator("#offline-note").waitFor();
  assert.ok((await highlights(page)).length > 0);
  await context.close();
});

test("a failed load says what failed, and Try again loads the model and annotates the text typed meanwhile", async () => {
  let answer = (route) => route.abort("internetdisconnected");
  const { page, record } = await harness.openPage({
    loaded: false,
    // Context-wide: the service worker fetches the engine for the page.
    setUp: (context) => context.route("**/onoma/engine_bg.wasm", (route) => answer(route)),
  });
  const failed = page.locator("#doc .engine-load.failed");
  const again = failed.getByRole("button", { name: "Try again" });
  await again.waitFor();
  assert.equal(await failed.locator("p").textContent(), "Could not load the engine: network error for onoma/engine_bg.wasm");
  assert.equal(await page.textContent("#status"), "Could not load the engine: network error for onoma/engine_bg.wasm");
  assert.equal(await page.getByText("Loading the model…").count(), 0);

  // Text typed while there is no engine waits for one.
  await page.fill("#text-input", TEXT);
  answer = (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not found\n" });
  await again.click();
  await page.locator("#status", { hasText: "HTTP 404" }).waitFor();
  assert.equal(await page.textContent("#status"), "Could not load the engine: HTTP 404 for onoma/engine_bg.wasm");
  assert.ok(await again.isVisible());
  assert.ok(await page.locator("#status.error").count());

  // The engine comes, the model does not.
  answer = (route) => route.continue();
  await page.context().route("**/onoma/onoma-en.onm", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not found\n" }));
  await again.click();
  await page.locator("#status", { hasText: "onoma-en.onm" }).waitFor();
  assert.equal(await page.textContent("#status"), "Could not load the engine: HTTP 404 for onoma/onoma-en.onm");
  await page.context().unroute("**/onoma/onoma-en.onm");

  // While the next try waits for an answer, the page says so, not what failed before.
  let answered;
  const held = new Promise((resolve) => { answered = resolve; });
  answer = async (route) => { await held; await route.continue(); };
  await again.click();
  await page.locator("#doc .engine-load", { hasText: /^Loading the engine…$/ }).waitFor();
  assert.equal(await failed.count(), 0);
  assert.equal(await page.textContent("#status"), "Loading the model…");
  answered();
  await waitForModel(page);
  await waitForAnnotations(page, TEXT);
  assert.ok((await highlights(page)).some(([text, label]) => text === "Paris" && label === "GPE"));
  assert.equal(await page.locator("#status.error").count(), 0);
  assert.equal(await again.count(), 0);
  assert.deepEqual(foreign(record), []);
  await page.context().close();
});

// Every text the engine's download showed, recorded from the first byte of the page on.
const RECORD_PROGRESS = () => {
  window.progressSeen = [];
  new MutationObserver(() => {
    const text = document.querySelector("#doc .engine-load p")?.textContent;
    const bar = document.querySelector("#doc .engine-load progress");
    const seen = `${text} [${bar ? `${bar.getAttribute("value") ?? "?"}/${bar.max}` : "-"}]`;
    if (text && window.progressSeen.at(-1) !== seen) window.progressSeen.push(seen);
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
};

test("the engine's download shows how far it has got: of its size when that is known, in bytes so far when compressed", async () => {
  // The engine and the model, downloaded together.
  const size = ENGINE.length + MODEL.length;
  const megabytes = (size / 1e6).toFixed(1);
  // Compressed (as this server sends it): the size it decodes to is not known beforehand.
  const compressed = await harness.openPage({ setUp: (context) => context.addInitScript(RECORD_PROGRESS) });
  let seen = await compressed.page.evaluate(() => window.progressSeen);
  assert.deepEqual(seen.slice(0, 2), ["Loading the engine… [?/1]", "Loading the engine… 0.0 MB [?/1]"], seen.join("\n"));
  assert.ok(seen.includes(`Loading the engine… ${megabytes} MB [?/1]`), seen.join("\n"));
  assert.ok(seen.every((line) => !line.includes(" of ")), seen.join("\n"));
  assert.equal(seen.at(-1), "Loading the model… [-]");
  await compressed.page.context().close();

  // Sent as it is, with its length.
  const plain = await harness.openPage({
    setUp: async (context) => {
      await context.addInitScript(RECORD_PROGRESS);
      await context.route("**/onoma/engine_bg.wasm", (route) => route.fulfill({
        status: 200, body: ENGINE, headers: { "Content-Type": "application/wasm", "Content-Length": String(ENGINE.length) },
      }));
      await context.route("**/onoma/onoma-en.onm", (route) => route.fulfill({
        status: 200, body: MODEL, headers: { "Content-Type": "application/octet-stream", "Content-Length": String(MODEL.length) },
      }));
    },
  });
  seen = await plain.page.evaluate(() => window.progressSeen);
  assert.deepEqual(seen.slice(0, 2), ["Loading the engine… [?/1]", `Loading the engine… 0.0 of ${megabytes} MB [0/${size}]`], seen.join("\n"));
  assert.ok(seen.includes(`Loading the engine… ${megabytes} of ${megabytes} MB [${size}/${size}]`), seen.join("\n"));
  assert.equal(seen.at(-1), "Loading the model… [-]");
  await plain.page.context().close();
});
