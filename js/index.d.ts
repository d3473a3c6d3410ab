// Type declarations for the whole public API of the `onoma` package (browser, Web Worker
// and Node.js entry points share them).

/** The 18 OntoNotes 5.0 entity types, those the built-in model finds. */
export type OntoNotesLabel =
  | "PERSON"
  | "NORP"
  | "FAC"
  | "ORG"
  | "GPE"
  | "LOC"
  | "PRODUCT"
  | "EVENT"
  | "WORK_OF_ART"
  | "LAW"
  | "LANGUAGE"
  | "DATE"
  | "TIME"
  | "PERCENT"
  | "MONEY"
  | "QUANTITY"
  | "ORDINAL"
  | "CARDINAL";

/**
 * An entity label: one of the model's (`OntoNotesLabel` for the built-in model) or any
 * string your patterns give, such as "CITY".
 */
export type Label = OntoNotesLabel | (string & {});

/** A named entity. `text.slice(entity.start, entity.end) === entity.text` always holds. */
export interface Entity {
  /** Index of the first UTF-16 code unit in the input string (JavaScript string index). */
  start: number;
  /** Index one past the last UTF-16 code unit. */
  end: number;
  label: Label;
  /** The entity as written in the input. */
  text: string;
  /**
   * Probability, under the model, that exactly this span with this label is an entity;
   * 1 for a pattern match.
   */
  score: number;
  /** Who found it: the model, or one of your patterns. */
  source: "model" | "pattern";
  /** The `id` of the pattern that found it (a number as its decimal string), if it has one. */
  id?: string;
}

/**
 * A string attribute of a token pattern: the string itself, or one of a list (`IN`) or
 * none of a list (`NOT_IN`).
 */
export type StringMatch = string | { IN: readonly string[] } | { NOT_IN: readonly string[] };

/** `LENGTH` of a token pattern: an exact number of characters, or one comparison. */
export type LengthMatch =
  | number
  | { "==": number }
  | { "!=": number }
  | { ">=": number }
  | { "<=": number }
  | { ">": number }
  | { "<": number };

/**
 * One token of a token pattern, as in spaCy's Matcher: every attribute given must hold.
 * An empty object matches any token.
 */
export interface TokenPattern {
  /** The token's exact text (`TEXT` is the same). */
  ORTH?: StringMatch;
  TEXT?: StringMatch;
  /** The token's text in lower case. */
  LOWER?: StringMatch;
  /** spaCy's shape: X for a capital, x a small letter, d a digit, runs cut at 4 ("Xxxxx", "dd"). */
  SHAPE?: StringMatch;
  /** Number of characters (code points). */
  LENGTH?: LengthMatch;
  IS_ALPHA?: boolean;
  IS_ASCII?: boolean;
  IS_DIGIT?: boolean;
  IS_LOWER?: boolean;
  IS_UPPER?: boolean;
  IS_TITLE?: boolean;
  IS_PUNCT?: boolean;
  /** Digits, or a number written out ("10", "1,000", "ten"). */
  LIKE_NUM?: boolean;
  /**
   * How many times the token may occur: `?` 0 or 1, `+` 1 or more, `*` 0 or more,
   * `{n}`, `{n,m}`, `{n,}`, `{,m}` (n, m at most 64). Once by default.
   */
  OP?: "?" | "+" | "*" | `{${number}}` | `{${number},${number}}` | `{${number},}` | `{,${number}}`;
}

/**
 * A pattern in spaCy's EntityRuler format: a phrase (`"pattern": "Suiwu Modern Industrial
 * Park"`, cut into tokens as text is) or a list of tokens; it matches whole tokens, and a
 * token pattern matches within a sentence, over at most 32 tokens.
 */
export interface Pattern {
  /** The label of the entities it finds; any string. Required, except for a stop pattern. */
  label?: Label;
  pattern: string | readonly TokenPattern[];
  /** Carried, as a string, to the entities it finds as `Entity.id`. */
  id?: string | number;
  /**
   * A stop pattern removes every entity whose span it matches exactly (only of its `label`
   * if it has one) instead of finding entities.
   */
  stop?: boolean;
}

