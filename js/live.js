// Live analyses through a worker (analyzeLive and analyzeLiveShare of a worker recognizer):
// the worker's engine keeps the text and its last answer, so after the first text only the
// edit goes to the worker and only the entities that changed come back. A 10 MB text being
// typed in then costs neither a copy of the text per key in each worker nor a new object for
// every entity on the caller's side.

import { commonEnds } from "./common-ends.js";
import { unpack } from "./entities.js";

/**
 * `analyzeLiveShare(text, share, shares, options)` through `call(method, args)`, which asks
 * the worker. Calls run one after the other, each sent as an edit of the text before it
 * when the worker still has that text. The entities an edit left as they were (and where
 * it did not move them) are the objects of the last answer.
 */
export function liveAnalyses(call) {
  let last = null;
  let queue = Promise.resolve();
  const analyze = async (text, share, shares, options) => {
    const base = last;
    last = null;
    const remember = (version, analysis) => {
      last = { version, share, shares, text, analysis };
      return analysis;
    };
    if (base && base.share === share && base.shares === shares && typeof text === "string") {
      const { start, end, inserted } = editBetween(base.text, text);
      const answer = await call("analyzeLiveEdit", [base.version, start, end, inserted, share, shares, options]);
      if (!answer.stale) return remember(answer.version, withChanges(base, text, start, answer));
    }
    const answer = await call("analyzeLiveShare", [text, share, shares, options]);
    const { entities, tokens, sentences, pending, version } = answer;
    return remember(version, { entities: unpack(text, entities, ownSlice(text)), tokens, sentences, pending });
  };
  return (text, share, shares, options) => {
    const answer = queue.then(() => analyze(text, share, shares, options));
    queue = answer.catch(() => {});
    return answer;
  };
}

/**
 * The edit that makes `text` of `before`: its code units `start..end` replaced by
 * `inserted`. The engine's copy of a text has U+FFFD for each lone surrogate, so an edit
 * never parts a surrogate from the code unit it may pair with.
 */
function editBetween(before, text) {
  let { head, tail } = commonEnds(before, text);
  if (head > 0 && isSurrogate(before.charCodeAt(head - 1), 0xd800)) head--;
  if (tail > 0 && isSurrogate(before.charCodeAt(before.length - tail), 0xdc00)) tail--;
  return { start: head, end: before.length - tail, inserted: text.slice(head, text.length - tail) };
}

/** Whether the code unit `unit` is a high (`kind` 0xd800) or low (0xdc00) surrogate. */
const isSurrogate = (unit, kind) => (unit & 0xfc00) === kind;

/**
 * The analysis of `text` from the last one, `base`, its code units `start..` replaced, and
 * the worker's changes to it: the entities it kept (those after the edit moved with it).
 */
function withChanges(base, text, start, { entities, head, tail, tokens, sentences, pending }) {
  const old = base.analysis.entities;
  const shift = text.length - base.text.length;
  const move = (e) => (shift === 0 || e.end <= start ? e : { ...e, start: e.start + shift, end: e.end + shift });
  const kept = (from, to) => old.slice(from, to).map(move);
  return {
    entities: kept(0, head).concat(unpack(text, entities, ownSlice(text)), kept(old.length - tail)),
    tokens,
    sentences,
    pending,
  };
}

/**
 * Slices of `text` in strings of their own. A long slice (in V8) points into the whole
 * string, and entities are kept from answer to answer: each would keep alive the version
 * of the text it was found in.
 */
const ownSlice = (text) => (start, end) => (" " + text.slice(start, end)).slice(1);
