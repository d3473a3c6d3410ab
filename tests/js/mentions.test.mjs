// groupMentions and redact (pkg/mentions.js, exported by both entry points): the mentions
// of one entity grouped, and entities replaced with exact offsets, on hand-built entities
// and on the engine's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { checkEntities, pkgDir } from "./helpers.mjs";

const { createRecognizer, groupMentions, redact } = await import(`${pkgDir}/node.js`);

/** Entities as the engine gives them, for [label, text] pairs found in `text` one after the other. */
function entitiesIn(text, mentions) {
  let from = 0;
  return mentions.map(([label, found]) => {
    const start = text.indexOf(found, from);
    assert.ok(start >= 0, `${found} in ${text}`);
    from = start + found.length;
    return { start, end: from, label, text: found, score: 0.9, source: "model" };
  });
}

/** "LABEL name: mention | mention" of each group, for short comparisons. */
const summary = (groups) => groups.map((g) => `${g.label} ${g.name}: ${g.mentions.map((m) => m.text).join(" | ")}`);

/** Asserts that `call` throws an instance of exactly `type` whose message starts with `start`. */
function assertThrows(call, type, start) {
  assert.throws(call, (error) => {
    assert.equal(error.constructor, type, String(error));
    assert.ok(error.message.startsWith(start), `${JSON.stringify(error.message)} starts with ${JSON.stringify(start)}`);
    return true;
  });
}

/**
 * Asserts that `result` is `text` with exactly the ranges of `result.replacements`
 * substituted: each replacement where its redacted offsets say, everything between them
 * identical (code unit for code unit), and the replaced ranges those of `expected`
 * ([start, end] pairs, in order).
 */
function checkRedaction(text, result, expected) {
  assert.deepEqual(result.replacements.map((r) => [r.start, r.end]), expected);
  let from = 0;
  let redactedFrom = 0;
  for (const r of result.replacements) {
    assert.deepEqual(Object.keys(r), ["start", "end", "label", "text", "replacement", "redactedStart", "redactedEnd"]);
    assert.equal(text.slice(r.start, r.end), r.text);
    assert.equal(result.text.slice(redactedFrom, r.redactedStart), text.slice(from, r.start), "text before a replacement");
    assert.equal(r.redactedEnd - r.redactedStart, r.replacement.length);
    assert.equal(result.text.slice(r.redactedStart, r.redactedEnd), r.replacement);
    from = r.end;
    redactedFrom = r.redactedEnd;
  }
  assert.equal(result.text.slice(redactedFrom), text.slice(from), "text after the last replacement");
  assert.equal(result.text.length - redactedFrom, text.length - from);
}

const ARTICLE = "Helen Okafor, the chief economist at the European Investment Bank (EIB), spoke in Lisbon on Monday. "
  + "Okafor said the EIB would lend more. Okafor's plan was backed by Zhang Yong, China's finance minister. "
  + "Zhang said the plan was sound. The European Investment Bank's board meets in June.";

test("equal names are grouped whatever their case, white space, 'the', possessive and quotes", () => {
  const text = "The European Investment Bank met. the european\n investment  bank's staff and “European Investment Bank” "
    + "heard OKAFOR, Okafor's and Okafor’s aides, then Reynolds' and Reynolds’ and (Reynolds).";
  const entities = entitiesIn(text, [["ORG", "The European Investment Bank"], ["ORG", "the european\n investment  bank's"],
    ["ORG", "“European Investment Bank”"], ["PERSON", "OKAFOR"], ["PERSON", "Okafor's"], ["PERSON", "Okafor’s"],
    ["PERSON", "Reynolds'"], ["PERSON", "Reynolds’"], ["PERSON", "(Reynolds)"]]);
  const groups = groupMentions(entities);
  assert.deepEqual(summary(groups), [
    "ORG European Investment Bank: The European Investment Bank | the european\n investment  bank's | “European Investment Bank”",
    "PERSON OKAFOR: OKAFOR | Okafor's | Okafor’s",
    "PERSON Reynolds: Reynolds' | Reynolds’ | (Reynolds)",
  ]);
  assert.deepEqual(Object.keys(groups[0]), ["name", "label", "mentions"]);
  // The mentions are the objects given, not copies.
  assert.equal(groups[1].mentions[2], entities[5]);
  // The name is the longest form, the first of equal length.
  const names = entitiesIn("Apple Inc. and the Apple Inc", [["ORG", "Apple Inc."], ["ORG", "the Apple Inc"]]);
  assert.deepEqual(summary(groupMentions(names)), ["ORG Apple Inc.: Apple Inc. | the Apple Inc"]);
  assert.deepEqual(groupMentions([]), []);
});