/** How patterns are matched and merged with the model's entities. */
export interface PatternOptions {
  /** Phrase patterns match whatever the case of the text ("apple" finds "APPLE"); default false. */
  ignoreCase?: boolean;
  /**
   * Which wins where a pattern match overlaps a model entity: "patterns" (the default), or
   * "model", where patterns only fill the gaps between the model's entities.
   */
  precedence?: "patterns" | "model";
}

/**
 * Options of `extract`, `extractBatch` and `analyze`. An unknown name is a `TypeError`; an
 * option that is `undefined` or `null` is not applied.
 */
export interface ExtractOptions {
  /**
   * Keep only these labels (case-insensitive): the model's or those of your patterns. A
   * label the recognizer does not know is a `RangeError`.
   */
  labels?: readonly (Label | Lowercase<OntoNotesLabel>)[] | null;
  /** Keep only entities with at least this score, from 0 (default) to 1. */
  minScore?: number | null;
}

/** The result of `analyze`. */
export interface Analysis {
  /** The entities, in text order, as `extract` returns them. */
  entities: Entity[];
  /** Number of tokens the text was cut into. */
  tokens: number;
  /** Number of sentences. */
  sentences: number;
}

/** Options of `analyzeLive`. */
export interface LiveOptions extends ExtractOptions {
  /**
   * At most about this many characters of blocks away from the edit are read again per
   * call (default: all of them). An edit that changes what the text says about a word (a
   * name's other mentions) calls for every block with that word to be read again: in a
   * long text, seconds of work. With a limit, those blocks keep their last entities and
   * `pending` counts them; each later call, with the same text or an edited one, reads
   * that many characters more of them.
   */
  refreshLimit?: number;
}

/** The result of `analyzeLive`. */
export interface LiveAnalysis extends Analysis {
  /** Blocks whose entities may still change, left for later calls by `refreshLimit`. */
  pending: number;
}

/**
 * A label with a human description of what it covers and a CSS colour to show it in, as
 * the model file gives them (a model trained on your data may leave either empty);
 * "Found by your patterns" and no colour for a label only patterns give.
 */
export interface LabelInfo {
  label: Label;
  description: string;
  colour: string;
}

/** What is known about the loaded model. */
export interface ModelInfo {
  /** Model name, e.g. "onoma-en". */
  name: string;
  /** Model version. */
  version: string;
  /** Version of the Onoma engine. */
  engineVersion: string;
  /** Whether the engine running is the build that uses WebAssembly SIMD (`engine_bg.wasm`). */
  engineSimd: boolean;
  /** Number of features with weights in the model. */
  features: number;
  /** Every metadata entry of the model file, e.g. `name: "onoma-en"`. */
  metadata: Record<string, string>;
}

declare global {
  // Node-only projects (no "DOM" lib) have no WebAssembly types; this empty declaration
  // merges with the real one where it exists.
  namespace WebAssembly {
    interface Module {}
  }
}

/** Where to load the WebAssembly engine from, as `createRecognizer`'s `wasm` option. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | Promise<Response>
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

/** Options of `createRecognizer`. */
export interface RecognizerOptions {
  /**
   * Bytes of an `.onm` model file to use instead of the built-in English model (which is
   * read from `onoma-en.onm` beside the package's JavaScript files).
   */
  model?: ArrayBuffer | ArrayBufferView;
  /**
   * Where the engine is, when it is not beside the package's JavaScript files (e.g. a CDN
   * URL); by default `engine_bg.wasm` (WebAssembly SIMD) or, where the JavaScript engine has
   * no SIMD, `engine_compat_bg.wasm`. Only the first recognizer of a page or worker loads the engine; later ones
   * share it and ignore this option. In Node, a path or `file:` URL is read from disk.
   */
  wasm?: WasmSource;
  /** Your own entities, found alongside the model's; see `Pattern` and `parsePatterns`. */
  patterns?: readonly Pattern[];
  /** How `patterns` are matched and merged; used only with `patterns`. */
  patternOptions?: PatternOptions;
}

