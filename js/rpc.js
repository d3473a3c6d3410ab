// The message protocol between a worker recognizer and the worker running the engine:
// requests {id, method, args}, answers {id, result} or {id, error: {name, message}}. The first
// request, "init", creates the recognizer in the worker. Answers with entities come packed
// (see entities.js) and are unpacked here, in the calling thread.

import { UNPACK } from "./entities.js";
import { liveAnalyses } from "./live.js";

/** The error classes rebuilt on the caller's side by name; any other error becomes an Error. */
const ERROR_CLASSES = new Map([["TypeError", TypeError], ["RangeError", RangeError]]);

/** Methods a worker recognizer forwards; `__trap` is the test hook. */
const METHODS = new Set([
  "extract", "extractBatch", "analyze", "analyzeShare", "analyzeLive", "analyzeLiveShare", "analyzeLiveEdit",
  "labels", "info", "setPatterns", "__trap",
]);

/** Methods whose answers the worker sends with their entities packed. */
const PACKED = new Set([...Object.keys(UNPACK), "analyzeLiveEdit"]);

/**
 * Client side. `port` abstracts the worker: post(message), onMessage(handler),
 * onFailure(handler), terminate(), and optionally ref()/unref() (Node, so that an idle
 * worker does not keep the process alive). Resolves once the worker has loaded the model.
 */
export async function connectWorker(port, options) {
  const pending = new Map();
  let nextId = 0;
  let failure;
  const settle = (id) => {
    const call = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) port.unref?.();
    return call;
  };
  const fail = (error) => {
    failure ??= error;
    for (const id of [...pending.keys()]) settle(id).reject(failure);
  };
  port.onMessage(({ id, result, error }) => {
    const call = settle(id);
    if (!call) return;
    if (error) call.reject(new (ERROR_CLASSES.get(error.name) ?? Error)(error.message));
    else call.resolve(result);
  });
  port.onFailure(fail);
  const call = (method, args) => {
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const id = ++nextId;
      if (pending.size === 0) port.ref?.();
      pending.set(id, { resolve, reject });
      try {
        port.post({ id, method, args });
      } catch (error) {
        settle(id);
        reject(new Error(`onoma: cannot send to the worker: ${error.message}`, { cause: error }));
      }
    });
  };
  const { wasm } = options;
  // URL objects cannot be posted; the worker resolves the string against its own URL.
  const init = wasm instanceof URL ? { ...options, wasm: wasm.href } : options;
  try {
    await call("init", [init]);
  } catch (error) {
    port.terminate();
    throw error;
  }
  const withEntities = (method) => async (...args) => UNPACK[method](await call(method, args), args);
  const live = liveAnalyses(call);
  return {
    workers: 1,
    extract: withEntities("extract"),
    extractBatch: withEntities("extractBatch"),
    analyze: withEntities("analyze"),
    analyzeShare: withEntities("analyzeShare"),
    analyzeLive: (text, options) => live(text, 0, 1, options),
    analyzeLiveShare: live,
    labels: () => call("labels", []),
    info: () => call("info", []),
    setPatterns: (patterns, opts) => call("setPatterns", [patterns, opts]),
    __trap: () => call("__trap", []),
    terminate() {
      port.terminate();
      fail(new Error("onoma: the worker recognizer has been terminated"));
    },
  };
}

/**
 * Worker side: answers requests with a recognizer made by `createRecognizer`. Calls run
 * one at a time in arrival order; an error answers its call and the worker goes on.
 */
export function serve(port, createRecognizer) {
  let recognizer;
  port.onMessage(async ({ id, method, args }) => {
    try {
      let result = null;
      if (method === "init") recognizer = await createRecognizer(args[0]);
      else if (!recognizer) throw new Error("onoma: the worker has no recognizer yet");
      else if (!METHODS.has(method)) throw new Error(`onoma: unknown method ${method}`);
      else if (PACKED.has(method)) result = recognizer.__packed(method, ...args);
      else result = recognizer[method](...args);
      port.post({ id, result });
    } catch (error) {
      const { name = "Error", message = String(error) } = error instanceof Error ? error : {};
      port.post({ id, error: { name, message } });
    }
  });
}
