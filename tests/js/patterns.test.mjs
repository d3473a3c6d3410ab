// Your own entities in Node (pkg/node.js): EntityRuler patterns given to createRecognizer
// or setPatterns, merged with the model's entities; their options, labels and errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkEntities, LABELS, pkgDir } from "./helpers.mjs";

const { createRecognizer, parsePatterns } = await import(`${pkgDir}/node.js`);
const ner = await createRecognizer();
const TEXT = "Tim Cook runs Apple Inc. from Cupertino.";

/** "LABEL text source" of each entity, for short comparisons. */
const spans = (entities) => entities.map((e) => `${e.label} ${e.text} ${e.source}`);

/** Asserts that `call` throws an instance of exactly `type` whose message starts with `start`. */
function assertThrows(call, type, start) {
  assert.throws(call, (error) => {
    assert.equal(error.constructor, type, String(error));
    assert.ok(error.message.startsWith(start), `${JSON.stringify(error.message)} starts with ${JSON.stringify(start)}`);
    return true;
  });
}

test("patterns given to createRecognizer find entities with source, id and score 1", async () => {
  const own = await createRecognizer({
    patterns: [
      { label: "FAC", pattern: "Suiwu Modern Industrial Park" },
      { label: "PRODUCT", pattern: [{ LOWER: "iphone" }, { IS_DIGIT: true, OP: "?" }], id: "iphone" },
      { label: "CITY", pattern: "Paris", id: 90 },
    ],
  });
  const text = "Angela Merkel opened the Suiwu Modern Industrial Park in Paris and bought an iPhone 15 there.";
  const entities = checkEntities(text, own.extract(text));
  const byText = Object.fromEntries(entities.map((e) => [e.text, e]));
  assert.deepEqual(byText["Suiwu Modern Industrial Park"],
    { start: 25, end: 53, label: "FAC", text: "Suiwu Modern Industrial Park", score: 1, source: "pattern" });
  assert.deepEqual(byText["iPhone 15"],
    { start: 77, end: 86, label: "PRODUCT", text: "iPhone 15", score: 1, source: "pattern", id: "iphone" });
  assert.equal(byText.Paris.id, "90", "a numeric id becomes its decimal string");
  assert.equal(byText.Paris.label, "CITY");
  const person = byText["Angela Merkel"];
  assert.equal(person.label, "PERSON");
  assert.equal(person.source, "model");
  assert.ok(!Object.hasOwn(person, "id") && person.score < 1, JSON.stringify(person));
  // Without patterns every entity is the model's.
  assert.ok(ner.extract(text).every((e) => e.source === "model" && !Object.hasOwn(e, "id")));
  // extractBatch and analyze see the patterns too.
  assert.deepEqual(own.extractBatch([text, "Paris."]), [entities, own.extract("Paris.")]);
  assert.deepEqual(own.analyze(text).entities, entities);
  own.free();
});

test("pattern matches have exact UTF-16 offsets after emoji, CJK and astral characters", async () => {
  const own = await createRecognizer({
    patterns: [
      { label: "FAC", pattern: "Suiwu Modern Industrial Park" },
      { label: "CITY", pattern: "São Paulo" },
      { label: "CITY", pattern: [{ LOWER: "zürich" }] },
      { label: "LANDMARK", pattern: "東京タワー" },
      { label: "CODE", pattern: [{ SHAPE: "XXX" }, { ORTH: "-" }, { IS_DIGIT: true }] },
    ],
  });
  const text = "👩‍👩‍👧 東京で会議 🇯🇵. 𝐏𝐚𝐫𝐢𝐬 and São Paulo, ZÜRICH 😀 near Suiwu Modern Industrial Park: ABC-123 東京タワー";
  const entities = checkEntities(text, own.extract(text, { labels: ["FAC", "CITY", "LANDMARK", "CODE"] }));
  const expected = [["CITY", "São Paulo"], ["CITY", "ZÜRICH"], ["FAC", "Suiwu Modern Industrial Park"],
    ["CODE", "ABC-123"], ["LANDMARK", "東京タワー"]];
  assert.deepEqual(entities.map((e) => [e.label, e.text, e.start, e.end]),
    expected.map(([label, found]) => [label, found, text.indexOf(found), text.indexOf(found) + found.length]));
  for (const e of entities) assert.equal(text.slice(e.start, e.end), e.text);
  own.free();
});

