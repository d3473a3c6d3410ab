// Wires the page: text box → worker (latest text only) → the user's corrections →
// highlights, legend, list, status; the correction dialog, redaction and exports.
import { createWorkerRecognizer, parsePatterns, groupMentions, redact } from "./onoma/index.js";
import { latestOnly } from "./latest-only.js";
import { commonEnds } from "./onoma/common-ends.js";
import { modelUrl, wasmUrl } from "./onoma/core.js";
import { renderDocument, renderLegend, renderEntityList, colourLabels } from "./render.js";
import { formatNumber, plural } from "./dom.js";
import { exportAs } from "./export-actions.js";
import { createTermsPanel } from "./terms.js";
import { Corrections } from "./corrections.js";
import { createEditor } from "./editor.js";
import { docSelection, boxSelection } from "./selection.js";
import { TextBox } from "./text-box.js";
import { moveByKey, MentionCursor } from "./navigate.js";
import { SAMPLE_ARTICLE } from "./sample-article.js";
import { keepOffline, showWhenOffline, fetchEngine, loadingView, LoadError } from "./offline.js";
import { restoreSettings, keepSettings } from "./settings.js";
import { offerFiles, textOfFile, FileError } from "./open-file.js";

const $ = (id) => document.getElementById(id);
const ui = {
  input: $("text-input"), doc: $("doc"), status: $("status"), legend: $("legend"),
  list: $("entity-list"), threshold: $("threshold"), thresholdValue: $("threshold-value"),
  exportNote: $("export-note"), footerModel: $("model-version"),
  patternsFile: $("patterns-file"), patternsSummary: $("patterns-summary"), patternsIntro: $("patterns-intro"),
  patternsError: $("patterns-error"), removePatterns: $("remove-patterns"), ignoreCase: $("ignore-case"),
  precedence: $("precedence"), modelFile: $("model-file"), modelSummary: $("model-summary"),
  modelIntro: $("model-intro"), modelError: $("model-error"), builtInModel: $("builtin-model"),
  undo: $("undo"), redo: $("redo"), addEntity: $("add-entity"), addSelection: $("add-selection"),
  redact: $("redact"), redactStyle: $("redact-style"), redactStyleLabel: $("redact-style-label"),
  search: $("entity-search"),
};

const state = {
  // Whether a recognizer has loaded: until then there is nothing to draw, and the document
  // shows the engine's download, or what failed.
  ready: false,
  // The name and version of the model in use, and the labels it gives (without the patterns').
  model: "",
  modelLabels: new Set(),
  // Every label the recognizer in use gives, [{label, description, colour}], the patterns' too.
  labels: [],
  // Those and the types only the user's corrections give: what the legend lists.
  shownLabels: [],
  // The user's pattern file in use, {list, name, lines}, or null.
  patterns: null,
  // The user's terms (EntityRuler patterns made in the page), matched after the file's.
  terms: [],
  hidden: new Set(),
  minScore: Number(ui.threshold.value),
  // The last analysis shown: every entity the engine found (minScore 0), filtered here so
  // that the slider and the type toggles answer at once without asking the worker again.
  text: "",
  analysis: { entities: [], tokens: 0, sentences: 0 },
  millis: 0,
  // What was drawn last: the entities shown, grouped by entity, and the document's view (which
  // gives each one's mark).
  shown: [],
  groups: [],
  view: null,
  // Redaction of the entities shown: null, or {style} of the package's redact(); and what
  // each entity is replaced by in the list (null: nothing).
  redaction: null,
  placeholderOf: null,
};

// The panel of the user's terms (terms.js), once made.
let terms = null;
const corrections = new Corrections();
// The text box, which holds one part of a long text at a time.
const box = new TextBox(ui.input, $("text-part"), { inView: () => state.view?.visibleSpan() ?? null });
const cursor = new MentionCursor($("mention-nav"), $("mention-where"));

