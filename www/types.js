// Plain-language names for the built-in model's 18 types (the OntoNotes labels), for readers
// who do not know what GPE or NORP stand for. The label stays the key everywhere (in the
// data, the exports, the CSS); the name is what a person reads beside it.
//
// `name` is short enough for a legend chip; `long` says a little more where there is room;
// `detail` is what the type covers, as the model describes it (src/label.rs). British
// spelling, as on the rest of the page.

export const TYPE_NAMES = Object.freeze({
  PERSON: { name: "Person", long: "Person", detail: "People, including fictional" },
  NORP: { name: "Group", long: "Nationality or group", detail: "Nationalities, religious or political groups" },
  FAC: { name: "Facility", long: "Building or facility", detail: "Buildings, airports, highways, bridges and other facilities" },
  ORG: { name: "Organisation", long: "Organisation", detail: "Companies, agencies, institutions" },
  GPE: { name: "Place", long: "Place (country, city, state)", detail: "Countries, cities, states" },
  LOC: { name: "Other location", long: "Other location (mountains, rivers, regions)",
    detail: "Non-political locations: mountain ranges, bodies of water, regions" },
  PRODUCT: { name: "Product", long: "Product", detail: "Objects, vehicles, foods and other products" },
  EVENT: { name: "Event", long: "Event", detail: "Named hurricanes, battles, wars, sports events" },
  WORK_OF_ART: { name: "Title of a work", long: "Title of a work", detail: "Titles of books, songs, films and other works" },
  LAW: { name: "Law", long: "Law or document", detail: "Named documents made into laws" },
  LANGUAGE: { name: "Language", long: "Language", detail: "Named languages" },
  DATE: { name: "Date", long: "Date or period", detail: "Absolute or relative dates or periods" },
  TIME: { name: "Time", long: "Time of day", detail: "Times smaller than a day" },
  PERCENT: { name: "Percentage", long: "Percentage", detail: "Percentages" },
  MONEY: { name: "Money", long: "Amount of money", detail: "Monetary values" },
  QUANTITY: { name: "Quantity", long: "Quantity (measure)", detail: "Measurements, as of weight or distance" },
  ORDINAL: { name: "Ordinal", long: "Ordinal (first, 2nd)", detail: "\"first\", \"second\" and so on" },
  CARDINAL: { name: "Number", long: "Number", detail: "Numerals that do not fall under another type" },
});

const own = (label) => Object.hasOwn(TYPE_NAMES, label) ? TYPE_NAMES[label] : undefined;

// A model file may reuse an OntoNotes label for a type of its own and say so in its
// description (a CoNLL model's LOC covers countries too). `description` is what the model
// in use gives for the label; one that differs from the built-in model's means the label is
// the model's own, and it is shown as it is. None, or the built-in description, means ours.
function isOurs(label, description) {
  const type = own(label);
  return type !== undefined && (!description || description === type.detail);
}

// "Place" for GPE (with the built-in model's description or none); any other label as it is.
export function typeName(label, description) {
  return isOurs(label, description) ? TYPE_NAMES[label].name : label;
}

// The longer plain name: "Place (country, city, state)" for GPE; any other label as it is.
export function typeLongName(label, description) {
  return isOurs(label, description) ? TYPE_NAMES[label].long : label;
}

// "ORG — Companies, agencies, institutions": the label and what it covers, by the model's
// description where it gives one, else ours; the label alone when neither says.
export function typeDetail(label, description) {
  const detail = description || own(label)?.detail;
  return detail ? `${label} — ${detail}` : label;
}
