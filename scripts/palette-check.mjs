#!/usr/bin/env node
// Checks that no two of the built-in model's 18 types look alike on the page, and that text
// stays readable on their colours: `node scripts/palette-check.mjs [www/style.css]`.
//
// www/style.css gives each type a hue, saturation and lightness shift (--h, --s, --l) and
// derives from them, once for the light theme and once for the dark, a tint (the background
// of a highlight and of its legend entry), an edge (the underline) and a chip (the label's
// background). This script reads those rules as the browser does — the per-type rules and
// the derivations, later rules winning, the dark ones only in the dark theme — works out
// each colour as CSS does (hsl() → 8-bit sRGB), and measures, in each theme:
//
// - the smallest CIEDE2000 difference between any two types' tints, and between any two
//   types' chips. ΔE00 of 1 to 2 is what one just notices between patches side by side;
//   types have to be told apart at a glance, in marks lines apart, so the check asks for
//   several times that. Chips are small (a 0.6rem label): CHIP_MIN = 12. Tints are large,
//   which makes differences easier to see, but pale, and sRGB holds little chroma near white
//   (or, in the dark theme, near black): TINT_MIN = 10, reached because the types' lightness
//   differs as well as their hue. The palette in style.css has 11.5 (tints) and 14.4 (chips)
//   at its closest, so a small adjustment passes and making two types alike does not. Before
//   it, ORDINAL and CARDINAL's tints were 3.5 apart and GPE and MONEY's chips 5.9;
// - how far the palest tint is from the card behind it (CARD_MIN = 5), so that every
//   highlight shows;
// - the WCAG contrast of the page's text on each tint and of the chip's ink on each chip: at
//   least 4.5:1, as for normal text. The same for the colours a type without rules of its
//   own gets (render.js gives it a hue, the defaults do the rest), every 5° of hue.
//
// It exits with 1 when any figure falls short. tests/e2e/export.test.mjs runs
// `checkPalette` too, so that `make test` fails if an edit makes two types alike.

import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const BUILT_IN = ["PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW",
  "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"];
export const TINT_MIN = 10;
export const CHIP_MIN = 12;
export const CARD_MIN = 5;
export const CONTRAST_MIN = 4.5;
const THEMES = ["light", "dark"];

// ---- Reading the CSS ------------------------------------------------------------------

// The style sheet as a flat list of rules: {selectors, theme, decls: [[name, value]]}, in
// source order; `theme` is "dark" or "light" inside a `prefers-color-scheme` media query,
// else null. Other conditional groups (@media, @supports, @container, @layer) are read as if
// they applied; @keyframes are left out.
export function parseRules(cssText) {
  const css = cssText.replace(/\/\*[\s\S]*?\*\//g, "");
  const rules = [];
  let at = 0;
  const block = (theme) => {
    while (at < css.length) {
      const open = css.indexOf("{", at);
      const close = css.indexOf("}", at);
      if (open < 0 || (close >= 0 && close < open)) { at = close < 0 ? css.length : close + 1; return; }
      const prelude = css.slice(at, open).trim();
      at = open + 1;
      if (/^@(?:-\w+-)?keyframes\b/.test(prelude)) {
        for (let depth = 1; depth > 0 && at < css.length; at++) depth += css[at] === "{" ? 1 : css[at] === "}" ? -1 : 0;
      } else if (/^@(?:media|supports|container|layer|scope|document)\b/.test(prelude)) {
        const scheme = /prefers-color-scheme:\s*(dark|light)/.exec(prelude);
        block(scheme ? scheme[1] : theme);
      } else {
        const stop = css.indexOf("}", at);
        const decls = css.slice(at, stop).split(";").map((d) => d.trim()).filter(Boolean).map((d) => {
          const colon = d.indexOf(":");
          return [d.slice(0, colon).trim(), d.slice(colon + 1).trim()];
        });
        rules.push({ selectors: prelude.split(",").map((s) => s.trim()), theme, decls });
        at = stop + 1;
      }
    }
  };
  block(null);
  return rules;
}

// The custom properties an element matched by `matches(selector)` gets in `theme`: the
// cascade among rules of equal specificity is source order.
function cascade(rules, theme, matches) {
  const props = {};
  for (const rule of rules) {
    if (rule.theme && rule.theme !== theme) continue;
    if (!rule.selectors.some(matches)) continue;
    for (const [name, value] of rule.decls) if (name.startsWith("--")) props[name] = value;
  }
  return props;
}

// Replaces var(--x) by its value, as many times as it takes.
function substitute(value, props) {
  for (let i = 0; i < 10 && value.includes("var("); i++) {
    value = value.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g, (_, name, fallback) => props[name] ?? fallback ?? "0");
  }
  return value;
}

