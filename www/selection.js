// Text the user selected, in the highlighted document or in the text box, as a span of the
// text (UTF-16 offsets) widened to whole words, for adding an entity.

const WORD = /[\p{L}\p{N}\p{M}]/u;
const isWord = (text, at) => at >= 0 && at < text.length && WORD.test(String.fromCodePoint(text.codePointAt(at)));
/** Whether the code unit at `at` is the low half of a surrogate pair. */
export const isLowSurrogate = (text, at) => at > 0 && at < text.length && (text.charCodeAt(at) & 0xfc00) === 0xdc00;
// Where the code point before `at` starts, and the one at `at` ends.
const before = (text, at) => at - (isLowSurrogate(text, at - 1) ? 2 : 1);
const after = (text, at) => at + (text.codePointAt(at) > 0xffff ? 2 : 1);

/** [start, end) without white space at its ends and widened to whole words; null if empty. */
export function snapToWords(text, start, end) {
  if (isLowSurrogate(text, start)) start--;
  if (isLowSurrogate(text, end)) end++;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (start >= end) return null;
  while (start > 0 && isWord(text, start) && isWord(text, before(text, start))) start = before(text, start);
  while (end < text.length && isWord(text, before(text, end)) && isWord(text, end)) end = after(text, end);
  return { start, end };
}

// The offset in `container`'s text of a point (node, offset) of a DOM range. The document
// shows the text itself (type names are drawn by CSS), so its text offsets are the text's.
function offsetIn(container, node, offset) {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The span selected in `doc` (whose text is `text`), or null. */
export function docSelection(doc, text) {
  const selection = getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!doc.contains(range.startContainer) || !doc.contains(range.endContainer)) return null;
  return snapToWords(text, offsetIn(doc, range.startContainer, range.startOffset), offsetIn(doc, range.endContainer, range.endOffset));
}

/** The span selected in the text box (a TextBox: see text-box.js), or null. */
export function boxSelection(box) {
  const { start, end } = box.selection();
  return start === end ? null : snapToWords(box.text, start, end);
}
