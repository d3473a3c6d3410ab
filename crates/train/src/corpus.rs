//! Reading the training and dev data that users bring, in whichever of the common formats
//! it comes, into one format-neutral representation with labels kept as written.
//!
//! Two families of formats, told apart by content (a first non-blank line that starts with
//! `{` is JSONL, anything else is IOB):
//!
//! - **IOB columns**: `# doc ID` or `-DOCSTART-` lines start documents, one token a line
//!   with its tag in the last column (`WORD<TAB>POS<TAB>TAG`, `WORD<TAB>TAG`, or CoNLL's
//!   space-separated `WORD POS CHUNK TAG`), blank lines between sentences. Tags may be
//!   IOB2, IOB1 (an `I-X` that does not continue an X starts one, as conlleval reads it),
//!   BILOU (`L-`, `U-`) or BIOES (`E-`, `S-`).
//! - **JSONL with character offsets**, one record (document) a line, offsets in Unicode
//!   code points with the end exclusive: `{"text", "entities": [{"start", "end",
//!   "label"}]}` (what `onoma annotate` writes, plus the text), Prodigy's `{"text",
//!   "spans": [...], "answer"}` (records not accepted are skipped and counted), and
//!   doccano's `{"text", "label": [[start, end, "LABEL"]]}` or `{"text", "entities":
//!   [{"start_offset", "end_offset", "label"}]}`. The text is cut into tokens and
//!   sentences by [`onoma::tokenize`] and [`onoma::split_sentences`], so that training
//!   sees the tokens the recognizer sees at run time. An entity whose edge falls inside a
//!   token, or that overlaps an entity kept before it, is left out and reported as a
//!   [`Problem`]; an edge in the white space between tokens cuts nothing (the entity is
//!   the tokens within); an entity across a sentence boundary joins the sentences it
//!   spans. The first of `"entities"`, `"spans"` and `"label"` that a record has is its
//!   list of entities.

use onoma::Token;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use std::path::Path;

/// One training document: sentences of words with entity spans as token ranges.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelledDoc {
    /// The document's identifier: the `# doc` id or the record's `"id"`; the number of the
    /// line the document starts on where the data gives none.
    pub id: String,
    /// Sentences in order.
    pub sentences: Vec<LabelledSentence>,
}

/// One sentence: its words and its entities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelledSentence {
    /// The tokens.
    pub words: Vec<String>,
    /// Entities as ranges of `words` with their labels as written, in order, never
    /// overlapping.
    pub entities: Vec<(Range<usize>, String)>,
}

/// What reading found wrong without stopping: e.g. an entity whose edges fall inside a
/// token, which is left out of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line (1-based) of the file it was found on.
    pub line: usize,
    /// What is wrong, and what was done about it.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A corpus as read: its documents and what was wrong with them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Corpus {
    /// Documents in file order.
    pub docs: Vec<LabelledDoc>,
    /// Entities left out, in file order.
    pub problems: Vec<Problem>,
    /// JSONL records skipped because their `"answer"` is not `"accept"` (Prodigy's
    /// rejected and ignored examples).
    pub skipped: usize,
}

impl Corpus {
    /// The distinct labels of the entities, sorted by name.
    pub fn labels(&self) -> Vec<String> {
        let labels: BTreeSet<&str> = self
            .docs
            .iter()
            .flat_map(|d| &d.sentences)
            .flat_map(|s| &s.entities)
            .map(|(_, l)| l.as_str())
            .collect();
        labels.into_iter().map(String::from).collect()
    }

    /// The number of entities in all documents.
    pub fn entity_count(&self) -> usize {
        self.docs
            .iter()
            .flat_map(|d| &d.sentences)
            .map(|s| s.entities.len())
            .sum()
    }
}

