// A pool of worker recognizers behind the methods of one (createWorkerRecognizer with
// `workers`). Each call goes to the least busy worker; a long text is cut into one share
// per worker (analyzeShare), each share read with the whole text around it, and the
// shares' entities are put back together in text order. analyzeLive does the same with
// analyzeLiveShare, each worker keeping the text to read only what changed next time.

/** Texts at least this long (UTF-16 code units) are split across the workers. */
export const SPLIT_FROM = 50_000;

/**
 * What createWorkerRecognizer resolves to in each entry point: one worker recognizer from
 * `connectOne(options)`, or with `options.workers` a pool of that many (at most `cores`).
 */
export function startWorkers(options, cores, connectOne) {
  const { workers, ...rest } = options ?? {};
  const count = workerCount(workers, cores);
  return count === 1 ? connectOne(rest) : createPool(() => connectOne(rest), count);
}

/**
 * The number of workers asked for in `workers` (default 1), at most `cores`; a value that
 * is not a positive integer is a TypeError or RangeError.
 */
function workerCount(workers, cores) {
  if (workers === undefined) return 1;
  if (typeof workers !== "number" || !Number.isInteger(workers)) {
    throw new TypeError(`onoma: workers must be a whole number, got ${JSON.stringify(workers) ?? typeof workers}`);
  }
  if (workers < 1) throw new RangeError(`onoma: workers must be at least 1, got ${workers}`);
  return Math.min(workers, Math.max(1, cores));
}

/**
 * Starts `count` workers with `connect()` (each resolving to a worker recognizer) and
 * resolves to one recognizer over all of them, once every worker is ready.
 */
async function createPool(connect, count) {
  const started = await Promise.allSettled(Array.from({ length: count }, () => connect()));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    for (const s of started) if (s.status === "fulfilled") s.value.terminate();
    throw failed.reason;
  }
  const workers = started.map((s) => ({ recognizer: s.value, busy: 0 }));
  const run = async (worker, method, args) => {
    worker.busy++;
    try {
      return await worker.recognizer[method](...args);
    } finally {
      worker.busy--;
    }
  };
  const leastBusy = () => workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  const one = (method) => (...args) => run(leastBusy(), method, args);
  const isLong = (text) => workers.length > 1 && typeof text === "string" && text.length >= SPLIT_FROM;
  const analyzeInShares = async (text, options, method = "analyzeShare") => {
    const parts = await Promise.all(
      workers.map((worker, share) => run(worker, method, [text, share, workers.length, options])),
    );
    return {
      entities: [].concat(...parts.map((p) => p.entities)),
      tokens: parts.reduce((n, p) => n + p.tokens, 0),
      sentences: parts.reduce((n, p) => n + p.sentences, 0),
      ...(method === "analyzeLiveShare" && { pending: parts.reduce((n, p) => n + p.pending, 0) }),
    };
  };
  return {
    workers: workers.length,
    extract: (text, options) =>
      isLong(text) ? analyzeInShares(text, options).then((a) => a.entities) : one("extract")(text, options),
    analyze: (text, options) => (isLong(text) ? analyzeInShares(text, options) : one("analyze")(text, options)),
    analyzeShare: one("analyzeShare"),
    // A short text goes to the first worker every time, which keeps it for the next call.
    analyzeLive: (text, options) =>
      isLong(text) ? analyzeInShares(text, options, "analyzeLiveShare") : run(workers[0], "analyzeLive", [text, options]),
    analyzeLiveShare: one("analyzeLiveShare"),
    async extractBatch(texts, options) {
      if (!Array.isArray(texts) || texts.length < 2) return one("extractBatch")(texts, options);
      const size = Math.ceil(texts.length / workers.length);
      const batches = workers
        .map((worker, i) => [worker, texts.slice(i * size, (i + 1) * size)])
        .filter(([, batch]) => batch.length > 0);
      try {
        const results = await Promise.all(batches.map(([worker, batch]) => run(worker, "extractBatch", [batch, options])));
        return results.flat();
      } catch {
        // The error of the whole batch, naming the text by its index among all of them;
        // every text is checked before any work, so this costs no analysis.
        return one("extractBatch")(texts, options);
      }
    },
    labels: one("labels"),
    info: one("info"),
    async setPatterns(patterns, options) {
      await Promise.all(workers.map((worker) => run(worker, "setPatterns", [patterns, options])));
    },
    __trap: one("__trap"),
    terminate() {
      for (const worker of workers) worker.recognizer.terminate();
    },
  };
}
