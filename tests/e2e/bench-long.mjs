// How the page copes with long texts, as a report (not a test: timings vary by machine).
// For each size, in headless Chromium on the built site/: the time from putting the text in
// the box to the first highlights drawn and to every highlight drawn (and how much of that the
// engine took), from a key typed at the end to the page painted again and from a key typed
// near the start to the edit drawn, the median frame
// while scrolling the highlighted text, the DOM elements, and the renderer's memory (right
// after the keys, once the page has been idle for 30 s, and once the page's garbage is
// collected). Texts are news articles of
// tests/data/fresh_news.jsonl, repeated.
//
//   make site && cd tests/e2e && node bench-long.mjs [SIZE_KB ...]   (default: 200 2000)
import { readFileSync, readdirSync } from "node:fs";
import { startHarness, waitForAnnotations } from "./harness.mjs";

const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ["200", "2000"]).map(Number);
const articles = readFileSync(new URL("../data/fresh_news.jsonl", import.meta.url), "utf8")
  .trim().split("\n").map((line) => JSON.parse(line).text);

function textOf(kilobytes) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < kilobytes * 1000; i++) {
    const article = articles[i % articles.length];
    parts.push(article);
    length += article.length + 2;
  }
  return parts.join("\n\n");
}

// The largest resident set of Chromium's renderer processes, in MB (Linux /proc).
function rendererMegabytes() {
  let largest = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")) continue;
      const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      largest = Math.max(largest, rss / 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return largest;
}

async function measure(harness, kilobytes) {
  const { page } = await harness.openPage();
  page.setDefaultTimeout(600_000); // megabytes take the engine minutes on a slow machine
  const text = textOf(kilobytes);
  // As a paste does: the whole text at once, one input event. (Playwright's fill is far
  // slower than a paste on megabytes of text, and would be measured instead of the page.)
  let started = performance.now();
  await page.evaluate((pasted) => {
    const input = document.getElementById("text-input");
    input.value = pasted;
    input.dispatchEvent(new Event("input"));
  }, text);
  await page.waitForFunction((expected) => document.getElementById("doc").textContent === expected
    && document.querySelector("#doc mark.ent"), text, { polling: 10 });
  const first = performance.now() - started;
  await waitForAnnotations(page, text);
  const paste = performance.now() - started;
  // The whole text's analysis as the status line gives it: the engine's time, with the
  // worker's messages.
  const status = await page.locator("#status").textContent();
  const engine = Number(/([\d,]+) ms/.exec(status)?.[1].replace(/,/g, "") ?? NaN);
  if (Number.isNaN(engine)) console.error(`status: ${status}`);

  // A key typed at the end of the text, as a user types it: from the key going down to the
  // page painted again (two frames after the status line says the analysis is done), timed
  // in the page. The median of five.
  await page.evaluate(() => {
    const input = document.getElementById("text-input");
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  });
  const edits = [];
  for (let k = 0; k < 5; k++) {
    await page.evaluate(() => {
      const input = document.getElementById("text-input");
      const status = document.getElementById("status");
      window.typed = new Promise((done) => {
        input.addEventListener("keydown", () => {
          const down = performance.now();
          let started = false;
          const seen = new MutationObserver(() => {
            started ||= status.classList.contains("busy");
            if (!started || status.classList.contains("busy")) return;
            seen.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - down)));
          });
          seen.observe(status, { attributes: true, childList: true, subtree: true, characterData: true });
        }, { once: true });
      });
    });
    await page.keyboard.press("x");
    edits.push(await page.evaluate(() => window.typed));
  }
  const edit = edits.sort((a, b) => a - b)[2];

  // A key typed near the start, in the text's second word: where the names first met are,
  // so that it changes what the whole text says about some words (their first mentions'
  // neighbours) and blocks all through the text must be read again. From the key going down
  // to the edited text drawn (two frames after the document's first block holds it), while
  // the workers go on with the rest; the median of five.
  const starts = [];
  // A long text's first part into the box (it holds one part at a time).
  await page.evaluate(() => {
    const earlier = document.querySelector("#text-part .earlier");
    while (!document.getElementById("text-part").hidden && !earlier.disabled) earlier.click();
  });
  for (let k = 0; k < 5; k++) {
    const typed = await page.evaluate(() => {
      const input = document.getElementById("text-input");
      const at = input.value.indexOf(" ") + 1;
      input.setSelectionRange(at, at);
      return `${input.value.slice(0, at)}x${input.value.slice(at, at + 40)}`;
    });
    await page.evaluate((expected) => {
      window.typed = new Promise((done) => {
        document.getElementById("text-input").addEventListener("keydown", () => {
          const down = performance.now();
          const drawn = () => {
            const texts = document.createTreeWalker(document.getElementById("doc"), NodeFilter.SHOW_TEXT);
            let start = "";
            while (start.length < expected.length && texts.nextNode()) start += texts.currentNode.data;
            return start.startsWith(expected);
          };
          const poll = () => (drawn()
            ? requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - down)))
            : requestAnimationFrame(poll));
          poll();
        }, { once: true });
      });
    }, typed);
    await page.keyboard.press("x");
    starts.push(await page.evaluate(() => window.typed));
  }
  const nearStart = starts.sort((a, b) => a - b)[2];

  // 120 frames of scrolling the highlighted text by 40 px each.
  const frame = await page.evaluate(() => new Promise((done) => {
    const doc = document.getElementById("doc");
    const scroller = doc.scrollHeight > doc.clientHeight ? doc : document.scrollingElement;
    const times = [];
    let last = performance.now();
    const step = (now) => {
      times.push(now - last);
      last = now;
      scroller.scrollTop += 40;
      if (times.length < 120) requestAnimationFrame(step);
      else done(times.slice(1).sort((a, b) => a - b)[Math.floor(times.length / 2)]);
    };
    requestAnimationFrame(step);
  }));
  const elements = await page.evaluate(() => document.getElementsByTagName("*").length);
  // Every entity found (the status line's count: only the blocks near the screen hold marks).
  const highlights = Number(/^([\d,]+) entit/.exec(status)?.[1].replace(/,/g, "") ?? NaN);
  const memory = rendererMegabytes();
  // Once the workers have read every block the keys made stale (the status line no longer
  // busy), and the page has been left alone for 30 s: the browser collects garbage by itself
  // when a page goes idle (V8's memory reducer), in the page and in its workers.
  await page.waitForFunction(() => !document.getElementById("status").classList.contains("busy"), null, { polling: 100 });
  await new Promise((done) => setTimeout(done, 30_000));
  const settled = rendererMegabytes();
  // The same once the page's own garbage is collected (the workers' is not: the protocol
  // reaches only the page), as it would be in a page left alone for a while.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  await new Promise((done) => setTimeout(done, 1000));
  const collected = rendererMegabytes();
  await page.context().close();
  return { kilobytes, characters: text.length, highlights, first, paste, engine, edit, nearStart, frame, elements, memory, settled, collected };
}

const harness = await startHarness();
try {
  console.log("| text | highlights | paste → first highlights | paste → all highlights | of which the engine | key typed at the end → painted | key typed near the start → drawn | scroll frame (median) | DOM elements | renderer memory | when done, after 30 s idle | and after the page's garbage collection |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const kilobytes of sizes) {
    const r = await measure(harness, kilobytes);
    console.log(`| ${r.kilobytes.toLocaleString("en")} KB | ${r.highlights.toLocaleString("en")} | ${(r.first / 1000).toFixed(2)} s | ${(r.paste / 1000).toFixed(2)} s `
      + `| ${(r.engine / 1000).toFixed(2)} s | ${(r.edit / 1000).toFixed(2)} s | ${(r.nearStart / 1000).toFixed(2)} s | ${r.frame.toFixed(1)} ms | ${r.elements.toLocaleString("en")} | ${Math.round(r.memory)} MB | ${Math.round(r.settled)} MB | ${Math.round(r.collected)} MB |`);
  }
} finally {
  await harness.close();
}
