// Entry point for browsers, Web Workers and bundlers (Vite, webpack, esbuild, Rollup).
import { createRecognizerWith, wasmUrl } from "./core.js";
export { parsePatterns } from "./core.js";
export { groupMentions, redact } from "./mentions.js";
import { startWorkers } from "./pool.js";
import { connectWorker } from "./rpc.js";

/** Loads the engine and a model; see index.d.ts. */
export function createRecognizer(options) {
  return createRecognizerWith(options, (wasm) => wasm ?? wasmUrl());
}

/**
 * A recognizer running in a module Web Worker, with promise-returning methods; with
 * `workers: n`, a pool of n workers (at most one per core) that splits long texts.
 */
export async function createWorkerRecognizer(options) {
  return startWorkers(options, navigator.hardwareConcurrency ?? 1, connectOne);
}

function connectOne(options) {
  const { workerUrl, wasm, ...rest } = options;
  // A relative `wasm` URL means relative to the page, not to the worker script.
  const recognizerOptions = { ...rest, wasm: typeof wasm === "string" ? new URL(wasm, location.href).href : wasm };
  // The default is written out in full so that bundlers recognise the worker and bundle it.
  const worker = workerUrl
    ? new Worker(workerUrl, { type: "module", name: "onoma" })
    : new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "onoma" });
  const failed = (message) => new Error(`onoma: the worker failed: ${message}`);
  return connectWorker(
    {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.addEventListener("message", (event) => handler(event.data)),
      onFailure: (handler) => {
        worker.addEventListener("error", (event) => {
          event.preventDefault();
          handler(failed(event.message || `cannot run ${workerUrl ?? "worker.js"}`));
        });
        worker.addEventListener("messageerror", () => handler(failed("a message could not be read")));
      },
      terminate: () => worker.terminate(),
    },
    recognizerOptions,
  );
}