const passing = () => corrections.apply(state.analysis.entities).filter((e) => e.score >= state.minScore);

// The recognizer's labels, then those only the user's corrections give, of those `found`.
function labelsOf(found) {
  const known = new Set(state.labels.map(({ label }) => label));
  const own = [...found].filter((label) => !known.has(label));
  return own.length ? [...state.labels, ...own.map((label) => ({ label, description: "Your own type" }))] : state.labels;
}

function render() {
  if (!state.ready) return;
  const all = passing();
  const shown = all.filter((e) => !state.hidden.has(e.label));
  const counts = new Map();
  for (let i = 0; i < all.length; i++) counts.set(all[i].label, (counts.get(all[i].label) ?? 0) + 1);
  const labels = labelsOf(counts.keys());
  if (labels !== state.shownLabels) colourLabels(labels, state.modelLabels);
  state.shownLabels = labels;
  const replacements = state.redaction && shown.length
    ? new Map(redact(state.text, shown, state.redaction).replacements.map((r) => [r.start, r.replacement]))
    : null;
  const replacementOf = replacements && ((entity) => replacements.get(entity.start));
  const focused = state.view?.entityOf(document.activeElement);
  Object.assign(state, { shown, groups: groupMentions(shown) });
  const near = state.view?.visibleSpan();
  state.view = renderDocument(ui.doc, state.text, shown, replacementOf, near, state.view);
  refocus(focused);
  renderLegend(ui.legend, labels, counts, state.hidden, toggleLabel);
  // The list names each entity's placeholder; a mask would say nothing there.
  state.placeholderOf = state.redaction?.style === "mask" ? null : replacementOf;
  renderList();
  cursor.redraw(state.groups, state.view);
  renderStatus(shown.length);
  ui.undo.disabled = !corrections.canUndo;
  ui.redo.disabled = !corrections.canRedo;
  for (const id of ["copy-json", "download-csv", "download-jsonl", "download-html", "download-redacted"]) {
    $(id).disabled = shown.length === 0;
  }
}

function renderList() {
  renderEntityList(ui.list, state.shownLabels, state.groups, ui.search.value, (group) => {
    cursor.show(group, cursor.group === group ? cursor.index + 1 : 0, state.view);
  }, state.placeholderOf);
}

// After drawing again, focus goes back to the highlight of the same span, if it is still there.
function refocus(entity) {
  if (!entity) return;
  const same = state.shown.find((shown) => shown.start === entity.start && shown.end === entity.end);
  const mark = same && state.view.markOf(same);
  if (mark) {
    state.view.makeTabStop(mark);
    mark.focus();
  }
}

function renderStatus(entityCount) {
  const { upTo } = state.analysis;
  const parts = !state.text.trim()
    ? ["Ready"]
    : upTo === undefined
      ? [plural(entityCount, "entity", "entities"),
         `${formatNumber(state.analysis.tokens)} tokens`,
         `${formatNumber(Math.round(state.millis))} ms`]
      : [`${plural(entityCount, "entity", "entities")} in the first ${Math.max(1, Math.floor(100 * upTo / state.text.length))} %`,
         "analysing the rest…"];
  if (state.model) parts.push(`model ${state.model}`);
  ui.status.textContent = parts.join(" · ");
  // The status line is not a live region (it changes at every pause in typing): a screen
  // reader is told the count alone, once the page has been still for a second, and only when
  // it changed. (Errors are said at once: see the end of render.js.)
  const announcement = $("status-announcement");
  const said = state.text.trim() ? `${plural(entityCount, "entity", "entities")} found` : "";
  clearTimeout(announcement.timer);
  announcement.timer = setTimeout(() => {
    if (announcement.textContent !== said) announcement.textContent = said;
  }, 1000);
}

function toggleLabel(label) {
  if (!state.hidden.delete(label)) state.hidden.add(label);
  saveSettings();
  render();
  ui.legend.querySelector(`[data-label="${CSS.escape(label)}"]`)?.focus();
}

