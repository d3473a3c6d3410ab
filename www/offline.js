// How the page gets its engine, and keeps it: the copy for offline use (sw.js), the
// engine's download with its progress, and what the page says when that fails or while it
// runs from the copy.
//
// The order of a first visit matters: the service worker is registered and takes over the
// page first, and only then does the page ask for the engine and the model, so that their 4 MB come through
// the worker, which keeps them, instead of being downloaded a second time to be kept.

import { element } from "./dom.js";

/**
 * Registers sw.js. `controlled` resolves (true) once the worker controls the page, or
 * (false) where there is none: no service workers here, a hard reload, a worker that failed
 * to install, or none in control after `wait` ms. `kept` resolves once the worker has a copy
 * of every file the page has loaded so far, or has given up (never rejects).
 */
export function keepOffline({ wait = 3000, keepWait = 10000 } = {}) {
  const workers = globalThis.navigator?.serviceWorker;
  if (!workers) return { controlled: Promise.resolve(false), kept: Promise.resolve() };
  const controlled = (async () => {
    // On later visits the browser itself looks for a new sw.js when the page is opened.
    if (workers.controller) return true;
    const registration = await workers.register(new URL("sw.js", import.meta.url));
    // A worker being installed takes over (clients.claim); an installed worker that is not in
    // control was bypassed on purpose (Shift+reload), and the page does without it.
    const installing = registration.installing ?? registration.waiting;
    if (installing) {
      await new Promise((resolve) => {
        workers.addEventListener("controllerchange", resolve, { once: true });
        installing.addEventListener("statechange", () => { if (installing.state === "redundant") resolve(); });
        setTimeout(resolve, wait);
      });
    }
    return Boolean(workers.controller);
  })().catch(() => false);
  const kept = controlled.then((yes) => yes && keepLoaded(workers.controller, keepWait)).catch(() => {});
  return { controlled, kept };
}

// Asks the worker to keep what the page has loaded (it was loaded before the worker
// existed, on a first visit; on later visits all of it is in the copy already).
function keepLoaded(worker, keepWait) {
  const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)]
    .filter((url) => url.startsWith(`${location.origin}/`));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    setTimeout(resolve, keepWait);
    worker.postMessage({ type: "keep", urls }, [channel.port2]);
  });
}

/**
 * Adds to `parent` a note, "Offline: running from this browser's copy", shown while the page
 * runs offline: the browser says it is offline, or the service worker answered a request
 * from the copy because the network failed (it says so with a message). Back online, the
 * note goes. Returns the note.
 */
export function showWhenOffline(parent) {
  const note = element("p", {
    id: "offline-note", className: "offline-note", textContent: "Offline: running from this browser's copy",
  });
  note.setAttribute("role", "status");
  parent.append(note);
  let fromCopy = false;
  const update = () => { note.hidden = navigator.onLine && !fromCopy; };
  const workers = navigator.serviceWorker;
  workers?.addEventListener("message", (event) => {
    if (event.data?.type !== "onoma-offline") return;
    fromCopy = true;
    update();
  });
  // Messages sent before this listener existed (while the page itself came from the copy)
  // wait in a queue until this.
  workers?.startMessages();
  addEventListener("offline", update);
  addEventListener("online", () => { fromCopy = false; update(); });
  update();
  return note;
}

/** An error that says what could not be loaded: "HTTP 404 for onoma/onoma-en.onm". */
export class LoadError extends Error {}

/**
 * Downloads the engine at `engineUrl` and compiles it, and the model at `modelUrl`, both at
 * once, calling `onProgress(received, total)` as their bytes arrive: `total` is the size of
 * both files, or null when it is not known (a compressed answer says how many bytes are
 * sent, not how many they decode to). Resolves to `{ module, model }`, the model's bytes.
 */
export async function fetchEngine(engineUrl, modelUrl, onProgress) {
  const answers = await Promise.all([engineUrl, modelUrl].map(request));
  const total = answers.every((answer) => answer.size !== null)
    ? answers[0].size + answers[1].size
    : null;
  const received = () => answers[0].received + answers[1].received;
  const report = () => onProgress(received(), total !== null && received() <= total ? total : null);
  report();
  const [wasm, model] = await Promise.all(answers.map((answer) => read(answer, report)));
  try {
    return { module: await WebAssembly.compile(wasm), model };
  } catch (error) {
    throw new LoadError(`${shortName(engineUrl)} is not a working engine (${error.message})`);
  }
}

/** The answer for `url`, its body not read yet: {name, response, size (or null), received}. */
async function request(url) {
  const name = shortName(url);
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new LoadError(`network error for ${name}`);
  }
  if (!response.ok) throw new LoadError(`HTTP ${response.status} for ${name}`);
  const length = Number(response.headers.get("Content-Length"));
  const encoded = (response.headers.get("Content-Encoding") ?? "identity") !== "identity";
  return { name, response, size: !encoded && length > 0 ? length : null, received: 0 };
}

/** The bytes of `answer`'s body, counted in `answer.received`; `report()` after each part. */
async function read(answer, report) {
  const chunks = [];
  try {
    const reader = answer.response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      answer.received += value.byteLength;
      report();
    }
  } catch {
    throw new LoadError(`network error for ${answer.name} after ${megabytes(answer.received)} MB`);
  }
  const bytes = new Uint8Array(answer.received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

// The URL as the page would write it: "onoma/engine_bg.wasm".
function shortName(url) {
  const href = String(url);
  const base = new URL("./", location.href).href;
  return href.startsWith(base) ? href.slice(base.length) : href;
}

const megabytes = (bytes) => (bytes / 1e6).toFixed(1);

/**
 * What the page shows in `container` until the model has loaded: the engine's download,
 * then "Loading the model…", or what failed with a "Try again" button. The first drawing of
 * the document replaces it.
 */
export function loadingView(container) {
  const text = element("p", { className: "empty" });
  const bar = element("progress", { className: "engine-progress" });
  bar.setAttribute("aria-label", "Loading the engine");
  const box = element("div", { className: "engine-load", tabIndex: -1 });
  const show = (...children) => {
    box.replaceChildren(...children);
    if (box.parentNode !== container) container.replaceChildren(box);
  };
  return {
    /** Asked for, no answer yet. */
    starting() {
      text.textContent = "Loading the engine…";
      bar.removeAttribute("value");
      box.classList.remove("failed");
      show(text, bar);
    },
    /** `received` of `total` bytes (null: not known). */
    progress(received, total) {
      text.textContent = total
        ? `Loading the engine… ${megabytes(received)} of ${megabytes(total)} MB`
        : `Loading the engine… ${megabytes(received)} MB`;
      if (total) Object.assign(bar, { max: total, value: received });
      else bar.removeAttribute("value"); // indeterminate: how far is not known
      box.classList.remove("failed");
      show(text, bar);
    },
    /** The engine is here; the worker loads the model. */
    loadingModel() {
      text.textContent = "Loading the model…";
      box.classList.remove("failed");
      show(text);
    },
    /**
     * Says `message`; the button calls `retry`. (Screen readers hear it from the status line,
     * which says the same.)
     */
    failed(message, retry) {
      const said = element("p", { className: "error", textContent: message });
      const again = element("button", { type: "button", textContent: "Try again" });
      again.addEventListener("click", () => {
        // The button goes with the new try: focus stays here, on the progress, not lost.
        const focused = document.activeElement === again;
        retry();
        if (focused) box.focus();
      }, { once: true });
      box.classList.add("failed");
      show(said, again);
      return again;
    },
  };
}
