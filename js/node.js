// Entry point for Node.js (>= 18): the same API as index.js, reading the .wasm file and
// the model from disk (Node's fetch cannot read file: URLs) and running workers as worker_threads.
import { readFile } from "node:fs/promises";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { createRecognizerWith, modelUrl, wasmUrl } from "./core.js";
export { parsePatterns } from "./core.js";
export { groupMentions, redact } from "./mentions.js";
import { startWorkers } from "./pool.js";
import { connectWorker } from "./rpc.js";

/** The cores this process may use (os.availableParallelism is Node >= 18.14). */
const availableParallelism = () => os.availableParallelism?.() ?? os.cpus().length;

/** A path or file: URL is read from disk and compiled; anything else goes to the engine as is. */
async function locateWasm(wasm = wasmUrl()) {
  const file =
    (wasm instanceof URL && wasm.protocol === "file:") ? wasm
    : typeof wasm === "string" && wasm.startsWith("file:") ? new URL(wasm)
    : typeof wasm === "string" && !/^[a-z][a-z+.-]+:\/\//i.test(wasm) ? wasm
    : undefined;
  return file === undefined ? wasm : WebAssembly.compile(await readFile(file));
}

/** Loads the engine and a model; see index.d.ts. */
export function createRecognizer(options) {
  return createRecognizerWith(options, locateWasm, () => readFile(modelUrl()));
}

/**
 * A recognizer running in a worker thread, with promise-returning methods; with
 * `workers: n`, a pool of n worker threads (at most one per core) that splits long texts.
 * A worker does not keep the process alive while no call is pending.
 */
export async function createWorkerRecognizer(options) {
  return startWorkers(options, availableParallelism(), connectOne);
}

function connectOne(options) {
  const { workerUrl, ...recognizerOptions } = options;
  // Node flags are inherited, but --input-type (of `node -e`) would make the worker fail.
  const execArgv = process.execArgv.filter((arg) => !arg.startsWith("--input-type"));
  const worker = new Worker(workerUrl ?? new URL("./node-worker.js", import.meta.url), { execArgv });
  return connectWorker(
    {
      post: (message) => worker.postMessage(message),
      onMessage: (handler) => worker.on("message", handler),
      onFailure: (handler) => {
        worker.on("error", (e) => handler(new Error(`onoma: the worker failed: ${e.message}`, { cause: e })));
        worker.on("exit", (code) => handler(new Error(`onoma: the worker stopped (exit code ${code})`)));
      },
      terminate: () => void worker.terminate(),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
    },
    recognizerOptions,
  );
}
