// Builds the page's dynamic parts. User text only ever becomes text nodes (textContent or
// createTextNode), never markup, so whatever is pasted shows up literally.

const number = new Intl.NumberFormat("en");
export const formatNumber = (n) => number.format(n);

function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// The 18 model types have their colours in style.css. A type that only the user's patterns
// give takes, in the order the types are listed, the next of these hues, picked between the
// model's; after them, the golden angle spreads more. The same file gives the same colours.
const OWN_HUES = [117, 347, 256, 151, 60, 280, 86, 323, 178, 28];
const ownHues = new Map();
export function colourOwnLabels(labels) {
  ownHues.clear();
  labels.forEach((label, i) => ownHues.set(label, OWN_HUES[i] ?? Math.round((i * 137.508) % 360)));
}

function labelled(node, label) {
  node.dataset.label = label;
  if (ownHues.has(label)) {
    node.style.setProperty("--h", ownHues.get(label));
    node.classList.add("own");
  }
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
