// The recognizer over the WebAssembly engine, shared by the browser (index.js) and Node
// (node.js) entry points, which differ only in how they fetch the .wasm file.
import initEngine, * as engine from "./engine.js";
import { UNPACK } from "./entities.js";

let started;
/** The built-in model's bytes, once read (see `readBuiltin`), and the promise of them. */
let builtinBytes;
let builtinRead;
/** The instance (its `generation`) that has parsed the built-in model: later loads pass no bytes. */
let builtinParsedIn = -1;
/** Counts re-instantiations: a recognizer loaded in an earlier instance must reload. */
let generation = 0;
/** Set when a failed call left the instance unusable and re-instantiating failed too. */
let resetPending = false;

/**
 * Instantiates the engine once per JavaScript realm; later calls reuse it, whatever
 * `source` they pass. `source` is a function giving what the glue code accepts: a URL, a
 * Response (or a promise of one), bytes, or a WebAssembly.Module.
 */
export function start(source) {
  started ??= (async () => {
    const wasm = await source();
    // A compiled module is instantiated synchronously: in Node that takes ~25 ms less than
    // the asynchronous path, a sixth of the time to first result.
    if (wasm instanceof WebAssembly.Module) engine.initSync({ module: wasm });
    else await initEngine({ module_or_path: wasm });
  })().catch((e) => {
    started = undefined;
    throw new Error(`onoma: cannot load the WebAssembly engine: ${e?.message ?? e}`, { cause: e });
  });
  return started;
}

/**
 * Reads the built-in model once per JavaScript realm with `read()`, a function giving a
 * promise of its bytes; a failed read is tried again by the next call.
 */
function readBuiltin(read) {
  builtinRead ??= (async () => {
    builtinBytes = await read();
  })().catch((e) => {
    builtinRead = undefined;
    throw new Error(`onoma: cannot load the built-in model: ${e?.message ?? e}`, { cause: e });
  });
  return builtinRead;
}

/** The built-in model's handle in the current instance, which parses it the first time. */
function loadBuiltin() {
  const handle = engine.loadDefault(builtinParsedIn === generation ? undefined : builtinBytes);
  builtinParsedIn = generation;
  return handle;
}

/** Bytes of a model given as an ArrayBuffer or a view, copied so later edits don't matter. */
export function modelBytes(model) {
  if (model instanceof ArrayBuffer) return new Uint8Array(model.slice(0));
  if (ArrayBuffer.isView(model)) {
    return new Uint8Array(model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength));
  }
  throw new TypeError("onoma: options.model must be the bytes of an .onm file (ArrayBuffer or Uint8Array)");
}

/** The classes of the errors the engine throws on purpose (see `recover`). */
const DELIBERATE = new Set(["Error", "TypeError", "RangeError"]);

/**
 * Errors the engine reports on purpose (an Error, TypeError or RangeError whose message
 * starts with "onoma: ") leave it intact. Anything else (a trap: under panic=abort a Rust
 * panic is `unreachable`; a stack overflow; an exception from the caller's own code, such
 * as an options getter, which cannot be told from one thrown through Rust frames) may have
 * left the instance's memory inconsistent, so it is replaced by a fresh one.
 */
function recover(error) {
  if (error instanceof Error && DELIBERATE.has(error.name) && error.message.startsWith("onoma: ")) {
    return error;
  }
  resetPending = true;
  try {
    reset();
  } catch {
    // Retried before the next call, which reports it if it fails again.
  }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new Error(
    `onoma: the WebAssembly engine failed (${reason}); it was restarted, the next call runs on a fresh instance`,
    { cause: error },
  );
}

function reset() {
  engine.__wbg_reset_state();
  generation += 1;
  resetPending = false;
}

/** Runs `call` on the engine, first restarting it if an earlier failure left it broken. */
function guarded(call) {
  try {
    if (resetPending) reset();
    return call();
  } catch (error) {
    throw recover(error);
  }
}

/** How an error message names the type of a value: "a string", "an array", "null"... */
function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "undefined" ? "undefined" : type === "object" ? "an object" : `a ${type}`;
}

/**
 * `patterns` (an array of EntityRuler objects, or null/undefined for none) and `options`
 * ({ignoreCase, precedence}), checked for their types; the engine checks the patterns
 * themselves. The array is copied,
 * so that the recognizer can reload the same patterns after a restart.
 */
