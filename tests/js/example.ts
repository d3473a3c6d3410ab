// Type-checks the package's declarations (pkg/index.d.ts) on code like its users'
// (`tsc --noEmit -p tests/js` in `make test-js`). Not run.
import {
  createRecognizer,
  createWorkerRecognizer,
  type Analysis,
  type Entity,
  type Label,
  groupMentions,
  type LabelInfo,
  type MentionGroup,
  type ModelInfo,
  type OntoNotesLabel,
  parsePatterns,
  type Pattern,
  type PatternOptions,
  type Recognizer,
  redact,
  type Redaction,
  type RedactOptions,
  type TokenPattern,
  type WorkerRecognizer,
} from "onoma-ner";

export async function main(article: string, model: Uint8Array, patternFile: string): Promise<void> {
  const ner: Recognizer = await createRecognizer();
  const entities: Entity[] = ner.extract(article, { labels: ["PERSON", "gpe"], minScore: 0.5 });
  for (const { start, end, label, text, score } of entities) {
    const same: boolean = article.slice(start, end) === text;
    const kind: Label = label;
    console.log(same, kind, score.toFixed(2));
  }
  const batch: Entity[][] = ner.extractBatch([article, "Paris"]);
  const analysis: Analysis = ner.analyze(article);
  const counts: number = analysis.tokens + analysis.sentences + batch.length;
  const labels: LabelInfo[] = ner.labels();
  const info: ModelInfo = ner.info();
  const f1: string | undefined = info.metadata.test_f1_gold_tokens;
  console.log(counts, labels[0].description, info.name, info.version, f1);
  ner.free();

  const custom = await createRecognizer({ model, wasm: new URL("https://cdn.example/engine_bg.wasm") });
  custom.extract(article);

  // Your own entities: phrases, token patterns with every kind of attribute, ids, stops.
  const iphone: TokenPattern[] = [{ LOWER: "iphone" }, { IS_DIGIT: true, OP: "?" }];
  const patterns: readonly Pattern[] = [
    { label: "FAC", pattern: "Suiwu Modern Industrial Park" },
    { label: "PRODUCT", pattern: iphone, id: "iphone" },
    { label: "CITY", pattern: [{ TEXT: { IN: ["Paris", "Lyon"] } }, { LENGTH: { ">=": 2 }, OP: "{0,2}" }], id: 90 },
    { label: "TICKER", pattern: [{ SHAPE: { NOT_IN: ["Xxxxx"] }, IS_UPPER: true, LENGTH: 4 }, { OP: "{2}" }] },
    { label: "AMOUNT", pattern: [{ LIKE_NUM: true, OP: "+" }, { ORTH: "units", IS_ALPHA: true, IS_LOWER: true }] },
    { label: "MISC", pattern: [{ IS_TITLE: true, IS_ASCII: true, OP: "{1,}" }, { IS_PUNCT: true, OP: "{,3}" }] },
    { pattern: "Apple", stop: true },
    { label: "ORG", pattern: "Apple", stop: true },
  ];
  const patternOptions: PatternOptions = { ignoreCase: true, precedence: "model" };
  const own: Recognizer = await createRecognizer({ patterns, patternOptions });
  for (const { label, source, id } of own.extract(article, { labels: ["CITY", "person", "Ticker"] })) {
    const from: "model" | "pattern" = source;
    const key: string | undefined = id;
    const city: boolean = label === "CITY";
    const onto: boolean = label === "GPE";
    console.log(from, key, city, onto);
  }
  const known: Label[] = own.labels().map((l) => l.label);
  const modelLabels: OntoNotesLabel[] = ["GPE", "CARDINAL"];
  own.setPatterns([...parsePatterns(patternFile), { label: "CITY", pattern: "Lyon" }]);
  own.setPatterns(patterns, { precedence: "patterns" });
  own.setPatterns(null);
  console.log(known, modelLabels);

  const worker: WorkerRecognizer = await createWorkerRecognizer({ workerUrl: "/assets/worker.js" });
  const result: Analysis = await worker.analyze(article, { minScore: 0 });
  const names: LabelInfo[] = await worker.labels();
  const about: ModelInfo = await worker.info();
  const all: Entity[][] = await worker.extractBatch([article]);
  const replaced: void = await worker.setPatterns(parsePatterns(patternFile), { ignoreCase: false });
  await worker.setPatterns(null);
  console.log(replaced);
  console.log(result.entities.length, names.length, about.version, all.length, await worker.extract(article));
  worker.terminate();

  // The mentions of each entity, and the article redacted.
  const groups: MentionGroup[] = groupMentions(entities);
  const own2: MentionGroup<{ start: number; end: number; label: string; text: string; note: string }>[] =
    groupMentions([{ start: 0, end: 5, label: "CITY", text: "Paris", note: "hand-made" }]);
  console.log(groups[0].name, groups[0].label, groups[0].mentions[0].score, own2[0].mentions[0].note);
  const options: RedactOptions = { labels: ["PERSON", "org"], style: "mask", mask: "*" };
  const redacted: Redaction = redact(article, entities, options);
  for (const { start, end, label, text, replacement, redactedStart, redactedEnd } of redacted.replacements) {
    console.log(start, end, label, text, replacement === redacted.text.slice(redactedStart, redactedEnd));
  }
  redact(article, [{ start: 0, end: 5, label: "CITY" }], { style: "type" });
  // @ts-expect-error: not a style
  redact(article, entities, { style: "blur" });
  // @ts-expect-error: misspelt option
  redact(article, entities, { styles: "mask" });
  // @ts-expect-error: groupMentions needs each mention's text
  groupMentions([{ start: 0, end: 5, label: "CITY" }]);

  // @ts-expect-error: not an OntoNotes label
  const city: OntoNotesLabel = "CITY";
  // @ts-expect-error: labels are strings
  ner.extract(article, { labels: [1] });
  // @ts-expect-error: misspelt token attribute
  ner.setPatterns([{ label: "X", pattern: [{ LOWR: "x" }] }]);
  // @ts-expect-error: not an operator
  ner.setPatterns([{ label: "X", pattern: [{ LOWER: "x", OP: "!" }] }]);
  // @ts-expect-error: a phrase or a list of tokens, not one token
  ner.setPatterns([{ label: "X", pattern: { LOWER: "x" } }]);
  // @ts-expect-error: patterns are an array
  ner.setPatterns({ label: "X", pattern: "x" });
  // @ts-expect-error: precedence is "patterns" or "model"
  createRecognizer({ patterns, patternOptions: { precedence: "rules" } });
  // @ts-expect-error: misspelt pattern option
  createRecognizer({ patterns, patternOptions: { ignorecase: true } });
  // @ts-expect-error: worker's setPatterns returns a promise
  const sync: void = worker.setPatterns(null);
  console.log(city, sync);
  // @ts-expect-error: misspelt option
  ner.extract(article, { minscore: 0.5 });
  // @ts-expect-error: texts are strings
  ner.extractBatch([1, 2]);
  // @ts-expect-error: worker methods return promises
  const wrong: Entity[] = worker.extract(article);
  console.log(wrong);
}
