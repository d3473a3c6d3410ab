// Shared set-up of the end-to-end tests: the built site/ on a local server, headless
// Debian Chromium, and a record of every request and dialog so that tests can assert on them.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../www/server.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
export const artifacts = `${repo}tests/artifacts`;

export async function startHarness() {
  const server = await serve(`${repo}site`, { port: 0 });
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
  mkdirSync(artifacts, { recursive: true });

  // `setUp(context, page)` runs before the page is opened (routes, init scripts); with
  // `loaded: false` the page is returned without waiting for the model.
  async function openPage({ width = 1280, height = 800, colorScheme = "light", setUp = null, loaded = true } = {}) {
    const context = await browser.newContext({
      viewport: { width, height }, colorScheme, acceptDownloads: true,
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const record = { requests: [], failures: [], dialogs: [], errors: [] };
    // Context-wide, so that requests of the page's Web Worker and service worker are seen too.
    context.on("request", (request) => record.requests.push(request.url()));
    context.on("requestfailed", (request) => record.failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on("dialog", (dialog) => { record.dialogs.push(dialog.message()); dialog.dismiss(); });
    page.on("pageerror", (error) => record.errors.push(error.message));
    page.on("console", (message) => { if (message.type() === "error") record.errors.push(message.text()); });
    await setUp?.(context, page);
    await page.goto(`${origin}/`);
    // The status line ends with the model's name and version once the model has loaded.
    if (loaded) await waitForModel(page);
    return { page, record };
  }

  async function close() {
    await browser.close();
    await new Promise((done) => server.close(done));
  }

  return { origin, openPage, close };
}

export function waitForModel(page) {
  return page.waitForFunction(() => / · model \S+ \S+$/.test(document.getElementById("status").textContent));
}

// Replaces the text box's content and waits until the page shows the annotations of it.
export async function setText(page, text) {
  await page.fill("#text-input", text);
  await waitForAnnotations(page, text);
}

// Runs `change` and waits until the document has been drawn again (its count of drawings,
// data-draws, went up: a correction redraws at once, a change of patterns, terms or model
// after an analysis) and shows the annotations of the text in the box.
export async function redrawn(page, change) {
  const draws = await page.$eval("#doc", (doc) => Number(doc.dataset.draws ?? 0));
  await change();
  await page.waitForFunction((before) => Number(document.getElementById("doc").dataset.draws ?? 0) > before, draws);
  await waitForAnnotations(page, await page.inputValue("#text-input"));
}

// Puts the sample article in the box with its button and waits until the page shows its
// annotations. Returns the article's text.
export async function showSample(page) {
  await page.click("#sample-button");
  const sample = await page.inputValue("#text-input");
  await waitForAnnotations(page, sample);
  return sample;
}

export async function waitForAnnotations(page, text) {
  await page.waitForFunction((expected) => {
    const status = document.getElementById("status");
    return document.getElementById("doc").textContent === expected && !status.classList.contains("busy");
  }, text);
}

// [text, label, score] of every highlight on the page.
export function highlights(page) {
  return page.$$eval("#doc mark.ent", (marks) => marks.map((m) => [m.textContent, m.dataset.label, Number(m.dataset.score)]));
}
