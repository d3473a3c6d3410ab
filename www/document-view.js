// The highlighted document, drawn block by block. A block runs to the end of a blank line
// (never inside an entity) and is styled `content-visibility: auto`, so that the browser lays
// out only the blocks on screen. In a document with many highlights, only the blocks near the
// screen hold their marks, the others their plain text: the page keeps a few thousand elements
// however long the text is, and a mark is drawn whenever something asks for it.

/** Up to this many highlights every block is drawn at once. */
const DRAW_ALL_UP_TO = 1500;
/** How far beyond the document's box blocks are drawn, in CSS pixels. (The box is what shows
 * where the document scrolls in it, as on a wide screen; elsewhere every block is in it.) */
const NEAR = "1500px 0px";

export class DocumentView {
  /**
   * Shows `text` in `container` with `entities` (sorted by start; of overlapping ones the
   * first is drawn), each as the mark `drawMark(entity)` makes. The blocks holding the text
   * offsets `near` ({from, to}: where the last view was on screen; the beginning if null)
   * are drawn at once, so that what is on screen never shows without its highlights.
   */
  constructor(container, text, entities, drawMark, near = null) {
    this.container = container;
    this.text = text;
    this.drawMark = drawMark;
    this.entities = [];
    for (const entity of entities) {
      if (entity.start >= (this.entities.at(-1)?.end ?? 0)) this.entities.push(entity);
    }
    this.index = new Map(this.entities.map((entity, i) => [entity, i]));
    this.blocks = cutBlocks(text, this.entities);
    this.markOfEntity = new Map();
    this.entityOfMark = new WeakMap();
    this.tabStop = this.entities[0] ?? null;
    this.emphasis = { mentions: new Set(), current: null };
    container.replaceChildren(...this.blocks.map((block) => block.element));
    if (this.entities.length <= DRAW_ALL_UP_TO) {
      this.observer = null;
      for (const block of this.blocks) this.draw(block);
      return;
    }
    const { from, to } = near ?? { from: 0, to: 0 };
    for (const block of this.blocks) {
      if (block.to > from && block.from <= to) this.draw(block);
      else block.element.append(text.slice(block.from, block.to));
    }
    const blockOf = new Map(this.blocks.map((block) => [block.element, block]));
    this.observer = new IntersectionObserver((seen) => {
      for (const { target, isIntersecting } of seen) {
        const block = blockOf.get(target);
        if (isIntersecting) this.draw(block);
        else this.undraw(block);
      }
    }, { root: container, rootMargin: NEAR });
    for (const block of this.blocks) this.observer.observe(block.element);
  }

  /** Where the text on screen is, as text offsets {from, to} of its blocks; null if none. */
  visibleSpan() {
    const box = this.container.getBoundingClientRect();
    let [from, to] = [Infinity, -Infinity];
    for (const block of this.blocks) {
      if (!block.drawn) continue;
      const { top, bottom } = block.element.getBoundingClientRect();
      if (bottom >= box.top && top <= box.bottom) [from, to] = [Math.min(from, block.from), Math.max(to, block.to)];
    }
    return from <= to ? { from, to } : null;
  }

  /** Stops drawing blocks as they come near: the view is no longer shown. */
  disconnect() {
    this.observer?.disconnect();
  }

  /** How many entities are drawn (overlapping ones left out). */
  get count() {
    return this.entities.length;
  }

  /** Whether `entity` is one of those drawn. */
  has(entity) {
    return this.index.has(entity);
  }

  /** The mark of `entity` (its block drawn if it was not), or undefined if it is not drawn. */
  markOf(entity) {
    const i = this.index.get(entity);
    if (i === undefined) return undefined;
    this.draw(this.blocks[blockIndexOf(this.blocks, i)]);
    return this.markOfEntity.get(entity);
  }

  /** The mark of the `i`th entity, drawn if need be. */
  markAt(i) {
    return this.markOf(this.entities[i]);
  }