// Shows the analysis of `text` (of its first `analysis.upTo` characters while the rest is
// analysed), unless the text box was edited since it was asked for: that text will be analysed
// again, and only the latest is shown.
function show(text, analysis, millis) {
  if (text !== box.text) return;
  corrections.follow(text);
  Object.assign(state, { text, analysis, millis });
  ui.status.classList.remove("error");
  render();
}

/**
 * Characters of blocks away from an edit that each worker reads again per call, when the
 * edit changed what the text says about their words (about a tenth of a second's work).
 */
const REFRESH_LIMIT = 50_000;

/** Texts at least this long are shown in two steps: see firstPart(). */
const TWO_STEPS_FROM = 120_000;
/** About how much of a long text is analysed first: more than a screen holds. */
const FIRST_PART = 30_000;

// The beginning of a long text that is analysed first: it ends at the first line break after
// FIRST_PART characters, or failing that at a sentence's end, so that no name is cut. Null for
// a shorter text, or one with neither soon enough.
function firstPart(text) {
  if (text.length < TWO_STEPS_FROM) return null;
  const window = text.slice(FIRST_PART, 2 * FIRST_PART);
  const at = [/\n\s*\n/, /\n/, /[.!?]\s/].map((end) => window.search(end)).find((i) => i >= 0);
  return at === undefined ? null : text.slice(0, FIRST_PART + at);
}

// Whether `text` is `before` edited in a few places: most of it is their common beginning
// and end.
function isEditOf(before, text) {
  const { head, tail } = commonEnds(before, text);
  return head + tail >= text.length * 0.9;
}

function showError(message) {
  ui.status.textContent = message;
  ui.status.classList.add("error");
}