/**
 * A named-entity recognizer. Its methods are synchronous and run on the calling thread;
 * use `createWorkerRecognizer` to keep long texts off a page's main thread.
 *
 * Bad arguments throw, with a message starting "onoma: " that says what is wrong, a
 * `TypeError` when an argument has the wrong type (a text that is not a string, `labels`
 * that is not an array, a misspelt option) and a `RangeError` when it has the right type
 * but an unusable value (an unknown label, `minScore` outside 0 to 1, a text too long, a
 * pattern the engine cannot read: "onoma: patterns[2]: the pattern is empty"). The
 * recognizer goes on working. If the engine itself fails (a WebAssembly trap), that call
 * throws an `Error` starting "onoma: ", the engine is re-instantiated, and the next call works.
 *
 * Texts longer than 10,000,000 UTF-16 code units (`text.length`) throw a `RangeError`: the
 * engine's memory, at most 4 GiB, grows by up to about 320 bytes per code unit.
 */
export interface Recognizer {
  /** The entities in `text` (at most 10,000,000 code units), in text order. */
  extract(text: string, options?: ExtractOptions): Entity[];
  /** `extract` on each text; one array of entities per text. The length limit is per text. */
  extractBatch(texts: readonly string[], options?: ExtractOptions): Entity[][];
  /** The entities in `text` (at most 10,000,000 code units) with its token and sentence counts. */
  analyze(text: string, options?: ExtractOptions): Analysis;
  /**
   * `analyze` of share `share` of `shares` (from 0) of `text`: the text is cut at sentence
   * ends into `shares` parts of about equal length, and this share is read with the whole
   * text around it (the other mentions of a name, and the tags of the sentences just
   * before it). Offsets are the whole text's. The shares together give the entities of the
   * text, for a pool of workers that each take one; see `createWorkerRecognizer`'s `workers`.
   * `share` at or above `shares` is a `RangeError`.
   */
  analyzeShare(text: string, share: number, shares: number, options?: ExtractOptions): Analysis;
  /**
   * `analyze` of a text being edited, such as the text of an editor: the recognizer keeps
   * the text it was last given here, cut into blocks at paragraph ends, and reads again
   * only the blocks that changed and those whose words the change concerns (a name now
   * also written elsewhere). A whole new text gives exactly `analyze`'s entities; after an
   * edit, only the tags of the sentences before a block read again may differ from
   * `analyze` of the new text. Typing at the end of a 2 MB text costs milliseconds, where
   * `analyze` reads all of it. Keeps a copy of the text until the recognizer is freed.
   */
  analyzeLive(text: string, options?: LiveOptions): LiveAnalysis;
  /** `analyzeLive` of one share of the text, as `analyzeShare` cuts it (at blocks here). */
  analyzeLiveShare(text: string, share: number, shares: number, options?: LiveOptions): LiveAnalysis;
  /**
   * Every label the recognizer can output: the model's, then those only your patterns give
   * (described as "Found by your patterns").
   */
  labels(): LabelInfo[];
  /** The model's name, version and metadata. */
  info(): ModelInfo;
  /**
   * Replaces the recognizer's patterns (`null` removes them). `options` are not kept from
   * before: left out, they are the defaults. On an error the old patterns stay.
   */
  setPatterns(patterns: readonly Pattern[] | null, options?: PatternOptions): void;
  /** Releases the recognizer, and its model if given as bytes; it cannot be used afterwards. */
  free(): void;
}

/**
 * Loads the WebAssembly engine (once per page, worker or process) and a model: the
 * built-in English model unless `options.model` is given.
 *
 * ```js
 * import { createRecognizer } from "onoma-ner";
 * const ner = await createRecognizer();
 * for (const e of ner.extract("Angela Merkel visited Paris.")) console.log(e.label, e.text);
 * ```
 */
export function createRecognizer(options?: RecognizerOptions): Promise<Recognizer>;

