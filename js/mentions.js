// What to do with a text's entities once found: gather the mentions of one entity
// ("Helen Okafor", "Okafor", "Okafor's") and redact them. Pure functions over plain
// objects, without the engine, so that they run wherever the package does and importing
// them loads no WebAssembly.

/** Labels whose mentions are the same only when equal: "June" is no short form of "1 June". */
const EQUAL_ONLY = new Set(["DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL", "CARDINAL"]);
/** People: OntoNotes' PERSON and CoNLL's PER (of a model trained with `onoma train`). */
const PEOPLE = new Set(["PERSON", "PER"]);
/** Words an acronym may leave out: "Bank for International Settlements" is BIS. */
const MINOR_WORDS = new Set(["of", "the", "and", "for", "&"]);
/** Quotes, brackets, white space and punctuation around a name, not part of it. */
const EDGES = /^[\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}"',;:!?]+|[\s\p{Ps}\p{Pe}\p{Pi}\p{Pf}"',;:!?]+$/gu;

/**
 * A mention as a name: white space collapsed, surrounding quotes and punctuation, a leading
 * "the" and a possessive left out. "the European Investment Bank's" → "European
 * Investment Bank", "Reynolds’" → "Reynolds" (the trailing apostrophe goes with the edges).
 */
function bareName(text) {
  return text.replace(/\s+/gu, " ").replace(EDGES, "").replace(/^the /iu, "").replace(/['’]s$/iu, "").replace(EDGES, "");
}

/** What equal mentions share: the bare name in lower case, without a final full stop (U.S. = U.S). */
function nameKey(name) {
  return name.toLocaleLowerCase("en").replace(/\.+$/u, "");
}

/**
 * The acronyms a multi-word name may have: the initials of its capitalised words, leaving
 * out "of", "the", "and", "for" ("Bank for International Settlements" → BIS), and those of
 * all its words (BFIS).
 */
function acronymsOf(words) {
  const initials = (list) => list.map((word) => word[0]).join("").toLocaleUpperCase("en");
  const major = words.filter((word) => /^\p{Lu}/u.test(word) && !MINOR_WORDS.has(word.toLocaleLowerCase("en")));
  return [initials(major), initials(words.filter((word) => /^\p{L}/u.test(word)))];
}

/** The letters of an acronym ("EIB", "E.I.B."), or undefined for any other name. */
function acronym(name) {
  const letters = name.replaceAll(".", "");
  return /^\p{Lu}{2,6}$/u.test(letters) ? letters : undefined;
}

/** Adds `value` to the set at `key` of `map`. */
function addTo(map, key, value) {
  if (!map.has(key)) map.set(key, new Set());
  map.get(key).add(value);
}

/** How an error message names the type of a value, as core.js words it: "a string", "null"... */
function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "undefined" ? "undefined" : type === "object" ? "an object" : `a ${type}`;
}

/**
 * Checks that `entities` is an array of objects with integer `start` < `end`, a string
 * `label` and a string `text` (if `needText`; otherwise `text` may be left out).
 */
function checkEntities(entities, needText) {
  if (!Array.isArray(entities)) {
    throw new TypeError(`onoma: entities must be an array of objects like {start, end, label, text}, got ${typeName(entities)}`);
  }
  entities.forEach((e, i) => {
    if (e === null || typeof e !== "object" || Array.isArray(e)) {
      throw new TypeError(`onoma: entities[${i}] must be an object like {start, end, label, text}, got ${typeName(e)}`);
    }
    checkOffset(e, "start", i);
    checkOffset(e, "end", i);
    if (e.start >= e.end) throw new RangeError(`onoma: entities[${i}] is empty or reversed: ${e.start}..${e.end}`);
    if (typeof e.label !== "string") {
      throw new TypeError(`onoma: entities[${i}].label must be a string, got ${typeName(e.label)}`);
    }
    if (typeof e.text !== "string" && (needText || e.text !== undefined)) {
      throw new TypeError(`onoma: entities[${i}].text must be a string, got ${typeName(e.text)}`);
    }
  });
}

/** Checks that `e[field]`, of `entities[i]`, is an integer from 0. */
function checkOffset(e, field, i) {
  if (!Number.isInteger(e[field]) || e[field] < 0) {
    throw new TypeError(`onoma: entities[${i}].${field} must be an integer from 0, got ${typeName(e[field])} ${e[field]}`);
  }
}

/** A copy of `entities` in document order: by start, the longer first at the same start. */
const byStart = (entities) => entities.slice().sort((a, b) => a.start - b.start || b.end - a.end);

/**
 * Groups the mentions of each entity; see index.d.ts for the rules. Mentions of one form
 * (equal names) form a group, then a one-word form joins the one longer form it is short
 * for: a person's first or last name, another label's acronym.
 */
export function groupMentions(entities) {
  checkEntities(entities, true);
  return groupSorted(byStart(entities));
}

/** `groupMentions` on entities already checked and sorted. */
function groupSorted(sorted) {
  // Forms, by label and key, in order of first mention; each is its own group at first.
  const forms = new Map();
  // The form of each text, by label, worked out once however often the text comes back.
  const formsOfLabel = new Map();
  const formOf = sorted.map((e) => {
    let formOfText = formsOfLabel.get(e.label);
    if (!formOfText) formsOfLabel.set(e.label, (formOfText = new Map()));
    let form = formOfText.get(e.text);
    if (form) return form;
    const name = bareName(e.text) || e.text;
    const key = nameKey(name);
    const id = `${e.label}\u0000${key}`;
    if (!forms.has(id)) forms.set(id, { label: e.label, key, name, target: undefined });
    form = forms.get(id);
    formOfText.set(e.text, form);
    return form;
  });
  // Where a short form may point: by label and first or last word (people), or acronym.
  const longer = new Map();
  for (const form of forms.values()) {
    const words = form.name.split(" ");
    if (words.length < 2 || EQUAL_ONLY.has(form.label)) continue;
    const shortForms = PEOPLE.has(form.label) ? [nameKey(words[0]), nameKey(words.at(-1))] : acronymsOf(words);
    for (const short of shortForms) addTo(longer, `${form.label}\u0000${short}`, form);
  }
  for (const form of forms.values()) {
    const short = form.name.includes(" ") ? undefined : PEOPLE.has(form.label) ? form.key : acronym(form.name);
    const targets = short === undefined ? undefined : longer.get(`${form.label}\u0000${short}`);
    form.target = targets?.size === 1 ? [...targets][0] : form;
  }
  const groups = new Map();
  sorted.forEach((e, i) => {
    const target = formOf[i].target;
    if (!groups.has(target)) groups.set(target, { name: "", label: e.label, mentions: [] });
    const group = groups.get(target);
    group.mentions.push(e);
    if (formOf[i].name.length > group.name.length) group.name = formOf[i].name;
  });
  return [...groups.values()];
}

const STYLES = ["placeholder", "type", "mask"];
let graphemes;

/**
 * The grapheme clusters of `text`: by Intl.Segmenter where there is one, else code points.
 * In ASCII each character is a cluster (CR LF apart, which masks the same as two), and
 * segmenting costs 10 µs a call.
 */
function clusters(text) {
  if (/^[\0-\x7F]*$/.test(text) || !globalThis.Intl?.Segmenter) return [...text];
  graphemes ??= new Intl.Segmenter("en", { granularity: "grapheme" });
  return Array.from(graphemes.segment(text), (s) => s.segment);
}

/** `options` of `redact`, checked, with their defaults. */
function redactOptions(options) {
  if (options != null && (typeof options !== "object" || Array.isArray(options))) {
    throw new TypeError(`onoma: redact options must be an object like {labels, style, mask}, got ${typeName(options)}`);
  }
  const { labels = null, style = "placeholder", mask = "█", ...unknown } = options ?? {};
  const names = Object.keys(unknown);
  if (names.length) {
    throw new TypeError(`onoma: unknown redact option ${JSON.stringify(names[0])}; options are labels, style, mask`);
  }
  if (labels !== null && (!Array.isArray(labels) || !labels.every((l) => typeof l === "string"))) {
    throw new TypeError(`onoma: options.labels must be an array of label names, got ${typeName(labels)}`);
  }
  if (typeof style !== "string") {
    throw new TypeError(`onoma: options.style must be "placeholder", "type" or "mask", got ${typeName(style)}`);
  }
  if (!STYLES.includes(style)) {
    throw new RangeError(`onoma: options.style must be "placeholder", "type" or "mask", got ${JSON.stringify(style)}`);
  }
  if (typeof mask !== "string") throw new TypeError(`onoma: options.mask must be a string, got ${typeName(mask)}`);
  if (clusters(mask).length !== 1 || /^\s+$/u.test(mask)) {
    throw new RangeError(`onoma: options.mask must be one character (grapheme cluster) other than white space, got ${JSON.stringify(mask)}`);
  }
  return { labels: labels && new Set(labels.map((l) => l.toUpperCase())), style, mask };
}

/** Whether UTF-16 offset `at` of `text` falls between the two halves of a surrogate pair. */
function splitsPair(text, at) {
  return at > 0 && /^[\uD800-\uDBFF][\uDC00-\uDFFF]$/.test(text.slice(at - 1, at + 1));
}

/**
 * Replaces entities of `text` by placeholders or masks; see index.d.ts. Entities are
 * checked against the text, then filtered by label; of overlapping ones the first is kept.
 */
export function redact(text, entities, options) {
  if (typeof text !== "string") throw new TypeError(`onoma: text must be a string, got ${typeName(text)}`);
  const { labels, style, mask } = redactOptions(options);
  checkEntities(entities, false);
  entities.forEach((e, i) => {
    if (e.end > text.length) {
      throw new RangeError(`onoma: entities[${i}] (${e.start}..${e.end}) ends past the text (length ${text.length})`);
    }
    if (e.text !== undefined && e.text !== text.slice(e.start, e.end)) {
      throw new RangeError(`onoma: entities[${i}].text is ${JSON.stringify(e.text)} but the text at ${e.start}..${e.end} is ${JSON.stringify(text.slice(e.start, e.end))}`);
    }
    for (const field of ["start", "end"]) {
      if (splitsPair(text, e[field])) throw new RangeError(`onoma: entities[${i}].${field} (${e[field]}) splits a surrogate pair`);
    }
  });
  // The replacements, in text order; `replacement` and the redacted offsets come below.
  const replacements = [];
  for (const { start, end, label } of byStart(entities)) {
    const wanted = labels === null || labels.has(label.toUpperCase());
    if (wanted && start >= (replacements.at(-1)?.end ?? 0)) {
      replacements.push({ start, end, label, text: text.slice(start, end), replacement: "", redactedStart: 0, redactedEnd: 0 });
    }
  }
  // Placeholders are numbered per label in order of first mention, one number per group.
  const numbers = new Map();
  if (style === "placeholder") {
    const counts = new Map();
    for (const group of groupSorted(replacements)) {
      counts.set(group.label, (counts.get(group.label) ?? 0) + 1);
      for (const mention of group.mentions) numbers.set(mention, counts.get(group.label));
    }
  }
  const parts = [];
  let from = 0;
  let length = 0;
  for (const r of replacements) {
    r.replacement = style === "placeholder" ? `[${r.label} ${numbers.get(r)}]`
      : style === "type" ? `[${r.label}]`
      : clusters(r.text).map((c) => (/^\s+$/u.test(c) ? c : mask)).join("");
    parts.push(text.slice(from, r.start), r.replacement);
    r.redactedStart = length + r.start - from;
    r.redactedEnd = r.redactedStart + r.replacement.length;
    length = r.redactedEnd;
    from = r.end;
  }
  parts.push(text.slice(from));
  return { text: parts.join(""), replacements };
}
