// The page's settings, kept in the browser (localStorage) so that a reload, online or
// offline, comes back as it was left: the minimum confidence, the types hidden, redaction
// and its style, and how patterns are matched. The text itself is kept by corrections.js.

const KEY = "onoma.settings";

/**
 * What a setting may be; anything else kept (an older page's, or edited by hand) is left
 * out, and the page keeps its default for it.
 */
const VALID = {
  minScore: (v) => typeof v === "number" && v >= 0 && v <= 1,
  hidden: (v) => Array.isArray(v) && v.every((label) => typeof label === "string"),
  redact: (v) => typeof v === "boolean",
  redactStyle: (v) => typeof v === "string",
  ignoreCase: (v) => typeof v === "boolean",
  precedence: (v) => typeof v === "string",
};

/**
 * The settings kept from the last visit, e.g. {minScore: 0.5, hidden: ["DATE"]}: only the
 * valid ones; {} when none are kept or what is kept is not JSON.
 */
export function restoreSettings(storage = globalThis.localStorage) {
  let kept;
  try {
    kept = JSON.parse(storage?.getItem(KEY) ?? "{}");
  } catch {
    return {};
  }
  if (typeof kept !== "object" || kept === null || Array.isArray(kept)) return {};
  return Object.fromEntries(Object.entries(VALID).filter(([name, valid]) => valid(kept[name])).map(([name]) => [name, kept[name]]));
}

/** Keeps `settings` ({minScore, hidden, redact, redactStyle, ignoreCase, precedence}). */
export function keepSettings(settings, storage = globalThis.localStorage) {
  try {
    storage?.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage full or refused (private mode): the settings last until a reload.
  }
}
