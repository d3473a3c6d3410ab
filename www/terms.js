// The "Your terms" panel: the user's own list of terms and stop-terms, kept in this browser.
//
// Each entry is an EntityRuler pattern, exactly what a pattern file holds, so that the list
// exports as a file and a file imports into the list:
//
//   {"label": "CITY", "pattern": "Kingsport"}              every "Kingsport" is a CITY
//   {"pattern": "Apple", "stop": true}                     the model never marks "Apple"
//   {"label": "ORG", "pattern": "Apple", "stop": true}     ...as an ORG (other types stay)
//   {"label": "FESTIVAL", "pattern": [{"LOWER": "harbour"}, {"LOWER": "festival"}]}
//
// Two lists are kept apart. `items` is what the panel shows and what `patterns()` returns;
// `applied` is the last list the page's `onChange` accepted, the one the engine uses, and
// the only one ever written to storage. Every change (add, edit, delete, import) is applied
// at once, typing in a row after a pause; a change the engine refuses puts the panel back
// to `applied` and names the term at fault, so what is shown is always what is in use.
// A field that cannot be right (a term with no words, or no type) is not applied at all: it
// is marked invalid while it is being typed in and gets its last value back when left.
//
// A list imported from a file may be long (100,000 terms apply in the engine in well under
// a second): the panel draws at most MAX_ROWS rows, says how many more there are, and offers
// a box to find the others. User text only ever becomes text nodes or input values.
import { parsePatterns } from "./onoma/index.js";
import { download } from "./export.js";
import { element, formatNumber, plural } from "./dom.js";

const STORAGE_KEY = "onoma.terms";
const MAX_ROWS = 200;
// Longer lists get a box to find a term in them.
const FIND_FROM = 10;
const TYPING_PAUSE = 300;
const EXPORT_NAME = "onoma-terms.jsonl";

// The words of a term as shown: a phrase as it is, a token pattern as its JSON.
const shown = (pattern) => (typeof pattern === "string" ? pattern : JSON.stringify(pattern) ?? String(pattern));
const kindOf = (term) => (term.stop ? "stop-term" : "term");
// Keys that are equal when two entries have the same words and kind (a stop-term and a term
// of the same words can both be listed), and the same type too: the same term. A phrase is
// keyed with a leading quote, a token pattern as its JSON (which starts with a bracket).
const sameWords = ({ pattern, stop }) =>
  `${stop ? "stop" : "term"} ${typeof pattern === "string" ? `"${pattern}` : JSON.stringify(pattern)}`;
const sameTerm = (term) => `${term.label ?? ""}\u0000${sameWords(term)}`;
// Lets the page draw and answer between the steps of a long import.
const yieldToPage = () => new Promise((resolve) => setTimeout(resolve, 0));
// An error's message without the "onoma: " that the package's own begin with.
const reason = (error) => String(error?.message ?? error).replace(/^onoma: /, "");

// {label, pattern} for a term, {label?, pattern, stop: true} for a stop-term, with labels and
// phrases trimmed; an Error saying what is missing when it cannot be a term.
function makeTerm({ label, pattern, stop } = {}) {
  const words = typeof pattern === "string" ? pattern.trim() : pattern;
  const type = typeof label === "string" ? label.trim() : "";
  if (words === "" || words == null || (Array.isArray(words) && words.length === 0)) {
    return new Error("type the words to find");
  }
  if (!stop && !type) return new Error("give the term a type, such as CITY, or make it a stop-term");
  const term = type ? { label: type, pattern: words } : { pattern: words };
  if (stop) term.stop = true;
  return term;
}

// Entries as storage or a file holds them, each kept as it is (ids and token patterns too).
function looksLikeTerm(term) {
  if (typeof term !== "object" || term === null || Array.isArray(term)) return false;
  const { label, pattern, stop } = term;
  const words = (typeof pattern === "string" && pattern.trim() !== "") || (Array.isArray(pattern) && pattern.length > 0);
  const type = typeof label === "string" && label.trim() !== "";
  return words && (stop === true ? label === undefined || type : type);
}

// The terms saved by an earlier visit; anything unreadable is ignored, never thrown.
function restore(storage) {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(saved) ? saved.filter(looksLikeTerm) : [];
  } catch {
    return [];
  }
}

