// The package in headless Debian Chromium: as plain ES modules from a <script type="module">
// (no bundler), from the Vite dev server, and bundled by Vite, webpack and esbuild as the
// package README says. Each page runs the same checks on the main thread and in a Worker.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";
import { pkgDir } from "./helpers.mjs";

const app = mkdtempSync(join(tmpdir(), "onoma-browser-"));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
let server;
let browser;
let origin;

// What every page runs: window.check(text) resolves to what the tests compare.
const CHECKS = `
  window.check = async (text) => {
    const ner = await createRecognizer();
    const main = ner.extract(text);
    const analysis = ner.analyze(text, { minScore: 0.5 });
    let error;
    try { ner.extract(text, { labels: ["CITY"] }); } catch (e) { error = e.name + ": " + e.message; }
    let trap;
    try { ner.__trap(); } catch (e) { trap = e.message; }
    const afterTrap = ner.extract(text);
    const worker = await createWorkerRecognizer();
    const inWorker = await worker.extract(text);
    const workerAnalysis = await worker.analyze(text, { minScore: 0.5 });
    const [labels, info] = await Promise.all([worker.labels(), worker.info()]);
    let workerError;
    try { await worker.extract(text, { minScore: NaN }); } catch (e) { workerError = e.name + ": " + e.message; }
    let workerTrap;
    try { await worker.__trap(); } catch (e) { workerTrap = e.message; }
    const workerAfterTrap = await worker.extract(text);
    const patterns = parsePatterns('{"label": "CITY", "pattern": "Paris", "id": 90}\\n\\n{"label": "CEO", "pattern": [{"LOWER": "tim"}, {"LOWER": "cook"}]}');
    const own = await createRecognizer({ patterns });
    const patterned = own.extract(text);
    own.setPatterns([{ label: "TOWN", pattern: "Berlin" }]);
    const replaced = own.extract(text);
    let patternError;
    try { own.setPatterns([{ label: "X", pattern: [{ LOWR: "x" }] }]); } catch (e) { patternError = e.name + ": " + e.message; }
    const kept = own.extract(text);
    const ownLabels = own.labels().map((l) => l.label);
    await worker.setPatterns(patterns);
    const workerPatterned = await worker.extract(text);
    await worker.setPatterns([{ label: "TOWN", pattern: "Berlin" }]);
    let workerPatternError;
    try { await worker.setPatterns([{ label: "X", pattern: [] }]); } catch (e) { workerPatternError = e.name + ": " + e.message; }
    const workerReplaced = await worker.extract(text);
    worker.terminate();
    return { main, analysis, error, trap, afterTrap, inWorker, workerAnalysis, labels, info, workerError, workerTrap, workerAfterTrap,
      patterned, replaced, patternError, kept, ownLabels, workerPatterned, workerPatternError, workerReplaced };
  };`;

const MAIN = `import { createRecognizer, createWorkerRecognizer, parsePatterns } from "onoma-ner";\n${CHECKS}\n`;
const page = (script, type = "module") => `<!doctype html><meta charset="utf-8"><title>onoma</title><script type="${type}">${script}</script>`;