/** Options of `createWorkerRecognizer`. */
export interface WorkerRecognizerOptions extends RecognizerOptions {
  /**
   * The worker script, when bundling left it out: `worker.js` of this package in browsers
   * (a module worker), `node-worker.js` in Node. Vite and webpack find it without help.
   */
  workerUrl?: string | URL;
  /**
   * As for `createRecognizer`, but a URL (relative to the page), bytes or a WebAssembly.Module:
   * it is posted to the worker.
   */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
  /**
   * How many workers to start (default 1), at most one per core
   * (`navigator.hardwareConcurrency`, `os.availableParallelism()`). With more than one,
   * each call goes to the least busy worker, `extractBatch` shares its texts among them,
   * and a text of 50,000 code units or more is cut at sentence ends into one share per
   * worker (see `Recognizer.analyzeShare`): the entities are those of one recognizer
   * except, rarely, near a cut (on OntoNotes dev cut in 2 to 8 shares, F1 within 0.001).
   * Not a positive whole number: a `TypeError` or `RangeError`.
   */
  workers?: number;
}

/**
 * A recognizer in a Web Worker (browsers) or worker thread (Node): the same methods as
 * `Recognizer`, returning promises, and the calling thread stays free. Calls run one at a
 * time in order (in each worker, with `workers`). A failed call rejects with what
 * `Recognizer` would throw (a `TypeError`, `RangeError` or `Error`, with the same
 * message); later calls still work.
 */
export interface WorkerRecognizer {
  /** How many workers it runs on. */
  readonly workers: number;
  extract(text: string, options?: ExtractOptions): Promise<Entity[]>;
  extractBatch(texts: readonly string[], options?: ExtractOptions): Promise<Entity[][]>;
  analyze(text: string, options?: ExtractOptions): Promise<Analysis>;
  analyzeShare(text: string, share: number, shares: number, options?: ExtractOptions): Promise<Analysis>;
  /**
   * With `workers`, a long text is read in one share per worker, each keeping its blocks.
   * After the first text, only the edit goes to a worker and only the entities it changed
   * come back: the others are the objects of the last answer (moved ones are new objects).
   */
  analyzeLive(text: string, options?: LiveOptions): Promise<LiveAnalysis>;
  analyzeLiveShare(text: string, share: number, shares: number, options?: LiveOptions): Promise<LiveAnalysis>;
  labels(): Promise<LabelInfo[]>;
  info(): Promise<ModelInfo>;
  setPatterns(patterns: readonly Pattern[] | null, options?: PatternOptions): Promise<void>;
  /** Stops the worker; pending and later calls reject. */
  terminate(): void;
}

/**
 * Starts a worker, loads the engine and model in it, and resolves once it is ready.
 *
 * ```js
 * import { createWorkerRecognizer } from "onoma-ner";
 * const ner = await createWorkerRecognizer();
 * const { entities, tokens } = await ner.analyze(longText, { minScore: 0.5 });
 * ner.terminate();
 * ```
 */
export function createWorkerRecognizer(options?: WorkerRecognizerOptions): Promise<WorkerRecognizer>;

/**
 * Reads a pattern file (spaCy EntityRuler JSONL: one JSON object per line; blank lines are
 * skipped) into the array `createRecognizer({ patterns })` takes. A line that is not JSON
 * is a `SyntaxError` naming it ("onoma: line 3: not JSON: ..."); the patterns themselves
 * are checked when they are used.
 *
 * ```js
 * const patterns = parsePatterns(await (await fetch("patterns.jsonl")).text());
 * const ner = await createRecognizer({ patterns });
 * ```
 */
export function parsePatterns(jsonl: string): Pattern[];

/** The mentions of one entity in a text, as `groupMentions` gathers them. */
export interface MentionGroup<E = Entity> {
  /**
   * The fullest form: the longest mention (the first of equal length), without a leading
   * "the", a possessive or surrounding quotes: "European Investment Bank".
   */
  name: string;
  label: Label;
  /** The entities given, in text order. */
  mentions: E[];
}