// Evaluates a CSS number, percentage or calc() with + - * / and parentheses; units are
// dropped (each hsl() component is in one unit throughout).
function evaluate(expression) {
  const tokens = expression.replace(/calc\(/g, "(").match(/-?(?:\d+\.?\d*|\.\d+)(?:%|deg)?|[-+*/()]/g) ?? [];
  let i = 0;
  const number = () => {
    const token = tokens[i++];
    if (token === "(") { const v = sum(); i++; return v; }
    if (token === "-") return -number();
    return parseFloat(token);
  };
  const product = () => {
    let v = number();
    while (tokens[i] === "*" || tokens[i] === "/") v = tokens[i++] === "*" ? v * number() : v / number();
    return v;
  };
  const sum = () => {
    let v = product();
    while (tokens[i] === "+" || tokens[i] === "-") v = tokens[i++] === "+" ? v + product() : v - product();
    return v;
  };
  // "a - b" is subtraction; a leading "-5" is a negative number: tokens like "-5" after a
  // value are split back into an operator and a number.
  for (let k = 1; k < tokens.length; k++) {
    if (/^-\d|^-\./.test(tokens[k]) && /[\d%)g]$/.test(tokens[k - 1])) tokens.splice(k, 1, "-", tokens[k].slice(1));
  }
  return sum();
}

// The top-level, space- or comma-separated arguments of a function's text.
function argumentsOf(inner) {
  const args = [];
  let depth = 0, current = "";
  for (const c of inner) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (depth === 0 && (c === " " || c === "," || c === "/")) {
      if (current.trim()) args.push(current.trim());
      current = "";
      if (c === "/") break; // alpha is ignored: the derived colours are opaque
    } else current += c;
  }
  if (current.trim() && args.length < 3) args.push(current.trim());
  return args;
}

// A colour value (#rgb, #rrggbb or hsl()) as 8-bit sRGB, [r, g, b] from 0 to 255.
export function parseColour(value) {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d) : hex[1].match(/../g);
    return digits.map((d) => parseInt(d, 16));
  }
  const hsl = /^hsla?\((.*)\)$/s.exec(value.trim());
  if (!hsl) throw new Error(`not a colour this script can read: ${value}`);
  const [h, s, l] = argumentsOf(hsl[1]).map(evaluate);
  return hslToRgb(h, s, l);
}

// CSS Color 4's hsl → sRGB, clamped as computed values are, then rounded to 8 bits as
// browsers draw it.
export function hslToRgb(hue, saturation, lightness) {
  const h = ((hue % 360) + 360) % 360;
  const s = Math.min(Math.max(saturation, 0), 100) / 100;
  const l = Math.min(Math.max(lightness, 0), 100) / 100;
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)].map((c) => Math.round(c * 255));
}

// ---- Colour science ---------------------------------------------------------------------

const linear = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;

