// Builds the page's dynamic parts. User text only ever becomes text nodes (textContent or
// createTextNode), never markup, so whatever is pasted shows up literally.
import { TYPE_NAMES, typeName, typeLongName, typeDetail } from "./types.js";
import { HEX_COLOUR, inkOn } from "./colours.js";
import { element, formatNumber, plural } from "./dom.js";
import { DocumentView } from "./document-view.js";

// The 18 types of the built-in model have their colours in style.css. A model file may give
// its types colours (#rgb or #rrggbb; anything else is ignored, never used as CSS). Any other
// type, such as one only the user's patterns give, takes, in the order the types are listed,
// the next of these hues; after them, the golden angle spreads more. (Their contrast is
// checked at every hue by scripts/palette-check.mjs.) The same files give the same colours.
const STYLED = new Set(Object.keys(TYPE_NAMES));
const OWN_HUES = [117, 347, 256, 151, 60, 280, 86, 323, 178, 28];
const looks = new Map(); // label → {colour, ink} or {hue}
let modelLabels = new Set();
// How many times the labels were given colours: marks drawn since the last time look the same.
let colouring = 0;

// `labels`: [{label, colour}] of the recognizer in use; `fromModel`: those of its model, the
// others are the user's patterns' (drawn with a round swatch).
export function colourLabels(labels, fromModel) {
  looks.clear();
  modelLabels = fromModel;
  colouring += 1;
  let own = 0;
  for (const { label, colour } of labels) {
    if (HEX_COLOUR.test(colour)) looks.set(label, { colour, ink: inkOn(colour) });
    else if (!STYLED.has(label)) {
      looks.set(label, { hue: OWN_HUES[own] ?? Math.round((own * 137.508) % 360) });
      own += 1;
    }
  }
}

// Labels come from files: they go in as a data attribute, colours only as style properties.
function labelled(node, label) {
  node.dataset.label = label;
  const look = looks.get(label);
  if (look?.colour) {
    node.style.setProperty("--colour", look.colour);
    node.style.setProperty("--chip-ink", look.ink);
    node.classList.add("coloured");
  } else if (look) {
    node.style.setProperty("--h", look.hue);
  }
  node.classList.toggle("own", !modelLabels.has(label));
  return node;
}

function emptyNote(message) {
  return element("p", { className: "empty", textContent: message });
}

// What a highlight's tooltip says of where it comes from.
function origin(entity) {
  if (entity.source === "user") return "your correction";
  if (entity.source === "pattern") return `found by your terms or patterns${entity.id ? ` (id ${entity.id})` : ""}`;
  return `${Math.round(entity.score * 100)}% confidence`;
}

/**
 * The whole text with each entity as a <mark> that opens the correction dialog (a button
 * for assistive technology, named "Kingsport, Place, 76% confidence"; the type's chip is
 * CSS content with an empty alternative, so that it is not read too: "KingsportGPE").
 * `replacementOf(entity)`, where given, is what a redacted mention shows instead of its
 * text. Entities come sorted by start, as the engine gives them. `near`: see DocumentView.
 * `previous`, the view drawn last in `container`, is drawn again, keeping the elements of
 * what did not change.
 * Returns the DocumentView, which gives each entity's mark.
 */
export function renderDocument(container, text, entities, replacementOf = null, near = null, previous = null) {
  const drawOne = (entity) => drawMark(text, entity, replacementOf?.(entity));
  // A redaction's replacements are worked out anew each time: its marks are never kept.
  const look = replacementOf ?? colouring;
  let view = previous;
  if (view && text.trim() && view.text.trim()) view.update(text, entities, drawOne, near, look);
  else {
    previous?.disconnect();
    view = new DocumentView(container, text, entities, drawOne, near, look);
  }
  // How many times the document was drawn, for whatever waits for the next drawing.
  container.dataset.draws = Number(container.dataset.draws ?? 0) + 1;
  if (!text.trim()) {
    container.replaceChildren(emptyNote("Paste an article into the text box, or try the sample article, to see every "
      + "entity highlighted here. Click a highlight to correct it, select text to add one; click a type above "
      + "to hide or show it."));
  }
  return view;
}

function drawMark(text, entity, replacement) {
  const shown = replacement ?? text.slice(entity.start, entity.end);
  const mark = labelled(element("mark", { className: "ent", tabIndex: -1, textContent: shown }), entity.label);
  const name = typeLongName(entity.label);
  mark.dataset.source = entity.source ?? "model";
  mark.dataset.tip = `${name === entity.label ? name : `${name} · ${entity.label}`} · ${origin(entity)}`;
  mark.dataset.score = entity.score;
  mark.setAttribute("role", "button");
  mark.setAttribute("aria-label", `${shown}, ${typeName(entity.label)}, ${origin(entity)}`);
  if (replacement !== undefined) mark.classList.add("redacted");
  return mark;
}

// The legend's and the list's buttons are named in words ("Place: 9 found" for an entry that
// shows "Place 9"), and each name holds the words the button shows, in order, so that saying
// them clicks it (speech recognition; WCAG 2.5.3). That is what the spaces between two words
// in spans of their own are for: the layout has gaps instead.

