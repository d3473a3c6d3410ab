// Builds the page's dynamic parts. User text only ever becomes text nodes (textContent or
// createTextNode), never markup, so whatever is pasted shows up literally.

const number = new Intl.NumberFormat("en");
export const formatNumber = (n) => number.format(n);

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// The 18 types of the built-in model have their colours in style.css. A model file may give
// its types colours (#rgb or #rrggbb; anything else is ignored, never used as CSS). Any other
// type, such as one only the user's patterns give, takes, in the order the types are listed,
// the next of these hues, picked between the built-in types'; after them, the golden angle
// spreads more. The same files give the same colours.
const STYLED = new Set(["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
  "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"]);
const OWN_HUES = [117, 347, 256, 151, 60, 280, 86, 323, 178, 28];
const HEX_COLOUR = /^#(?:[0-9a-f]{3}){1,2}$/i;
const looks = new Map(); // label → {colour, ink} or {hue}
let modelLabels = new Set();

// `labels`: [{label, colour}] of the recognizer in use; `fromModel`: those of its model, the
// others are the user's patterns' (drawn with a round swatch).
export function colourLabels(labels, fromModel) {
  looks.clear();
  modelLabels = fromModel;
  let own = 0;
  for (const { label, colour } of labels) {
    if (HEX_COLOUR.test(colour)) looks.set(label, { colour, ink: inkOn(colour) });
    else if (!STYLED.has(label)) {
      looks.set(label, { hue: OWN_HUES[own] ?? Math.round((own * 137.508) % 360) });
      own += 1;
    }
  }
}

// White or near-black, whichever reads better on `hex` (by WCAG relative luminance).
function inkOn(hex) {
  const pairs = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit) : hex.slice(1).match(/../g);
  const [r, g, b] = pairs.map((pair) => {
    const c = parseInt(pair, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? "#111318" : "#ffffff";
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

// The whole text with each entity as a focusable <mark>. Returns, for the entity list,
// every mark keyed by `mentionKey`. Entities come sorted by start, as the engine gives them.
export function renderDocument(container, text, entities) {
  const marksByKey = new Map();
  if (!text.trim()) {
    container.replaceChildren(emptyNote("Paste an article into the text box, or try the sample article, to see every "
      + "entity highlighted here. Hover or focus a highlight to see how confident the model is; click a type "
      + "above to hide or show it."));
    return marksByKey;
  }
  const blocks = new Blocks(text);
  let at = 0;
  for (const entity of entities) {
    if (entity.start < at) continue; // overlapping spans cannot both be drawn; keep the first
    blocks.appendText(at, entity.start);
    const mentionText = text.slice(entity.start, entity.end);
    const mark = labelled(element("mark", { className: "ent", tabIndex: 0, textContent: mentionText }), entity.label);
    mark.dataset.source = entity.source ?? "model";
    mark.dataset.tip = entity.source === "pattern"
      ? `Found by your patterns${entity.id ? ` (id ${entity.id})` : ""}`
      : `${Math.round(entity.score * 100)}% confidence`;
    mark.dataset.score = entity.score;
    blocks.current.append(mark);
    const key = mentionKey(entity.label, mentionText);
    if (!marksByKey.has(key)) marksByKey.set(key, []);
    marksByKey.get(key).push(mark);
    at = entity.end;
  }
  blocks.appendText(at, text.length);
  container.replaceChildren(...blocks.all);
  return marksByKey;
}

// The text cut into blocks after each blank line (never inside an entity). The blocks are
// styled `content-visibility: auto`, so that in a long article the browser lays out only
// those on screen: that is what keeps re-annotating a long article quick.
class Blocks {
  constructor(text) {
    this.text = text;
    this.cuts = Array.from(text.matchAll(/\n\n+/g), (m) => m.index + m[0].length);
    this.nextCut = 0;
    this.all = [];
    this.startBlock();
  }

  startBlock() {
    this.current = element("div", { className: "block" });
    this.all.push(this.current);
  }

  // Appends text[from, to), which holds no entity, starting a new block at each cut in it.
  appendText(from, to) {
    const { cuts, text } = this;
    while (this.nextCut < cuts.length && cuts[this.nextCut] <= from) this.nextCut++;
    for (; this.nextCut < cuts.length && cuts[this.nextCut] < to; this.nextCut++) {
      this.current.append(text.slice(from, cuts[this.nextCut]));
      from = cuts[this.nextCut];
      this.startBlock();
    }
    if (to > from) this.current.append(text.slice(from, to));
  }
}

export function mentionKey(label, text) {
  return `${label}\u0000${text}`;
}

// One toggle button per type, with its count; pressed means shown.
export function renderLegend(list, labels, counts, hidden, onToggle) {
  list.replaceChildren(...labels.map(({ label, description }) => {
    const count = counts.get(label) ?? 0;
    const button = labelled(element("button", { type: "button", title: description }, [
      element("span", { className: "swatch" }),
      element("span", { textContent: label }),
      element("span", { className: "count", textContent: formatNumber(count) }),
    ]), label);
    button.setAttribute("aria-pressed", String(!hidden.has(label)));
    button.setAttribute("aria-label", `${label}: ${description}. ${count} found`);
    button.classList.toggle("none", count === 0);
    button.addEventListener("click", () => onToggle(label));
    return element("li", {}, [button]);
  }));
}

// Distinct entities grouped by type (legend order), most mentioned first.
export function renderEntityList(container, labels, entities, onPick) {
  const groups = new Map(labels.map(({ label }) => [label, new Map()]));
  for (const { label, text } of entities) {
    const group = groups.get(label) ?? groups.set(label, new Map()).get(label);
    group.set(text, (group.get(text) ?? 0) + 1);
  }
  const sections = [];
  for (const [label, mentions] of groups) {
    if (mentions.size === 0) continue;
    const sorted = [...mentions].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const items = sorted.map(([text, count]) => {
      const button = element("button", { type: "button" }, [
        element("span", { className: "name", textContent: text }),
        element("span", { className: "times", textContent: `×${formatNumber(count)}` }),
      ]);
      button.setAttribute("aria-label", `${text}, ${count} ${count === 1 ? "mention" : "mentions"}: show in text`);
      button.addEventListener("click", () => onPick(label, text));
      return element("li", {}, [button]);
    });
    const section = labelled(element("section", { className: "entity-group" }, [
      element("h3", { textContent: label }),
      element("ul", {}, items),
    ]), label);
    sections.push(section);
  }
  container.replaceChildren(...(sections.length ? sections : [emptyNote("None yet.")]));
}

// Outlines the marks briefly. A timer rather than animationend, which never fires when the
// user asked for reduced motion.
export function flash(marks) {
  for (const mark of marks) {
    mark.classList.remove("flash");
    void mark.offsetWidth; // restart the animation if it is still running
    mark.classList.add("flash");
    clearTimeout(mark.flashTimer);
    mark.flashTimer = setTimeout(() => mark.classList.remove("flash"), 1500);
  }
}
