// The correction dialog: change the type of a highlight or remove it, or add an entity for
// selected text; optionally for every mention (which makes it one of the user's terms).
import { typeLongName } from "./types.js";
import { element } from "./dom.js";

const NEW_TYPE = "\u0000new";

/**
 * Builds the dialog once, into `document.body`. `onDone({start, end, label, everyMention,
 * was})` gets the user's choice: `label` null removes, `was` is the entity's label before.
 * Returns `open(target, labels, returnFocus)`, where `target` is {start, end, text, label?,
 * about?} (no label: a new entity) and `labels` are [{label, description}].
 */
export function createEditor(onDone) {
  const heading = element("h2", { id: "editor-heading" });
  const about = element("p", { className: "hint" });
  const type = element("select", { id: "editor-type" });
  const newType = element("input", { id: "editor-new-type", type: "text", autocomplete: "off", spellcheck: false });
  const newTypeLabel = element("label", { htmlFor: "editor-new-type", textContent: "Name of the new type" });
  const newTypeRow = element("p", { className: "field" }, [newTypeLabel, newType]);
  const every = element("input", { id: "editor-every", type: "checkbox" });
  const error = element("p", { className: "hint error", role: "alert" });
  const apply = element("button", { type: "submit", className: "primary" });
  const remove = element("button", { type: "button", textContent: "Remove" });
  const cancel = element("button", { type: "button", textContent: "Cancel" });
  const form = element("form", {}, [
    heading, about,
    element("p", { className: "field" }, [element("label", { htmlFor: "editor-type", textContent: "Type" }), type]),
    newTypeRow,
    // The label holds the box, so that all of it is the target to tick.
    element("label", { className: "check" }, [every, element("span", {}, [
      "Apply to every mention ", element("span", { className: "hint", textContent: "(kept in your terms)" }),
    ])]),
    error,
    element("div", { className: "actions" }, [apply, remove, cancel]),
  ]);
  const dialog = element("dialog", { id: "editor", className: "editor" }, [form]);
  dialog.setAttribute("aria-labelledby", "editor-heading");
  document.body.append(dialog);

  let target = null;
  let returnFocus = null;
  const chosenLabel = () => (type.value === NEW_TYPE ? newType.value.trim() : type.value);
  const showNewType = () => { newTypeRow.hidden = type.value !== NEW_TYPE; };
  type.addEventListener("change", () => {
    showNewType();
    if (type.value === NEW_TYPE) newType.focus();
  });
  function finish(label) {
    const done = { start: target.start, end: target.end, text: target.text, label, everyMention: every.checked, was: target.label };
    dialog.close();
    onDone(done);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const label = chosenLabel();
    if (!label) {
      error.textContent = "Name the new type first.";
      newType.focus();
      return;
    }
    finish(label);
  });
  remove.addEventListener("click", () => finish(null));
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => returnFocus?.isConnected && returnFocus.focus());

  return function open(next, labels, focusAfter) {
    target = next;
    returnFocus = focusAfter;
    const editing = Boolean(next.label);
    heading.textContent = editing ? `Correct “${next.text}”` : `Add “${next.text}” as an entity`;
    about.textContent = next.about ?? "";
    const options = labels.map(({ label, description }) => {
      const name = typeLongName(label, description);
      return element("option", { value: label, textContent: name === label ? label : `${name} (${label})` });
    });
    type.replaceChildren(...options, element("option", { value: NEW_TYPE, textContent: "New type…" }));
    type.value = editing && labels.some(({ label }) => label === next.label) ? next.label : labels[0]?.label ?? NEW_TYPE;
    newType.value = "";
    every.checked = false;
    error.textContent = "";
    showNewType();
    apply.textContent = editing ? "Change type" : "Add";
    remove.hidden = !editing;
    dialog.showModal();
    type.focus();
  };
}