test("a one-word person's name joins the one longer name whose first or last word it is", () => {
  const text = "Okafor spoke. Helen Okafor and Zhang Yong met; Zhang and Helen agreed with OKAFOR’S view.";
  const groups = groupMentions(entitiesIn(text, [["PERSON", "Okafor"], ["PERSON", "Helen Okafor"], ["PERSON", "Zhang Yong"],
    ["PERSON", "Zhang"], ["PERSON", "Helen"], ["PERSON", "OKAFOR’S"]]));
  // A short form before its full name still joins it; the group comes at its first mention.
  assert.deepEqual(summary(groups), [
    "PERSON Helen Okafor: Okafor | Helen Okafor | Helen | OKAFOR’S",
    "PERSON Zhang Yong: Zhang Yong | Zhang",
  ]);
  // CoNLL's PER is a person label too.
  const per = entitiesIn("Helen Okafor and Okafor", [["PER", "Helen Okafor"], ["PER", "Okafor"]]);
  assert.deepEqual(summary(groupMentions(per)), ["PER Helen Okafor: Helen Okafor | Okafor"]);
});

test("a one-word name that fits two longer names stays in a group of its own", () => {
  const text = "Helen Okafor and James Okafor came. Okafor spoke, then Helen, then Zhang Yong and Yong Zhang; Zhang left.";
  const groups = groupMentions(entitiesIn(text, [["PERSON", "Helen Okafor"], ["PERSON", "James Okafor"], ["PERSON", "Okafor"],
    ["PERSON", "Helen"], ["PERSON", "Zhang Yong"], ["PERSON", "Yong Zhang"], ["PERSON", "Zhang"]]));
  assert.deepEqual(summary(groups), [
    "PERSON Helen Okafor: Helen Okafor | Helen",
    "PERSON James Okafor: James Okafor",
    "PERSON Okafor: Okafor",
    "PERSON Zhang Yong: Zhang Yong",
    "PERSON Yong Zhang: Yong Zhang",
    "PERSON Zhang: Zhang",
  ]);
});

test("an acronym joins the one longer name of its label with its initials; a single word does not", () => {
  const text = "The European Investment Bank (EIB), the E.I.B. and the Bank; the Bank for International Settlements, "
    + "the BIS or BFIS; the Museum Of Fine Arts, MFA; the United States, the US; the Asian Development Bank and the African Development Bank, "
    + "the ADB; John Fitzgerald Kennedy, JFK; EIB; New York and York; 1 June and June; Eastern Standard Time, EST.";
  const groups = groupMentions(entitiesIn(text, [["ORG", "The European Investment Bank"], ["ORG", "EIB"], ["ORG", "E.I.B."],
    ["ORG", "Bank"], ["ORG", "Bank for International Settlements"], ["ORG", "BIS"], ["ORG", "BFIS"],
    ["ORG", "Museum Of Fine Arts"], ["ORG", "MFA"],
    ["GPE", "United States"], ["GPE", "US"], ["ORG", "Asian Development Bank"], ["ORG", "African Development Bank"],
    ["ORG", "ADB"], ["PERSON", "John Fitzgerald Kennedy"], ["PERSON", "JFK"], ["GPE", "EIB"], ["GPE", "New York"],
    ["GPE", "York"], ["DATE", "1 June"], ["DATE", "June"], ["TIME", "Eastern Standard Time"], ["TIME", "EST"]]));
  assert.deepEqual(summary(groups), [
    "ORG European Investment Bank: The European Investment Bank | EIB | E.I.B.",
    "ORG Bank: Bank",
    "ORG Bank for International Settlements: Bank for International Settlements | BIS | BFIS",
    "ORG Museum Of Fine Arts: Museum Of Fine Arts | MFA",
    "GPE United States: United States | US",
    "ORG Asian Development Bank: Asian Development Bank",
    "ORG African Development Bank: African Development Bank",
    "ORG ADB: ADB",
    "PERSON John Fitzgerald Kennedy: John Fitzgerald Kennedy",
    "PERSON JFK: JFK",
    "GPE EIB: EIB",
    "GPE New York: New York",
    "GPE York: York",
    "DATE 1 June: 1 June",
    "DATE June: June",
    "TIME Eastern Standard Time: Eastern Standard Time",
    "TIME EST: EST",
  ]);
});

