// Turns the entities on screen into files — JSON, CSV for spreadsheets, JSONL to train a
// model on, a standalone highlighted HTML page — and gets them to the user.
//
// Everything but `copyText` and `download` is a pure function of its arguments, with no
// DOM, so that the exports can be tested in Node (tests/e2e/export.test.mjs).
//
// Offsets: the page's entities have UTF-16 offsets (JavaScript string indices), and so do
// the JSON and CSV exports, where they index the same text a script or spreadsheet reads.
// The training file is read by `onoma train`, in Rust, which counts code points: it is the
// one export that converts.

import { typeName, typeDetail } from "./types.js";
import { HEX_COLOUR, inkOn } from "./colours.js";

// `source` is "model" or "pattern"; `id` is the pattern's id, where it has one.
const FIELDS = ["start", "end", "label", "text", "score", "source", "id"];

function pick(entity) {
  return Object.fromEntries(FIELDS.filter((field) => entity[field] !== undefined).map((field) => [field, entity[field]]));
}

export function toJson({ model, minScore, text, entities }) {
  return JSON.stringify({ model, minScore, text, entities: entities.map(pick) }, null, 2);
}

// The entities in the order they start, with those that overlap one kept before them left
// out (the first kept, as on the page), and any that does not fit the text dropped.
function firstOfOverlapping(text, entities) {
  const kept = [];
  let at = 0;
  const sorted = entities.map((entity, order) => [entity, order])
    .sort(([a, i], [b, j]) => a.start - b.start || i - j).map(([entity]) => entity);
  for (const entity of sorted) {
    const { start, end } = entity;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= at && start < end && end <= text.length)) continue;
    kept.push(entity);
    at = end;
  }
  return kept;
}

// ---- Training data ----------------------------------------------------------------------

// A text that is well-formed UTF-16: a lone surrogate (which a textarea can hold but UTF-8,
// JSON readers and Rust strings cannot) becomes U+FFFD, one code point for one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text) => text.toWellFormed?.() ?? text.replace(LONE_SURROGATE, "\uFFFD");

// For each UTF-16 offset of `text` (0 to text.length), the number of code points before it.
function codePointOffsets(text) {
  const offsets = new Uint32Array(text.length + 1);
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const low = unit >= 0xdc00 && unit <= 0xdfff;
    const afterHigh = i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff;
    offsets[i] = points;
    if (!(low && afterHigh)) points++;
  }
  offsets[text.length] = points;
  return offsets;
}

// One document as one line of the JSONL that `onoma train --corpus FILE.jsonl` reads:
// {"text", "entities": [{"start", "end", "label"}]} with code-point offsets, end exclusive.
// "Vienna 🎉 ORG" has ORG at UTF-16 offsets 10..13 and code points 9..12. Of overlapping
// entities, which the trainer would drop with a warning, the first is kept. Lines of several documents can
// simply be joined into one file.
export function toTrainingJsonl(text, entities) {
  const points = codePointOffsets(text);
  const spans = firstOfOverlapping(text, entities)
    .filter(({ label }) => typeof label === "string" && label !== "")
    .map(({ start, end, label }) => ({ start: points[start], end: points[end], label }));
  return `${JSON.stringify({ text: wellFormed(text), entities: spans })}\n`;
}

// ---- CSV --------------------------------------------------------------------------------

// RFC 4180 quoting. Cells that a spreadsheet would run as a formula get a leading apostrophe.
function csvCell(value) {
  let cell = String(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const csvRow = (cells) => cells.map(csvCell).join(",");

export const CSV_COLUMNS = ["start", "end", "label", "type", "text", "score", "source", "id", "context"];
const CONTEXT_WIDTH = 40; // graphemes of text each side of the mention

// The offsets of `text` at which a grapheme (what a reader sees as one character: "é" as e
// and a combining accent, a flag, a family emoji) starts, then text.length. Without
// Intl.Segmenter, code points: a cut then never splits a surrogate pair, at least.
function graphemeStarts(text) {
  const starts = [];
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    for (const { index } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) starts.push(index);
  } else {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (!(unit >= 0xdc00 && unit <= 0xdfff && i > 0 && /[\uD800-\uDBFF]/.test(text[i - 1]))) starts.push(i);
    }
  }
  starts.push(text.length);
  return starts;
}

