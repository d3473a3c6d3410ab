// The page's exports (www/export.js), its plain-language type names (www/types.js) and its
// palette (scripts/palette-check.mjs), as plain Node tests: no browser needed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { toTrainingJsonl, toCsv, toHtml, fileName, toJson, CSV_COLUMNS } from "../../www/export.js";
import { TYPE_NAMES, typeName, typeLongName, typeDetail } from "../../www/types.js";
import { checkPalette, paletteOf } from "../../scripts/palette-check.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Entities for each [mention, label] at its first occurrence after the previous one, with
// the page's UTF-16 offsets.
function entitiesIn(text, mentions, extra = {}) {
  let from = 0;
  return mentions.map(([mention, label]) => {
    const start = text.indexOf(mention, from);
    assert.ok(start >= 0, `${mention} is in the text`);
    from = start + mention.length;
    return { start, end: start + mention.length, label, text: mention, score: 0.91, source: "model", ...extra };
  });
}

// RFC 4180 records, checking on the way that every record ends with CRLF and that a bare
// CR or LF only ever appears inside quotes.
function parseCsv(csv) {
  const records = [];
  let record = [], cell = "", quoted = false, i = 0;
  while (i < csv.length) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === "") { quoted = true; i++; continue; }
    if (c === ",") { record.push(cell); cell = ""; i++; continue; }
    if (c === "\r" || c === "\n") {
      assert.equal(csv.slice(i, i + 2), "\r\n", `a record ends with CRLF at ${i}`);
      record.push(cell); records.push(record); record = []; cell = ""; i += 2; continue;
    }
    assert.notEqual(c, '"', `a quote inside an unquoted cell at ${i}`);
    cell += c; i++;
  }
  assert.ok(!quoted && cell === "" && record.length === 0, "the file ends with a whole record and CRLF");
  return records;
}

const hasLoneSurrogate = (s) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

// ---- Training JSONL ----------------------------------------------------------------------

const INTERNATIONAL = "🎉 東京の会議で Anna Berg met 👨‍👩‍👧 the Vienna 𝒳 Philharmonic on Monday.";

test("the training file gives code-point offsets, so entities after emoji and CJK cover their text", () => {
  const entities = entitiesIn(INTERNATIONAL, [["Anna Berg", "PERSON"], ["the Vienna 𝒳 Philharmonic", "ORG"], ["Monday", "DATE"]]);
  const line = toTrainingJsonl(INTERNATIONAL, entities);
  assert.ok(line.endsWith("}\n") && line.indexOf("\n") === line.length - 1, "one JSON line");
  const record = JSON.parse(line);
  assert.deepEqual(Object.keys(record), ["text", "entities"]);
  assert.equal(record.text, INTERNATIONAL);
  const points = [...INTERNATIONAL];
  assert.deepEqual(record.entities.map(({ start, end, label }) => [points.slice(start, end).join(""), label]),
    [["Anna Berg", "PERSON"], ["the Vienna 𝒳 Philharmonic", "ORG"], ["Monday", "DATE"]]);
  assert.notEqual(record.entities[0].start, entities[0].start, "the offsets were converted");
  for (const entity of record.entities) assert.deepEqual(Object.keys(entity), ["start", "end", "label"]);
});

test("the training file keeps the first of overlapping entities and drops those outside the text", () => {
  const text = "New York City is big.";
  const line = toTrainingJsonl(text, [
    { start: 4, end: 13, label: "GPE" }, { start: 0, end: 8, label: "GPE" }, { start: 0, end: 13, label: "LOC" },
    { start: 15, end: 40, label: "X" }, { start: 3, end: 3, label: "EMPTY" },
  ]);
  assert.deepEqual(JSON.parse(line).entities, [{ start: 0, end: 8, label: "GPE" }]);
});

test("a lone surrogate in the text becomes U+FFFD without moving the offsets after it", () => {
  const text = "\uD83D Anna and \uDE00 Bob";
  const record = JSON.parse(toTrainingJsonl(text, entitiesIn(text, [["Anna", "PERSON"], ["Bob", "PERSON"]])));
  assert.equal(record.text, "\uFFFD Anna and \uFFFD Bob");
  assert.deepEqual(record.entities.map(({ start, end }) => [...record.text].slice(start, end).join("")), ["Anna", "Bob"]);
});

