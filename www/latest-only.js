// Runs one analysis at a time and always on the newest text. Text typed while an analysis
// runs replaces whatever was still waiting, so work never piles up in the worker and a
// result is shown only if nothing newer has been asked for since (stale results are dropped).
// `analyze(text, progress)` may show a first result early with `progress.partial(result)`
// (passed on to `onPartial` unless the text is stale already) and stop early where
// `progress.stale()` says a newer text waits.
export function latestOnly(analyze, { onResult, onPartial, onError, onBusy }) {
  let waiting = null;
  let running = false;

  async function pump() {
    running = true;
    while (waiting !== null) {
      const text = waiting;
      waiting = null;
      const started = performance.now();
      try {
        const progress = {
          stale: () => waiting !== null,
          partial(result) {
            if (waiting === null) onPartial?.(text, result, performance.now() - started);
          },
        };
        const result = await analyze(text, progress);
        if (waiting === null) onResult(text, result, performance.now() - started);
      } catch (error) {
        if (waiting === null) onError(error);
      }
    }
    running = false;
    onBusy(false);
  }

  return (text) => {
    waiting = text;
    onBusy(true);
    if (!running) pump();
  };
}
