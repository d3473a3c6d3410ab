// A tiny static file server for the built site/ (make serve, and the end-to-end tests).
// Sends the right MIME types for wasm and JS modules, which some servers get wrong.
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

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
  return info?.isFile() ? { path, size: info.size } : null;
}

export function serve(rootDir, { port = 8080, host = "127.0.0.1" } = {}) {
  const root = resolve(rootDir);
  const server = createServer(async (request, response) => {
    const file = request.method === "GET" || request.method === "HEAD" ? await fileFor(root, request.url) : null;
    if (!file) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found\n");
      return;
    }
    response.writeHead(200, {
      "Content-Type": TYPES[extname(file.path)] ?? "application/octet-stream",
      "Content-Length": file.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
    });
    if (request.method === "HEAD") response.end();
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
