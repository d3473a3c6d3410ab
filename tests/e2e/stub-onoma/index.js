// Development stand-in for the real package (pkg/), used only until `make pkg` works:
// capitalised runs become PERSON/ORG/GPE and numbers CARDINAL, with made-up scores.
const LABELS = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
  "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"];

function analyze(text, { minScore = 0 } = {}) {
  const entities = [];
  for (const m of text.matchAll(/\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\b|\d[\d,.]*/g)) {
    const label = /\d/.test(m[0]) ? "CARDINAL" : ["PERSON", "ORG", "GPE"][m[0].length % 3];
    const score = ((m[0].length * 37) % 100) / 100;
    if (score >= minScore) entities.push({ start: m.index, end: m.index + m[0].length, label, text: m[0], score });
  }
  return { entities, tokens: text.split(/\s+/).filter(Boolean).length, sentences: 1 };
}

function recognizer() {
  return {
    analyze,
    labels: () => LABELS.map((label) => ({ label, description: `Stub description of ${label}` })),
    info: () => ({ name: "stub", version: "0.0.0" }),
    terminate() {},
  };
}

export function createRecognizer() { return recognizer(); }
export async function createWorkerRecognizer() {
  const r = recognizer();
  return { analyze: async (t, o) => r.analyze(t, o), labels: async () => r.labels(), info: async () => r.info(), terminate() {} };
}
