// Moving through the highlighted document: the document is one tab stop, arrow keys go from
// highlight to highlight; and the mentions of one entity, one after the other ("2 of 6").

/** Makes `mark` the document's one tab stop (the others are reached with the arrow keys). */
export function makeTabStop(doc, mark) {
  for (const other of doc.querySelectorAll('mark.ent[tabindex="0"]')) other.tabIndex = -1;
  if (mark) mark.tabIndex = 0;
}

/** Handles an arrow, Home or End key on a highlight of `doc`; true if it moved. */
export function moveByKey(doc, mark, key) {
  const marks = doc.querySelectorAll("mark.ent");
  const at = Array.prototype.indexOf.call(marks, mark);
  const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: marks.length - 1 }[key];
  if (to === undefined || !marks[to]) return false;
  makeTabStop(doc, marks[to]);
  marks[to].focus();
  return true;
}

/**
 * The entity shown in the document: its mentions' marks, the one in view marked "current",
 * the others "sibling". `nav` (its previous and next buttons) shows while there is one, and
 * `where` in it says "Helen Okafor: 2 of 6".
 */
export class MentionCursor {
  constructor(doc, nav, where) {
    this.doc = doc;
    this.nav = nav;
    this.where = where;
    this.group = null;
    this.index = 0;
  }

  /** Shows mention `index` (wrapping round) of `group`, {name, label, mentions}. */
  show(group, index, marksOf, scroll = true) {
    const marks = group.mentions.map((entity) => marksOf.get(entity)).filter(Boolean);
    this.clear();
    if (!marks.length) return;
    this.group = group;
    this.index = ((index % marks.length) + marks.length) % marks.length;
    for (const mark of marks) mark.classList.add("sibling");
    const current = marks[this.index];
    current.classList.replace("sibling", "current");
    makeTabStop(this.doc, current);
    // Not smooth: blocks off screen are not laid out (content-visibility), and their sizes
    // change while a smooth scroll runs, which then stops short of the mention.
    if (scroll) current.scrollIntoView({ block: "center" });
    this.where.textContent = `${group.name}: ${this.index + 1} of ${marks.length}`;
    this.nav.hidden = false;
  }

  /** Shows the next (`step` 1) or previous (-1) mention of the entity shown. */
  step(step, marksOf) {
    if (this.group) this.show(this.group, this.index + step, marksOf);
  }

  /** After the document was drawn again: the same entity, if it is still there. */
  redraw(groups, marksOf) {
    const same = this.group && groups.find((g) => g.label === this.group.label && g.name === this.group.name);
    if (same) this.show(same, Math.min(this.index, same.mentions.length - 1), marksOf, false);
    else this.clear();
  }

  clear() {
    for (const mark of this.doc.querySelectorAll("mark.ent.current, mark.ent.sibling")) {
      mark.classList.remove("current", "sibling");
    }
    this.group = null;
    this.where.textContent = "";
    this.nav.hidden = true;
  }
}