// The controls work from the start; analyses asked for while the model loads wait for it,
// through failed tries ("Try again") until one succeeds.
function start() {
  applySettings(restoreSettings());
  const offline = keepOffline();
  showWhenOffline(document.querySelector(".masthead") ?? document.body);
  const view = loadingView(ui.doc);
  // The compiled engine (the build this browser runs) and the built-in model's bytes,
  // downloaded once (after the service worker has taken over, which keeps them) and shared by
  // the workers of every model; a failed download is tried again from scratch.
  let engine = null;
  const engineModule = () => {
    engine ??= offline.controlled
      .then(() => fetchEngine(wasmUrl(), modelUrl(), view.progress))
      .catch((error) => { engine = null; throw error; });
    return engine;
  };
  // The recognizer in use, or while none is, the next one. The built-in model's never fails:
  // it waits for a try that works. It is ready once the copy for offline use is kept too, which
  // takes less time than the engine's download: after that the page asks for nothing more.
  let loading = new Promise((resolve) => {
    const attempt = () => {
      ui.status.textContent = "Loading the model…";
      ui.status.classList.remove("error");
      view.starting();
      const model = engineModule().then((engine) => {
        view.loadingModel();
        return loadRecognizer(null, engine);
      });
      Promise.all([model, offline.kept]).then(([recognizer]) => resolve(recognizer), (error) => {
        const message = error instanceof LoadError
          ? `Could not load the engine: ${error.message}`
          : `Could not load the model: ${reason(error)}`;
        showError(message);
        view.failed(message, attempt);
      });
    };
    attempt();
  });
  // Changes of model or patterns are made one at a time, each to what the last one left.
  let changes = loading.catch(() => {});
  const change = (apply) => { changes = changes.then(apply).catch((error) => showError(reason(error))); };
  let busy = false;
  // A new long text shows the highlights of its beginning first, that part analysed alone (in
  // a fraction of the time), then those of the whole text analysed as one document. The
  // workers keep the text (analyzeLive): an edit is read again only where it changed.
  let lastText = "";
  const analyze = latestOnly(async (text, progress) => {
    const recognizer = await loading;
    const first = isEditOf(lastText, text) ? null : firstPart(text);
    // An edit is read first (its own blocks only); the blocks it made stale come in calls of
    // their own, short enough that a key typed meanwhile never waits long.
    const refreshLimit = text === lastText ? REFRESH_LIMIT : 0;
    lastText = text;
    if (first !== null) {
      progress.partial({ ...await recognizer.analyze(first, { minScore: 0 }), upTo: first.length });
      if (progress.stale()) return null;
    }
    return recognizer.analyzeLive(text, { minScore: 0, refreshLimit });
  }, {
    // Blocks an edit made stale (see REFRESH_LIMIT) are read in the calls that follow.
    onResult(text, analysis, millis) {
      show(text, analysis, millis);
      if (analysis.pending > 0 && text === box.text) analyzeNow();
    },
    onPartial: show,
    onError: (error) => showError(`Analysis failed: ${error.message ?? error}`),
    onBusy(isBusy) {
      busy = isBusy;
      ui.status.classList.toggle("busy", busy);
    },
  });
  // Each edit is read at once: it costs the workers milliseconds (analyzeLive), and
  // latestOnly keeps what is typed meanwhile to the newest text, dropping overtaken answers.
  const analyzeNow = () => analyze(box.text);

  box.onEdit = analyzeNow;
  $("sample-button").addEventListener("click", () => {
    box.set(SAMPLE_ARTICLE);
    analyzeNow();
  });
  offerFiles({
    button: $("open-file"), picker: $("text-file"), target: ui.input.closest(".input-card"),
    async open(file) {
      const note = $("file-note");
      note.hidden = false;
      note.classList.remove("error");
      note.textContent = `Opening ${file.name}…`;
      try {
        box.set(await textOfFile(file));
      } catch (error) {
        note.classList.add("error");
        note.textContent = error instanceof FileError ? error.message : `Could not open ${file.name}: ${reason(error)}`;
        return;
      }
      note.textContent = `${file.name}: ${plural(box.text.length, "character", "characters")}.`;
      analyzeNow();
    },
  });
  $("clear-button").addEventListener("click", () => {
    box.set("");
    analyzeNow();
    ui.input.focus();
  });
  ui.threshold.addEventListener("input", () => {
    state.minScore = Number(ui.threshold.value);
    ui.thresholdValue.value = state.minScore.toFixed(2);
    saveSettings();
    render();
  });
  $("show-all").addEventListener("click", () => { state.hidden.clear(); saveSettings(); render(); });
  $("show-none").addEventListener("click", () => {
    state.hidden = new Set(state.shownLabels.map(({ label }) => label));
    saveSettings();
    render();
  });
  setUpCorrections();
  setUpRedaction();
  for (const [id, format] of [["copy-json", "json"], ["download-csv", "csv"], ["download-jsonl", "jsonl"],
    ["download-html", "html"], ["download-redacted", "redacted"]]) {
    $(id).addEventListener("click", async () => {
      ui.exportNote.textContent = await exportAs(format, exportView());
    });
  }
  ui.search.addEventListener("input", () => renderList());
  $("mention-prev").addEventListener("click", () => cursor.step(-1));
  $("mention-next").addEventListener("click", () => cursor.step(1));

  // Your patterns: a file read in the page, never sent. One the engine refuses leaves the
  // patterns in use as they were.
  async function usePatterns(choose) {
    let patterns, labels;
    try {
      patterns = await choose();
      const recognizer = await loading;
      await recognizer.setPatterns(allPatterns(patterns, state.terms), patternOptions());
      labels = await recognizer.labels();
    } catch (error) {
      ui.patternsError.textContent = patternError(error, patterns);
      return;
    }
    state.patterns = patterns;
    setLabels(labels, state.modelLabels);
    ui.patternsError.textContent = "";
    ui.patternsSummary.textContent = patterns
      ? `${plural(patterns.list.length, "pattern", "patterns")} from ${patterns.name}`
      : "";
    ui.patternsIntro.hidden = Boolean(patterns);
    ui.removePatterns.hidden = !patterns;
    analyzeNow(); // which shows the new types with the entities found with them
  }

  $("load-patterns").addEventListener("click", () => ui.patternsFile.click());
  ui.patternsFile.addEventListener("change", () => {
    const [file] = ui.patternsFile.files;
    ui.patternsFile.value = ""; // so that choosing the same file again, edited, reads it again
    if (file) change(() => usePatterns(() => readPatterns(file)));
  });
  ui.removePatterns.addEventListener("click", () => {
    change(() => usePatterns(() => null));
    $("load-patterns").focus();
  });
  for (const option of [ui.ignoreCase, ui.precedence]) {
    option.addEventListener("change", () => {
      saveSettings();
      change(() => usePatterns(() => state.patterns));
    });
  }

  // Your terms: applied as they are edited; one the engine refuses is named in the panel
  // and the terms in use stay as they were.
  terms = createTermsPanel($("terms"), {
    onChange: (list) => new Promise((resolve, reject) => change(async () => {
      try {
        const recognizer = await loading;
        await recognizer.setPatterns(allPatterns(state.patterns, list), patternOptions());
        state.terms = list;
        setLabels(await recognizer.labels(), state.modelLabels);
        analyzeNow();
        resolve();
      } catch (error) {
        reject(new Error(reason(error).replace(/^patterns\[(\d+)\]/, (whole, i) => {
          const term = Number(i) - (state.patterns?.list.length ?? 0);
          return term >= 0 ? `term ${term + 1}` : whole;
        })));
      }
    })),
  });
  state.terms = terms.patterns();

  // Your model: a file read in the page, never sent. It gets a worker of its own, which takes
  // over only once it has loaded the model: one the engine refuses leaves the model in use.
  async function useModel(choose) {
    let model;
    ui.status.classList.add("busy"); // while the model loads
    try {
      model = await choose();
      const recognizer = await loadRecognizer(model, await engineModule());
      const previous = loading;
      loading = Promise.resolve(recognizer);
      // Asked for before the old worker goes, so that its answer, if one is on its way, is dropped.
      analyzeNow();
      (await previous.catch(() => null))?.terminate();
    } catch (error) {
      ui.modelError.textContent = `Could not use ${model?.name ?? "the model"}: ${reason(error)}`;
      return;
    } finally {
      ui.status.classList.toggle("busy", busy);
    }
    showModel(model);
  }

  $("open-model").addEventListener("click", () => ui.modelFile.click());
  ui.modelFile.addEventListener("change", () => {
    const [file] = ui.modelFile.files;
    ui.modelFile.value = ""; // so that the same file can be opened again
    if (file) change(() => useModel(async () => ({ name: file.name, bytes: await file.arrayBuffer() })));
  });
  ui.builtInModel.addEventListener("click", () => {
    change(() => useModel(() => null));
    $("open-model").focus();
  });

  // The text and corrections of the last visit (kept in this browser only).
  const kept = corrections.restore();
  if (kept && !box.text) box.set(kept.text);

  loading.then(() => {
    state.ready = true;
    showModel(null);
    render();
    // The text of the last visit, if it was kept: annotate it straight away.
    if (box.text && !busy) analyzeNow();
  });
}

