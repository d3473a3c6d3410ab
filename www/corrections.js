// The user's corrections of one text: each says "this span is LABEL" or "this span is no
// entity", and overrides whatever the engine found there. They have undo and redo, follow
// the text as it is edited, and are kept in the browser (localStorage) with the text.

import { commonEnds } from "./onoma/common-ends.js";

const KEY = "onoma.corrections";
// A text longer than this is not kept (localStorage holds about 5 million characters).
const MAX_KEPT = 1_000_000;

/**
 * `storage`: where the text and its corrections survive a reload (localStorage by default).
 * A correction is {start, end, label} (UTF-16 offsets; label null removes what is there).
 */
export class Corrections {
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    this.text = "";
    this.list = [];
    this.undone = [];
    this.done = [];
  }

  /** The text and corrections kept from the last visit, {text, list}, or null. */
  restore() {
    try {
      const kept = JSON.parse(this.storage?.getItem(KEY) ?? "null");
      if (typeof kept?.text !== "string" || !Array.isArray(kept.list)) return null;
      const list = kept.list.filter((c) => isCorrection(c, kept.text.length));
      Object.assign(this, { text: kept.text, list, done: [], undone: [] });
      return { text: kept.text, list };
    } catch {
      return null;
    }
  }

  /** Applies a correction {start, end, label}; returns it. */
  add(correction) {
    this.done.push(this.list);
    this.undone = [];
    // An older correction of a span that overlaps this one says nothing more.
    this.list = [...this.list.filter((c) => c.end <= correction.start || c.start >= correction.end), correction];
    this.save();
    return correction;
  }

  get canUndo() { return this.done.length > 0; }
  get canRedo() { return this.undone.length > 0; }

  undo() {
    if (!this.canUndo) return;
    this.undone.push(this.list);
    this.list = this.done.pop();
    this.save();
  }

  redo() {
    if (!this.canRedo) return;
    this.done.push(this.list);
    this.list = this.undone.pop();
    this.save();
  }

  /**
   * The text is now `text`: corrections after the edited part move with it, those that
   * touch it are dropped (in the history too, so that undo never brings back a stale span).
   */
  follow(text) {
    if (text === this.text) return;
    const old = this.text;
    const { head, tail } = commonEnds(old, text);
    const editEnd = old.length - tail;
    const shift = text.length - old.length;
    const move = (list) => list.flatMap((c) => {
      if (c.end <= head) return [c];
      if (c.start >= editEnd) return [{ ...c, start: c.start + shift, end: c.end + shift }];
      return [];
    });
    this.text = text;
    this.list = move(this.list);
    this.done = this.done.map(move);
    this.undone = this.undone.map(move);
    this.save();
  }

  /** The engine's entities of the text with the corrections applied, sorted by start. */
  apply(entities) {
    if (!this.list.length) return entities;
    const overridden = (e) => this.list.some((c) => c.start < e.end && e.start < c.end);
    const own = this.list.filter((c) => c.label !== null).map((c) => ({
      start: c.start, end: c.end, label: c.label, text: this.text.slice(c.start, c.end), score: 1, source: "user",
    }));
    return [...entities.filter((e) => !overridden(e)), ...own].sort((a, b) => a.start - b.start);
  }

  save() {
    try {
      if (this.text.length > MAX_KEPT) this.storage?.removeItem(KEY);
      else this.storage?.setItem(KEY, JSON.stringify({ text: this.text, list: this.list }));
    } catch {
      // Storage full or refused (private mode): the corrections still work until a reload.
    }
  }
}

function isCorrection(c, length) {
  return Number.isInteger(c?.start) && Number.isInteger(c.end) && c.start >= 0 && c.start < c.end
    && c.end <= length && (c.label === null || (typeof c.label === "string" && c.label.length > 0));
}