function patternRules(patterns, options) {
  if (patterns == null) {
    patternRules([], options); // options are checked even without patterns
    return undefined;
  }
  if (!Array.isArray(patterns)) {
    throw new TypeError(`onoma: patterns must be an array of objects like {label, pattern}, got ${typeName(patterns)}`);
  }
  patterns.forEach((pattern, i) => {
    if (pattern === null || typeof pattern !== "object" || Array.isArray(pattern)) {
      throw new TypeError(`onoma: patterns[${i}] must be an object like {label, pattern}, got ${typeName(pattern)}`);
    }
  });
  if (options != null && (typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`onoma: patternOptions must be an object like {ignoreCase, precedence}, got ${typeName(options)}`);
  }
  const { ignoreCase = false, precedence = "patterns", ...unknown } = options ?? {};
  const names = Object.keys(unknown);
  if (names.length) {
    throw new TypeError(`onoma: unknown pattern option ${JSON.stringify(names[0])}; options are ignoreCase, precedence`);
  }
  if (typeof ignoreCase !== "boolean") {
    throw new TypeError(`onoma: patternOptions.ignoreCase must be true or false, got ${typeName(ignoreCase)}`);
  }
  if (typeof precedence !== "string") {
    throw new TypeError(`onoma: patternOptions.precedence must be "patterns" or "model", got ${typeName(precedence)}`);
  }
  return { patterns: patterns.slice(), ignoreCase, precedence };
}

/**
 * Reads a pattern file (spaCy EntityRuler JSONL: one JSON object per line, blank lines
 * skipped) into the array `createRecognizer({ patterns })` takes. A line that is not JSON
 * is a SyntaxError naming the line; the engine checks the rest when the patterns are used.
 */
export function parsePatterns(jsonl) {
  if (typeof jsonl !== "string") {
    throw new TypeError(`onoma: a pattern file must be a string, got ${typeName(jsonl)}`);
  }
  const patterns = [];
  // A byte-order mark, as some editors on Windows write, is not part of the first line.
  jsonl.replace(/^\uFEFF/, "").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      patterns.push(JSON.parse(line));
    } catch (error) {
      throw new SyntaxError(`onoma: line ${i + 1}: not JSON: ${error.message}`);
    }
  });
  return patterns;
}

/**
 * The options of a live analysis without `refreshLimit` (which the engine takes apart from
 * them), and that limit: undefined, or a whole number of characters.
 */
function liveOptions(options) {
  if (options === null || typeof options !== "object" || options.refreshLimit === undefined) return [options, undefined];
  const { refreshLimit, ...filter } = options;
  if (typeof refreshLimit !== "number") {
    throw new TypeError(`onoma: options.refreshLimit must be a number of characters, got ${typeName(refreshLimit)}`);
  }
  if (!(refreshLimit >= 0) || !Number.isInteger(refreshLimit) && refreshLimit !== Infinity) {
    throw new RangeError(`onoma: options.refreshLimit must be a whole number from 0, got ${refreshLimit}`);
  }
  return [filter, refreshLimit === Infinity ? undefined : Math.min(refreshLimit, 2 ** 32 - 1)];
}

/** Named-entity recognizer; see index.d.ts for the documentation of each method. */
export class Recognizer {
  #model;
  #rules;
  /** The model alone, and the model with the patterns (the same handle without patterns). */
  #base;
  #handle;
  #generation = -1;
  #freed = false;
  /**
   * The version of the last live answer (see #answerLive); null when the engine keeps no
   * text for this recognizer's handle: none read yet, a new handle, or a fresh instance.
   */
  #liveVersion = null;
  #liveVersions = 0;