export function luminance(rgb) {
  const [r, g, b] = rgb.map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

// sRGB → CIELAB (D65 white).
export function lab(rgb) {
  const [r, g, b] = rgb.map(linear);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
  const f = (t) => t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

// CIEDE2000 (Sharma, Wu and Dalal 2005), with kL = kC = kH = 1.
export function deltaE2000([L1, a1, b1], [L2, a2, b2]) {
  const rad = Math.PI / 180;
  const C1 = Math.hypot(a1, b1), C2 = Math.hypot(a2, b2);
  const Cm = (C1 + C2) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cm ** 7 / (Cm ** 7 + 25 ** 7)));
  const a1p = a1 * (1 + G), a2p = a2 * (1 + G);
  const C1p = Math.hypot(a1p, b1), C2p = Math.hypot(a2p, b2);
  const hue = (b, a) => (a === 0 && b === 0 ? 0 : (Math.atan2(b, a) / rad + 360) % 360);
  const h1p = hue(b1, a1p), h2p = hue(b2, a2p);
  const dLp = L2 - L1, dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * rad);
  const Lmp = (L1 + L2) / 2, Cmp = (C1p + C2p) / 2;
  let hmp = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) > 180) hmp += h1p + h2p < 360 ? 360 : -360;
    hmp /= 2;
  }
  const T = 1 - 0.17 * Math.cos((hmp - 30) * rad) + 0.24 * Math.cos(2 * hmp * rad)
    + 0.32 * Math.cos((3 * hmp + 6) * rad) - 0.2 * Math.cos((4 * hmp - 63) * rad);
  const dTheta = 30 * Math.exp(-(((hmp - 275) / 25) ** 2));
  const RC = 2 * Math.sqrt(Cmp ** 7 / (Cmp ** 7 + 25 ** 7));
  const SL = 1 + (0.015 * (Lmp - 50) ** 2) / Math.sqrt(20 + (Lmp - 50) ** 2);
  const SC = 1 + 0.045 * Cmp, SH = 1 + 0.015 * Cmp * T;
  const RT = -Math.sin(2 * dTheta * rad) * RC;
  return Math.sqrt((dLp / SL) ** 2 + (dCp / SC) ** 2 + (dHp / SH) ** 2 + RT * (dCp / SC) * (dHp / SH));
}

// ---- The check --------------------------------------------------------------------------

// Each type's colours in each theme: {light: {PERSON: {tint, edge, chip, chipInk}}}, and the
// page's {ink, card} per theme, all as [r, g, b]. `labels` defaults to the 18 built-in
// types; a label with no rule of its own gets the defaults of `[data-label]`, and `hue`, if
// given, stands for the --h that render.js sets on such a label's elements.
export function paletteOf(cssText, { labels = BUILT_IN, hue } = {}) {
  const rules = parseRules(cssText);
  const types = {}, page = {};
  for (const theme of THEMES) {
    const root = cascade(rules, theme, (s) => s === ":root");
    page[theme] = Object.fromEntries(["ink", "card"].map((name) => [name, parseColour(root[`--${name}`])]));
    types[theme] = {};
    for (const label of labels) {
      const props = cascade(rules, theme, (s) => s === "[data-label]" || s === `[data-label="${label}"]`);
      if (hue !== undefined) props["--h"] = String(hue);
      const colour = (name) => parseColour(substitute(props[name], props));
      types[theme][label] = { tint: colour("--tint"), edge: colour("--edge"), chip: colour("--chip"), chipInk: colour("--chip-ink") };
    }
  }
  return { types, page };
}

// The closest pair of `part` ("tint" or "chip") among the types of one theme.
function closest(colours, part) {
  let best = { deltaE: Infinity, pair: [] };
  for (let i = 0; i < BUILT_IN.length; i++) {
    for (let j = i + 1; j < BUILT_IN.length; j++) {
      const [a, b] = [BUILT_IN[i], BUILT_IN[j]];
      const deltaE = deltaE2000(lab(colours[a][part]), lab(colours[b][part]));
      if (deltaE < best.deltaE) best = { deltaE, pair: [a, b] };
    }
  }
  return best;
}

