// Wires the page: text box → worker (latest text only) → highlights, legend, list, status.
import { createWorkerRecognizer, parsePatterns } from "./onoma/index.js";
import { latestOnly, debounce } from "./latest-only.js";
import {
  renderDocument, renderLegend, renderEntityList, colourOwnLabels, mentionKey, flash, formatNumber,
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
  precedence: $("precedence"),
};

const state = {
  model: "",
  labels: [],
  modelLabels: new Set(),
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
  const loading = loadRecognizer();
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
    let patterns;
    try {
      patterns = await choose();
      const recognizer = await loading;
      const options = { ignoreCase: ui.ignoreCase.checked, precedence: ui.precedence.value };
      await recognizer.setPatterns(patterns?.list ?? null, options);
      state.labels = await recognizer.labels();
    } catch (error) {
      ui.patternsError.textContent = patternError(error, patterns);
      return;
    }
    state.patterns = patterns;
    colourOwnLabels(state.labels.map(({ label }) => label).filter((label) => !state.modelLabels.has(label)));
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
    if (file) usePatterns(() => readPatterns(file));
  });
  ui.removePatterns.addEventListener("click", () => {
    usePatterns(() => null);
    $("load-patterns").focus();
  });
  for (const option of [ui.ignoreCase, ui.precedence]) {
    option.addEventListener("change", () => { if (state.patterns) usePatterns(() => state.patterns); });
  }

  loading.then(() => {
    render();
    // A reload keeps the text box's content in most browsers: annotate it straight away.
    if (ui.input.value && !busy) analyzeNow();
  }, (error) => showError(`The model could not be loaded: ${error.message ?? error}`));
}

async function loadRecognizer() {
  const recognizer = await createWorkerRecognizer();
  const [labels, info] = await Promise.all([recognizer.labels(), recognizer.info()]);
  state.labels = labels;
  state.modelLabels = new Set(labels.map(({ label }) => label));
  state.model = `${info.name} ${info.version}`;
  ui.footerModel.textContent = `Model ${state.model}`;
  return recognizer;
}

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
  const message = String(error.message ?? error).replace(/^onoma: /, "")
    .replace(/^patterns\[(\d+)\]/, (whole, i) => (patterns?.lines[i] ? `line ${patterns.lines[i]}` : whole));
  return patterns ? `Could not use ${patterns.name}: ${message}` : `Could not use the patterns: ${message}`;
}

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