test("precedence: a pattern wins over the model entities it overlaps, or only fills gaps", async () => {
  const patterns = [{ label: "COMPANY", pattern: "Apple" }, { label: "VERB", pattern: "runs" }];
  const model = spans(ner.extract(TEXT));
  assert.deepEqual(model, ["PERSON Tim Cook model", "ORG Apple Inc. model", "GPE Cupertino model"]);
  for (const patternOptions of [undefined, null, {}, { precedence: "patterns" }]) {
    const own = await createRecognizer({ patterns, patternOptions });
    assert.deepEqual(spans(checkEntities(TEXT, own.extract(TEXT))),
      ["PERSON Tim Cook model", "VERB runs pattern", "COMPANY Apple pattern", "GPE Cupertino model"]);
    own.free();
  }
  const gaps = await createRecognizer({ patterns, patternOptions: { precedence: "model" } });
  assert.deepEqual(spans(checkEntities(TEXT, gaps.extract(TEXT))),
    ["PERSON Tim Cook model", "VERB runs pattern", "ORG Apple Inc. model", "GPE Cupertino model"]);
  gaps.free();
});

test("of overlapping pattern matches the longest wins, then the earliest, then the first pattern", async () => {
  const own = await createRecognizer({
    patterns: [
      { label: "SHORT", pattern: "New York" },
      { label: "LONG", pattern: "New York City" },
      { label: "FIRST", pattern: [{ LOWER: "big" }, { LOWER: "apple" }] },
      { label: "SECOND", pattern: [{ LOWER: "big" }, { IS_TITLE: true }] },
      { label: "LATER", pattern: "Apple pie" },
    ],
  });
  const text = "She moved to New York City for the Big Apple pie.";
  assert.deepEqual(spans(own.extract(text, { labels: ["SHORT", "LONG", "FIRST", "SECOND", "LATER"] })),
    ["LONG New York City pattern", "FIRST Big Apple pattern"]);
  own.free();
});

test("stop patterns remove the entities whose span they match exactly, of their label if given", () => {
  const cases = [
    [[{ pattern: "Tim Cook", stop: true }], ["ORG Apple Inc. model", "GPE Cupertino model"]],
    [[{ pattern: "Tim Cook", stop: true, label: "PERSON" }], ["ORG Apple Inc. model", "GPE Cupertino model"]],
    [[{ pattern: [{ IS_TITLE: true }, { IS_TITLE: true }], stop: true }], ["GPE Cupertino model"]],
    // Not the exact span, or another label: nothing removed.
    [[{ pattern: "Tim", stop: true }], ["PERSON Tim Cook model", "ORG Apple Inc. model", "GPE Cupertino model"]],
    [[{ pattern: "Tim Cook", stop: true, label: "ORG" }], ["PERSON Tim Cook model", "ORG Apple Inc. model", "GPE Cupertino model"]],
    // A stop pattern removes pattern matches too.
    [[{ label: "CITY", pattern: "Cupertino" }, { pattern: [{ ORTH: "Cupertino" }], stop: true }],
      ["PERSON Tim Cook model", "ORG Apple Inc. model"]],
  ];
  try {
    for (const [patterns, expected] of cases) {
      ner.setPatterns(patterns);
      assert.deepEqual(spans(checkEntities(TEXT, ner.extract(TEXT))), expected, JSON.stringify(patterns));
      assert.deepEqual(ner.labels().map((l) => l.label), [...LABELS, ...(patterns[0].stop ? [] : ["CITY"])],
        "a stop pattern adds no label");
    }
  } finally {
    ner.setPatterns(null);
  }
});

test("a phrase stop pattern removes the matches of a phrase pattern of the same words, in either order", async () => {
  const term = { label: "CITY", pattern: "Cupertino" };
  const stop = { pattern: "Cupertino", stop: true };
  for (const patterns of [[term, stop], [stop, term]]) {
    const own = await createRecognizer({ patterns });
    assert.deepEqual(spans(own.extract(TEXT)), ["PERSON Tim Cook model", "ORG Apple Inc. model"]);
    own.free();
  }
});