/**
 * Groups the mentions of each entity, for lists such as "Helen Okafor ×3" (for "Helen
 * Okafor", "Okafor", "Okafor's"). Groups come in the order of their first mention; two
 * mentions are grouped only if they have the same label, when:
 *
 * - their names are equal, whatever the case, the white space, a leading "the", a
 *   possessive ("'s", "’s", or a final apostrophe), surrounding quotes, brackets and
 *   punctuation and a final full stop: "the European Investment Bank's" = "European
 *   Investment Bank", "U.S." = "U.S";
 * - a one-word PERSON (or PER) mention is the first or last word of exactly one longer
 *   name of its label: "Okafor" joins "Helen Okafor", "Zhang" joins "Zhang Yong", and
 *   "Helen" joins "Helen Okafor" too. With two such names ("Helen Okafor", "James Okafor")
 *   it stays on its own;
 * - for other labels, except DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL and CARDINAL
 *   (grouped by equal names only), an acronym (2 to 6 capitals, dots allowed: "EIB",
 *   "E.I.B.") is the initials of exactly one longer name of its label: of its capitalised
 *   words other than "of", "the", "and", "for" ("European Investment Bank",
 *   "Bank for International Settlements" for BIS), or of all its words (BFIS). A single
 *   word of such a name ("Bank") joins nothing.
 *
 * The entities (an `Entity` array, or objects with these fields) are neither changed nor
 * expected in order. A `TypeError` or `RangeError` starting "onoma: " reports one that is
 * not an object with integer `start` < `end` and string `label` and `text`.
 *
 * ```js
 * for (const { name, label, mentions } of groupMentions(ner.extract(article))) {
 *   console.log(`${label} ${name} ×${mentions.length}`);
 * }
 * ```
 */
export function groupMentions<E extends Pick<Entity, "start" | "end" | "label" | "text">>(
  entities: readonly E[],
): MentionGroup<E>[];

/** Options of `redact`. */
export interface RedactOptions {
  /** Redact only entities with these labels (case-insensitive); left out or null, all of them. */
  labels?: readonly (Label | Lowercase<OntoNotesLabel>)[] | null;
  /**
   * What replaces an entity: "placeholder" (the default), its label and a number, the same
   * for every mention of one entity as `groupMentions` groups them ("[PERSON 1]" for both
   * "Helen Okafor" and "Okafor", "[PERSON 2]" for the next person); "type", its label
   * alone ("[PERSON]"); "mask", one `mask` character for each character (grapheme cluster:
   * an emoji, a flag, a letter with its accents) except white space, which stays as it is.
   */
  style?: "placeholder" | "type" | "mask";
  /** The character of the "mask" style, one grapheme cluster other than white space; "█" by default. */
  mask?: string;
}

/** One entity `redact` replaced. */
export interface Replacement {
  /** Where the entity was in the original text (UTF-16 code units). */
  start: number;
  end: number;
  label: Label;
  /** The entity as written in the original text. */
  text: string;
  /** What replaced it. */
  replacement: string;
  /** Where `replacement` is in the redacted text: `redacted.text.slice(redactedStart, redactedEnd) === replacement`. */
  redactedStart: number;
  redactedEnd: number;
}

/** The result of `redact`. */
export interface Redaction {
  /** The text with its entities replaced; everything between them is left as it was. */
  text: string;
  /** The entities replaced, in text order. */
  replacements: Replacement[];
}

/**
 * Replaces the entities of `text` by placeholders or masks (see `RedactOptions`). The
 * entities (an `Entity` array, or objects with these fields; `text` may be left out) need
 * not be in order; of overlapping ones only the first (the longer at the same start) is
 * replaced. Bad arguments throw, with a message starting "onoma: ": a `TypeError` for a
 * wrong type or a misspelt option, a `RangeError` for an entity that is empty or outside
 * the text, one whose `text` is not `text.slice(start, end)`, one whose offsets split a
 * surrogate pair, an unknown `style` or a `mask` that is not one character.
 *
 * ```js
 * const { text } = redact(article, ner.extract(article), { labels: ["PERSON", "ORG"] });
 * // "[PERSON 1] of [ORG 1] spoke. [PERSON 1] said…"
 * ```
 */
export function redact(
  text: string,
  entities: readonly (Pick<Entity, "start" | "end" | "label"> & { text?: string })[],
  options?: RedactOptions,
): Redaction;