/// Reads the corpus file at `path`, in whichever format its content shows (see
/// [`parse_corpus_text`]). Errors name the file and the line.
pub fn read_corpus_file(path: &Path) -> Result<Corpus, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_corpus_text(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads corpus text: JSONL where the first non-blank line starts with `{` (but for a
/// `{` token with its tag), IOB columns otherwise (see the module documentation). A malformed line is an error naming it
/// (`line 7: ...`).
pub fn parse_corpus_text(text: &str) -> Result<Corpus, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().find(|l| !l.trim().is_empty());
    // A brace token ("{<TAB>O") starts a line of IOB columns too.
    let brace_token = |line: &str| {
        let mut columns = line.split_whitespace();
        columns.next() == Some("{") && columns.next_back().is_some_and(|t| parse_tag(t).is_ok())
    };
    if first.is_some_and(|l| l.trim_start().starts_with('{') && !brace_token(l)) {
        parse_jsonl(text)
    } else {
        parse_iob(text)
    }
}

// ---------------------------------------------------------------------------------------
// IOB columns

/// The part of a tag before the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    /// `B-`: begins an entity.
    Begin,
    /// `I-`: inside an entity (begins one where it continues none: IOB1).
    Inside,
    /// `L-` or `E-`: the last token of an entity.
    Last,
    /// `U-` or `S-`: an entity of one token.
    Unit,
}

/// Parses a tag: `None` for `O`, the prefix and label otherwise.
fn parse_tag(tag: &str) -> Result<Option<(Prefix, &str)>, String> {
    if tag == "O" {
        return Ok(None);
    }
    let bad = || format!("{tag:?} is not a tag (O, or B-, I-, L-, E-, U- or S- and a label)");
    let (prefix, label) = tag.split_once('-').ok_or_else(bad)?;
    let prefix = match prefix {
        "B" => Prefix::Begin,
        "I" => Prefix::Inside,
        "L" | "E" => Prefix::Last,
        "U" | "S" => Prefix::Unit,
        _ => return Err(bad()),
    };
    if label.is_empty() {
        return Err(bad());
    }
    Ok(Some((prefix, label)))
}

/// Entity spans of a sentence's tags, in any of IOB2, IOB1, BILOU and BIOES: `B`, `U`/`S`
/// and an `I` or `L`/`E` that continues no entity of its label begin an entity; `L`/`E`
/// and `U`/`S` end one (the conlleval reading).
fn spans_from_tags(tags: &[Option<(Prefix, String)>]) -> Vec<(Range<usize>, String)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let Some((prefix, label)) = tag else {
            if let Some((s, l)) = open.take() {
                spans.push((s..i, l.to_string()));
            }
            continue;
        };
        let continues = matches!(open, Some((_, l)) if l == label)
            && matches!(prefix, Prefix::Inside | Prefix::Last);
        if !continues {
            if let Some((s, l)) = open.take() {
                spans.push((s..i, l.to_string()));
            }
            open = Some((i, label));
        }
        if matches!(prefix, Prefix::Last | Prefix::Unit) {
            if let Some((s, l)) = open.take() {
                spans.push((s..i + 1, l.to_string()));
            }
        }
    }
    if let Some((s, l)) = open {
        spans.push((s..tags.len(), l.to_string()));
    }
    spans
}

/// Reads IOB columns (see the module documentation).
fn parse_iob(text: &str) -> Result<Corpus, String> {
    let mut docs: Vec<LabelledDoc> = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut tags: Vec<Option<(Prefix, String)>> = Vec::new();
    // A sentence before any header starts a document named by its line.
    let flush = |docs: &mut Vec<LabelledDoc>,
                 words: &mut Vec<String>,
                 tags: &mut Vec<Option<(Prefix, String)>>,
                 line: usize| {
        if words.is_empty() {
            return;
        }
        if docs.is_empty() {
            docs.push(LabelledDoc {
                id: line.to_string(),
                sentences: Vec::new(),
            });
        }
        let entities = spans_from_tags(tags);
        docs.last_mut()
            .expect("a document")
            .sentences
            .push(LabelledSentence {
                words: std::mem::take(words),
                entities,
            });
        tags.clear();
    };
    // The line the sentence being read started on.
    let mut sentence_line = 0;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut docs, &mut words, &mut tags, sentence_line);
            continue;
        }
        let header = if line == "# doc" {
            Some(n.to_string())
        } else {
            line.strip_prefix("# doc ").map(|id| id.trim().to_string())
        };
        let columns: Vec<&str> = if line.contains('\t') {
            line.split('\t').collect()
        } else {
            line.split_whitespace().collect()
        };
        let docstart = columns.first() == Some(&"-DOCSTART-");
        if header.is_some() || docstart {
            flush(&mut docs, &mut words, &mut tags, sentence_line);
            let id = header.filter(|id| !id.is_empty());
            docs.push(LabelledDoc {
                id: id.unwrap_or_else(|| n.to_string()),
                sentences: Vec::new(),
            });
            continue;
        }
        let (Some(&word), Some(&tag)) = (columns.first(), columns.last()) else {
            unreachable!("a non-blank line has a column");
        };
        if columns.len() < 2 {
            return Err(format!(
                "line {n}: expected WORD<TAB>TAG, WORD<TAB>POS<TAB>TAG or CoNLL's \
                 space-separated WORD POS CHUNK TAG, found {line:?}"
            ));
        }
        if word.trim().is_empty() {
            return Err(format!("line {n}: the word (first column) is empty"));
        }
        let tag = parse_tag(tag.trim()).map_err(|e| format!("line {n}: {e}"))?;
        if words.is_empty() {
            sentence_line = n;
        }
        words.push(word.to_string());
        tags.push(tag.map(|(p, l)| (p, l.to_string())));
    }
    flush(&mut docs, &mut words, &mut tags, sentence_line);
    Ok(Corpus {
        docs,
        problems: Vec::new(),
        skipped: 0,
    })
}