test("patternOptions are checked even without patterns, and a byte-order mark starts no line", async () => {
  await assert.rejects(createRecognizer({ patternOptions: { precedence: 3 } }), /^TypeError: onoma: patternOptions.precedence/);
  assert.deepEqual(parsePatterns('\uFEFF{"label": "CITY", "pattern": "Cupertino"}'), [{ label: "CITY", pattern: "Cupertino" }]);
});

test("ignoreCase makes phrase patterns match any case; token patterns keep their own rules", async () => {
  const text = "Apple, apple and APPLE.";
  const patterns = [{ label: "FRUIT", pattern: "apple" }];
  const exact = await createRecognizer({ patterns });
  assert.deepEqual(exact.extract(text, { labels: ["FRUIT"] }).map((e) => e.start), [7]);
  const any = await createRecognizer({ patterns, patternOptions: { ignoreCase: true } });
  assert.deepEqual(any.extract(text, { labels: ["FRUIT"] }).map((e) => [e.start, e.text]), [[0, "Apple"], [7, "apple"], [17, "APPLE"]]);
  any.setPatterns([{ label: "FRUIT", pattern: [{ ORTH: "apple" }] }], { ignoreCase: true });
  assert.deepEqual(any.extract(text, { labels: ["FRUIT"] }).map((e) => e.start), [7], "ORTH stays exact");
  any.setPatterns([{ label: "FRUIT", pattern: [{ LOWER: "apple" }] }], { ignoreCase: false });
  assert.deepEqual(any.extract(text, { labels: ["FRUIT"] }).map((e) => e.start), [0, 7, 17], "LOWER ignores case");
  exact.free();
  any.free();
});

test("token attributes and operators", async () => {
  const text = "Order 12 units of ABC-123 at noon, or maybe 7 to 9. Then the iPhone 15 Pro Max arrived in Cupertino!";
  const own = await createRecognizer();
  const found = (pattern) => {
    own.setPatterns([{ label: "X", pattern }]);
    return own.extract(text, { labels: ["x"] }).map((e) => e.text);
  };
  assert.deepEqual(found([{ LIKE_NUM: true }, { LOWER: "units" }]), ["12 units"]);
  assert.deepEqual(found([{ IS_DIGIT: true, OP: "+" }]), ["12", "123", "7", "9", "15"]);
  assert.deepEqual(found([{ TEXT: { IN: ["iPhone", "iPad"] } }, { IS_DIGIT: true }, { IS_TITLE: true, OP: "*" }]), ["iPhone 15 Pro Max"]);
  assert.deepEqual(found([{ LOWER: "iphone" }, { ORTH: { NOT_IN: ["15"] } }]), []);
  assert.deepEqual(found([{ SHAPE: "XXX" }, { ORTH: "-" }, { SHAPE: "ddd" }]), ["ABC-123"]);
  assert.deepEqual(found([{ SHAPE: "Xxxxx" }]), ["Order", "Cupertino"], "runs cut at 4");
  assert.deepEqual(found([{ SHAPE: "Xxxxx", LENGTH: { ">": 5 } }]), ["Cupertino"]);
  assert.deepEqual(found([{ SHAPE: { IN: ["xXxxxx", "dd"] } }]), ["12", "iPhone", "15"]);
  assert.deepEqual(found([{ LENGTH: { ">=": 7 } }]), ["arrived", "Cupertino"]);
  assert.deepEqual(found([{ LENGTH: { "<": 2 }, LIKE_NUM: true }]), ["7", "9"]);
  assert.deepEqual(found([{ LENGTH: 5, IS_LOWER: true }]), ["units", "maybe"]);
  assert.deepEqual(found([{ IS_UPPER: true, IS_ALPHA: true }]), ["ABC"]);
  assert.deepEqual(found([{ IS_PUNCT: true, IS_ASCII: true }]), ["-", ",", ".", "!"]);
  assert.deepEqual(found([{ IS_ALPHA: true, OP: "{2}" }, { IS_DIGIT: true }]), ["or maybe 7", "the iPhone 15"]);
  assert.deepEqual(found([{ LOWER: "iphone" }, {}, { IS_TITLE: true, OP: "{1,3}" }]), ["iPhone 15 Pro Max"]);
  assert.deepEqual(found([{ LOWER: "iphone" }, {}, { IS_TITLE: true, OP: "{,1}" }]), ["iPhone 15 Pro"]);
  assert.deepEqual(found([{ LOWER: "pro" }, { IS_TITLE: true, OP: "{1,}" }, { IS_PUNCT: true, OP: "?" }]), ["Pro Max"]);
  // A token pattern matches within a sentence.
  assert.deepEqual(found([{ ORTH: "9" }, { ORTH: "." }, { ORTH: "Then" }]), []);
  assert.deepEqual(found([{ ORTH: "9" }, { ORTH: "." }]), ["9."]);
  own.free();
});

