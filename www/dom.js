// Small helpers the page's modules share to build what they show. Nothing here runs when
// the module is imported, so that modules using it load in Node too (the export tests).

const number = new Intl.NumberFormat("en");

/** `n` with thousands separators: 12,345. */
export const formatNumber = (n) => number.format(n);

/** "1 entity", "2,345 entities". */
export const plural = (n, one, many) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** A new `tag` element with `props` (textContent, className…) and `children` appended. */
export function element(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