// Workers of the pool (see loadRecognizer): one per core, at most four, since each holds
// a copy of the model.
const WORKERS = Math.min(4, navigator.hardwareConcurrency || 1);

// A recognizer in a pool of workers of its own for `model`, {name, bytes} of a file or null
// for the built-in model, with the user's patterns, on `engine` (fetchEngine's compiled
// module and built-in model); the pool cuts a long text into one share per worker. Once it
// has loaded, the page shows its labels.
async function loadRecognizer(model, engine) {
  const options = { wasm: engine.module, model: model?.bytes ?? engine.model, workers: WORKERS };
  const recognizer = await createWorkerRecognizer(options);
  let info, fromModel, labels;
  try {
    [info, labels] = await Promise.all([recognizer.info(), recognizer.labels()]);
    fromModel = new Set(labels.map(({ label }) => label));
    const patterns = allPatterns(state.patterns, state.terms);
    if (patterns) {
      await recognizer.setPatterns(patterns, patternOptions());
      labels = await recognizer.labels();
    }
  } catch (error) {
    recognizer.terminate();
    throw error;
  }
  state.model = `${info.name} ${info.version}`;
  setLabels(labels, fromModel);
  return recognizer;
}

function setLabels(labels, fromModel) {
  terms?.setLabels(labels);
  state.labels = labels;
  state.modelLabels = fromModel;
  colourLabels(labels, fromModel);
}