test("entities in any order are grouped in text order, and neither they nor their array change", () => {
  const text = "Okafor's report: Helen Okafor of the EIB, the European Investment Bank.";
  const entities = entitiesIn(text, [["PERSON", "Okafor's"], ["PERSON", "Helen Okafor"], ["ORG", "EIB"],
    ["ORG", "the European Investment Bank"]]);
  const shuffled = Object.freeze([entities[3], entities[1], entities[2], entities[0]].map((e) => Object.freeze(e)));
  const groups = groupMentions(shuffled);
  assert.deepEqual(summary(groups), ["PERSON Helen Okafor: Okafor's | Helen Okafor", "ORG European Investment Bank: EIB | the European Investment Bank"]);
  assert.deepEqual(shuffled.map((e) => e.text), ["the European Investment Bank", "Helen Okafor", "EIB", "Okafor's"]);
  const before = JSON.stringify(shuffled);
  redact(text, shuffled);
  assert.equal(JSON.stringify(shuffled), before);
});

test("the engine's entities of an article: grouped, and redacted with one number per person", async () => {
  const ner = await createRecognizer();
  const entities = checkEntities(ARTICLE, ner.extract(ARTICLE));
  const groups = summary(groupMentions(entities));
  for (const expected of ["PERSON Helen Okafor: Helen Okafor | Okafor | Okafor", "PERSON Zhang Yong: Zhang Yong | Zhang",
    "ORG European Investment Bank: the European Investment Bank | EIB | EIB | The European Investment Bank's"]) {
    assert.ok(groups.includes(expected), `${expected} in ${JSON.stringify(groups)}`);
  }
  const result = redact(ARTICLE, entities, { labels: ["PERSON", "ORG"] });
  assert.equal(result.text, "[PERSON 1], the chief economist at [ORG 1] ([ORG 1]), spoke in Lisbon on Monday. "
    + "[PERSON 1] said the [ORG 1] would lend more. [PERSON 1]'s plan was backed by [PERSON 2], China's finance minister. "
    + "[PERSON 2] said the plan was sound. [ORG 1] board meets in June.");
  const kept = entities.filter((e) => e.label === "PERSON" || e.label === "ORG");
  checkRedaction(ARTICLE, result, kept.map((e) => [e.start, e.end]));
  // Every label by default, numbered per label.
  const all = redact(ARTICLE, entities);
  checkRedaction(ARTICLE, all, entities.map((e) => [e.start, e.end]));
  assert.deepEqual(all.replacements.filter((r) => r.label === "GPE").map((r) => r.replacement), ["[GPE 1]", "[GPE 2]"]);
  assert.deepEqual(all.replacements.filter((r) => r.label === "DATE").map((r) => r.replacement), ["[DATE 1]", "[DATE 2]"]);
  ner.free();
});

