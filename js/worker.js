// The module Web Worker behind createWorkerRecognizer (index.js): it runs the engine and
// answers the page's requests (see rpc.js).
import { createRecognizerWith, wasmUrl } from "./core.js";
import { serve } from "./rpc.js";

serve(
  {
    post: (message) => self.postMessage(message),
    onMessage: (handler) => self.addEventListener("message", (event) => handler(event.data)),
  },
  (options) => createRecognizerWith(options, (wasm) => wasm ?? wasmUrl()),
);