test("setPatterns replaces and removes patterns; an error leaves the old ones working", async () => {
  const own = await createRecognizer({ patterns: [{ label: "CITY", pattern: "Cupertino", id: "Q4929" }] });
  const city = ["PERSON Tim Cook model", "ORG Apple Inc. model", "CITY Cupertino pattern"];
  assert.deepEqual(spans(own.extract(TEXT)), city);
  assert.equal(own.setPatterns([{ label: "TOWN", pattern: "Cupertino" }, { label: "CEO", pattern: "Tim Cook" }]), undefined);
  assert.deepEqual(spans(own.extract(TEXT)), ["CEO Tim Cook pattern", "ORG Apple Inc. model", "TOWN Cupertino pattern"]);
  assert.deepEqual(own.labels().slice(18).map((l) => l.label), ["TOWN", "CEO"]);
  assertThrows(() => own.extract(TEXT, { labels: ["CITY"] }), RangeError, 'onoma: unknown label "CITY" in options.labels');

  // Each failure keeps the patterns (and their labels) of before.
  own.setPatterns([{ label: "CITY", pattern: "Cupertino", id: "Q4929" }]);
  const failures = [
    [() => own.setPatterns("Cupertino"), TypeError],
    [() => own.setPatterns([{ label: "TOWN", pattern: "Cupertino" }, 7]), TypeError],
    [() => own.setPatterns([{ label: "TOWN", pattern: "Cupertino" }, { label: "X", pattern: [{ LOWR: "x" }] }]), RangeError],
    [() => own.setPatterns([{ label: "TOWN", pattern: "Cupertino" }], { precedence: "rules" }), RangeError],
    [() => own.setPatterns([{ label: "TOWN", pattern: "Cupertino" }], { ignorecase: true }), TypeError],
  ];
  for (const [call, type] of failures) {
    assertThrows(call, type, "onoma: ");
    assert.deepEqual(spans(own.extract(TEXT)), city);
    assert.equal(own.extract(TEXT, { labels: ["city"] })[0].id, "Q4929");
    assert.deepEqual(own.labels().slice(18).map((l) => l.label), ["CITY"]);
  }

  // Options left out are the defaults again, not those of before.
  const fruit = [{ label: "FRUIT", pattern: "Apple" }];
  const pie = "Apple Inc. sells apple pie.";
  own.setPatterns(fruit, { ignoreCase: true, precedence: "model" });
  assert.deepEqual(spans(own.extract(pie)), ["ORG Apple Inc. model", "FRUIT apple pattern"]);
  own.setPatterns(fruit);
  assert.deepEqual(spans(own.extract(pie)), ["FRUIT Apple pattern"]);

  own.setPatterns(null);
  assert.deepEqual(own.extract(TEXT), ner.extract(TEXT));
  assert.deepEqual(own.labels(), ner.labels());
  own.setPatterns([]);
  assert.deepEqual(own.extract(TEXT), ner.extract(TEXT));
  own.free();
  assert.throws(() => own.setPatterns([]), /^Error: onoma: this recognizer has been freed$/);
});

test("patterns survive an engine restart", async () => {
  const own = await createRecognizer({ patterns: [{ label: "CITY", pattern: "Cupertino" }] });
  own.setPatterns([{ label: "TOWN", pattern: "Cupertino", id: 1 }]);
  const before = own.extract(TEXT);
  assert.throws(() => own.__trap(), /^Error: onoma: the WebAssembly engine failed/);
  assert.deepEqual(own.extract(TEXT), before);
  assert.deepEqual(own.labels().slice(18).map((l) => l.label), ["TOWN"]);
  own.free();
});