// Which model is in use: the built-in one (null), or {name} of the file it was read from.
function showModel(model) {
  ui.footerModel.textContent = `Model ${state.model}`;
  ui.modelSummary.textContent = `In use: ${model ? `${model.name} (${state.model})` : "the built-in English model"}`;
  ui.modelIntro.hidden = Boolean(model);
  ui.builtInModel.hidden = !model;
  ui.modelError.textContent = "";
}

// The file's patterns, then the user's terms; null when there are none.
function allPatterns(file, terms) {
  const list = [...(file?.list ?? []), ...terms];
  return list.length ? list : null;
}

const patternOptions = () => ({ ignoreCase: ui.ignoreCase.checked, precedence: ui.precedence.value });

async function readPatterns(file) {
  const text = await file.text();
  // The line of the file each pattern is on (blank lines hold none), to name it in errors.
  const lines = text.split("\n").flatMap((line, i) => (line.trim() ? [i + 1] : []));
  const patterns = { name: file.name, lines, list: [] };
  try {
    patterns.list = parsePatterns(text);
  } catch (error) {
    throw Object.assign(error, { patterns });
  }
  if (!patterns.list.length) throw Object.assign(new Error("onoma: it holds no patterns"), { patterns });
  return patterns;
}

// "onoma: patterns[3]: missing "label"" becomes "Could not use terms.jsonl: line 5: missing "label"".
function patternError(error, patterns = error.patterns) {
  const message = reason(error)
    .replace(/^patterns\[(\d+)\]/, (whole, i) => (patterns?.lines[i] ? `line ${patterns.lines[i]}` : whole));
  return patterns ? `Could not use ${patterns.name}: ${message}` : `Could not use the patterns: ${message}`;
}

// An error's message without the "onoma: " that the package's own begin with.
const reason = (error) => String(error.message ?? error).replace(/^onoma: /, "");

// What an export writes: the text and the entities shown, with the settings that chose them.
function exportView() {
  return {
    text: state.text, entities: state.shown, labels: state.shownLabels, model: state.model,
    minScore: state.minScore, hidden: [...state.hidden], redaction: state.redaction ?? { style: "placeholder" },
  };
}