  /** `model`: bytes of an .onm file, or undefined for the built-in English model; `rules`: see patternRules. */
  constructor(model, rules) {
    this.#model = model;
    this.#rules = rules;
    guarded(() => this.#engineHandle());
  }

  #engineHandle() {
    if (this.#freed) throw new Error("onoma: this recognizer has been freed");
    if (this.#generation !== generation) {
      this.#base = this.#model ? engine.loadModel(this.#model) : loadBuiltin();
      this.#generation = generation;
      this.#handle = this.#base;
      this.#handle = this.#withRules(this.#rules);
      this.#liveVersion = null; // the fresh instance keeps no text
    }
    return this.#handle;
  }

  /** A handle for the model with `rules`; the base handle when there are none. */
  #withRules(rules) {
    if (!rules) return this.#base;
    return engine.withPatterns(this.#base, rules.patterns, rules.ignoreCase, rules.precedence);
  }

  extract(text, options) {
    return UNPACK.extract(this.__packed("extract", text, options), [text]);
  }

  extractBatch(texts, options) {
    return UNPACK.extractBatch(this.__packed("extractBatch", texts, options), [texts]);
  }

  analyze(text, options) {
    return UNPACK.analyze(this.__packed("analyze", text, options), [text]);
  }

  analyzeShare(text, share, shares, options) {
    return UNPACK.analyzeShare(this.__packed("analyzeShare", text, share, shares, options), [text]);
  }

  analyzeLive(text, options) {
    return UNPACK.analyzeLive(this.__packed("analyzeLive", text, options), [text]);
  }

  analyzeLiveShare(text, share, shares, options) {
    return UNPACK.analyzeLiveShare(this.__packed("analyzeLiveShare", text, share, shares, options), [text]);
  }

  /**
   * The answer of `method` (one of those in entities.js's UNPACK) with its entities still
   * packed, for a worker to send. Not public API.
   * @internal
   */
  __packed(method, ...args) {
    return guarded(() => {
      const handle = this.#engineHandle();
      switch (method) {
        case "analyzeLive":
        case "analyzeLiveShare": {
          const [text, share, shares, options] = method === "analyzeLive" ? [args[0], 0, 1, args[1]] : args;
          const [filter, limit] = liveOptions(options);
          return this.#answerLive(() => engine.analyzeLive(handle, text, share, shares, filter, limit));
        }
        case "analyzeLiveEdit": {
          // An edit of the text of the live answer `since`, unless another answer came since.
          const [since, start, end, inserted, share, shares, options] = args;
          const [filter, limit] = liveOptions(options);
          if (this.#liveVersion !== since) return { stale: true };
          return this.#answerLive(() => engine.analyzeLiveEdit(handle, start, end, inserted, share, shares, filter, limit));
        }
        default:
          return engine[method](handle, ...args);
      }
    });
  }

  /**
   * The live answer `analyze()` gives, numbered with its `version`: the engine keeps the
   * text and the answer, and `analyzeLiveEdit` gives the changes to the answer `since` a
   * version (see js/live.js).
   */
  #answerLive(analyze) {
    this.#liveVersion = null;
    const answer = analyze();
    this.#liveVersion = ++this.#liveVersions;
    return { ...answer, version: this.#liveVersion };
  }

  labels() {
    return guarded(() => engine.labels(this.#engineHandle()));
  }

  info() {
    return guarded(() => engine.info(this.#engineHandle()));
  }

  setPatterns(patterns, options) {
    const rules = patternRules(patterns, options);
    guarded(() => {
      this.#engineHandle();
      const handle = this.#withRules(rules);
      if (this.#handle !== this.#base) engine.release(this.#handle);
      this.#handle = handle;
      this.#rules = rules;
      // A released handle's number may come back, without the text it kept.
      this.#liveVersion = null;
    });
  }

  free() {
    if (!this.#freed && this.#generation === generation) {
      guarded(() => {
        if (this.#handle !== this.#base) engine.release(this.#handle);
        engine.release(this.#base);
      });
    }
    this.#freed = true;
  }

  /**
   * Test hook: traps the WebAssembly instance as a Rust panic would. Not public API.
   * @internal
   */
  __trap() {
    return guarded(() => engine.__onomaTrap());
  }
}

/**
 * A module of one function that uses a SIMD instruction (i8x16.splat): valid where the
 * JavaScript engine runs WebAssembly SIMD (Chrome and Node 16.4, Firefox 89, Safari 16.4 on).
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // types: () -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b, // its code: i32.const 0, i8x16.splat
]);

/**
 * Where the .wasm file is by default: beside this file (bundlers copy both builds as assets).
 * `engine_bg.wasm` uses WebAssembly SIMD and runs about a third faster; engines without it
 * load `engine_compat_bg.wasm`.
 */
export const wasmUrl = () =>
  WebAssembly.validate(SIMD_PROBE)
    ? new URL("./engine_bg.wasm", import.meta.url)
    : new URL("./engine_compat_bg.wasm", import.meta.url);

/** Where the built-in model is: beside this file. */
export const modelUrl = () => new URL("./onoma-en.onm", import.meta.url);

/** The built-in model's bytes, fetched (browsers, workers, bundlers). */
async function fetchModel() {
  const url = modelUrl();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * `createRecognizer` for an entry point; `locate(options.wasm)` gives what to instantiate
 * the engine from (see `start`), `readModel()` the built-in model's bytes.
 */
export async function createRecognizerWith(options, locate, readModel = fetchModel) {
  const { model, wasm, patterns, patternOptions, ...unknown } = options ?? {};
  const names = Object.keys(unknown);
  if (names.length) {
    throw new TypeError(
      `onoma: unknown option ${JSON.stringify(names[0])}; options are model, wasm, patterns, patternOptions`,
    );
  }
  const bytes = model === undefined ? undefined : modelBytes(model);
  const rules = patternRules(patterns, patternOptions);
  await Promise.all([start(() => locate(wasm)), bytes === undefined && readBuiltin(readModel)]);
  const recognizer = new Recognizer(bytes, rules);
  if (!warmedUp) {
    recognizer.analyze("Angela Merkel visited Paris on Monday.");
    warmedUp = true;
  }
  return recognizer;
}

/**
 * Whether the first recognizer made one small call. The engine's code is compiled lazily
 * and a running function stays on its first, slow tier: a long text as the very first call
 * would run at half speed all the way through. After one call, the optimised code is
 * compiled in the background, ready for calls made a few milliseconds later.
 */
let warmedUp = false;