test("redacting text with emoji, flags and CJK keeps every other code unit and indexes each replacement", async () => {
  const ner = await createRecognizer({ patterns: [{ label: "PERSON", pattern: "習近平" }, { label: "GPE", pattern: "東京" }] });
  const text = "😀 👩‍👩‍👧 Helen Okafor met 習近平 in 東京 🇯🇵 on Monday. 習近平 thanked Okafor’s team; Okafor flew home from 東京.";
  const entities = checkEntities(text, ner.extract(text));
  const result = redact(text, entities, { labels: ["PERSON", "GPE"] });
  assert.equal(result.text, "😀 👩‍👩‍👧 [PERSON 1] met [PERSON 2] in [GPE 1] 🇯🇵 on Monday. [PERSON 2] thanked [PERSON 1]’s team; "
    + "[PERSON 1] flew home from [GPE 1].");
  checkRedaction(text, result, entities.filter((e) => e.label !== "DATE").map((e) => [e.start, e.end]));
  ner.free();

  // Entities with emoji and a flag inside, masked one character per grapheme cluster.
  const inside = "東京 😀 The 東京 🇯🇵 Team 👩‍👩‍👧 met e\u0301lise.\nThen 習近平.";
  const own = entitiesIn(inside, [["TEAM", "東京 🇯🇵 Team 👩‍👩‍👧"], ["PERSON", "e\u0301lise.\nThen 習近平"]]);
  const masked = redact(inside, own, { style: "mask" });
  assert.equal(masked.text, "東京 😀 The ██ █ ████ █ met ██████\n████ ███.");
  checkRedaction(inside, masked, own.map((e) => [e.start, e.end]));
  for (const mask of ["*", "🇯🇵", "👩‍👩‍👧"]) {
    const other = redact(inside, own, { style: "mask", mask });
    checkRedaction(inside, other, own.map((e) => [e.start, e.end]));
    assert.equal(other.replacements[0].replacement, `${mask}${mask} ${mask} ${mask.repeat(4)} ${mask}`);
  }
  const typed = redact(inside, own, { style: "type" });
  assert.equal(typed.text, "東京 😀 The [TEAM] met [PERSON].");
  checkRedaction(inside, typed, own.map((e) => [e.start, e.end]));
});

test("labels choose what is redacted; of overlapping entities the first is replaced", () => {
  const text = "On 3 May Helen Okafor met Zhang Yong in Paris.";
  const entities = [...entitiesIn(text, [["DATE", "3 May Helen"], ["PERSON", "Zhang Yong"], ["GPE", "Paris"]]),
    ...entitiesIn(text, [["PERSON", "Helen Okafor"]])];
  assert.equal(redact(text, entities).text, "On [DATE 1] Okafor met [PERSON 1] in [GPE 1].");
  // Entities of other labels are left out before overlaps are resolved.
  assert.equal(redact(text, entities, { labels: ["person"] }).text, "On 3 May [PERSON 1] met [PERSON 2] in Paris.");
  assert.equal(redact(text, entities, { labels: ["PERSON", "Gpe"], style: "type" }).text, "On 3 May [PERSON] met [PERSON] in [GPE].");
  assert.equal(redact(text, entities, { labels: ["PERSON"], style: "mask", mask: "x" }).text, "On 3 May xxxxx xxxxxx met xxxxx xxxx in Paris.");
  assert.deepEqual(redact(text, entities, { labels: [] }), { text, replacements: [] });
  assert.equal(redact(text, [{ start: 40, end: 45, label: "City" }], { labels: ["CITY"] }).text, "On 3 May Helen Okafor met Zhang Yong in [City 1].");
  assert.deepEqual(redact(text, entities, { labels: null }), redact(text, entities));
  // At the same start the longer one wins; `text` may be left out.
  const same = [{ start: 3, end: 8, label: "DATE" }, { start: 3, end: 21, label: "EVENT" }];
  assert.equal(redact(text, same).text, "On [EVENT 1] met Zhang Yong in Paris.");
});

