//! `onoma annotate`: JSONL in, JSONL out; or readable output for one text.

use crate::{Args, Outcome, RECOGNIZER_OPTIONS};
use onoma::offsets::{OffsetConverter, Unit};
use onoma::{Entity, Recognizer};
use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, Write};

/// Runs the command; `Ok(false)` when some input lines were bad.
pub fn run(args: &Args) -> Outcome {
    args.only(&[&RECOGNIZER_OPTIONS[..], &["text"]].concat())?;
    let ner = args.recognizer()?;

    if let Some(text) = args.option("text") {
        print_readable(&ner, text)?;
        return Ok(true);
    }
    if let Some(path) = args.positional.first() {
        let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        print_readable(&ner, &String::from_utf8_lossy(&text))?;
        return Ok(true);
    }
    let annotate = |text: &str| json!({ "entities": entities_json(text, &ner.extract(text)) });
    map_stdin(annotate)
}

/// `onoma tokenize`: JSONL `{"id","text"}` in, `{"id","tokens","sentences"}` out, in the
/// shared benchmark's format (code point offsets; sentences as token index ranges).
pub fn run_tokenize(args: &Args) -> Outcome {
    args.only(&[])?;
    map_stdin(|text: &str| {
        let tokens = onoma::tokenize(text);
        let sentences = onoma::split_sentences(text, &tokens);
        let mut conv = OffsetConverter::new(text, Unit::CodePoint);
        let tokens: Vec<[usize; 2]> = tokens
            .iter()
            .map(|t| [conv.convert(t.start), conv.convert(t.end)])
            .collect();
        let sentences: Vec<[usize; 2]> = sentences.iter().map(|r| [r.start, r.end]).collect();
        json!({ "tokens": tokens, "sentences": sentences })
    })
}

fn map_stdin(process: impl Fn(&str) -> Value) -> Outcome {
    let mut out = BufWriter::new(std::io::stdout().lock());
    Ok(map_jsonl(std::io::stdin().lock(), &mut out, process)?)
}

fn print_readable(ner: &Recognizer, text: &str) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for e in ner.extract(text) {
        writeln!(out, "{:<12} {:.2}  {}", e.label, e.score, e.text)?;
    }
    out.flush()
}

/// The entities of one text as JSON, with code point offsets.
pub fn entities_json(text: &str, entities: &[Entity]) -> Value {
    let mut conv = OffsetConverter::new(text, Unit::CodePoint);
    Value::Array(
        entities
            .iter()
            .map(|e| {
                let mut entity = json!({
                    "start": conv.convert(e.start),
                    "end": conv.convert(e.end),
                    "label": e.label,
                    "text": e.text,
                    "score": (f64::from(e.score) * 10_000.0).round() / 10_000.0,
                    "source": e.source.as_str(),
                });
                if let Some(id) = &e.id {
                    entity["id"] = id.as_str().into();
                }
                entity
            })
            .collect(),
    )
}

/// Maps each JSONL line `{"id", "text"}` to `{"id", ...fields of process(text)}`. A bad line
/// yields `{"line": N, "error": "..."}` in its place (and a message on stderr); the run
/// goes on. Returns whether every line was good.
fn map_jsonl(
    input: impl BufRead,
    out: &mut impl Write,
    process: impl Fn(&str) -> Value,
) -> std::io::Result<bool> {
    let mut all_good = true;
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        if line.trim().is_empty() {
            continue;
        }
        let record = match parse_record(&line) {
            Ok((id, text)) => {
                let mut record = serde_json::Map::new();
                record.insert("id".into(), id);
                if let Value::Object(fields) = process(&text) {
                    record.extend(fields);
                }
                Value::Object(record)
            }
            Err(e) => {
                all_good = false;
                eprintln!("onoma: line {}: {e}", n + 1);
                json!({ "line": n + 1, "error": e })
            }
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(all_good)
}

fn parse_record(line: &str) -> Result<(Value, String), String> {
    let mut value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let object = value.as_object_mut().ok_or("expected a JSON object")?;
    let text = match object.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("\"text\" is not a string".into()),
        None => return Err("missing \"text\"".into()),
    };
    Ok((object.remove("id").unwrap_or(Value::Null), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_and_the_run_goes_on() {
        let input = "{\"id\": 1, \"text\": \"Paris\"}\nnot json\n{\"id\": 3}\n\n{\"id\": \"x\", \"text\": \"Zürich\"}\n";
        let mut out = Vec::new();
        let ner = Recognizer::default();
        let annotate = |text: &str| json!({ "entities": entities_json(text, &ner.extract(text)) });
        let ok = map_jsonl(input.as_bytes(), &mut out, annotate).unwrap();
        assert!(!ok);
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["id"], 1);
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[2]["line"], 3);
        assert_eq!(lines[3]["id"], "x");
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "😀 Zürich";
        let e = Entity {
            start: 5,
            end: text.len(),
            label: "GPE".into(),
            text: "Zürich".into(),
            score: 0.9,
            source: onoma::Source::Model,
            id: None,
        };
        let v = entities_json(text, &[e]);
        assert_eq!(v[0]["start"], 2);
        assert_eq!(v[0]["end"], 8);
    }
}
