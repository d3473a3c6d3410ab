// Colours a model file gives its types: only #rgb or #rrggbb is ever used (as a CSS custom
// property), with the ink that reads best on it. Shared by the page and its HTML export.

/** A colour a model file may give a type; anything else is ignored, never used as CSS. */
export const HEX_COLOUR = /^#(?:[0-9a-f]{3}){1,2}$/i;

/** White or near-black, whichever reads better on `hex` (by WCAG relative luminance). */
export function inkOn(hex) {
  const pairs = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit) : hex.slice(1).match(/../g);
  const [r, g, b] = pairs.map((pair) => {
    const c = parseInt(pair, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 ? "#111318" : "#ffffff";
}
