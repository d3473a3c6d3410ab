// A tiny static file server for the built site/ (make serve, and the end-to-end tests).
// Sends the right MIME types for wasm and JS modules, which some servers get wrong, and
// compresses what compresses (the page's text and the 4 MB engine) for a client that says
// it can decode it: brotli, else gzip. Each file is compressed once per encoding and kept
// in memory until it changes on disk (path + mtime), so that reloads cost no CPU.
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".onm": "application/octet-stream",
};

// What is worth compressing: text, the engine (0.45 MB: 0.18 MB gzipped) and the model
// (3.75 MB: 2.8 MB gzipped). PNGs are compressed already.
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".onm", ".svg", ".txt"]);

// Brotli at its best (quality 11) takes 6 s for the engine and saves 8% over quality 5,
// which takes 0.1 s: this server is for development and tests, where the first load should
// not wait. A production host would serve files compressed ahead of time at quality 11.
const BROTLI_BEST_UP_TO = 1 << 20;
const ENCODERS = {
  br: (bytes) => promisify(brotliCompress)(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: bytes.length <= BROTLI_BEST_UP_TO ? 11 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }),
  gzip: (bytes) => promisify(gzip)(bytes, { level: 9 }),
};

async function fileFor(root, url) {
  let path;
  try {
    path = resolve(join(root, decodeURIComponent(url.split("?")[0])));
  } catch {
    return null; // malformed escape
  }
  if (path !== root && !path.startsWith(root + sep)) return null; // no way out of root
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory()) return fileFor(root, join(url.split("?")[0], "index.html"));
  return info?.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
}

/**
 * The encoding to send, of those this server makes, for an Accept-Encoding header:
 * "br" or "gzip" when the client takes it (q > 0), else null (the file as it is).
 * "gzip, deflate, br" → "br"; "gzip;q=0, *" → "br"; "br;q=0, gzip" → "gzip"; "" → null.
 */
export function chooseEncoding(header = "") {
  const quality = new Map();
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";").map((s) => s.trim());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    quality.set(name, q ? Number(q.slice(2)) || 0 : 1);
  }
  const accepts = (name) => (quality.get(name) ?? quality.get("*") ?? 0) > 0;
  return ["br", "gzip"].find(accepts) ?? null;
}

// path → {mtimeMs, size, encoded: Map(encoding → Promise of Buffer or null)}; null: the
// encoding would not be smaller, so the file is sent as it is.
const compressed = new Map();

function encodedBody(file, encoding) {
  let entry = compressed.get(file.path);
  if (!entry || entry.mtimeMs !== file.mtimeMs || entry.size !== file.size) {
    entry = { mtimeMs: file.mtimeMs, size: file.size, encoded: new Map() };
    compressed.set(file.path, entry);
  }
  if (!entry.encoded.has(encoding)) {
    const body = readFile(file.path)
      .then(async (bytes) => {
        const out = await ENCODERS[encoding](bytes);
        return out.length < bytes.length ? out : null;
      })
      .catch(() => null);
    entry.encoded.set(encoding, body);
  }
  return entry.encoded.get(encoding);
}

// A strong validator per file version and encoding: "size-mtime", "size-mtime-br".
const etagOf = (file, encoding) =>
  `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ""}"`;

// If-None-Match: "*", or a list of validators (weak ones compared without their W/).
function matches(ifNoneMatch, etag) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

export function serve(rootDir, { port = 8080, host = "127.0.0.1" } = {}) {
  const root = resolve(rootDir);
  const server = createServer(async (request, response) => {
    const file = request.method === "GET" || request.method === "HEAD" ? await fileFor(root, request.url) : null;
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
      return;
    }
    const compressible = COMPRESSIBLE.has(extname(file.path));
    let encoding = compressible ? chooseEncoding(request.headers["accept-encoding"]) : null;
    const body = encoding ? await encodedBody(file, encoding) : null;
    if (!body) encoding = null;
    const etag = etagOf(file, encoding);
    const headers = {
      "Content-Type": TYPES[extname(file.path)] ?? "application/octet-stream",
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      ETag: etag,
      // What is sent depends on Accept-Encoding: caches must keep one copy per encoding.
      ...(compressible ? { Vary: "Accept-Encoding" } : {}),
    };
    if (matches(request.headers["if-none-match"], etag)) {
      response.writeHead(304, headers).end();
      return;
    }
    if (encoding) headers["Content-Encoding"] = encoding;
    headers["Content-Length"] = body ? body.length : file.size;
    response.writeHead(200, headers);
    if (request.method === "HEAD") response.end();
    else if (body) response.end(body);
    else createReadStream(file.path).pipe(response);
  });
  return new Promise((resolveListening, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolveListening(server));
  });
}

// `node server.mjs DIR [PORT]`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = "site", port = process.env.PORT ?? "8080"] = process.argv.slice(2);
  const host = process.env.HOST ?? "127.0.0.1";
  const server = await serve(dir, { port: Number(port), host });
  const { port: actual } = server.address();
  console.log(`Onoma is served at http://${host === "127.0.0.1" ? "localhost" : host}:${actual}/ (Ctrl-C stops)`);
}
