// Wires the page: text box → worker (latest text only) → highlights, legend, list, status.
import { createWorkerRecognizer, parsePatterns } from "./onoma/index.js";
import { latestOnly, debounce } from "./latest-only.js";
import {
  renderDocument, renderLegend, renderEntityList, colourLabels, mentionKey, flash, formatNumber,
} from "./render.js";
import { toJson, toCsv, copyText, download } from "./export.js";
import { SAMPLE_ARTICLE } from "./sample-article.js";

const $ = (id) => document.getElementById(id);
const ui = {
  input: $("text-input"), doc: $("doc"), status: $("status"), legend: $("legend"),
  list: $("entity-list"), threshold: $("threshold"), thresholdValue: $("threshold-value"),
  exportNote: $("export-note"), footerModel: $("model-version"),
  patternsFile: $("patterns-file"), patternsSummary: $("patterns-summary"), patternsIntro: $("patterns-intro"),
  patternsError: $("patterns-error"), removePatterns: $("remove-patterns"), ignoreCase: $("ignore-case"),
  precedence: $("precedence"), modelFile: $("model-file"), modelSummary: $("model-summary"),
  modelIntro: $("model-intro"), modelError: $("model-error"), builtInModel: $("builtin-model"),
};

const state = {
  // The name and version of the model in use, and the labels it gives (without the patterns').
  model: "",
  modelLabels: new Set(),
  // Every label the recognizer in use gives, [{label, description, colour}], the patterns' too.
  labels: [],
  // The user's pattern file in use, {list, name, lines}, or null.
  patterns: null,
  hidden: new Set(),
  minScore: Number(ui.threshold.value),
  // The last analysis shown: every entity the engine found (minScore 0), filtered here so
  // that the slider and the type toggles answer at once without asking the worker again.
  text: "",
  analysis: { entities: [], tokens: 0, sentences: 0 },
  millis: 0,
  marksByKey: new Map(),
  nextMention: new Map(),
};

const passing = () => state.analysis.entities.filter((e) => e.score >= state.minScore);
const visible = () => passing().filter((e) => !state.hidden.has(e.label));

function render() {
  const shown = visible();
  const counts = new Map();
  for (const { label } of passing()) counts.set(label, (counts.get(label) ?? 0) + 1);
  state.marksByKey = renderDocument(ui.doc, state.text, shown);
  state.nextMention.clear();
  renderLegend(ui.legend, state.labels, counts, state.hidden, toggleLabel);
  renderEntityList(ui.list, state.labels, shown, showMentions);
  renderStatus(shown.length);
}

function renderStatus(entityCount) {
  const parts = state.text.trim()
    ? [`${formatNumber(entityCount)} ${entityCount === 1 ? "entity" : "entities"}`,
       `${formatNumber(state.analysis.tokens)} tokens`,
       `${formatNumber(Math.round(state.millis))} ms`]
    : ["Ready"];
  if (state.model) parts.push(`model ${state.model}`);
  ui.status.textContent = parts.join(" · ");
}

function toggleLabel(label) {
  if (!state.hidden.delete(label)) state.hidden.add(label);
  render();
  ui.legend.querySelector(`[data-label="${CSS.escape(label)}"]`)?.focus();
}

// Each click on a list entry moves to the next mention, and all of them flash.
function showMentions(label, text) {
  const key = mentionKey(label, text);
  const marks = state.marksByKey.get(key) ?? [];
  if (!marks.length) return;
  const index = (state.nextMention.get(key) ?? 0) % marks.length;
  state.nextMention.set(key, index + 1);
  const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
  marks[index].scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
  flash(marks);
}

function showError(message) {
  ui.status.textContent = message;
  ui.status.classList.add("error");
}

