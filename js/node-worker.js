// The worker thread behind createWorkerRecognizer in Node (node.js): it runs the engine and
// answers the main thread's requests (see rpc.js).
import { parentPort } from "node:worker_threads";
import { createRecognizer } from "./node.js";
import { serve } from "./rpc.js";

serve(
  {
    post: (message) => parentPort.postMessage(message),
    onMessage: (handler) => parentPort.on("message", handler),
  },
  createRecognizer,
);