// The lowest contrast of text on the tint (`ink`) and of the chip's ink on the chip
// (`chipInk`) among `colours`, as [ratio, label], with a sentence for each below the minimum.
function contrasts(colours, page, theme, contrastMin, problems, what = (label) => label) {
  const lowest = { ink: [Infinity], chipInk: [Infinity] };
  for (const [label, c] of Object.entries(colours)) {
    const ratios = { ink: contrast(page.ink, c.tint), chipInk: contrast(c.chipInk, c.chip) };
    for (const [kind, ratio] of Object.entries(ratios)) {
      if (ratio < lowest[kind][0]) lowest[kind] = [ratio, label];
      if (ratio < contrastMin) {
        problems.push(`${theme}: ${kind === "ink" ? "text on the tint" : "the chip's ink on the chip"} of ${what(label)}: `
          + `contrast ${ratio.toFixed(2)}, under ${contrastMin}`);
      }
    }
  }
  return lowest;
}

// {ok, problems: [sentences], figures: {light: {tint, chip, card, contrast, anyHue}, dark: …}}:
// the closest pairs of tints and of chips, the tint closest to the card, the lowest
// contrasts among the 18 types and among the colours that render.js's other types get
// (the defaults of `[data-label]` with any hue).
export function checkPalette(cssText, { tintMin = TINT_MIN, chipMin = CHIP_MIN, cardMin = CARD_MIN, contrastMin = CONTRAST_MIN } = {}) {
  const { types, page } = paletteOf(cssText);
  const anyHue = {};
  for (let hue = 0; hue < 360; hue += 5) {
    const other = paletteOf(cssText, { labels: ["another type"], hue }).types;
    for (const theme of THEMES) (anyHue[theme] ??= {})[hue] = other[theme]["another type"];
  }
  const problems = [];
  const figures = {};
  for (const theme of THEMES) {
    const colours = types[theme];
    const tint = closest(colours, "tint"), chip = closest(colours, "chip");
    for (const [part, { deltaE, pair }, min] of [["tints", tint, tintMin], ["chips", chip, chipMin]]) {
      if (deltaE < min) problems.push(`${theme}: the ${part} of ${pair.join(" and ")} differ by ΔE00 ${deltaE.toFixed(1)}, under ${min}`);
    }
    let card = { deltaE: Infinity };
    for (const label of BUILT_IN) {
      const deltaE = deltaE2000(lab(colours[label].tint), lab(page[theme].card));
      if (deltaE < card.deltaE) card = { deltaE, label };
    }
    if (card.deltaE < cardMin) {
      problems.push(`${theme}: the tint of ${card.label} differs from the card by ΔE00 ${card.deltaE.toFixed(1)}, under ${cardMin}`);
    }
    figures[theme] = {
      tint, chip, card,
      contrast: contrasts(colours, page[theme], theme, contrastMin, problems),
      anyHue: contrasts(anyHue[theme], page[theme], theme, contrastMin, problems, (hue) => `another type with --h ${hue}`),
    };
  }
  return { ok: problems.length === 0, problems, figures };
}

function main() {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const path = process.argv[2] ?? `${here}../www/style.css`;
  const { ok, problems, figures } = checkPalette(readFileSync(path, "utf8"));
  const at = ([ratio, label]) => `${ratio.toFixed(2)} (${label})`;
  for (const [theme, f] of Object.entries(figures)) {
    console.log(`${theme}: closest tints ${f.tint.pair.join("/")} ΔE00 ${f.tint.deltaE.toFixed(1)} (at least ${TINT_MIN}); `
      + `closest chips ${f.chip.pair.join("/")} ΔE00 ${f.chip.deltaE.toFixed(1)} (at least ${CHIP_MIN}); `
      + `tint closest to the card ${f.card.label} ΔE00 ${f.card.deltaE.toFixed(1)} (at least ${CARD_MIN})`);
    console.log(`${theme}: lowest contrast (at least ${CONTRAST_MIN}): text on tint ${at(f.contrast.ink)}, `
      + `chip ink on chip ${at(f.contrast.chipInk)}; other types, by --h: ${at(f.anyHue.ink)}, ${at(f.anyHue.chipInk)}`);
  }
  for (const problem of problems) console.error(`palette-check: ${problem}`);
  process.exit(ok ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