test("labels() lists the model's labels then those only patterns give; extract filters by either", async () => {
  const own = await createRecognizer({
    patterns: [
      { label: "CITY", pattern: "Cupertino" },
      { label: "GPE", pattern: "Paris" },
      { label: "CEO", pattern: "Tim Cook" },
      { label: "CITY", pattern: "Paris" },
      { label: "PERSON", pattern: "Nowhere", stop: true },
    ],
  });
  const labels = own.labels();
  assert.deepEqual(labels.slice(0, 18), ner.labels());
  assert.deepEqual(labels.slice(18), [
    { label: "CITY", description: "Found by your patterns", colour: "" },
    { label: "CEO", description: "Found by your patterns", colour: "" },
  ]);
  assert.deepEqual(spans(own.extract(TEXT, { labels: ["city"] })), ["CITY Cupertino pattern"]);
  assert.deepEqual(spans(own.extract(TEXT, { labels: ["Ceo", "ORG"] })), ["CEO Tim Cook pattern", "ORG Apple Inc. model"]);
  assert.deepEqual(spans(own.analyze(TEXT, { labels: ["CITY"] }).entities), ["CITY Cupertino pattern"]);
  assert.deepEqual(own.extractBatch([TEXT, "Paris"], { labels: ["GPE"] }).map(spans), [[], ["GPE Paris pattern"]]);
  assertThrows(() => own.extract(TEXT, { labels: ["TOWN"] }), RangeError,
    `onoma: unknown label "TOWN" in options.labels; labels are ${LABELS.join(", ")}, CITY, CEO`);
  own.free();
});

test("pattern errors name the pattern and the problem, in createRecognizer and setPatterns", async () => {
  const ok = { label: "CITY", pattern: "Cupertino" };
  const cases = [
    ["Cupertino", TypeError, "onoma: patterns must be an array of objects like {label, pattern}, got a string"],
    [ok, TypeError, "onoma: patterns must be an array of objects like {label, pattern}, got an object"],
    [[ok, 3], TypeError, "onoma: patterns[1] must be an object like {label, pattern}, got a number"],
    [[null], TypeError, "onoma: patterns[0] must be an object like {label, pattern}, got null"],
    [[["CITY", "Paris"]], TypeError, "onoma: patterns[0] must be an object like {label, pattern}, got an array"],
    [[{ label: "X", pattern: "x", id: 1n }], TypeError, "onoma: patterns[0]"],
    [[ok, ok, { label: "X", pattern: [{ LOWR: "x" }] }], RangeError,
      'onoma: patterns[2]: token 0: unknown token attribute "LOWR"; attributes are ORTH, TEXT, LOWER, SHAPE, LENGTH, IS_ALPHA, '],
    [[{ label: "X", pattern: [] }], RangeError, "onoma: patterns[0]: the pattern is empty"],
    [[ok, { label: "X", pattern: "" }], RangeError, "onoma: patterns[1]: the pattern is empty"],
    [[{ label: "X", pattern: [{ LOWER: "x" }, { LOWER: "y", OP: "!" }] }], RangeError, 'onoma: patterns[0]: token 1: unknown operator "!"'],
    [[{ label: "X", pattern: [{ LOWER: "x", OP: "?" }] }], RangeError, "onoma: patterns[0]: the pattern matches no token at all"],
    [[{ label: "X", pattern: [{ LENGTH: "5" }] }], RangeError, "onoma: patterns[0]: token 0: LENGTH must be a whole number"],
    [[{ label: "X", pattern: [{ LOWER: { IN: "x" } }] }], RangeError, "onoma: patterns[0]: token 0: LOWER: IN must be an array of strings"],
    [[{ label: "X", pattern: [{ IS_DIGIT: "yes" }] }], RangeError, "onoma: patterns[0]: token 0: IS_DIGIT must be true or false"],
    [[{ pattern: "Paris" }], RangeError, 'onoma: patterns[0]: missing "label"'],
    [[{ label: "X" }], RangeError, 'onoma: patterns[0]: missing "pattern"'],
    [[{ label: "X", patern: "Paris" }], RangeError, 'onoma: patterns[0]: unknown key "patern"; keys are label, pattern, id, stop'],
    [[{ label: "", pattern: "Paris" }], RangeError, 'onoma: patterns[0]: "label" must be a non-empty string'],
    [[{ label: "X", pattern: "Paris", id: true }], RangeError, 'onoma: patterns[0]: "id" must be a string or a number'],
    [[{ label: "X", pattern: "Paris", stop: "yes" }], RangeError, 'onoma: patterns[0]: "stop" must be true or false'],
    [[{ label: "X", pattern: 5 }], RangeError, 'onoma: patterns[0]: "pattern" must be a string or an array of token objects'],
  ];
  const options = [
    ["strict", TypeError, "onoma: patternOptions must be an object like {ignoreCase, precedence}, got a string"],
    [[], TypeError, "onoma: patternOptions must be an object like {ignoreCase, precedence}, got an array"],
    [{ ignorecase: true }, TypeError, 'onoma: unknown pattern option "ignorecase"; options are ignoreCase, precedence'],
    [{ ignoreCase: 1 }, TypeError, "onoma: patternOptions.ignoreCase must be true or false, got a number"],
    [{ precedence: 1 }, TypeError, 'onoma: patternOptions.precedence must be "patterns" or "model", got a number'],
    [{ precedence: "rules" }, RangeError, 'onoma: patternOptions.precedence must be "patterns" or "model", got "rules"'],
  ];
  const own = await createRecognizer({ patterns: [ok] });
  const calls = [
    ...cases.map(([patterns, type, start]) => [patterns, undefined, type, start]),
    ...options.map(([patternOptions, type, start]) => [[ok], patternOptions, type, start]),
  ];
  for (const [patterns, patternOptions, type, start] of calls) {
    await assert.rejects(createRecognizer({ patterns, patternOptions }), (error) => {
      assert.equal(error.constructor, type, String(error));
      assert.ok(error.message.startsWith(start), `${error.message} starts with ${start}`);
      return true;
    });
    assertThrows(() => own.setPatterns(patterns, patternOptions), type, start);
    assert.deepEqual(spans(own.extract(TEXT)), ["PERSON Tim Cook model", "ORG Apple Inc. model", "CITY Cupertino pattern"]);
  }
  await assert.rejects(createRecognizer({ pattern: [ok] }),
    { constructor: TypeError, message: 'onoma: unknown option "pattern"; options are model, wasm, patterns, patternOptions' });
  own.free();
});