  /** The entity a mark shows, or undefined. */
  entityOf(mark) {
    return this.entityOfMark.get(mark);
  }

  /** Position of the entity of `mark` among all, or -1. */
  indexOf(mark) {
    return this.index.get(this.entityOf(mark)) ?? -1;
  }

  /** Makes `mark` the document's one tab stop (the others are reached with the arrow keys). */
  makeTabStop(mark) {
    const old = this.tabStop && this.markOfEntity.get(this.tabStop);
    if (old) old.tabIndex = -1;
    this.tabStop = this.entityOf(mark) ?? null;
    if (mark) mark.tabIndex = 0;
  }

  /** Outlines `mentions` (dotted) and `current` among them (solid); none when null. */
  emphasise(mentions, current = null) {
    for (const entity of this.emphasis.mentions) {
      this.markOfEntity.get(entity)?.classList.remove("current", "sibling");
    }
    this.emphasis = { mentions: new Set(mentions ?? []), current };
    for (const entity of this.emphasis.mentions) {
      const mark = this.markOfEntity.get(entity);
      if (mark) emphasiseMark(mark, entity, this.emphasis);
    }
  }

  draw(block) {
    if (block.drawn) return;
    block.drawn = true;
    const { text } = this;
    const parts = [];
    let at = block.from;
    for (let i = block.first; i < block.last; i++) {
      const entity = this.entities[i];
      if (entity.start > at) parts.push(text.slice(at, entity.start));
      const mark = this.drawMark(entity);
      mark.tabIndex = entity === this.tabStop ? 0 : -1;
      if (this.emphasis.mentions.has(entity)) emphasiseMark(mark, entity, this.emphasis);
      this.markOfEntity.set(entity, mark);
      this.entityOfMark.set(mark, entity);
      parts.push(mark);
      at = entity.end;
    }
    if (block.to > at) parts.push(text.slice(at, block.to));
    block.element.replaceChildren(...parts);
  }

  // Back to plain text, unless the block holds the tab stop, the focus or a selection.
  undraw(block) {
    if (!block.drawn) return;
    const { element } = block;
    const tabStop = this.tabStop && this.markOfEntity.get(this.tabStop);
    const selection = getSelection();
    if (element.contains(document.activeElement) || (tabStop && element.contains(tabStop))
      || (selection.rangeCount && !selection.isCollapsed && selection.getRangeAt(0).intersectsNode(element))) return;
    for (let i = block.first; i < block.last; i++) this.markOfEntity.delete(this.entities[i]);
    element.replaceChildren(this.text.slice(block.from, block.to));
    block.drawn = false;
  }
}

function emphasiseMark(mark, entity, { current }) {
  mark.classList.add(entity === current ? "current" : "sibling");
}

// The blocks of `text`: {from, to, first, last (the entities in it), element, drawn}.
function cutBlocks(text, entities) {
  const blocks = [];
  let from = 0;
  let first = 0; // the first entity not yet in a block
  let covering = 0; // the first entity that ends after the cut looked at
  const close = (to) => {
    let last = first;
    while (last < entities.length && entities[last].start < to) last++;
    const element = document.createElement("div");
    element.className = "block";
    blocks.push({ from, to, first, last, element, drawn: false });
    [from, first] = [to, last];
  };
  for (const match of text.matchAll(/\n\n+/g)) {
    const cut = match.index + match[0].length;
    if (cut >= text.length) break;
    while (covering < entities.length && entities[covering].end <= cut) covering++;
    const insideAnEntity = covering < entities.length && entities[covering].start < cut;
    if (!insideAnEntity) close(cut);
  }
  close(text.length);
  return blocks;
}

// The block holding entity `i`: the first whose entities end after it (blocks hold
// consecutive entities, in order).
function blockIndexOf(blocks, i) {
  let low = 0;
  let high = blocks.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (blocks[mid].last > i) high = mid;
    else low = mid + 1;
  }
  return low;
}