// The controls work from the start; analyses asked for while the model loads wait for it.
function start() {
  let loading = loadRecognizer(null); // the recognizer in use, or while none is, the next one
  // Changes of model or patterns are made one at a time, each to what the last one left.
  let changes = loading.catch(() => {});
  const change = (apply) => { changes = changes.then(apply).catch((error) => showError(reason(error))); };
  let busy = false;
  const analyze = latestOnly(async (text) => (await loading).analyze(text, { minScore: 0 }), {
    onResult(text, analysis, millis) {
      // A text box edited since this was asked for will be analysed again; show only the latest.
      if (text !== ui.input.value) return;
      Object.assign(state, { text, analysis, millis });
      ui.status.classList.remove("error");
      render();
    },
    onError: (error) => showError(`Analysis failed: ${error.message ?? error}`),
    onBusy(isBusy) {
      busy = isBusy;
      ui.status.classList.toggle("busy", busy);
    },
  });
  const analyzeSoon = debounce(analyze, 150);
  const analyzeNow = () => {
    analyzeSoon.cancel();
    analyze(ui.input.value);
  };

  ui.input.addEventListener("input", () => analyzeSoon(ui.input.value));
  $("sample-button").addEventListener("click", () => {
    ui.input.value = SAMPLE_ARTICLE;
    analyzeNow();
  });
  $("clear-button").addEventListener("click", () => {
    ui.input.value = "";
    analyzeNow();
    ui.input.focus();
  });
  ui.threshold.addEventListener("input", () => {
    state.minScore = Number(ui.threshold.value);
    ui.thresholdValue.value = state.minScore.toFixed(2);
    render();
  });
  $("show-all").addEventListener("click", () => { state.hidden.clear(); render(); });
  $("show-none").addEventListener("click", () => {
    state.hidden = new Set(state.labels.map(({ label }) => label));
    render();
  });
  $("copy-json").addEventListener("click", () => exportJson());
  $("download-csv").addEventListener("click", () => {
    download("entities.csv", toCsv(visible()), "text/csv;charset=utf-8");
    ui.exportNote.textContent = `Downloaded ${formatNumber(visible().length)} entities as CSV.`;
  });

  // Your patterns: a file read in the page, never sent. One the engine refuses leaves the
  // patterns in use as they were.
  async function usePatterns(choose) {
    let patterns, labels;
    try {
      patterns = await choose();
      const recognizer = await loading;
      await recognizer.setPatterns(patterns?.list ?? null, patternOptions());
      labels = await recognizer.labels();
    } catch (error) {
      ui.patternsError.textContent = patternError(error, patterns);
      return;
    }
    state.patterns = patterns;
    setLabels(labels, state.modelLabels);
    ui.patternsError.textContent = "";
    ui.patternsSummary.textContent = patterns
      ? `${formatNumber(patterns.list.length)} ${patterns.list.length === 1 ? "pattern" : "patterns"} from ${patterns.name}`
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
    option.addEventListener("change", () => change(() => state.patterns && usePatterns(() => state.patterns)));
  }

  // Your model: a file read in the page, never sent. It gets a worker of its own, which takes
  // over only once it has loaded the model: one the engine refuses leaves the model in use.
  async function useModel(choose) {
    let model;
    ui.status.classList.add("busy"); // while the model loads
    try {
      model = await choose();
      const recognizer = await loadRecognizer(model);
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

  loading.then(() => {
    showModel(null);
    render();
    // A reload keeps the text box's content in most browsers: annotate it straight away.
    if (ui.input.value && !busy) analyzeNow();
  }, (error) => showError(`The model could not be loaded: ${error.message ?? error}`));
}

// A recognizer in a worker of its own for `model`, {name, bytes} of a file or null for the
// built-in model, with the user's patterns. Once it has loaded, the page shows its labels.
async function loadRecognizer(model) {
  const recognizer = await createWorkerRecognizer(model ? { model: model.bytes } : {});
  let info, fromModel, labels;
  try {
    [info, labels] = await Promise.all([recognizer.info(), recognizer.labels()]);
    fromModel = new Set(labels.map(({ label }) => label));
    if (state.patterns) {
      await recognizer.setPatterns(state.patterns.list, patternOptions());
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

async function exportJson() {
  const shown = visible();
  try {
    await copyText(toJson({ model: state.model, minScore: state.minScore, text: state.text, entities: shown }));
    ui.exportNote.textContent = `Copied ${formatNumber(shown.length)} entities as JSON.`;
  } catch (error) {
    ui.exportNote.textContent = `Could not copy: ${error.message ?? error}`;
  }
}

start();
