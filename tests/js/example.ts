// Type-checks the package's declarations (pkg/index.d.ts) on code like its users'
// (`tsc --noEmit -p tests/js` in `make test-js`). Not run.
import {
  createRecognizer,
  createWorkerRecognizer,
  type Analysis,
  type Entity,
  type Label,
  type LabelInfo,
  type ModelInfo,
  type Recognizer,
  type WorkerRecognizer,
} from "onoma-ner";

export async function main(article: string, model: Uint8Array): Promise<void> {
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

  const worker: WorkerRecognizer = await createWorkerRecognizer({ workerUrl: "/assets/worker.js" });
  const result: Analysis = await worker.analyze(article, { minScore: 0 });
  const names: LabelInfo[] = await worker.labels();
  const about: ModelInfo = await worker.info();
  const all: Entity[][] = await worker.extractBatch([article]);
  console.log(result.entities.length, names.length, about.version, all.length, await worker.extract(article));
  worker.terminate();

  // @ts-expect-error: not an OntoNotes label
  ner.extract(article, { labels: ["CITY"] });
  // @ts-expect-error: misspelt option
  ner.extract(article, { minscore: 0.5 });
  // @ts-expect-error: texts are strings
  ner.extractBatch([1, 2]);
  // @ts-expect-error: worker methods return promises
  const wrong: Entity[] = worker.extract(article);
  console.log(wrong);
}
