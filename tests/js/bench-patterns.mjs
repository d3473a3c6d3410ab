// What a large term list costs the npm package, in Node and in headless Chromium: the time to
// load N phrase patterns (parsePatterns on the file's text, then setPatterns) and the
// throughput of `analyze` with and without them, run alternately on the same texts.
//
//   node tests/js/bench-patterns.mjs PATTERNS.jsonl [TEXTS.jsonl]     (make bench-patterns)
//
// Medians of three rounds. Native figures: `onoma bench --patterns PATTERNS.jsonl`.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { pkgDir, repo, servePackage } from "./helpers.mjs";

const [patternFile, textFile = `${repo}../shared/eval/ontonotes_test.jsonl`] = process.argv.slice(2);
if (!patternFile) throw new Error("usage: node tests/js/bench-patterns.mjs PATTERNS.jsonl [TEXTS.jsonl]");

// The measurement, the same in Node and in the page: `api` is the package's module.
async function measure(api, patternsJsonl, textsJsonl) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const texts = textsJsonl.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l).text);
  const ner = await api.createRecognizer();
  const loads = [];
  let count = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const patterns = api.parsePatterns(patternsJsonl);
    ner.setPatterns(patterns);
    loads.push(performance.now() - started);
    count = patterns.length;
  }
  const throughput = () => {
    const started = performance.now();
    let tokens = 0;
    let entities = 0;
    for (const text of texts) {
      const analysis = ner.analyze(text);
      tokens += analysis.tokens;
      entities += analysis.entities.length;
    }
    return { perSecond: (tokens / (performance.now() - started)) * 1000, entities };
  };
  const patterns = api.parsePatterns(patternsJsonl);
  const plain = [];
  const withPatterns = [];
  let entities = {};
  throughput(); // warm-up
  for (let round = 0; round < 3; round++) {
    ner.setPatterns(null);
    const a = throughput();
    ner.setPatterns(patterns);
    const b = throughput();
    plain.push(a.perSecond);
    withPatterns.push(b.perSecond);
    entities = { plain: a.entities, withPatterns: b.entities };
  }
  return { count, loadMs: median(loads), plain: median(plain), withPatterns: median(withPatterns), entities };
}

function report(where, r) {
  const slower = 100 * (1 - r.withPatterns / r.plain);
  console.log(`${where}: ${r.count} patterns load in ${r.loadMs.toFixed(0)} ms (parsePatterns + setPatterns, median of 3)`);
  console.log(`${where}: analyze ${Math.round(r.plain)} tokens/s without, ${Math.round(r.withPatterns)} with: ${slower.toFixed(1)}% slower` +
    ` (entities ${r.entities.plain} -> ${r.entities.withPatterns})`);
}

const patternsJsonl = readFileSync(patternFile, "utf8");
const textsJsonl = readFileSync(textFile, "utf8");
report("node", await measure(await import(`${pkgDir}/node.js`), patternsJsonl, textsJsonl));

// Chromium: the browser build, served with the two files, as the page would load it.
const server = await servePackage({ "/patterns.jsonl": patternsJsonl, "/texts.jsonl": textsJsonl, "/": "<!doctype html><title>bench</title>" });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const tab = await browser.newPage();
  await tab.goto(`${server.origin}/`);
  const result = await tab.evaluate(async (measureSource) => {
    const measure = new Function(`return (${measureSource})`)();
    const api = await import("/onoma/index.js");
    const [p, t] = await Promise.all(["/patterns.jsonl", "/texts.jsonl"].map((u) => fetch(u).then((r) => r.text())));
    return measure(api, p, t);
  }, measure.toString());
  report(`chromium ${browser.version()}`, result);
} finally {
  await browser.close();
  server.close();
}
console.log(`node ${process.version}; texts ${textFile}`);
