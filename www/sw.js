// The page's service worker: it keeps a copy of the page and the engine in this browser so
// that a reload works without a network. Registered by offline.js.
//
// Strategy: network first. Every same-origin GET goes to the network as if there were no
// service worker (the server's validators make that a cheap 304 for what has not changed),
// and each good answer replaces the copy; only when the network fails is the copy used.
// So online, the page and the engine always come together from the server, and a copy can
// be out of date only while offline: a new page can never be stuck with an old engine (nor
// the reverse) past the next online load. The cost is a round trip per file on a reload,
// which a cache-first worker would save, at the price of serving last week's page until a
// second reload.
//
// The first visit: the page loaded before this worker existed, so once the worker controls
// it the page sends the list of what it loaded ("keep", below), and the worker fetches what
// it has no copy of. The page asks for the engine only after that (offline.js), through this
// worker, which keeps it as it passes: the 4 MB are downloaded once.
//
// CACHE names the copy's format, not the site's version (network-first needs none): change
// it when this file changes what it keeps or how. A new worker takes over at once; it starts
// from the old copy, which it then deletes, so that the page still works offline in between.

const CACHE = "onoma-offline-1";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    for (const name of await caches.keys()) {
      if (!name.startsWith("onoma-offline-") || name === CACHE) continue;
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        if (!(await cache.match(request, { ignoreVary: true }))) await cache.put(request, await old.match(request));
      }
      await caches.delete(name);
    }
    // Take over the page that registered this worker, so that its engine comes through here.
    await self.clients.claim();
  })());
});

// Only this origin's GETs; everything else (there is nothing else today) is left alone.
const handled = (request) => request.method === "GET" && new URL(request.url).origin === self.location.origin
  && !request.headers.has("range");

// The copy is keyed by URL alone: each file has one version, whatever its encoding.
const keyOf = (url) => url.split("#")[0];

self.addEventListener("fetch", (event) => {
  if (handled(event.request)) event.respondWith(networkFirst(event));
});

async function networkFirst(event) {
  const { request } = event;
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const copy = await cache.match(keyOf(request.url), { ignoreVary: true });
    if (!copy) throw error;
    event.waitUntil(tellOffline(event.clientId || event.resultingClientId));
    return copy;
  }
  // Kept once the whole body has arrived; a download cut short leaves the old copy.
  if (response.ok && response.type === "basic") event.waitUntil(putting(cache.put(keyOf(request.url), response.clone())));
  return response;
}

// The copies being written: "keep" waits for them rather than fetching those files again.
const writing = new Set();
function putting(put) {
  const done = put.catch(() => {}).finally(() => writing.delete(done));
  writing.add(done);
  return done;
}

// The page shows a note while it runs from the copy (offline.js).
async function tellOffline(clientId) {
  const client = clientId && await self.clients.get(clientId);
  client?.postMessage({ type: "onoma-offline" });
}

// {type: "keep", urls}: fetch and keep those of this origin that have no copy yet, then
// answer "kept" (or the error) on the message's port.
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep" || !Array.isArray(event.data.urls)) return;
  const [port] = event.ports;
  event.waitUntil(keep(event.data.urls).then(
    () => port?.postMessage({ kept: true }),
    (error) => port?.postMessage({ kept: false, error: String(error?.message ?? error) }),
  ));
});

async function keep(urls) {
  await Promise.all(writing);
  const cache = await caches.open(CACHE);
  const ours = [...new Set(urls.map(String).filter((url) => URL.canParse(url) && new URL(url).origin === self.location.origin).map(keyOf))];
  await Promise.all(ours.map(async (url) => {
    if (await cache.match(url, { ignoreVary: true })) return;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
    await cache.put(url, response);
  }));
}