// The correction dialog, opened from a highlight (click, Enter or Space) or for the selected
// text; undo and redo (buttons, Ctrl+Z and Ctrl+Shift+Z or Ctrl+Y outside the text box).
function setUpCorrections() {
  const openEditor = createEditor((done) => {
    if (done.everyMention) {
      const term = done.label ? { label: done.label, pattern: done.text } : { label: done.was, pattern: done.text, stop: true };
      terms.add(term).then(
        () => { ui.exportNote.textContent = `Added “${done.text}” to your terms: every mention is ${done.label ? done.label : `no longer ${done.was}`}.`; },
        () => {}, // the terms panel says why
      );
      return;
    }
    corrections.add({ start: done.start, end: done.end, label: done.label });
    render();
  });
  const correct = (mark) => {
    const entity = state.view.entityOf(mark);
    if (!entity || state.redaction) return;
    const about = entity.source === "user" ? "Your correction." : mark.dataset.tip;
    openEditor({ ...entity, about }, state.shownLabels, mark);
  };
  const add = (span, returnFocus) => {
    if (!span) {
      ui.exportNote.textContent = "Select some text first, here or in the text box.";
      return;
    }
    const text = state.text.slice(span.start, span.end);
    openEditor({ ...span, text }, state.shownLabels, returnFocus);
  };
  ui.doc.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ent");
    if (mark && getSelection().isCollapsed) correct(mark);
  });
  ui.doc.addEventListener("keydown", (event) => {
    const mark = event.target.closest?.("mark.ent");
    if (!mark) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      correct(mark);
    } else if (moveByKey(state.view, mark, event.key)) {
      event.preventDefault();
    }
  });
  // Text selected in the document: a small button beside it adds it as an entity.
  document.addEventListener("selectionchange", () => {
    // Typing in the text box moves its caret: nothing to ask the document's selection then
    // (which would make the browser lay out the page at once, for every key).
    const span = state.redaction || document.activeElement === ui.input ? null : docSelection(ui.doc, state.text);
    ui.addSelection.hidden = !span;
    if (!span) return;
    const box = getSelection().getRangeAt(0).getBoundingClientRect();
    const card = ui.addSelection.offsetParent?.getBoundingClientRect() ?? { left: 0, top: 0 };
    ui.addSelection.style.setProperty("left", `${Math.max(0, box.left - card.left)}px`);
    ui.addSelection.style.setProperty("top", `${box.bottom - card.top + 6}px`);
  });
  ui.addSelection.addEventListener("click", () => add(docSelection(ui.doc, state.text), ui.addSelection));
  ui.addEntity.addEventListener("click", () => {
    if (state.text !== box.text) return; // the text box is ahead of the analysis
    add(docSelection(ui.doc, state.text) ?? boxSelection(box), ui.addEntity);
  });
  const undo = () => { corrections.undo(); render(); };
  const redo = () => { corrections.redo(); render(); };
  ui.undo.addEventListener("click", undo);
  ui.redo.addEventListener("click", redo);
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.target.closest("input, textarea, select, dialog")) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) undo();
    else if ((key === "z" && event.shiftKey) || key === "y") redo();
    else return;
    event.preventDefault();
  });
}

// Redaction: the types shown are replaced, in the document and the list, by placeholders.
function setUpRedaction() {
  const apply = () => {
    state.redaction = ui.redact.checked ? { style: ui.redactStyle.value } : null;
    ui.redactStyleLabel.hidden = !ui.redact.checked;
    ui.doc.classList.toggle("redacting", ui.redact.checked);
  };
  const update = () => {
    apply();
    saveSettings();
    render();
  };
  apply(); // as kept from the last visit
  ui.redact.addEventListener("change", update);
  ui.redactStyle.addEventListener("change", update);
}

// The settings of the last visit (settings.js), put back before anything is drawn or loaded;
// a kept choice that the page no longer offers is left out.
function applySettings(kept) {
  if (kept.minScore !== undefined) ui.threshold.value = String(kept.minScore);
  state.minScore = Number(ui.threshold.value); // the slider rounds to its steps
  ui.thresholdValue.value = state.minScore.toFixed(2);
  if (kept.hidden) state.hidden = new Set(kept.hidden);
  if (kept.redact !== undefined) ui.redact.checked = kept.redact;
  if (kept.ignoreCase !== undefined) ui.ignoreCase.checked = kept.ignoreCase;
  for (const [select, value] of [[ui.redactStyle, kept.redactStyle], [ui.precedence, kept.precedence]]) {
    if ([...select.options].some((option) => option.value === value)) select.value = value;
  }
}

function saveSettings() {
  keepSettings({
    minScore: state.minScore, hidden: [...state.hidden], redact: ui.redact.checked,
    redactStyle: ui.redactStyle.value, ignoreCase: ui.ignoreCase.checked, precedence: ui.precedence.value,
  });
}

start();
