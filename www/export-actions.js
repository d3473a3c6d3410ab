// The page's export buttons: what each one writes, under what file name, and what the page
// says afterwards. `view` is what is shown: {text, entities, labels, model, minScore,
// hidden, redaction}.
import { redact } from "./onoma/index.js";
import { toJson, toCsv, toTrainingJsonl, toHtml, fileName, copyText, download } from "./export.js";
import { formatNumber, plural } from "./dom.js";

const count = (n) => plural(n, "entity", "entities");

// The settings that chose the entities, as the CSV states them.
const settings = (view) => ({
  model: view.model,
  "minimum confidence": view.minScore.toFixed(2),
  "types hidden": view.hidden.join(" ") || "none",
});

const FORMATS = {
  async json(view) {
    const { model, minScore, text, entities } = view;
    await copyText(toJson({ model, minScore, text, entities }));
    return `Copied ${count(entities.length)} as JSON.`;
  },
  csv(view) {
    const name = fileName(view.text, "csv");
    download(name, toCsv(view.entities, { text: view.text, settings: settings(view), labels: view.labels }), "text/csv;charset=utf-8");
    return `Downloaded ${count(view.entities.length)} as ${name}.`;
  },
  jsonl(view) {
    const name = fileName(view.text, "jsonl");
    download(name, toTrainingJsonl(view.text, view.entities), "application/jsonl;charset=utf-8");
    return `Downloaded the text and ${count(view.entities.length)} as ${name}, a training file for onoma train --corpus.`;
  },
  html(view) {
    const name = fileName(view.text, "html");
    const title = view.text.trim().split("\n", 1)[0].slice(0, 80);
    download(name, toHtml({ title, text: view.text, entities: view.entities, labels: view.labels }), "text/html;charset=utf-8");
    return `Downloaded the highlighted text as ${name}.`;
  },
  redacted(view) {
    const name = fileName(view.text, "txt").replace(/\.txt$/, "-redacted.txt");
    const { text, replacements } = redact(view.text, view.entities, view.redaction);
    download(name, text, "text/plain;charset=utf-8");
    return `Downloaded the text with ${formatNumber(replacements.length)} mentions replaced as ${name}.`;
  },
};

/** Exports `view` as `format` (json, csv, jsonl, html or redacted); returns what to tell the user. */
export async function exportAs(format, view) {
  try {
    return await FORMATS[format](view);
  } catch (error) {
    return `Could not export: ${String(error.message ?? error).replace(/^onoma: /, "")}`;
  }
}