test("bad arguments throw a TypeError or RangeError starting 'onoma: '", () => {
  const text = "Hi 😀 Okafor.";
  const okafor = { start: 6, end: 12, label: "PERSON", text: "Okafor" };
  const cases = [
    [() => redact(42, []), TypeError, "onoma: text must be a string, got a number"],
    [() => redact(text, "Okafor"), TypeError, "onoma: entities must be an array of objects like {start, end, label, text}, got a string"],
    [() => redact(text, [okafor, null]), TypeError, "onoma: entities[1] must be an object like"],
    [() => redact(text, [{ ...okafor, start: 1.5 }]), TypeError, "onoma: entities[0].start must be an integer"],
    [() => redact(text, [{ ...okafor, end: "12" }]), TypeError, "onoma: entities[0].end must be an integer"],
    [() => redact(text, [{ ...okafor, label: undefined }]), TypeError, "onoma: entities[0].label must be a string"],
    [() => redact(text, [{ ...okafor, text: 6 }]), TypeError, "onoma: entities[0].text must be a string"],
    [() => redact(text, [{ ...okafor, end: 6 }]), RangeError, "onoma: entities[0] is empty or reversed: 6..6"],
    [() => redact(text, [{ ...okafor, end: 14 }]), RangeError, "onoma: entities[0] (6..14) ends past the text (length 13)"],
    [() => redact(text, [okafor, { ...okafor, text: "okafor" }]), RangeError,
      'onoma: entities[1].text is "okafor" but the text at 6..12 is "Okafor"'],
    [() => redact(text, [{ start: 4, end: 12, label: "X" }]), RangeError, "onoma: entities[0].start (4) splits a surrogate pair"],
    [() => redact(text, [{ start: 0, end: 4, label: "X" }]), RangeError, "onoma: entities[0].end (4) splits a surrogate pair"],
    [() => redact(text, [okafor], "mask"), TypeError, "onoma: redact options must be an object like {labels, style, mask}, got a string"],
    [() => redact(text, [okafor], { styles: "mask" }), TypeError, 'onoma: unknown redact option "styles"; options are labels, style, mask'],
    [() => redact(text, [okafor], { labels: "PERSON" }), TypeError, "onoma: options.labels must be an array of label names, got a string"],
    [() => redact(text, [okafor], { labels: [1] }), TypeError, "onoma: options.labels must be an array of label names"],
    [() => redact(text, [okafor], { style: 1 }), TypeError, 'onoma: options.style must be "placeholder", "type" or "mask", got a number'],
    [() => redact(text, [okafor], { style: "blur" }), RangeError, 'onoma: options.style must be "placeholder", "type" or "mask", got "blur"'],
    [() => redact(text, [okafor], { mask: 1 }), TypeError, "onoma: options.mask must be a string, got a number"],
    [() => redact(text, [okafor], { style: "mask", mask: "ab" }), RangeError, "onoma: options.mask must be one character"],
    [() => redact(text, [okafor], { style: "mask", mask: "" }), RangeError, "onoma: options.mask must be one character"],
    [() => redact(text, [okafor], { style: "mask", mask: " " }), RangeError, "onoma: options.mask must be one character"],
    [() => groupMentions({ 0: okafor }), TypeError, "onoma: entities must be an array"],
    [() => groupMentions([{ start: 6, end: 12, label: "PERSON" }]), TypeError, "onoma: entities[0].text must be a string, got undefined"],
  ];
  for (const [call, type, start] of cases) assertThrows(call, type, start);
  // The same entities are fine, and a lone surrogate may be redacted whole.
  assert.equal(redact(text, [okafor, { start: 3, end: 5, label: "X" }]).text, "Hi [X 1] [PERSON 1].");
  assert.equal(redact("a\uD800b", [{ start: 1, end: 2, label: "X" }], { style: "mask" }).text, "a█b");
});

test("both entry points export the functions, which load no engine", async () => {
  assert.equal((await import(`${pkgDir}/index.js`)).groupMentions, groupMentions);
  assert.equal((await import(`${pkgDir}/index.js`)).redact, redact);
  assert.doesNotMatch(readFileSync(`${pkgDir}/mentions.js`, "utf8"), /^\s*import\b|\bimport\(/m);
});

test("100,000 entities are grouped and redacted in linear time", () => {
  const people = 25_000;
  const parts = [];
  for (let i = 0; i < people; i++) parts.push(`Helen Okafor${i} met`, `Okafor${i} and`, `EIB${i % 10} of`, `Bank Num${i} Corp.`);
  const text = parts.join(" ");
  const entities = [];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const name = part.slice(0, part.lastIndexOf(" "));
    entities.push({ start: at, end: at + name.length, label: i % 4 < 2 ? "PERSON" : "ORG", text: name });
    at += part.length + 1;
  }
  const began = performance.now();
  const groups = groupMentions(entities);
  const result = redact(text, entities);
  const ms = performance.now() - began;
  assert.equal(groups.length, people + 10 + people);
  assert.deepEqual(groups[0].mentions.map((m) => m.text), ["Helen Okafor0", "Okafor0"]);
  assert.equal(result.replacements.length, 100_000);
  assert.ok(result.text.startsWith("[PERSON 1] met [PERSON 1] and [ORG 1] of [ORG 2]"), result.text.slice(0, 60));
  assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
});
