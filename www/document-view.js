// The highlighted document, drawn block by block. A block holds whole paragraphs (never cut
// inside an entity) and is styled `content-visibility: auto`, so that the browser lays
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
   * `look` stands for what else the marks show (such as colours): see `update`.
   */
  constructor(container, text, entities, drawMark, near = null, look = null) {
    this.container = container;
    this.observer = null;
    this.emphasis = { mentions: new Set(), current: null };
    this.look = look;
    this.setEntities(text, entities, drawMark);
    this.build(near);
  }

  /**
   * Shows a new `text` and `entities` (as for the constructor), keeping the elements of the
   * blocks at the beginning and the end that are as before: the same text, holding entities
   * that `drawMark` draws the same (the same label, score, source and id at the same places),
   * so that the browser lays out and paints again only what changed, as after an edit.
   * Nothing is kept when `look` differs from the last one given.
   */
  update(text, entities, drawMark, near = null, look = null) {
    const old = { text: this.text, entities: this.entities, blocks: this.blocks, marks: this.markOfEntity, tabStop: this.tabStop };
    const sameLook = look === this.look;
    this.look = look;
    this.emphasise(null);
    this.setEntities(text, entities, drawMark);
    if (!sameLook || (this.entities.length > DRAW_ALL_UP_TO) !== (this.observer !== null)) {
      this.build(near);
      return;
    }
    const blocks = cutBlocks(text, this.entities);
    const most = Math.min(blocks.length, old.blocks.length);
    let head = 0;
    while (head < most && sameBlock(old, old.blocks[head], this, blocks[head])) head++;
    let tail = 0;
    while (tail < most - head && sameBlock(old, old.blocks.at(-1 - tail), this, blocks.at(-1 - tail))) tail++;
    this.tabStop = null;
    const keep = (before, after) => {
      Object.assign(after, { element: before.element, drawn: before.drawn });
      this.blockOf.set(after.element, after);
      if (!before.drawn) return;
      for (let k = 0; k < after.last - after.first; k++) {
        const [was, is] = [old.entities[before.first + k], this.entities[after.first + k]];
        const mark = old.marks.get(was);
        this.markOfEntity.set(is, mark);
        this.entityOfMark.set(mark, is);
        if (was === old.tabStop) this.tabStop = is;
      }
    };
    for (let i = 0; i < head; i++) keep(old.blocks[i], blocks[i]);
    for (let i = 1; i <= tail; i++) keep(old.blocks.at(-i), blocks.at(-i));
    for (const { element } of old.blocks.slice(head, old.blocks.length - tail)) {
      this.observer?.unobserve(element);
      this.blockOf.delete(element);
      element.remove();
    }
    const fresh = blocks.slice(head, blocks.length - tail);
    for (const block of fresh) block.element = blockElement();
    this.container.insertBefore(fragmentOf(fresh), blocks[blocks.length - tail]?.element ?? null);
    this.blocks = blocks;
    this.tabStop ??= this.entities[0] ?? null;
    this.markOfEntity.get(this.tabStop)?.setAttribute("tabindex", "0");
    this.fill(fresh, near);
  }

  // Everything drawn anew, of the text and entities set.
  build(near) {
    this.observer?.disconnect();
    this.blocks = cutBlocks(this.text, this.entities);
    for (const block of this.blocks) block.element = blockElement();
    this.tabStop = this.entities[0] ?? null;
    this.blockOf = new Map();
    this.container.replaceChildren(fragmentOf(this.blocks));
    this.observer = this.entities.length <= DRAW_ALL_UP_TO ? null : new IntersectionObserver((seen) => {
      for (const { target, isIntersecting } of seen) {
        const block = this.blockOf.get(target);
        if (!block) continue;
        if (isIntersecting) this.draw(block);
        else this.undraw(block);
      }
    }, { root: this.container, rootMargin: NEAR });
    this.fill(this.blocks, near);
  }

  // The text and the entities drawn, with no marks yet.
  setEntities(text, entities, drawMark) {
    Object.assign(this, { text, drawMark, entities: [] });
    let end = 0;
    for (let i = 0; i < entities.length; i++) {
      if (entities[i].start < end) continue;
      this.entities.push(entities[i]);
      end = entities[i].end;
    }
    this.markOfEntity = new Map();
    this.entityOfMark = new WeakMap();
  }

  // Draws `blocks`, new in the view: all of them, or, where blocks are drawn as they come near
  // the screen, those holding `near`, the others as plain text.
  fill(blocks, near) {
    const { from, to } = near ?? { from: 0, to: 0 };
    for (const block of blocks) {
      if (!this.observer || (block.to > from && block.from <= to)) this.draw(block);
      else block.element.append(this.text.slice(block.from, block.to));
      this.blockOf.set(block.element, block);
      this.observer?.observe(block.element);
    }
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
    return this.#position(entity) >= 0;
  }

  // Where `entity` is among those drawn (which are in order and do not overlap), or -1.
  #position(entity) {
    let low = 0;
    let high = this.entities.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.entities[middle].start < entity?.start) low = middle + 1;
      else high = middle;
    }
    return this.entities[low] === entity ? low : -1;
  }

  /** The mark of `entity` (its block drawn if it was not), or undefined if it is not drawn. */
  markOf(entity) {
    const i = this.#position(entity);
    if (i < 0) return undefined;
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
    return this.#position(this.entityOf(mark));
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

function blockElement() {
  const element = document.createElement("div");
  element.className = "block";
  return element;
}

function fragmentOf(blocks) {
  const fragment = document.createDocumentFragment();
  fragment.append(...blocks.map((block) => block.element));
  return fragment;
}

// Whether block `a` of view `x` ({text, entities}) and block `b` of view `y` hold the same
// text and the same entities at the same places within it, alike in all a mark shows.
function sameBlock(x, a, y, b) {
  if (a.to - a.from !== b.to - b.from || a.last - a.first !== b.last - b.first) return false;
  if (x.text.slice(a.from, a.to) !== y.text.slice(b.from, b.to)) return false;
  for (let k = 0; k < a.last - a.first; k++) {
    const [e, f] = [x.entities[a.first + k], y.entities[b.first + k]];
    if (e.start - a.from !== f.start - b.from || e.end - a.from !== f.end - b.from || e.label !== f.label
      || e.score !== f.score || e.source !== f.source || e.id !== f.id) return false;
  }
  return true;
}

function emphasiseMark(mark, entity, { current }) {
  mark.classList.add(entity === current ? "current" : "sibling");
}

/** A block ends at a blank line at least this many characters after its start... */
const MIN_BLOCK = 2000;
/** ...where the CUT_KEY characters after it hash to one value in CUT_ONE_IN... */
const CUT_ONE_IN = 4;
const CUT_KEY = 32;
/** ...or at any blank line once this long. */
const MAX_BLOCK = 4 * MIN_BLOCK;

// The blocks of `text`: {from, to, first, last (the entities in it), drawn}; each is given its
// element by the view. A block holds paragraphs, at least MIN_BLOCK characters of them where
// the text allows, so that a long text has a few thousand blocks for the browser to follow
// rather than one per paragraph. Which blank lines end blocks depends on the text after them,
// not on where the last block began, so that after an edit the blocks soon fall where they
// fell before, and are kept (see `update`).
function cutBlocks(text, entities) {
  const blocks = [];
  let from = 0;
  let first = 0; // the first entity not yet in a block
  let covering = 0; // the first entity that ends after the cut looked at
  const close = (to) => {
    let last = first;
    while (last < entities.length && entities[last].start < to) last++;
    blocks.push({ from, to, first, last, element: null, drawn: false });
    [from, first] = [to, last];
  };
  const chosen = (cut) => cut - from >= MAX_BLOCK || fnv1a(text, cut, cut + CUT_KEY) % CUT_ONE_IN === 0;
  // After each run of blank lines (found without a match object each: there are many).
  let cut = 0;
  for (let at = text.indexOf("\n\n"); at >= 0; at = text.indexOf("\n\n", cut)) {
    cut = at + 2;
    while (text.charCodeAt(cut) === 10) cut++;
    if (cut >= text.length) break;
    if (cut - from < MIN_BLOCK || !chosen(cut)) continue;
    while (covering < entities.length && entities[covering].end <= cut) covering++;
    const insideAnEntity = covering < entities.length && entities[covering].start < cut;
    if (!insideAnEntity) close(cut);
  }
  close(text.length);
  return blocks;
}

// The 32-bit FNV-1a hash of the code units of `text` from `start` to `end`.
function fnv1a(text, start, end) {
  let hash = 0x811c9dc5;
  for (let i = start; i < Math.min(end, text.length); i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
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