// One toggle button per type, with its count; pressed means shown. The label (GPE) and what
// the type covers are its description (the title).
export function renderLegend(list, labels, counts, hidden, onToggle) {
  list.replaceChildren(...labels.map(({ label, description }) => {
    const count = counts.get(label) ?? 0;
    const name = typeName(label, description);
    const button = labelled(element("button", { type: "button", title: typeDetail(label, description) }, [
      element("span", { className: "swatch" }),
      element("span", { textContent: name }),
      " ",
      element("span", { className: "count", textContent: formatNumber(count) }),
    ]), label);
    button.setAttribute("aria-pressed", String(!hidden.has(label)));
    button.setAttribute("aria-label", `${name}: ${count} found`);
    button.classList.toggle("none", count === 0);
    button.addEventListener("click", () => onToggle(label));
    return element("li", {}, [button]);
  }));
}

/** The entries listed per type at most, the most mentioned: a long text has thousands. */
const LISTED_PER_TYPE = 200;

/**
 * What each entity list shows, by its container: `signature`, what its entries say, and
 * `groups`, the group of each entry (in order) in the latest analysis, which its button
 * shows with `onPick`. Entries that would say the same are not built again (typing in a
 * long text rarely changes them), and their buttons pick the latest groups.
 */
const listed = new WeakMap();

/**
 * The entities, one entry per entity however often and in whatever form it is mentioned
 * (`groups` of groupMentions: {name, label, mentions}), by type in legend order, most
 * mentioned first, LISTED_PER_TYPE of each at most; only those with a mention containing
 * `query`. `onPick(group)` shows it.
 * `replacementOf(entity)`, when redacting, gives what each entity's mentions are replaced by.
 */
export function renderEntityList(container, labels, groups, query, onPick, replacementOf = null) {
  const needle = query.trim().toLocaleLowerCase();
  const matches = (group) => !needle || group.mentions.some(({ text }) => text.toLocaleLowerCase().includes(needle))
    || typeName(group.label).toLocaleLowerCase().includes(needle);
  const byLabel = new Map(labels.map(({ label }) => [label, []]));
  for (const group of groups) {
    if (!matches(group)) continue;
    (byLabel.get(group.label) ?? byLabel.set(group.label, []).get(group.label)).push(group);
  }
  const sections = [];
  for (const [label, list] of byLabel) {
    if (!list.length) continue;
    list.sort((a, b) => b.mentions.length - a.mentions.length || a.name.localeCompare(b.name));
    const entries = list.slice(0, LISTED_PER_TYPE).map((group) => ({
      group,
      count: group.mentions.length,
      forms: [...new Set(group.mentions.map(({ text }) => text))].filter((form) => form !== group.name),
      replacement: replacementOf?.(group.mentions[0]),
    }));
    sections.push({ label, entries, more: list.length - entries.length });
  }
  const none = groups.length ? `No entity matches “${query.trim()}”.` : "None yet.";
  // The types' names and colours are part of what the entries show.
  const signature = JSON.stringify([none, colouring, sections.map(({ label, entries, more }) => [label, typeLongName(label), more,
    entries.map(({ group, count, forms, replacement }) => [group.name, count, forms, replacement ?? null])])]);
  const shown = { signature, groups: sections.flatMap(({ entries }) => entries.map(({ group }) => group)), onPick };
  const before = listed.get(container);
  listed.set(container, shown);
  if (before?.signature === signature) return;
  let index = 0;
  const entryOf = ({ group, count, forms, replacement }) => {
    // "[PERSON 1] Helen Okafor, also Okafor, 3 mentions" for "[PERSON 1] Helen Okafor also
    // Okafor ×3" (no parentheses: the check of names leaves out what is in them).
    const also = forms.length ? `also ${forms.join(", ")}` : "";
    const button = element("button", { type: "button" }, [
      ...(replacement !== undefined ? [element("span", { className: "replacement", textContent: replacement })] : []),
      element("span", { className: "name" }, [
        group.name,
        ...(also ? [" ", element("span", { className: "forms", textContent: also })] : []),
      ]),
      element("span", { className: "times", textContent: `×${formatNumber(count)}` }),
    ]);
    const name = [replacement === undefined ? group.name : `${replacement} ${group.name}`, also,
      plural(count, "mention", "mentions")];
    button.setAttribute("aria-label", name.filter(Boolean).join(", "));
    const at = index++;
    button.addEventListener("click", () => {
      const { groups: latest, onPick: pick } = listed.get(container);
      pick(latest[at]);
    });
    return element("li", {}, [button]);
  };
  container.replaceChildren(...(sections.length
    ? sections.map(({ label, entries, more }) => labelled(element("section", { className: "entity-group" }, [
      element("h3", { textContent: typeLongName(label) }),
      element("ul", {}, entries.map(entryOf)),
      ...(more ? [element("p", { className: "more", textContent: `${plural(more, "more", "more")}, less often mentioned: search to find them.` })] : []),
    ]), label))
    : [emptyNote(none)]));
}

// The status line (#status) changes with every analysis, so it is not a live region: a
// screen reader would hear "52 entities · 366 tokens · 46 ms · model …" at every pause in
// typing. renderStatus (app.js) tells it the count, once typing pauses, in
// #status-announcement. Errors are written to the status line, which then has the class
// "error" (app.js's showError); they are said at once, by the alert region #status-alert.
function alertErrorsOf(status, alert) {
  const update = () => {
    const message = status.classList.contains("error") ? status.textContent : "";
    if (alert.textContent !== message) alert.textContent = message;
  };
  new MutationObserver(update).observe(status, { attributes: true, attributeFilter: ["class"], childList: true, characterData: true, subtree: true });
  update();
}

// From the start: the model may fail to load before anything else is drawn.
const statusAlert = document.getElementById("status-alert");
if (statusAlert) alertErrorsOf(document.getElementById("status"), statusAlert);