// ---------------------------------------------------------------------------------------
// JSONL

/// An entity as a record gives it: code-point offsets and a label.
#[derive(Debug, Clone)]
struct RawEntity {
    start: usize,
    end: usize,
    label: String,
}

/// Reads JSONL (see the module documentation).
fn parse_jsonl(text: &str) -> Result<Corpus, String> {
    let mut corpus = Corpus::default();
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Some((id, text, entities)) =
            parse_record(line, n).map_err(|e| format!("line {n}: {e}"))?
        else {
            corpus.skipped += 1;
            continue;
        };
        let doc = build_doc(id, &text, &entities, n, &mut corpus.problems);
        corpus.docs.push(doc);
    }
    Ok(corpus)
}

/// A record's id, text and entities (checked against the text), or `None` for a record
/// whose `"answer"` is not `"accept"`.
fn parse_record(line: &str, n: usize) -> Result<Option<(String, String, Vec<RawEntity>)>, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not a JSON record: {e}"))?;
    let Value::Object(record) = value else {
        return Err(format!("expected a JSON object, found {}", kind(&value)));
    };
    if let Some(answer) = record.get("answer") {
        if answer.as_str() != Some("accept") {
            return Ok(None);
        }
    }
    let text = match record.get("text") {
        Some(Value::String(text)) => text.clone(),
        Some(other) => return Err(format!("\"text\" is {}, not a string", kind(other))),
        None => return Err("no \"text\"".into()),
    };
    let id = match record.get("id") {
        None | Some(Value::Null) => n.to_string(),
        Some(Value::String(id)) => id.clone(),
        Some(other) => other.to_string(),
    };
    let length = text.chars().count();
    let mut entities = Vec::new();
    // Whichever of the entity lists comes first; a record may have none.
    let list = ["entities", "spans", "label"]
        .into_iter()
        .find_map(|key| record.get(key).filter(|v| !v.is_null()).map(|v| (key, v)));
    if let Some((key, list)) = list {
        let Value::Array(items) = list else {
            return Err(format!(
                "\"{key}\" is {}, not a list of entities",
                kind(list)
            ));
        };
        for (k, item) in items.iter().enumerate() {
            let entity = parse_entity(item, length)
                .map_err(|e| format!("entity {} of \"{key}\": {e}", k + 1))?;
            entities.push(entity);
        }
    }
    Ok(Some((id, text, entities)))
}

/// One entity: `{"start", "end", "label"}`, `{"start_offset", "end_offset", "label"}` or
/// `[start, end, "label"]`, checked against a text of `length` code points.
fn parse_entity(item: &Value, length: usize) -> Result<RawEntity, String> {
    let (start, end, label) = match item {
        Value::Object(fields) => {
            let field = |names: &[&str]| -> Result<&Value, String> {
                names
                    .iter()
                    .find_map(|name| fields.get(*name))
                    .ok_or_else(|| format!("no \"{}\"", names[0]))
            };
            (
                field(&["start", "start_offset"])?,
                field(&["end", "end_offset"])?,
                field(&["label"])?,
            )
        }
        Value::Array(items) if items.len() == 3 => (&items[0], &items[1], &items[2]),
        other => {
            return Err(format!(
                "expected {{\"start\", \"end\", \"label\"}} or [start, end, \"label\"], found {}",
                kind(other)
            ))
        }
    };
    let start = offset(start).map_err(|e| format!("start {e}"))?;
    let end = offset(end).map_err(|e| format!("end {e}"))?;
    let label = match label {
        Value::String(l) if !l.is_empty() => l.clone(),
        Value::String(_) => return Err("the label is empty".into()),
        other => return Err(format!("the label is {}, not a string", kind(other))),
    };
    if start >= end {
        return Err(format!("start {start} is not before end {end}"));
    }
    if end > length {
        return Err(format!(
            "end {end} is beyond the text's {length} characters"
        ));
    }
    Ok(RawEntity { start, end, label })
}

