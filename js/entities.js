// Entity objects from the engine's packing (see `to_js` in crates/wasm/src/lib.rs), built
// where they are used: in the recognizer's thread, or from a worker's answer in the calling
// thread, so that no worker sends thousands of objects across.

/**
 * The entities of `text` from `{numbers, strings}`: six numbers per entity (start, end,
 * label, score, whether a pattern found it, its id or -1) and the strings the labels and
 * ids index. Texts are sliced from the caller's string, so they keep any lone surrogate.
 */
export function unpack(text, { numbers, strings }, slice = (start, end) => text.slice(start, end)) {
  const entities = new Array(numbers.length / 6);
  for (let i = 0, k = 0; k < numbers.length; i++, k += 6) {
    // Whole numbers below 2^31 (texts are shorter), made small integers: V8 keeps those in
    // the object itself, where a double would be a number object of its own.
    const start = numbers[k] | 0;
    const end = numbers[k + 1] | 0;
    const entity = {
      start,
      end,
      label: strings[numbers[k + 2]],
      text: slice(start, end),
      score: numbers[k + 3],
      source: numbers[k + 4] === 1 ? "pattern" : "model",
    };
    if (numbers[k + 5] >= 0) entity.id = strings[numbers[k + 5]];
    entities[i] = entity;
  }
  return entities;
}

/** An analysis `{entities, tokens, sentences}` of `text` with its entities unpacked. */
export function unpackAnalysis(text, { entities, tokens, sentences }) {
  return { entities: unpack(text, entities), tokens, sentences };
}

/**
 * What each method's packed answer becomes, given the method's arguments: the methods
 * whose answers carry entities.
 */
export const UNPACK = {
  extract: (packed, [text]) => unpack(text, packed),
  extractBatch: (packed, [texts]) => packed.map((p, i) => unpack(texts[i], p)),
  analyze: (packed, [text]) => unpackAnalysis(text, packed),
  analyzeShare: (packed, [text]) => unpackAnalysis(text, packed),
  analyzeLive: (packed, [text]) => ({ ...unpackAnalysis(text, packed), pending: packed.pending }),
  analyzeLiveShare: (packed, [text]) => ({ ...unpackAnalysis(text, packed), pending: packed.pending }),
};