// The first index of the sorted `values` whose value is at least `x`.
function lowerBound(values, x) {
  let lo = 0, hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// White space and control characters, line breaks included, become one space, so that a
// context stays on one line of the spreadsheet.
const oneLine = (s) => s.replace(/[\s\p{Cc}]+/gu, " ");

// "…the council approved «$2.4 billion» for the…": the mention in guillemets between up to
// CONTEXT_WIDTH graphemes each side, cut only between graphemes, an ellipsis where cut.
function context(text, starts, { start, end }) {
  const from = starts[Math.max(0, lowerBound(starts, start) - CONTEXT_WIDTH)];
  const to = starts[Math.min(starts.length - 1, lowerBound(starts, end + 1) - 1 + CONTEXT_WIDTH)];
  let before = oneLine(text.slice(from, start)), after = oneLine(text.slice(end, to));
  before = from > 0 ? `…${before}` : before.trimStart();
  after = to < text.length ? `${after}…` : after.trimEnd();
  return `${before}«${oneLine(text.slice(start, end))}»${after}`;
}

// A settings value as a cell: lists joined with "; ", yes/no for booleans.
function settingCell(value) {
  if (Array.isArray(value)) return value.join("; ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return value ?? "";
}

// CSV that Excel and LibreOffice open as it is: a UTF-8 byte-order mark (without it, Excel
// reads the file as the system's code page and garbles anything but ASCII), CRLF line ends,
// RFC 4180 quoting. One row per entity, columns CSV_COLUMNS: the offsets are UTF-16 code
// units, as in the JSON export; `type` is the plain-language name; `context` is the
// mention in its text, on one line.
//
// `settings` ({name: value} or [[name, value]]: the model, the minimum confidence, the types
// hidden…) says what the rows are a selection of. CSV has no comments, and Excel reads
// whatever comes first as data or header, so the settings come LAST: after the entity rows,
// one empty row, then a `setting,value` header and one row per setting. In a spreadsheet
// the empty row keeps them out of the table that sorting and filtering pick up; a program
// reads up to the first empty line. Without settings there is no such block.
//
// `text` is the annotated text (without it the context column is empty); `labels`
// ([{label, description}], as the page has them) lets `type` follow the model in use.
export function toCsv(entities, { text, settings, labels = [] } = {}) {
  const descriptions = new Map(labels.map(({ label, description }) => [label, description]));
  const starts = text && entities.length ? graphemeStarts(text) : null;
  const rows = [csvRow(CSV_COLUMNS)];
  for (const entity of entities) {
    const fits = starts && entity.start >= 0 && entity.start <= entity.end && entity.end <= text.length;
    rows.push(csvRow([entity.start, entity.end, entity.label, typeName(entity.label, descriptions.get(entity.label)),
      entity.text, entity.score ?? "", entity.source ?? "", entity.id ?? "", fits ? context(text, starts, entity) : ""]));
  }
  const pairs = Array.isArray(settings) ? settings : Object.entries(settings ?? {});
  if (pairs.length) {
    rows.push("", csvRow(["setting", "value"]), csvRow(["offsets", "UTF-16 code units from 0, end exclusive"]));
    for (const [name, value] of pairs) rows.push(csvRow([name, settingCell(value)]));
  }
  return `\uFEFF${rows.join("\r\n")}\r\n`;
}

// ---- Standalone HTML --------------------------------------------------------------------

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

// The built-in types' colours, as www/style.css gives them ([--h, --s, --l]); the test
// checks that the two agree.
const PALETTE = {
  PERSON: [338, 100, 5], NORP: [27, 92, -5], FAC: [39, 100, -1], ORG: [202, 100, -5], GPE: [85, 100, -3],
  LOC: [158, 100, -4], PRODUCT: [229, 99, 9], EVENT: [292, 74, 3], WORK_OF_ART: [15, 25, -1],
  LAW: [6, 100, 6], LANGUAGE: [169, 52, -5], DATE: [56, 99, -5], TIME: [42, 35, -3], PERCENT: [307, 24, 0],
  MONEY: [94, 38, -5], QUANTITY: [192, 69, 6], ORDINAL: [246, 29, 14], CARDINAL: [168, 8, -3],
};

// The derivation of www/style.css's per-type colour block, with a neutral grey for other
// types. Kept in the syntax of the page's style sheet so that scripts/palette-check.mjs
// reads either.
const HTML_STYLE = `
:root { color-scheme: light dark; --card: #ffffff; --ink: #1b1e24; --muted: #596170; --line: #d9dde4;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; }
@media (prefers-color-scheme: dark) {
  :root { --card: #1c1f26; --ink: #e6e8ec; --muted: #a0a7b4; --line: #333945; }
}
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem 1rem 3rem; background: var(--card); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
.legend { list-style: none; margin: 0 0 1rem; padding: 0 0 .75rem; border-bottom: 1px solid var(--line);
  display: flex; flex-wrap: wrap; gap: .3rem .9rem; font-size: .85rem; }
.legend .count { color: var(--muted); font-variant-numeric: tabular-nums; }
.chip { display: inline-block; padding: .05em .35em; border-radius: 3px; font: 700 .7rem/1.4 var(--mono);
  background: var(--chip); color: var(--chip-ink); }
.doc { white-space: pre-wrap; overflow-wrap: break-word; line-height: 2.05; }
mark { color: inherit; background: var(--tint); box-shadow: inset 0 -2px 0 var(--edge); border-radius: 4px;
  padding: .1em .2em; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
mark::after { content: attr(data-label); margin-left: .3em; padding: .05em .35em; border-radius: 3px;
  font: 700 .6rem/1.4 var(--mono); vertical-align: .15em; background: var(--chip); color: var(--chip-ink); }
mark[data-source="pattern"] { box-shadow: none; border-bottom: 2px dashed var(--edge); }
mark[data-source="user"] { box-shadow: inset 0 -3px 0 var(--edge), inset 0 0 0 1px var(--edge); }
footer { margin-top: 2rem; font-size: .8rem; color: var(--muted); }
[data-label] { --h: 220; --s: 0%; --l: 0%; }
${Object.entries(PALETTE).map(([label, [h, s, l]]) => `[data-label="${label}"] { --h: ${h}; --s: ${s}%; --l: ${l}%; }`).join("\n")}
[data-label] {
  --tint: hsl(var(--h) var(--s) calc(80% + var(--l)));
  --edge: hsl(var(--h) var(--s) calc(43% + var(--l)));
  --chip: hsl(var(--h) var(--s) calc(28% + var(--l)));
  --chip-ink: #ffffff;
}
@media (prefers-color-scheme: dark) {
  [data-label] {
    --tint: hsl(var(--h) var(--s) calc(22% + var(--l)));
    --edge: hsl(var(--h) var(--s) calc(55% + var(--l)));
    --chip: hsl(var(--h) var(--s) calc(68% + var(--l)));
    --chip-ink: #111318;
  }
}
[data-label].coloured { --tint: color-mix(in srgb, var(--colour) 22%, var(--card)); --edge: var(--colour); --chip: var(--colour); }
@media print { mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`;

// The attributes that give an element its type: the label (escaped) and, for a type whose
// model file gives it a colour, that colour (only ever a checked #rgb or #rrggbb).
function typeAttributes(label, colour) {
  const own = HEX_COLOUR.test(colour ?? "")
    ? ` class="coloured" style="--colour: ${colour}; --chip-ink: ${inkOn(colour)}"` : "";
  return `data-label="${escapeHtml(label)}"${own}`;
}

// A standalone HTML document of the highlighted text, to keep, mail or print: one file,
// its style inline, no script and nothing fetched (its Content-Security-Policy forbids
// both, should anything slip through). Every piece of user text — the title, the text, the
// labels, the descriptions — is escaped. Entities are <mark data-label> with the label drawn
// after each by CSS (so that copying the text copies only the text) and the type's name and
// confidence in its title; overlapping entities keep the first. `labels` ([{label,
// description, colour}], as the page has them) orders the legend and gives descriptions
// and model colours; the 18 built-in types have the page's colours, others a neutral grey.
export function toHtml({ title = "Onoma", text, entities, labels = [] }) {
  const info = new Map(labels.map((l) => [l.label, l]));
  const kept = firstOfOverlapping(text, entities);
  const counts = new Map();
  for (const { label } of kept) counts.set(label, (counts.get(label) ?? 0) + 1);
  const order = [...labels.map(({ label }) => label).filter((label) => counts.has(label)),
    ...[...counts.keys()].filter((label) => !info.has(label))];

  const legend = order.map((label) => {
    const { description, colour } = info.get(label) ?? {};
    const name = typeName(label, description);
    return `<li title="${escapeHtml(typeDetail(label, description))}"><span class="chip" ${typeAttributes(label, colour)}>`
      + `${escapeHtml(label)}</span> ${name === label ? "" : `${escapeHtml(name)} `}`
      + `<span class="count">(${counts.get(label)})</span></li>`;
  });

  let body = "", at = 0;
  for (const entity of kept) {
    const { description, colour } = info.get(entity.label) ?? {};
    const source = ["pattern", "user"].includes(entity.source) ? entity.source : "model";
    const found = {
      pattern: `found by your patterns${entity.id ? ` (id ${entity.id})` : ""}`,
      user: "your correction",
      model: Number.isFinite(entity.score) ? `${Math.round(entity.score * 100)}% confidence` : "",
    }[source];
    const tip = [typeDetail(entity.label, description), found].filter(Boolean).join(" · ");
    body += escapeHtml(text.slice(at, entity.start))
      + `<mark ${typeAttributes(entity.label, colour)} data-source="${source}"`
      + ` title="${escapeHtml(tip)}">${escapeHtml(text.slice(entity.start, entity.end))}</mark>`;
    at = entity.end;
  }
  body += escapeHtml(text.slice(at));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<ul class="legend">${legend.join("")}</ul>
<div class="doc">${body}</div>
<footer>${kept.length} ${kept.length === 1 ? "entity" : "entities"} found by Onoma.</footer>
</body>
</html>
`;
}

// ---- File names -------------------------------------------------------------------------

const WORD = /[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}]*/gu;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)$/;

// `date` as YYYY-MM-DD, in local time.
const isoDay = (date) => [date.getFullYear(), date.getMonth() + 1, date.getDate()]
  .map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-");

// A file name from the document's first words: "Kingsport council approves $2.4 billion
// plan…" → "kingsport-council-approves-2-4.csv". Up to 5 words (runs of letters, of any
// script, and digits), at most 40 characters, of the first line that has one, lower-cased
// and joined by hyphens; with no such word, "onoma-2026-12-05.csv" (today, local time). So
// the name has no character Windows, macOS or Linux forbid, never starts with a dot, and
// never is a name Windows reserves (CON, NUL…).
export function fileName(text, extension, date = new Date()) {
  const ext = String(extension).replace(/^\.+/, "").replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const suffix = ext ? `.${ext}` : "";
  const normalised = String(text ?? "").normalize("NFC");
  const first = normalised.search(/[\p{L}\p{Nd}]/u);
  let slug = "";
  if (first >= 0) {
    const lineStart = normalised.lastIndexOf("\n", first) + 1;
    const lineEnd = normalised.indexOf("\n", first);
    const line = normalised.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
    const words = (line.match(WORD) ?? []).slice(0, 5).map((word) => word.toLowerCase());
    for (const word of words) {
      const next = slug ? `${slug}-${word}` : word;
      if ([...next].length <= 40) { slug = next; continue; }
      // A first word longer than 40 characters is cut, between code points, before a mark.
      if (!slug) slug = [...word].slice(0, 40).join("").replace(/\p{M}+$/u, "");
      break;
    }
  }
  if (!slug) return `onoma-${isoDay(date)}${suffix}`;
  if (WINDOWS_RESERVED.test(slug)) slug += "-onoma";
  return `${slug}${suffix}`;
}

// ---- Getting it to the user -------------------------------------------------------------

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on another host has no Clipboard API: fall back to a hidden, selected textarea.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("the browser refused to copy");
}

export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