/// A code-point offset: a whole number, at least 0 (`7` or `7.0`).
fn offset(value: &Value) -> Result<usize, String> {
    let whole = match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= 9.0e15)
                .map(|f| f as u64)
        }),
        _ => None,
    };
    whole
        .and_then(|w| usize::try_from(w).ok())
        .ok_or_else(|| format!("{value} is not a whole number of at least 0"))
}

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An entity's description in problem messages: `"Apple" (3..8, ORG)`.
fn describe(text: &str, bytes: Range<usize>, e: &RawEntity) -> String {
    format!(
        "entity {} ({}..{}, {})",
        quoted(&text[bytes]),
        e.start,
        e.end,
        e.label
    )
}

/// `s` in quotes with escapes, cut after 60 characters.
fn quoted(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((b, _)) => format!("{:?}…", &s[..b]),
        None => format!("{s:?}"),
    }
}

/// The index of the token that `byte` falls strictly inside, if any.
fn token_around(tokens: &[Token], byte: usize) -> Option<usize> {
    let i = tokens.partition_point(|t| t.end <= byte);
    tokens.get(i).filter(|t| t.start < byte).map(|_| i)
}

/// A record's text as a document: tokens, sentences (joined where an entity crosses
/// their boundary), and the entities that fall on token boundaries and overlap no entity
/// kept before them; the others are reported in `problems` as found on `line`.
fn build_doc(
    id: String,
    text: &str,
    entities: &[RawEntity],
    line: usize,
    problems: &mut Vec<Problem>,
) -> LabelledDoc {
    // Byte offset of each code point, and of the text's end.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect();
    let tokens = onoma::tokenize(text);
    let mut report = |message: String| problems.push(Problem { line, message });
    // Entities as token ranges, with their index in `entities`.
    let mut spans: Vec<(Range<usize>, usize)> = Vec::new();
    for (k, e) in entities.iter().enumerate() {
        let (start, end) = (bytes[e.start], bytes[e.end]);
        let entity = describe(text, start..end, e);
        let cut_start = token_around(&tokens, start);
        let cut_end = token_around(&tokens, end);
        let token = |i: usize| quoted(tokens[i].text(text));
        match (cut_start, cut_end) {
            (None, None) => {}
            (Some(a), Some(b)) if a == b => {
                report(format!("{entity} lies inside the token {}", token(a)));
                continue;
            }
            (Some(a), Some(b)) => {
                report(format!(
                    "{entity} starts inside the token {} and ends inside the token {}",
                    token(a),
                    token(b)
                ));
                continue;
            }
            (Some(a), None) => {
                report(format!("{entity} starts inside the token {}", token(a)));
                continue;
            }
            (None, Some(b)) => {
                report(format!("{entity} ends inside the token {}", token(b)));
                continue;
            }
        }
        // Edges in the space between tokens are fine: the entity is the tokens within.
        let first = tokens.partition_point(|t| t.end <= start);
        let last = tokens.partition_point(|t| t.start < end);
        if first >= last {
            report(format!("{entity} holds no token"));
            continue;
        }
        spans.push((first..last, k));
    }
    // The earlier-starting entity first, then the longer; an entity overlapping one kept
    // before it is left out.
    spans.sort_by_key(|(r, k)| (r.start, std::cmp::Reverse(r.end), *k));
    let mut kept: Vec<(Range<usize>, usize)> = Vec::with_capacity(spans.len());
    for (r, k) in spans {
        if let Some((_, kk)) = kept.last().filter(|(kr, _)| r.start < kr.end) {
            let (e, other) = (&entities[k], &entities[*kk]);
            report(format!(
                "{} overlaps the {}, which is kept",
                describe(text, bytes[e.start]..bytes[e.end], e),
                describe(text, bytes[other.start]..bytes[other.end], other)
            ));
            continue;
        }
        kept.push((r, k));
    }
    // Sentences, joined where a kept entity crosses a boundary (the splitter was wrong).
    let mut sentences: Vec<Range<usize>> = Vec::new();
    let (mut next_entity, mut reach) = (0, 0);
    for s in onoma::split_sentences(text, &tokens) {
        // The furthest end of the entities that start before this sentence: one that ends
        // after its start joins it to the sentence before.
        while next_entity < kept.len() && kept[next_entity].0.start < s.start {
            reach = reach.max(kept[next_entity].0.end);
            next_entity += 1;
        }
        match sentences.last_mut() {
            Some(last) if reach > s.start => last.end = s.end,
            _ => sentences.push(s),
        }
    }
    let mut kept = kept.into_iter().peekable();
    let sentences = sentences
        .into_iter()
        .map(|s| {
            let mut sentence = LabelledSentence {
                words: tokens[s.clone()]
                    .iter()
                    .map(|t| t.text(text).to_string())
                    .collect(),
                entities: Vec::new(),
            };
            while let Some((r, k)) = kept.next_if(|(r, _)| r.start < s.end) {
                let label = entities[k].label.clone();
                sentence
                    .entities
                    .push((r.start - s.start..r.end - s.start, label));
            }
            sentence
        })
        .collect();
    LabelledDoc { id, sentences }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(tags: &[&str]) -> Vec<(Range<usize>, String)> {
        let tags: Vec<_> = tags
            .iter()
            .map(|t| parse_tag(t).unwrap().map(|(p, l)| (p, l.to_string())))
            .collect();
        spans_from_tags(&tags)
    }

    fn span(r: Range<usize>, l: &str) -> (Range<usize>, String) {
        (r, l.to_string())
    }

    #[test]
    fn iob2_iob1_bilou_and_bioes_give_the_same_spans() {
        let want = vec![span(0..2, "PER"), span(2..3, "ORG"), span(4..5, "LOC")];
        assert_eq!(spans(&["B-PER", "I-PER", "B-ORG", "O", "B-LOC"]), want);
        assert_eq!(spans(&["I-PER", "I-PER", "I-ORG", "O", "I-LOC"]), want);
        assert_eq!(spans(&["B-PER", "L-PER", "U-ORG", "O", "U-LOC"]), want);
        assert_eq!(spans(&["B-PER", "E-PER", "S-ORG", "O", "S-LOC"]), want);
    }

    #[test]
    fn iob1_b_tag_splits_two_adjacent_entities_of_one_label() {
        assert_eq!(
            spans(&["I-LOC", "I-LOC", "B-LOC", "O"]),
            vec![span(0..2, "LOC"), span(2..3, "LOC")]
        );
    }

    #[test]
    fn inconsistent_tags_are_read_as_conlleval_reads_them() {
        // An I- of another label starts an entity; an E- with nothing open is a unit.
        assert_eq!(
            spans(&["B-PER", "I-ORG", "O", "E-LOC", "S-PER", "I-PER"]),
            vec![
                span(0..1, "PER"),
                span(1..2, "ORG"),
                span(3..4, "LOC"),
                span(4..5, "PER"),
                span(5..6, "PER"),
            ]
        );
    }

    #[test]
    fn labels_with_hyphens_keep_everything_after_the_first_hyphen() {
        assert_eq!(spans(&["B-WORK-OF-ART"]), vec![span(0..1, "WORK-OF-ART")]);
    }

    #[test]
    fn a_tag_without_prefix_or_label_is_refused() {
        for tag in ["PER", "B-", "X-PER", "b-PER", ""] {
            assert!(parse_tag(tag).is_err(), "{tag}");
        }
    }

    #[test]
    fn an_offset_must_be_a_whole_number_of_at_least_zero() {
        let ok = |s: &str| offset(&serde_json::from_str(s).unwrap()).ok();
        assert_eq!(ok("7"), Some(7));
        assert_eq!(ok("7.0"), Some(7));
        for bad in ["-1", "7.5", "\"7\"", "null", "1e300", "-0.5", "true"] {
            assert_eq!(ok(bad), None, "{bad}");
        }
    }
}
