// Opening a file instead of pasting it: plain text and Markdown as they are, an HTML page as
// the text a reader sees in it. The file is read in the page and never sent anywhere.

/** Files larger than this are refused rather than frozen on. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What the file picker offers. */
export const ACCEPTED = ".txt,.text,.md,.markdown,.html,.htm,.xhtml,text/plain,text/markdown,text/html";

/** A file that cannot be opened as text; its message says why, for the user. */
export class FileError extends Error {}

/**
 * The text of `file` (a File or Blob with a name): UTF-8 (a byte-order mark dropped, bytes
 * that are not UTF-8 replaced), HTML read as a reader sees it. Refuses binary files and files
 * over MAX_FILE_BYTES.
 */
export async function textOfFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw new FileError(`${file.name} is ${megabytes(file.size)}; files up to ${megabytes(MAX_FILE_BYTES)} can be opened.`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (looksBinary(bytes)) {
    throw new FileError(`${file.name} is not a text file. Open a .txt, .md or .html file.`);
  }
  const text = new TextDecoder("utf-8").decode(bytes);
  return isHtml(file, text) ? htmlToText(text) : text.replace(/\r\n?/g, "\n");
}

function megabytes(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// A NUL byte in the first 8 KB: what text never has and images, archives and PDFs soon do.
function looksBinary(bytes) {
  return bytes.subarray(0, 8192).includes(0);
}

function isHtml(file, text) {
  return /\.(x?html?)$/i.test(file.name) || file.type === "text/html"
    || (file.type === "" && /^\s*<(!doctype html|html)[\s>]/i.test(text));
}

// Elements whose content is not read.
const UNREAD = "script, style, x-style, noscript, template, head, svg, iframe, object, canvas, button, select, input, textarea";

// The page's content security policy refuses inline style, in parsed documents too, and says
// so in the console for each: style elements and attributes are renamed before parsing, so that
// there is none to refuse. (Text cannot hold "<" before a letter, so only tags, comments and
// scripts, none of them read, are touched.)
function withoutStyle(html) {
  return html.replace(/<(\/?)style\b/gi, "<$1x-style")
    .replace(/(<[a-z](?:[^<>"']|"[^"]*"|'[^']*')*?[\s/"'])style(?=\s*=)/gi, "$1data-style");
}

// Elements that stand on lines of their own.
const BLOCK = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT", "FIELDSET",
  "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER", "HR", "LI", "MAIN", "NAV",
  "OL", "P", "PRE", "SECTION", "SUMMARY", "TABLE", "TR", "UL", "CAPTION"]);
// Blocks followed by a blank line, as paragraphs are.
const PARAGRAPH = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "BLOCKQUOTE", "PRE", "TABLE", "UL", "OL", "DL",
  "FIGURE", "HR"]);

/**
 * The text of an HTML page as a reader sees it: no script, style or markup; white space
 * collapsed as a browser does, except inside <pre>; a line per block, a blank line after each
 * paragraph, heading, list and table; table cells apart by a tab. Parsed with DOMParser, which
 * runs no script and loads nothing.
 */
export function htmlToText(html) {
  const doc = new DOMParser().parseFromString(withoutStyle(html), "text/html");
  doc.querySelectorAll(UNREAD).forEach((element) => element.remove());
  const out = [];
  // What is owed before the next text: 0 nothing, 1 a line break, 2 a blank line.
  let owed = 0;
  let started = false;
  const write = (text) => {
    if (started && owed) out.push(owed === 2 ? "\n\n" : "\n");
    owed = 0;
    started = true;
    out.push(text);
  };
  const breakLine = (strength) => { owed = Math.max(owed, strength); };
  let space = false; // a collapsed space is owed before the next word on the line
  const walk = (node, inPre) => {
    if (node.nodeType === Node.TEXT_NODE) {
      if (inPre) {
        write(node.data);
        return;
      }
      const words = node.data.split(/[ \t\n\r\f]+/);
      words.forEach((word, i) => {
        if (i > 0) space = true;
        if (word === "") return;
        const pending = space && owed === 0 && started ? " " : "";
        space = false;
        write(pending + word);
      });
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName;
    if (tag === "BR") { breakLine(1); space = false; return; }
    const block = BLOCK.has(tag);
    if (block) { breakLine(PARAGRAPH.has(tag) ? 2 : 1); space = false; }
    if ((tag === "TD" || tag === "TH") && node.previousElementSibling) { write("\t"); space = false; }
    for (const child of node.childNodes) walk(child, inPre || tag === "PRE");
    if (block) { breakLine(PARAGRAPH.has(tag) ? 2 : 1); space = false; }
  };
  walk(doc.body ?? doc.documentElement, false);
  return out.join("");
}

/**
 * Lets the user open a file with `button` (through the hidden `picker`) or drop one on
 * `target`; `open(file)` gets it. Dropping text rather than a file is left to the browser.
 */
export function offerFiles({ button, picker, target, open }) {
  picker.accept = ACCEPTED;
  button.addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const [file] = picker.files;
    picker.value = ""; // so that the same file can be opened again
    if (file) open(file);
  });
  const carriesFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes("Files");
  target.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    target.classList.add("dropping");
  });
  target.addEventListener("dragleave", (event) => {
    if (!target.contains(event.relatedTarget)) target.classList.remove("dropping");
  });
  target.addEventListener("drop", (event) => {
    target.classList.remove("dropping");
    if (!carriesFiles(event)) return;
    event.preventDefault();
    const [file] = event.dataTransfer.files;
    if (file) open(file);
  });
}