test("parsePatterns reads a pattern file; a line that is not JSON is a SyntaxError naming it", async () => {
  const file = [
    '{"label": "FAC", "pattern": "Suiwu Modern Industrial Park"}',
    "",
    '{"label": "PRODUCT", "pattern": [{"LOWER": "iphone"}, {"IS_DIGIT": true, "OP": "?"}], "id": "iphone"}\r',
    "   ",
    '  {"pattern": "Apple", "stop": true}  ',
    "",
  ].join("\n");
  const patterns = parsePatterns(file);
  assert.deepEqual(patterns, [
    { label: "FAC", pattern: "Suiwu Modern Industrial Park" },
    { label: "PRODUCT", pattern: [{ LOWER: "iphone" }, { IS_DIGIT: true, OP: "?" }], id: "iphone" },
    { pattern: "Apple", stop: true },
  ]);
  assert.deepEqual(parsePatterns(""), []);
  const own = await createRecognizer({ patterns });
  const text = "Apple opened the Suiwu Modern Industrial Park to sell the iPhone 15.";
  assert.deepEqual(spans(own.extract(text)), ["FAC Suiwu Modern Industrial Park pattern", "PRODUCT iPhone 15 pattern"]);
  own.free();

  assertThrows(() => parsePatterns('{"label": "A", "pattern": "a"}\n\n{"label": "B", pattern: "b"}\n'), SyntaxError, "onoma: line 3: not JSON: ");
  assertThrows(() => parsePatterns("[1, 2"), SyntaxError, "onoma: line 1: not JSON: ");
  assertThrows(() => parsePatterns(["{}"]), TypeError, "onoma: a pattern file must be a string, got an array");
  // A line that is JSON but not a pattern is left to createRecognizer and setPatterns.
  assert.deepEqual(parsePatterns("[1]\n42"), [[1], 42]);
  await assert.rejects(createRecognizer({ patterns: parsePatterns('{"label": "A", "pattern": "a"}\n42') }),
    { constructor: TypeError, message: "onoma: patterns[1] must be an object like {label, pattern}, got a number" });
  // The browser entry point exports the same function.
  assert.equal((await import(`${pkgDir}/index.js`)).parsePatterns, parsePatterns);
});