// localStorage itself can throw (storage blocked by the browser's settings): then nothing is kept.
function defaultStorage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function toJsonl(terms) {
  return terms.map((term) => `${JSON.stringify(term)}\n`).join("");
}

/**
 * Builds the panel inside `container` (empty) and returns its API:
 * - `patterns()`: the terms, as EntityRuler patterns, in list order;
 * - `add({label, pattern, stop})`: adds a term and applies the list (the promise of onChange);
 * - `setLabels(labels)`: the types offered, [{label, description}] of the recognizer.
 * `onChange(list)` applies a list: it resolves once the engine uses it, and rejects with an
 * Error naming the entry at fault ("term 2: the pattern is empty") to keep the last one. The
 * terms restored from `storage` are not sent to it: the page reads them with `patterns()`.
 */
export function createTermsPanel(container, { onChange, storage = defaultStorage() } = {}) {
  let items = restore(storage).map((pattern) => ({ pattern }));
  let applied = items.map((item) => item.pattern);
  let latest = 0; // the number of the last change sent to onChange
  let saved = 0; // ... and of the last one written to storage

  // ---- The DOM ----
  const count = element("span", { className: "terms-count" });
  const summary = element("summary", {}, [element("span", { id: "terms-heading", textContent: "Your terms" }), count]);
  const details = element("details", { className: "terms-panel", open: items.length > 0 });

  const termField = element("input", {
    type: "text", id: "term-pattern", autocomplete: "off", spellcheck: false, placeholder: "Kingsport",
  });
  const labelList = element("datalist", { id: "term-labels" });
  const typeField = element("input", {
    type: "text", id: "term-label", autocomplete: "off", spellcheck: false, placeholder: "CITY",
  });
  typeField.setAttribute("list", labelList.id);
  const stopBox = element("input", { type: "checkbox", id: "term-stop" });
  const addButton = element("button", { type: "submit", className: "small", textContent: "Add term" });
  const addForm = element("form", { className: "terms-add", noValidate: true }, [
    element("label", { className: "terms-field terms-words" }, [element("span", { textContent: "Term" }), termField]),
    element("label", { className: "terms-field terms-type" }, [element("span", { textContent: "Type" }), typeField]),
    element("label", { className: "terms-stop" }, [stopBox, " Stop-term (never mark it)"]),
    addButton,
    labelList,
  ]);
  addForm.setAttribute("aria-label", "Add a term");

  const fileInput = element("input", { type: "file", accept: ".jsonl,.ndjson,.json,.txt", hidden: true });
  fileInput.setAttribute("aria-label", "Import terms from a file");
  const importButton = element("button", { type: "button", className: "small", textContent: "Import…" });
  const exportButton = element("button", { type: "button", className: "small", textContent: "Export" });
  const clearButton = element("button", { type: "button", className: "small", textContent: "Delete all" });
  const findField = element("input", { type: "search", autocomplete: "off", spellcheck: false });
  const findLabel = element("label", { className: "terms-find" }, [element("span", { textContent: "Find" }), findField]);
  findField.setAttribute("aria-label", "Find a term");
  const tools = element("div", { className: "actions terms-tools" }, [importButton, fileInput, exportButton, clearButton, findLabel]);

  const list = element("ul", { className: "terms-list" });
  list.setAttribute("aria-label", "Terms");
  const more = element("p", { className: "hint terms-more" });
  const intro = element("p", {
    className: "hint",
    textContent: "Words to mark with a type of your own, or stop-terms the model should never mark. "
      + "Kept in this browser, never sent anywhere; exported as a pattern file.",
  });
  details.append(summary, intro, addForm, tools, list, more);

  const status = element("p", { className: "hint terms-status", id: "terms-status" });
  status.setAttribute("aria-live", "polite");
  const error = element("p", { className: "hint error terms-error", id: "terms-error" });
  error.setAttribute("role", "alert");
  container.replaceChildren(details, status, error);

  // ---- Messages ----
  function say(message, action) {
    status.replaceChildren(message);
    if (action) status.append(" ", action);
  }
  function fail(message) {
    error.textContent = message;
  }

  // ---- Applying and keeping ----
  function save(terms) {
    if (!storage) return;
    try {
      if (terms.length) storage.setItem(STORAGE_KEY, JSON.stringify(terms));
      else storage.removeItem(STORAGE_KEY);
    } catch {
      fail(`These ${plural(terms.length, "term", "terms")} apply, but are too many to keep in this browser: `
        + "they will be gone after a reload. Export them to keep them.");
    }
  }

  // Sends the list as it now is. `describe` turns the engine's refusal into the message shown.
  function apply(describe = (why) => `Could not apply the terms: ${why}`) {
    const terms = items.map((item) => item.pattern);
    const mine = ++latest;
    say(""); // what the last change did; the caller says what this one did once it applies
    return Promise.resolve()
      .then(() => onChange(terms))
      .then(() => {
        applied = terms;
        if (mine > saved) {
          saved = mine;
          save(terms);
        }
        if (mine === latest) {
          fail("");
          for (const field of list.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
        }
      }, (refusal) => {
        if (mine === latest) {
          // Back to the list in use, keeping the focus where it was.
          const focused = document.activeElement;
          const at = focused && list.contains(focused)
            ? [[...list.children].indexOf(focused.closest("li")), focused.dataset.field] : null;
          items = applied.map((pattern) => ({ pattern }));
          renderList();
          if (at) list.children[at[0]]?.querySelector(`[data-field="${at[1]}"]`)?.focus();
          fail(describe(reason(refusal)));
        }
        throw refusal;
      });
  }
  // The UI's own changes: the refusal is shown in the panel, not thrown.
  const applyQuietly = (describe) => apply(describe).then(() => true, () => false);

  // ---- The list ----
  function renderCount() {
    count.textContent = items.length ? ` (${formatNumber(items.length)})` : "";
    exportButton.disabled = items.length === 0;
    clearButton.hidden = items.length === 0;
    findLabel.hidden = items.length <= FIND_FROM && findField.value === "";
  }

  function renderList() {
    renderCount();
    const needle = findField.value.trim().toLowerCase();
    const matching = needle
      ? items.filter(({ pattern }) => `${shown(pattern.pattern)}\u0000${pattern.label ?? ""}`.toLowerCase().includes(needle))
      : items;
    list.replaceChildren(...matching.slice(0, MAX_ROWS).map(row));
    const rest = matching.length - Math.min(matching.length, MAX_ROWS);
    if (rest > 0) {
      more.textContent = `…and ${formatNumber(rest)} more${needle ? " that match" : ""}, which apply too: `
        + "Find shows others.";
    } else {
      more.textContent = needle && matching.length === 0 ? "No term matches." : "";
    }
  }

  // One row: the words (a text field; a token pattern is shown as JSON, not edited), the type,
  // the kind and a Delete button. Edits change `item.pattern`, a new object each time.
  function row(item) {
    const li = element("li", { className: "term-row" });
    const isPhrase = typeof item.pattern.pattern === "string";
    const words = isPhrase
      ? element("input", { type: "text", className: "term-words", value: item.pattern.pattern, spellcheck: false, autocomplete: "off" })
      : element("code", { className: "term-words term-tokens", textContent: shown(item.pattern.pattern) });
    const type = element("input", {
      type: "text", className: "term-type", value: item.pattern.label ?? "", spellcheck: false, autocomplete: "off",
    });
    type.setAttribute("list", labelList.id);
    const kind = element("select", { className: "term-kind" }, [
      element("option", { value: "term", textContent: "term" }),
      element("option", { value: "stop", textContent: "stop-term" }),
    ]);
    const remove = element("button", { type: "button", className: "small term-delete", textContent: "✕" });
    words.dataset.field = "words";
    type.dataset.field = "type";
    kind.dataset.field = "kind";
    remove.dataset.field = "delete";

    const name = () => {
      const what = `${kindOf(item.pattern)} ${shown(item.pattern.pattern)}`;
      if (isPhrase) words.setAttribute("aria-label", `Edit ${what}`);
      else words.title = `Token pattern of ${what}`;
      type.setAttribute("aria-label", `Type of ${what}`);
      type.placeholder = item.pattern.stop ? "any type" : "";
      kind.setAttribute("aria-label", `Kind of ${what}`);
      kind.value = item.pattern.stop ? "stop" : "term";
      remove.setAttribute("aria-label", `Delete ${what}`);
      remove.title = `Delete ${what}`;
      li.classList.toggle("stop", Boolean(item.pattern.stop));
    };
    name();

    // The entry these fields would make, or an Error; other keys (an id) are kept.
    const edited = (stop = item.pattern.stop) => {
      const { label: _label, pattern: _pattern, stop: _stop, ...rest } = item.pattern;
      const term = makeTerm({ label: type.value, pattern: isPhrase ? words.value : item.pattern.pattern, stop });
      return term instanceof Error ? term : { ...term, ...rest };
    };
    let pause;
    const commit = (field) => {
      clearTimeout(pause);
      const term = edited();
      if (term instanceof Error) {
        field.setAttribute("aria-invalid", "true");
        fail(`“${shown(item.pattern.pattern)}” is kept as it was: ${term.message}.`);
        return;
      }
      field.removeAttribute("aria-invalid");
      if (sameTerm(term) === sameTerm(item.pattern) || !items.includes(item)) return;
      item.pattern = term;
      name();
      applyQuietly();
    };
    // Leaving a field that cannot be right puts its last value back.
    const leave = (field, value) => {
      commit(field);
      if (field.getAttribute("aria-invalid")) {
        field.value = value();
        field.removeAttribute("aria-invalid");
        fail("");
      }
    };
    for (const [field, value] of [[words, () => item.pattern.pattern], [type, () => item.pattern.label ?? ""]]) {
      if (field === words && !isPhrase) continue;
      field.addEventListener("input", () => {
        clearTimeout(pause);
        pause = setTimeout(() => commit(field), TYPING_PAUSE);
      });
      field.addEventListener("keydown", (event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          commit(field);
        } else if (event.key === "Escape" && field.value !== value()) {
          event.preventDefault();
          clearTimeout(pause);
          field.value = value();
          field.removeAttribute("aria-invalid");
          fail("");
        }
      });
      field.addEventListener("blur", () => leave(field, value));
    }
    kind.addEventListener("change", () => {
      const term = edited(kind.value === "stop");
      if (term instanceof Error) {
        kind.value = item.pattern.stop ? "stop" : "term";
        fail("To make it a term, give it a type first.");
        type.focus();
        return;
      }
      item.pattern = term;
      name();
      applyQuietly();
    });
    remove.addEventListener("click", () => {
      const at = items.indexOf(item);
      if (at < 0) return;
      const position = [...list.children].indexOf(li);
      items.splice(at, 1);
      renderList();
      const next = list.children[Math.min(position, list.children.length - 1)];
      (next?.querySelector(".term-delete") ?? termField).focus();
      const what = `${kindOf(item.pattern)} “${shown(item.pattern.pattern)}”`;
      applyQuietly().then((done) => done && say(`Deleted the ${what}.`));
    });

    li.append(words, type, kind, remove);
    return li;
  }

  // ---- Adding ----
  function add(entry) {
    const term = makeTerm(entry);
    if (term instanceof Error) {
      fail(`Could not add the term: ${term.message}.`);
      return Promise.reject(term);
    }
    if (items.some(({ pattern }) => sameTerm(pattern) === sameTerm(term))) {
      say(`The ${kindOf(term)} “${shown(term.pattern)}” is already in your terms.`);
      return Promise.resolve();
    }
    const replaced = items.find(({ pattern }) => sameWords(pattern) === sameWords(term));
    if (replaced) replaced.pattern = term;
    else items.push({ pattern: term });
    renderList();
    const what = `${kindOf(term)} “${shown(term.pattern)}”`;
    return apply((why) => `Could not add the ${what}: ${why}`).then(() => {
      const type = term.label ? (term.stop ? `of type ${term.label}` : `as ${term.label}`) : "of any type";
      say(replaced ? `The ${what} is now ${type.replace(/^as /, "")}.` : `Added the ${what} ${type}.`);
    });
  }

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const term = makeTerm({ label: typeField.value, pattern: termField.value, stop: stopBox.checked });
    if (term instanceof Error) {
      fail(`Could not add the term: ${term.message}.`);
      (termField.value.trim() ? typeField : termField).focus();
      return;
    }
    termField.focus(); // for the next term: Enter in any field adds, and the type stays
    try {
      await add(term);
      termField.value = ""; // the type and kind stay, for the next term of the same type
    } catch {
      // shown by add()
    }
  });
  // Enter on the checkbox adds too, as it does in the text fields.
  stopBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addForm.requestSubmit();
    }
  });
  stopBox.addEventListener("change", () => {
    typeField.placeholder = stopBox.checked ? "any type" : "CITY";
  });

  // ---- Import, export, delete all ----
  importButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", async () => {
    const [file] = fileInput.files;
    fileInput.value = ""; // so that choosing the same file again, edited, reads it again
    if (!file) return;
    let text, parsed;
    try {
      text = await file.text();
      parsed = parsePatterns(text);
    } catch (refusal) {
      fail(`Could not import ${file.name}: ${reason(refusal)}`);
      return;
    }
    await yieldToPage();
    // The line each entry is on (blank lines hold none), to name it in errors.
    const lines = text.split("\n").flatMap((line, i) => (line.trim() ? [i + 1] : []));
    const odd = parsed.findIndex((entry) => typeof entry !== "object" || entry === null || Array.isArray(entry));
    if (odd >= 0 || parsed.length === 0) {
      fail(`Could not import ${file.name}: ${parsed.length ? `line ${lines[odd]}: not a pattern like {"label": "CITY", "pattern": "Kingsport"}` : "it holds no terms"}`);
      return;
    }
    const known = new Set(items.map(({ pattern }) => sameTerm(pattern)));
    const fresh = [];
    const freshLines = [];
    parsed.forEach((entry, i) => {
      const key = sameTerm(entry);
      if (known.has(key)) return;
      known.add(key);
      fresh.push({ pattern: entry });
      freshLines.push(lines[i]);
    });
    await yieldToPage();
    const first = items.length;
    items = items.concat(fresh);
    renderList();
    // "term 7: ..." from onChange is the entry's line in the file.
    const describe = (why) => `Could not import ${file.name}: ${why.replace(/^term (\d+)/, (whole, n) =>
      (n - 1 >= first && freshLines[n - 1 - first] ? `line ${freshLines[n - 1 - first]}` : whole))}`;
    if (await applyQuietly(describe)) {
      const skipped = parsed.length - fresh.length;
      say(`Imported ${plural(fresh.length, "term", "terms")} from ${file.name}`
        + `${skipped ? ` (${formatNumber(skipped)} already there)` : ""}.`);
    }
  });

  exportButton.addEventListener("click", () => {
    const terms = items.map((item) => item.pattern);
    download(EXPORT_NAME, toJsonl(terms), "application/jsonl;charset=utf-8");
    say(`Exported ${plural(terms.length, "term", "terms")} as ${EXPORT_NAME}.`);
  });

  clearButton.addEventListener("click", async () => {
    const before = items;
    items = [];
    findField.value = "";
    renderList();
    termField.focus();
    if (!(await applyQuietly())) return;
    const undo = element("button", { type: "button", className: "link", textContent: "Undo" });
    undo.addEventListener("click", async () => {
      items = before.concat(items);
      renderList();
      termField.focus();
      if (await applyQuietly()) say(`Put back ${plural(before.length, "term", "terms")}.`);
    });
    say(`Deleted ${plural(before.length, "term", "terms")}.`, undo);
  });

  // Opened by the user: the card it is in may scroll (three-column layout); bring the fields in.
  summary.addEventListener("click", () => requestAnimationFrame(() => {
    if (details.open) addForm.scrollIntoView({ block: "nearest" });
  }));

  let finding;
  findField.addEventListener("input", () => {
    clearTimeout(finding);
    finding = setTimeout(renderList, 150);
  });

  renderList();

  return {
    patterns: () => items.map(({ pattern }) => ({ ...pattern })),
    add,
    setLabels(labels) {
      labelList.replaceChildren(...(labels ?? []).map(({ label, description }) =>
        element("option", { value: label, label: description || label })));
    },
  };
}