test("onoma train reads the training file without a problem", (t) => {
  const onoma = join(ROOT, "target/release/onoma");
  if (!existsSync(onoma)) {
    t.skip("target/release/onoma is not built");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "onoma-export-"));
  try {
    const corpus = join(dir, "corpus.jsonl");
    const docs = [INTERNATIONAL, "Then 👨‍👩‍👧 Maria Lopez flew to 東京 and Paris on Friday."];
    const mentions = [[["Anna Berg", "PERSON"], ["Monday", "DATE"]], [["Maria Lopez", "PERSON"], ["Paris", "GPE"], ["Friday", "DATE"]]];
    writeFileSync(corpus, docs.map((text, i) => toTrainingJsonl(text, entitiesIn(text, mentions[i]))).join("").repeat(2));
    const run = spawnSync(onoma, ["train", "--corpus", corpus, "--dev", corpus, "--out", join(dir, "model.onm"),
      "--lexicons", "none", "--epochs", "1", "--runs", "1", "--crf-runs", "1"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    // The reader reports each entity it cannot place as "FILE: line N: …".
    assert.doesNotMatch(run.stderr, new RegExp(`${corpus.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:`), run.stderr);
    assert.match(run.stderr, /\b3 labels: /, "PERSON, DATE and GPE were all read");
    assert.ok(existsSync(join(dir, "model.onm")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- CSV ---------------------------------------------------------------------------------

test("the CSV starts with a byte-order mark, ends lines with CRLF and quotes commas, quotes and line breaks", () => {
  const text = 'He said "Smith, Jones\nand Co" won.';
  const entities = [{ start: 9, end: 29, label: "ORG", text: '"Smith, Jones\nand Co"', score: 0.5, source: "model" }];
  const csv = toCsv(entities, { text });
  assert.ok(csv.startsWith("\uFEFFstart,end,label,type,text,score,source,id,context\r\n"));
  const records = parseCsv(csv.slice(1));
  assert.deepEqual(records[0], CSV_COLUMNS);
  assert.equal(records.length, 2);
  assert.deepEqual(records[1].slice(0, 8), ["9", "29", "ORG", "Organisation", '"Smith, Jones\nand Co"', "0.5", "model", ""]);
  assert.ok(csv.includes('"""Smith, Jones\nand Co"""'), "quotes doubled inside a quoted cell");
});

test("CSV cells that a spreadsheet would run as a formula start with an apostrophe", () => {
  const mentions = ["=HYPERLINK(\"http://x\")", "+1 555", "-40 degrees", "@SUM(A1)", "\tTab", "Plain"];
  const text = mentions.join(" ");
  const entities = entitiesIn(text, mentions.map((m) => [m, "=LABEL"]));
  const records = parseCsv(toCsv(entities).slice(1));
  assert.deepEqual(records.slice(1).map((r) => r[4]),
    ["'=HYPERLINK(\"http://x\")", "'+1 555", "'-40 degrees", "'@SUM(A1)", "'\tTab", "Plain"]);
  assert.ok(records.slice(1).every((r) => r[2] === "'=LABEL" && r[3] === "'=LABEL"), "labels and types too");
});

test("the CSV context is on one line, marks the mention and cuts only between graphemes", () => {
  const family = "👨‍👩‍👧"; // one grapheme of 8 UTF-16 code units
  const flag = "🇫🇷"; // one grapheme of two regional indicators
  const text = `${family.repeat(60)}\n\n  Anna\tBerg \r\n${flag.repeat(60)} e\u0301${"e\u0301".repeat(50)}`;
  const [entity] = entitiesIn(text, [["Anna\tBerg", "PERSON"]]);
  const [, row] = parseCsv(toCsv([entity], { text }).slice(1));
  const context = row.at(-1);
  assert.ok(!hasLoneSurrogate(context), "no surrogate pair split");
  assert.doesNotMatch(context, /[\r\n\t]| {2}/, "one line, white space collapsed");
  const [before, rest] = context.split("«");
  const [mention, after] = rest.split("»");
  assert.equal(mention, "Anna Berg");
  // 40 graphemes each side: "\n", "\n", " ", " " and 36 families before; " ", "\r\n" and 38 flags after.
  assert.equal(before, `…${family.repeat(36)} `);
  assert.equal(after, ` ${flag.repeat(38)}…`);
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const part of [before.slice(1), after.slice(0, -1)]) {
    assert.ok([...segmenter.segment(part)].every(({ segment }) => [family, flag, " "].includes(segment)));
  }
});

test("the CSV context is whole near the ends of the text and never cuts a base letter from its accent", () => {
  const text = "Zoe\u0301".repeat(20) + " met Anna.";
  const [entity] = entitiesIn(text, [["Anna", "PERSON"]]);
  const context = parseCsv(toCsv([entity], { text }).slice(1))[1].at(-1);
  // 40 graphemes: " met " and 35 of the run of Z, o and e-with-accent (two code points).
  assert.equal(context, `…oe\u0301${"Zoe\u0301".repeat(11)} met «Anna».`, "no ellipsis at the end of the text");
  const short = parseCsv(toCsv(entitiesIn("  Bob  ", [["Bob", "PERSON"]]), { text: "  Bob  " }).slice(1))[1].at(-1);
  assert.equal(short, "«Bob»");
});

test("the settings that made the selection follow the entities after an empty row", () => {
  const text = "Anna met Bob.";
  const csv = toCsv(entitiesIn(text, [["Anna", "PERSON"], ["Bob", "PERSON"]]), {
    text, settings: { model: "onoma-en 1.0", "minimum confidence": 0.5, "types hidden": ["DATE", "TIME"], patterns: false },
  });
  const records = parseCsv(csv.slice(1));
  assert.equal(records.length, 3 + 1 + 1 + 5);
  assert.deepEqual(records[3], [""], "an empty row after the entities");
  assert.deepEqual(records.slice(4), [["setting", "value"], ["offsets", "UTF-16 code units from 0, end exclusive"],
    ["model", "onoma-en 1.0"], ["minimum confidence", "0.5"], ["types hidden", "DATE; TIME"], ["patterns", "no"]]);
});

test("the CSV as the page made it before (entities only) has a header, rows and no settings", () => {
  const csv = toCsv([{ start: 0, end: 4, label: "DISH", text: "Paëlla", source: "pattern", id: "p1" }]);
  const records = parseCsv(csv.slice(1));
  assert.deepEqual(records, [CSV_COLUMNS, ["0", "4", "DISH", "DISH", "Paëlla", "", "pattern", "p1", ""]]);
  assert.equal(toCsv([]), "\uFEFF" + CSV_COLUMNS.join(",") + "\r\n");
});

test("the CSV type follows the model's description of a label", () => {
  const text = "Paris and Lyon.";
  const entities = entitiesIn(text, [["Paris", "GPE"], ["Lyon", "LOC"]]);
  const labels = [{ label: "GPE", description: "Countries, cities, states" },
    { label: "LOC", description: "Countries, cities, regions, mountains, bodies of water" }];
  const records = parseCsv(toCsv(entities, { text, labels }).slice(1));
  assert.deepEqual(records.slice(1).map((r) => r[3]), ["Place", "LOC"]);
});

test("the JSON export is unchanged: UTF-16 offsets and the fields the page has", () => {
  const text = "🎉 Anna";
  const json = JSON.parse(toJson({ model: "m", minScore: 0.5, text, entities: entitiesIn(text, [["Anna", "PERSON"]]) }));
  assert.deepEqual(json.entities, [{ start: 3, end: 7, label: "PERSON", text: "Anna", score: 0.91, source: "model" }]);
});

// ---- HTML --------------------------------------------------------------------------------

const HOSTILE = `<script>alert("x")</script> Tom & 'Jerry' met "Anna" <b>here</b> in Paris & Rome.`;

test("the HTML export escapes the text, the title and the labels, and holds no script", () => {
  const entities = [...entitiesIn(HOSTILE, [["Tom & 'Jerry'", "<b>x</b>"], ["\"Anna\"", `"q"&'a'`]]),
    ...entitiesIn(HOSTILE, [["Paris", "GPE"]])];
  const labels = [{ label: "<b>x</b>", description: "<i>desc</i>", colour: "red;}</style><script>" }];
  const html = toHtml({ title: "</title><script>alert(1)</script>", text: HOSTILE, entities, labels });
  assert.doesNotMatch(html, /<script|<b>|<i>|<\/style><script/i);
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(html, /<mark data-label="&lt;b&gt;x&lt;\/b&gt;"[^>]*>Tom &amp; &#39;Jerry&#39;<\/mark>/);
  assert.match(html, /<mark data-label="&quot;q&quot;&amp;&#39;a&#39;"[^>]*>&quot;Anna&quot;<\/mark>/);
  assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  assert.doesNotMatch(html, /style="--colour/, "a colour that is not #rgb or #rrggbb is not used");
  // Every attribute value is quoted and holds no raw quote or angle bracket.
  const body = html.slice(html.indexOf("<body>"));
  for (const [, value] of body.matchAll(/=("[^"]*")/g)) assert.doesNotMatch(value.slice(1, -1), /[<>']/);
});

test("the HTML export is standalone: charset, inline style, no script, nothing fetched", () => {
  const html = toHtml({ title: "Notes", text: "Anna met Bob.", entities: entitiesIn("Anna met Bob.", [["Anna", "PERSON"]]) });
  assert.ok(html.startsWith("<!doctype html>"));
  assert.match(html, /<meta charset="utf-8">/);
  assert.match(html, /<style>[\s\S]*white-space: pre-wrap[\s\S]*<\/style>/);
  assert.match(html, /mark::after \{ content: attr\(data-label\)/);
  assert.doesNotMatch(html, /<script|<link|<img|src=|@import|url\(/i);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"/);
});

test("the HTML export marks each entity, keeps the first of overlapping ones and keeps the text exactly", () => {
  const text = "New York City and 🎉 Anna Berg\n\n  met on Monday.";
  const entities = [...entitiesIn(text, [["New York City", "GPE"], ["Anna Berg", "PERSON"], ["Monday", "DATE"]]),
    { start: 4, end: 17, label: "ORG", text: "York City and", score: 0.4, source: "model" },
    { start: 0, end: 3, label: "DISH", text: "New", score: 1, source: "pattern", id: "d1" }];
  const labels = [{ label: "DATE" }, { label: "PERSON" }, { label: "GPE" }, { label: "ORG" }];
  const html = toHtml({ title: "t", text, entities, labels });
  const marks = [...html.matchAll(/<mark data-label="([^"]*)"[^>]*title="([^"]*)">([^<]*)<\/mark>/g)];
  assert.deepEqual(marks.map((m) => [m[3], m[1]]), [["New York City", "GPE"], ["Anna Berg", "PERSON"], ["Monday", "DATE"]]);
  assert.equal(marks[0][2], "GPE — Countries, cities, states · 91% confidence");
  const doc = /<div class="doc">([\s\S]*)<\/div>\n<footer>/.exec(html)[1];
  const unescaped = doc.replace(/<[^>]+>/g, "").replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g,
    (e) => ({ "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" })[e]);
  assert.equal(unescaped, text);
  // The legend: the types present, in the order of `labels`, with their plain names.
  const legend = [...html.matchAll(
    /<li title="[^"]*"><span class="chip" data-label="([^"]*)">[^<]*<\/span> ([^<]*)<span class="count">\((\d+)\)/g)];
  assert.deepEqual(legend.map((m) => [m[1], m[2].trim(), m[3]]),
    [["DATE", "Date", "1"], ["PERSON", "Person", "1"], ["GPE", "Place", "1"]]);
});

test("the HTML export says where each highlight comes from in its title", () => {
  const text = "Anna met Bob and Carl.";
  const [anna, bob, carl] = entitiesIn(text, [["Anna", "PERSON"], ["Bob", "PERSON"], ["Carl", "CHEF"]]);
  const html = toHtml({ title: "t", text, entities: [{ ...anna, score: 0.876 }, { ...bob, source: "pattern", id: "b<1>" },
    { ...carl, source: "user", score: 1 }], labels: [{ label: "CHEF", description: "Found by your patterns" }] });
  const titles = [...html.matchAll(/<mark [^>]*data-source="(\w+)" title="([^"]*)"/g)].map((m) => [m[1], m[2]]);
  assert.deepEqual(titles, [["model", "PERSON — People, including fictional · 88% confidence"],
    ["pattern", "PERSON — People, including fictional · found by your patterns (id b&lt;1&gt;)"],
    ["user", "CHEF — Found by your patterns · your correction"]]);
});

test("the HTML export uses a model file's own colour only when it is #rgb or #rrggbb", () => {
  const text = "Anna ate paella.";
  const entities = entitiesIn(text, [["Anna", "PER"], ["paella", "DISH"]]);
  const labels = [{ label: "PER", colour: "#e6a23c" }, { label: "DISH", colour: "blue" }];
  const html = toHtml({ title: "t", text, entities, labels });
  assert.match(html, /<mark data-label="PER" class="coloured" style="--colour: #e6a23c; --chip-ink: #111318"/);
  assert.match(html, /<mark data-label="DISH" data-source/);
});

test("the HTML export's colours are the page's", () => {
  const html = toHtml({ title: "t", text: "", entities: [] });
  const style = /<style>([\s\S]*)<\/style>/.exec(html)[1];
  const page = readFileSync(join(ROOT, "www/style.css"), "utf8");
  assert.deepEqual(paletteOf(style).types, paletteOf(page).types);
});

// ---- File names --------------------------------------------------------------------------

test("a file name comes from the first words of the text", () => {
  assert.equal(fileName("Kingsport council approves $2.4 billion plan for the harbour", "csv"),
    "kingsport-council-approves-2-4.csv");
  assert.equal(fileName("\n\n   \n  Zürich: Café «Über» opens\nSecond line", ".html"), "zürich-café-über-opens.html");
  assert.equal(fileName("東京で会議 2024年", "jsonl"), "東京で会議-2024年.jsonl");
  assert.equal(fileName("🎉🎉\n---\nAnna Berg wins", "csv"), "anna-berg-wins.csv", "the first line that has a word");
});

test("a file name has no character Windows forbids, no leading dot and no reserved name", () => {
  const name = fileName('.. a\\b/c:d*e?f"g<h>i|j', "csv");
  assert.equal(name, "a-b-c-d-e.csv");
  assert.doesNotMatch(name, /[\\/:*?"<>|]|^\./);
  assert.equal(fileName("CON", "txt"), "con-onoma.txt");
  assert.equal(fileName("Nul.", "txt"), "nul-onoma.txt");
  assert.equal(fileName("Report", "../../x"), "report.x", "the extension is cleaned too");
});

test("a file name is at most 40 characters before the extension, even with very long words", () => {
  const long = fileName("Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft ist lang", "csv");
  assert.equal(long, "donaudampfschifffahrtselektrizitätenhaup.csv");
  const words = fileName("Internationalisation departmentalisation characterisation", "csv");
  assert.equal(words, "internationalisation-departmentalisation.csv");
  assert.ok([...words.replace(/\.csv$/, "")].length <= 40);
});

test("a text with no words gives a dated file name", () => {
  const date = new Date(2026, 11, 5, 23, 30);
  assert.equal(fileName("🎉 👨‍👩‍👧 🇫🇷 !!!", "csv", date), "onoma-2026-12-05.csv");
  assert.equal(fileName("", "html", date), "onoma-2026-12-05.html");
  assert.equal(fileName("   \n\t ", "jsonl", new Date(2027, 0, 9)), "onoma-2027-01-09.jsonl");
});

// ---- Type names --------------------------------------------------------------------------

test("the built-in types have plain names and the model's descriptions", () => {
  assert.equal(Object.keys(TYPE_NAMES).length, 18);
  assert.equal(typeName("PERSON"), "Person");
  assert.equal(typeName("GPE", "Countries, cities, states"), "Place");
  assert.equal(typeLongName("GPE"), "Place (country, city, state)");
  assert.equal(typeName("ORG"), "Organisation");
  assert.equal(typeName("CARDINAL"), "Number");
  assert.equal(typeDetail("ORG"), "ORG — Companies, agencies, institutions");
  // The details are the model's own descriptions, which tell the built-in model's labels apart.
  const source = readFileSync(join(ROOT, "src/label.rs"), "utf8");
  for (const [label, { name, long, detail }] of Object.entries(TYPE_NAMES)) {
    assert.ok(source.includes(`=> ${JSON.stringify(detail)},`), `${label}'s detail is its description in src/label.rs`);
    assert.ok(name.length <= 16 && long.length >= name.length, label);
  }
});

test("other labels, and built-in labels a model describes in its own words, are shown as they are", () => {
  assert.equal(typeName("DISH"), "DISH");
  assert.equal(typeName("DISH", "Dishes"), "DISH");
  assert.equal(typeName("LOC", "Countries, cities, regions, mountains, bodies of water"), "LOC");
  assert.equal(typeName("toString"), "toString", "not a property of every object");
  assert.equal(typeDetail("DISH"), "DISH");
  assert.equal(typeDetail("DISH", "Dishes"), "DISH — Dishes");
  assert.equal(typeDetail("LOC", "Anywhere"), "LOC — Anywhere");
});

// ---- Palette -----------------------------------------------------------------------------

test("no two built-in types look alike, and text reads on every tint, in both themes", () => {
  const { ok, problems } = checkPalette(readFileSync(join(ROOT, "www/style.css"), "utf8"));
  assert.ok(ok, problems.join("\n"));
});

test("the palette check fails when two types are given the same colour", () => {
  const css = readFileSync(join(ROOT, "www/style.css"), "utf8");
  const rule = /\[data-label="ORDINAL"\] \{[^}]*\}/.exec(css)[0];
  const { ok, problems } = checkPalette(`${css}\n${rule.replace("ORDINAL", "CARDINAL")}`);
  assert.equal(ok, false);
  assert.ok(problems.some((p) => /ORDINAL and CARDINAL/.test(p)), problems.join("\n"));
});
