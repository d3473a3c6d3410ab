// Turns the entities on screen into JSON and CSV, and gets them to the user.

// `source` is "model" or "pattern"; `id` is the pattern's id, where it has one.
const FIELDS = ["start", "end", "label", "text", "score", "source", "id"];

function pick(entity) {
  return Object.fromEntries(FIELDS.filter((field) => entity[field] !== undefined).map((field) => [field, entity[field]]));
}

export function toJson({ model, minScore, text, entities }) {
  return JSON.stringify({ model, minScore, text, entities: entities.map(pick) }, null, 2);
}

// RFC 4180 quoting. Cells that a spreadsheet would run as a formula get a leading apostrophe.
function csvCell(value) {
  let cell = String(value);
  if (/^[=+\-@\t\r]/.test(cell)) cell = `'${cell}`;
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function toCsv(entities) {
  const rows = [FIELDS, ...entities.map((e) => FIELDS.map((field) => e[field] ?? ""))];
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain http on another host has no Clipboard API: fall back to a hidden, selected textarea.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("the browser refused to copy");
}

export function download(filename, content, type) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
