// Throughput of the npm package in Node and Chromium against the native CLI, and time to
// first result.
//
//   node tests/js/bench.mjs [TEXTS.jsonl]     (make bench-js; needs pkg/ and target/release/onoma)
//
// Throughput: `analyze` on every text of the JSONL file ({"text": ...} per line), tokens/s,
// three rounds alternating with `onoma bench` on the same file; medians are compared.
// Time to first result: a fresh Node process imports the package and loads the engine and
// the built-in model (the load time, until createRecognizer resolves), then extracts from
// one sentence (the first result, timed from there); medians of five processes.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { pkgDir, repo, servePackage } from "./helpers.mjs";

const file = process.argv[2] ?? `${repo}../shared/eval/ontonotes_test.jsonl`;
const texts = readFileSync(file, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).text);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { createRecognizer, createWorkerRecognizer } = await import(`${pkgDir}/node.js`);
const ner = await createRecognizer();

function wasmTokensPerSecond() {
  const started = performance.now();
  let tokens = 0;
  for (const text of texts) tokens += ner.analyze(text).tokens;
  return (tokens / (performance.now() - started)) * 1000;
}

function nativeTokensPerSecond() {
  const out = execFileSync(`${repo}target/release/onoma`, ["bench", file], { encoding: "utf8" });
  return Number(/tokens\/s\s+(\d+)/.exec(out)[1]);
}

const FIRST = `
  const started = performance.now();
  const { createRecognizer } = await import(${JSON.stringify(`${pkgDir}/node.js`)});
  const ner = await createRecognizer();
  const loaded = performance.now();
  ner.extract("Angela Merkel visited Paris on Monday.");
  console.log(JSON.stringify({ load: loaded - started, first: performance.now() - loaded }));`;

function firstResultMs() {
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", FIRST], { encoding: "utf8" }));
}

const wasm = [];
const native = [];
for (let round = 0; round < 3; round++) {
  native.push(nativeTokensPerSecond());
  wasm.push(wasmTokensPerSecond());
}
const first = Array.from({ length: 5 }, firstResultMs);

// A pool of workers on one long text: the test texts joined into about 2 MB, analysed
// whole by one worker and in shares by two, three rounds alternating.
const long = texts.join("\n\n").repeat(3).slice(0, 2_000_000);
async function poolSeconds(workers) {
  const pool = await createWorkerRecognizer({ workers });
  await pool.analyze(texts[0]);
  const started = performance.now();
  const { tokens } = await pool.analyze(long);
  const seconds = (performance.now() - started) / 1000;
  pool.terminate();
  return { seconds, tokens, workers: pool.workers };
}
const pools = { 1: [], 2: [] };
for (let round = 0; round < 3; round++) for (const n of [1, 2]) pools[n].push(await poolSeconds(n));

// Typing in that text: analyzeLive of it on two workers, then a character added at its end
// and read again, nine times; the median.
async function typedMs() {
  const pool = await createWorkerRecognizer({ workers: 2 });
  let text = long;
  await pool.analyzeLive(text);
  const times = [];
  for (let k = 0; k < 9; k++) {
    text += k % 4 === 3 ? " " : "a";
    const started = performance.now();
    await pool.analyzeLive(text);
    times.push(performance.now() - started);
  }
  pool.terminate();
  return { ms: median(times), workers: pool.workers };
}
const typed = await typedMs();

// Memory: the resident set after one 10 MB text (the engine's limit is 10,000,000 code units).
const huge = texts.join("\n\n").repeat(8).slice(0, 9_900_000);
ner.analyze(huge);
const rssAfterHuge = process.memoryUsage().rss;

// Chromium: the browser build as a page loads it (a fresh browser context each time, so
// nothing cached): import to createRecognizer resolved, then the first result; medians of
// five. Then `analyze` over the texts in the page, best of three rounds.
const server = await servePackage({ "/": "<!doctype html><title>bench</title>" });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
const inChromium = { loads: [], firsts: [] };
try {
  for (let k = 0; k < 5; k++) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${server.origin}/`);
    const { load, first: firstMs, tokensPerSecond } = await tab.evaluate(async (all) => {
      const started = performance.now();
      const { createRecognizer } = await import("/onoma/index.js");
      const recognizer = await createRecognizer();
      const loaded = performance.now();
      recognizer.extract("Angela Merkel visited Paris on Monday.");
      const first = performance.now() - loaded;
      let best = 0;
      for (let round = 0; all && round < 3; round++) {
        const start = performance.now();
        let tokens = 0;
        for (const text of all) tokens += recognizer.analyze(text).tokens;
        best = Math.max(best, (tokens / (performance.now() - start)) * 1000);
      }
      return { load: loaded - started, first, tokensPerSecond: best };
    }, k === 0 ? texts : null);
    inChromium.loads.push(load);
    inChromium.firsts.push(firstMs);
    if (k === 0) inChromium.tokensPerSecond = tokensPerSecond;
    await context.close();
  }
  inChromium.version = browser.version();
} finally {
  await browser.close();
  server.close();
}

const round = (xs) => xs.map((x) => Math.round(x)).join(", ");
console.log(`texts                 ${texts.length} (${file})`);
console.log(`native tokens/s       ${round(native)}  median ${Math.round(median(native))}`);
console.log(`wasm (Node) tokens/s  ${round(wasm)}  median ${Math.round(median(wasm))} (first round includes JIT warm-up)`);
console.log(`wasm / native         ${((100 * median(wasm)) / median(native)).toFixed(0)}%  (target >= 90%)`);
const loads = first.map((x) => x.load);
const firsts = first.map((x) => x.first);
console.log(`engine load time      ${loads.map((x) => x.toFixed(0)).join(", ")} ms  median ${median(loads).toFixed(0)} ms  (import to createRecognizer resolved)`);
console.log(`first result          ${firsts.map((x) => x.toFixed(1)).join(", ")} ms  median ${median(firsts).toFixed(1)} ms after createRecognizer resolves  (target <= 50 ms)`);
const secs = (runs) => runs.map((r) => r.seconds.toFixed(2)).join(", ");
const one = median(pools[1].map((r) => r.seconds));
const two = median(pools[2].map((r) => r.seconds));
console.log(`pool, 2 MB text, 1 worker   ${secs(pools[1])} s  median ${one.toFixed(2)} s (${Math.round(pools[1][0].tokens / one)} tokens/s)`);
console.log(`pool, 2 MB text, ${pools[2][0].workers} workers  ${secs(pools[2])} s  median ${two.toFixed(2)} s (${(one / two).toFixed(2)}x)`);
console.log(`typing at the end of it, ${typed.workers} workers (analyzeLive)  median ${typed.ms.toFixed(0)} ms per character`);
console.log(`memory after a 9.9 MB text ${(rssAfterHuge / 2 ** 20).toFixed(0)} MiB resident (Node process)`);
console.log(`chromium tokens/s     ${Math.round(inChromium.tokensPerSecond)} (best of three rounds, ${((100 * inChromium.tokensPerSecond) / median(native)).toFixed(0)}% of native)`);
console.log(`chromium load time    ${inChromium.loads.map((x) => x.toFixed(0)).join(", ")} ms  median ${median(inChromium.loads).toFixed(0)} ms  (import to createRecognizer resolved, nothing cached)`);
console.log(`chromium first result ${inChromium.firsts.map((x) => x.toFixed(1)).join(", ")} ms  median ${median(inChromium.firsts).toFixed(1)} ms after createRecognizer resolves`);
console.log(`node ${process.version}, chromium ${inChromium.version}`);
