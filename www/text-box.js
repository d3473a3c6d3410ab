// The text box, and the text it edits. Chromium lays out every line of a <textarea>'s
// value: 10 MB of text in the box costs the page 350–650 MB and each key typed 0.2–0.3 s
// (docs/benchmarks.md). So a text longer than LONG characters is kept here, and the box
// holds one part of it, about PART characters from line break to line break; the
// highlighted document shows all of it, and buttons move the box to another part.
import { formatNumber } from "./dom.js";
import { isLowSurrogate } from "./selection.js";

/** Texts longer than this are edited one part at a time. */
const LONG = 1_000_000;
/** About how many characters of a long text the box holds. */
const PART = 200_000;

/**
 * `textarea`: the box. `bar`: an element with `.where` (the part shown) and the buttons
 * `.earlier`, `.later`, `.in-view`, shown only for a long text. `inView()` gives the span
 * {from, to} of the text the document shows on screen, or null. `onEdit()`, set later, is
 * called after the text was changed in the box.
 */
export class TextBox {
  constructor(textarea, bar, { inView }) {
    Object.assign(this, { textarea, bar, head: "", tail: "", whole: textarea.value, onEdit: () => {} });
    textarea.addEventListener("paste", (event) => this.#paste(event));
    textarea.addEventListener("input", () => {
      this.#edited();
      this.onEdit();
    });
    bar.querySelector(".earlier").addEventListener("click", () => this.#move(-1));
    bar.querySelector(".later").addEventListener("click", () => this.#move(1));
    bar.querySelector(".in-view").addEventListener("click", () => {
      const span = inView();
      if (span) this.#showPart(partAround(this.whole, span.from, span.to));
    });
  }

  /** The whole text. */
  get text() {
    return this.whole;
  }

  /** Where the box's part starts in the text. */
  get offset() {
    return this.head.length;
  }

  /** Puts `text` in the box in place of what was there; a long text from its beginning. */
  set(text) {
    this.whole = text;
    this.#showPart(partAround(text, 0, 0), 0);
    this.textarea.scrollTop = 0;
  }

  /** The span {start, end} of the text selected in the box (offsets in the whole text). */
  selection() {
    const { selectionStart, selectionEnd } = this.textarea;
    return { start: this.offset + selectionStart, end: this.offset + selectionEnd };
  }

  // The box's value changed by an edit (or a script): the whole text follows, and a text
  // that became long, or short, is shown again as such, the caret where it was.
  #edited() {
    const { value, selectionEnd } = this.textarea;
    this.whole = this.head + value + this.tail;
    const long = this.whole.length > LONG;
    if (long ? value.length > 2 * PART : this.head || this.tail) {
      const caret = this.offset + selectionEnd;
      this.#showPart(partAround(this.whole, caret, caret), caret);
    }
  }

  // A paste that makes the text long goes into the text here, not through the box, which
  // would lay it all out first.
  #paste(event) {
    const pasted = event.clipboardData?.getData("text/plain") ?? "";
    const { value, selectionStart, selectionEnd } = this.textarea;
    if (this.whole.length - (selectionEnd - selectionStart) + pasted.length <= LONG) return;
    event.preventDefault();
    const start = this.offset + selectionStart;
    this.whole = this.head + value.slice(0, selectionStart) + pasted + value.slice(selectionEnd) + this.tail;
    const caret = start + pasted.length;
    this.#showPart(partAround(this.whole, caret, caret), caret);
    this.onEdit();
  }

  // The part just before (-1) or after (1) the one shown.
  #move(step) {
    const { whole } = this;
    const end = this.offset + this.textarea.value.length;
    this.#showPart(step < 0
      ? { from: lineStart(whole, Math.max(0, this.offset - PART)), to: this.offset }
      : { from: end, to: lineEnd(whole, Math.min(whole.length, end + PART)) });
    this.textarea.scrollTop = 0;
  }

  // Shows the span `part` {from, to} of the text in the box, the caret at `caret` (an
  // offset in the text) if given, and says which part it is.
  #showPart({ from, to }, caret = null) {
    const { whole, textarea } = this;
    this.head = whole.slice(0, from);
    this.tail = whole.slice(to);
    const value = whole.slice(from, to);
    if (textarea.value !== value) textarea.value = value;
    if (caret !== null) textarea.setSelectionRange(caret - from, caret - from);
    const long = whole.length > LONG;
    this.bar.hidden = !long;
    if (!long) return;
    this.bar.querySelector(".where").textContent = `The box holds characters ${formatNumber(from + 1)}–${formatNumber(to)} `
      + `of ${formatNumber(whole.length)}, one part of this long text; the highlighted text shows all of it.`;
    this.bar.querySelector(".earlier").disabled = from === 0;
    this.bar.querySelector(".later").disabled = to === whole.length;
  }
}

/**
 * The part of `text` to show in the box for the span [from, to): all of a short text; of a
 * long one, about PART characters around the span, from the start of a line to the end of
 * one where the text allows.
 */
function partAround(text, from, to) {
  if (text.length <= LONG) return { from: 0, to: text.length };
  const room = Math.max(0, PART - (to - from));
  let start = Math.max(0, from - Math.floor(room / 2));
  const end = Math.min(text.length, start + Math.max(PART, to - from));
  start = Math.max(0, Math.min(start, end - PART));
  return { from: lineStart(text, start), to: lineEnd(text, end) };
}

// The start of the line holding `at`, if it is near; else `at` (not inside a surrogate pair).
function lineStart(text, at) {
  if (at === 0) return 0;
  const found = text.lastIndexOf("\n", at - 1);
  if (found >= 0 && at - found < PART / 4) return found + 1;
  return at - (isLowSurrogate(text, at) ? 1 : 0);
}

// The end of the line holding `at` (after its line break), if it is near; else `at`.
function lineEnd(text, at) {
  if (at >= text.length) return text.length;
  const found = text.indexOf("\n", at);
  if (found >= 0 && found - at < PART / 4) return found + 1;
  return at + (isLowSurrogate(text, at) ? 1 : 0);
}