before(async () => {
  cpSync(pkgDir, join(app, "node_modules/onoma-ner"), { recursive: true });
  writeFileSync(join(app, "main.js"), MAIN);
  writeFileSync(join(app, "index.html"), page(`import "./main.js";`));
  // No bundler: the package's files as they are, under a folder (like the web page's onoma/).
  cpSync(pkgDir, join(app, "plain/onoma"), { recursive: true });
  writeFileSync(join(app, "plain/index.html"), page(MAIN.replace('"onoma-ner"', '"./onoma/index.js"')));
  cpSync(join(pkgDir, "engine_bg.wasm"), join(app, "plain/moved/engine.wasm"));
  server = createServer((request, response) => {
    const path = normalize(join(app, decodeURIComponent(new URL(request.url, "http://x").pathname)));
    try {
      const body = readFileSync(path.endsWith("/") ? join(path, "index.html") : path);
      response.writeHead(200, { "content-type": TYPES[extname(path) || ".html"] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((listening) => server.listen(0, "127.0.0.1", listening));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
  rmSync(app, { recursive: true, force: true });
});

const TEXT = "😀 Angela Merkel met Tim Cook, the head of Apple Inc., in Paris\ud800 on Monday. 🇩🇪 Berlin 𝐏 \udfff";

async function runChecks(url) {
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(error.message));
  try {
    await tab.goto(new URL(url, origin).href);
    await tab.waitForFunction(() => typeof window.check === "function", null, { timeout: 20000 });
    const r = await tab.evaluate((text) => window.check(text), TEXT);
    assert.deepEqual(errors, []);
    const found = r.main.map((e) => `${e.label} ${e.text}`);
    for (const expected of ["PERSON Angela Merkel", "PERSON Tim Cook", "ORG Apple Inc."]) {
      assert.ok(found.includes(expected), `${expected} in ${found}`);
    }
    for (const e of r.main) assert.equal(TEXT.slice(e.start, e.end), e.text);
    assert.deepEqual(r.analysis.entities, r.main.filter((e) => e.score >= 0.5));
    assert.match(r.error, /^RangeError: onoma: unknown label "CITY"/);
    assert.match(r.trap, /^onoma: the WebAssembly engine failed \(RuntimeError: unreachable\); it was restarted/);
    assert.deepEqual(r.afterTrap, r.main);
    assert.deepEqual(r.inWorker, r.main);
    assert.deepEqual(r.workerAnalysis, r.analysis);
    assert.equal(r.labels.length, 18);
    assert.equal(r.info.name, "onoma-en");
    assert.equal(r.workerError, "RangeError: onoma: options.minScore must be a number from 0 to 1, got NaN");
    assert.match(r.workerTrap, /^onoma: the WebAssembly engine failed/);
    assert.deepEqual(r.workerAfterTrap, r.main);
    // Patterns, on the main thread and in the worker.
    const at = (found) => TEXT.indexOf(found);
    assert.deepEqual(r.patterned.filter((e) => e.source === "pattern"), [
      { start: at("Tim Cook"), end: at("Tim Cook") + 8, label: "CEO", text: "Tim Cook", score: 1, source: "pattern" },
      { start: at("Paris"), end: at("Paris") + 5, label: "CITY", text: "Paris", score: 1, source: "pattern", id: "90" },
    ]);
    assert.deepEqual(r.replaced.filter((e) => e.source === "pattern").map((e) => [e.label, TEXT.slice(e.start, e.end)]), [["TOWN", "Berlin"]]);
    for (const e of [...r.patterned, ...r.replaced]) assert.equal(TEXT.slice(e.start, e.end), e.text);
    assert.match(r.patternError, /^RangeError: onoma: patterns\[0\]: token 0: unknown token attribute "LOWR"/);
    assert.deepEqual(r.kept, r.replaced);
    assert.deepEqual(r.ownLabels.slice(18), ["TOWN"]);
    assert.deepEqual(r.workerPatterned, r.patterned);
    assert.equal(r.workerPatternError, "RangeError: onoma: patterns[0]: the pattern is empty");
    assert.deepEqual(r.workerReplaced, r.replaced);
  } finally {
    await tab.close();
  }
}

test("plain ES modules from a <script type=module>, no bundler", async () => {
  await runChecks("/plain/");
});

test("the wasm option, relative to the page, is used by the page and by the worker", async () => {
  const tab = await browser.newPage();
  const requests = [];
  tab.context().on("request", (request) => requests.push(new URL(request.url()).pathname));
  try {
    await tab.goto(`${origin}/plain/`);
    const [inPage, inWorker] = await tab.evaluate(async () => {
      const { createRecognizer, createWorkerRecognizer } = await import("./onoma/index.js");
      const worker = await createWorkerRecognizer({ wasm: "moved/engine.wasm" });
      const ner = await createRecognizer({ wasm: "moved/engine.wasm" });
      const text = "Tim Cook runs Apple Inc.";
      const result = [ner.extract(text), await worker.extract(text)];
      worker.terminate();
      return result;
    });
    assert.deepEqual(inWorker, inPage);
    assert.deepEqual(inPage.map((e) => e.text), ["Tim Cook", "Apple Inc."]);
    assert.equal(requests.filter((p) => p === "/plain/moved/engine.wasm").length, 2, requests.join(" "));
    assert.ok(!requests.some((p) => p.endsWith("engine_bg.wasm")), requests.join(" "));
  } finally {
    await tab.close();
  }
});

test("a browser without WebAssembly SIMD loads the other build, which finds the same entities", async () => {
  const found = async (noSimd) => {
    const tab = await browser.newPage();
    const requests = [];
    tab.on("request", (request) => requests.push(new URL(request.url()).pathname));
    // As an engine without SIMD answers the package's probe (the page's realm only).
    if (noSimd) await tab.addInitScript(() => { WebAssembly.validate = () => false; });
    try {
      await tab.goto(`${origin}/plain/`);
      const result = await tab.evaluate(async (text) => {
        const { createRecognizer } = await import("./onoma/index.js");
        const ner = await createRecognizer();
        return { simd: ner.info().engineSimd, entities: ner.extract(text) };
      }, TEXT);
      return { ...result, requests };
    } finally {
      await tab.close();
    }
  };
  const [simd, compat] = [await found(false), await found(true)];
  assert.equal(simd.simd, true);
  assert.equal(compat.simd, false);
  assert.ok(simd.requests.includes("/plain/onoma/engine_bg.wasm") && !simd.requests.some((p) => p.endsWith("compat_bg.wasm")), simd.requests.join(" "));
  assert.ok(compat.requests.includes("/plain/onoma/engine_compat_bg.wasm") && !compat.requests.includes("/plain/onoma/engine_bg.wasm"), compat.requests.join(" "));
  assert.ok(compat.requests.includes("/plain/onoma/onoma-en.onm"));
  assert.ok(simd.entities.length >= 4);
  assert.deepEqual(compat.entities, simd.entities);
});

test("a 5 MB text in the Web Worker while the page stays responsive", async () => {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${origin}/plain/`);
    const r = await tab.evaluate(async () => {
      const { createWorkerRecognizer } = await import("./onoma/index.js");
      const worker = await createWorkerRecognizer();
      const text = "The European Central Bank met in Frankfurt on Thursday. ".repeat(90000);
      let frames = 0;
      const count = () => { frames++; if (!done) requestAnimationFrame(count); };
      let done = false;
      requestAnimationFrame(count);
      const { entities, sentences } = await worker.analyze(text);
      done = true;
      worker.terminate();
      const sliced = entities.every((e) => text.slice(e.start, e.end) === e.text);
      return { length: text.length, entities: entities.length, sentences, sliced, frames };
    });
    assert.ok(r.length > 5_000_000);
    assert.equal(r.sentences, 90000);
    assert.ok(r.entities >= 90000 && r.sliced, JSON.stringify(r));
    assert.ok(r.frames > 5, `the page kept rendering frames (${r.frames})`);
  } finally {
    await tab.close();
  }
});

test("bundled by Vite", async () => {
  const { build } = await import("vite");
  // base "./": the page is served from /dist-vite/, not from the root.
  await build({ root: app, base: "./", logLevel: "error", build: { outDir: join(app, "dist-vite") } });
  await runChecks("/dist-vite/");
});

test("served by the Vite dev server", async () => {
  const { createServer: createViteServer } = await import("vite");
  const vite = await createViteServer({ root: app, logLevel: "error", server: { host: "127.0.0.1", port: 0 } });
  await vite.listen();
  try {
    await runChecks(vite.resolvedUrls.local[0]);
  } finally {
    await vite.close();
  }
});

test("bundled by webpack", async () => {
  const { default: webpack } = await import("webpack");
  const stats = await new Promise((done, fail) =>
    webpack({
      mode: "production",
      context: app,
      entry: "./main.js",
      output: { path: join(app, "dist-webpack"), publicPath: "auto" },
    }).run((error, result) => (error ? fail(error) : done(result))));
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  // webpack's default output is a classic script.
  writeFileSync(join(app, "dist-webpack/index.html"), '<!doctype html><meta charset="utf-8"><script src="./main.js"></script>');
  await runChecks("/dist-webpack/");
});

test("bundled by esbuild, with the worker as a second entry and the engine and model copied", async () => {
  const esbuild = await import("esbuild");
  const out = join(app, "dist-esbuild");
  await esbuild.build({
    entryPoints: [join(app, "main.js"), join(app, "node_modules/onoma-ner/worker.js")],
    entryNames: "[name]",
    bundle: true,
    format: "esm",
    outdir: out,
    logLevel: "error",
  });
  for (const file of ["engine_bg.wasm", "engine_compat_bg.wasm", "onoma-en.onm"]) {
    cpSync(join(app, "node_modules/onoma-ner", file), join(out, file));
  }
  writeFileSync(join(out, "index.html"), page(`import "./main.js";`));
  await runChecks("/dist-esbuild/");
});
