// Moving through the highlighted document: the document is one tab stop, arrow keys go from
// highlight to highlight; and the mentions of one entity, one after the other ("2 of 6").

/** Handles an arrow, Home or End key on a highlight of `view`; true if it moved. */
export function moveByKey(view, mark, key) {
  const at = view.indexOf(mark);
  const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: view.count - 1 }[key];
  if (to === undefined || to < 0 || to >= view.count) return false;
  const target = view.markAt(to);
  view.makeTabStop(target);
  target.focus({ preventScroll: true });
  bringIntoView(target, { always: false });
  return true;
}

/**
 * The entity shown in the document: its mentions' marks, the one in view marked "current",
 * the others "sibling". `nav` (its previous and next buttons) shows while there is one, and
 * `where` in it says "Helen Okafor: 2 of 6".
 */
export class MentionCursor {
  constructor(nav, where) {
    this.nav = nav;
    this.where = where;
    this.group = null;
    this.view = null;
    this.index = 0;
  }

  /** Shows mention `index` (wrapping round) of `group`, {name, label, mentions}, in `view`. */
  show(group, index, view, scroll = true) {
    const mentions = group.mentions.filter((entity) => view.has(entity));
    this.clear();
    if (!mentions.length) return;
    Object.assign(this, { group, view });
    this.index = ((index % mentions.length) + mentions.length) % mentions.length;
    view.emphasise(mentions, mentions[this.index]);
    const current = view.markOf(mentions[this.index]);
    view.makeTabStop(current);
    if (scroll) bringIntoView(current);
    this.where.textContent = `${group.name}: ${this.index + 1} of ${mentions.length}`;
    this.nav.hidden = false;
  }

  /** Shows the next (`step` 1) or previous (-1) mention of the entity shown. */
  step(step) {
    if (this.group) this.show(this.group, this.index + step, this.view);
  }

  /** After the document was drawn again (as `view`): the same entity, if it is still there. */
  redraw(groups, view) {
    const same = this.group && groups.find((g) => g.label === this.group.label && g.name === this.group.name);
    if (same) this.show(same, Math.min(this.index, same.mentions.length - 1), view, false);
    else this.clear();
  }

  clear() {
    this.view?.emphasise(null);
    this.group = null;
    this.where.textContent = "";
    this.nav.hidden = true;
  }
}

/** Frames after a jump in which a mention is brought back into view if it moved out. */
const SETTLING_FRAMES = 8;

// Scrolls `mark` to the middle of its scrolling box (unless it is in view and not `always`).
// Not smoothly: blocks off screen are not laid out (content-visibility), and their sizes
// change while a smooth scroll runs, which then stops short. The blocks around the mention
// are laid out in the next frames, and may push it out of view: it is brought back, until
// they are.
function bringIntoView(mark, { always = true } = {}) {
  const box = mark.closest(".doc") ?? document.documentElement;
  const outOfView = () => {
    const { top, bottom } = mark.getBoundingClientRect();
    const view = box.getBoundingClientRect();
    return top < view.top || bottom > view.bottom;
  };
  if (always || outOfView()) mark.scrollIntoView({ block: "center" });
  let left = SETTLING_FRAMES;
  const check = () => {
    if (!mark.isConnected || left-- === 0) return;
    if (outOfView()) mark.scrollIntoView({ block: "center" });
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}
