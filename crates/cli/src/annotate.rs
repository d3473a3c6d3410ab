//! `onoma annotate`: JSONL in, JSONL out; or readable output for one text.

use crate::{Args, Outcome, RECOGNIZER_OPTIONS};
use onoma::offsets::{OffsetConverter, Unit};
use onoma::{Entity, LiveDocument, Recognizer};
use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, Write};

/// Runs the command; `Ok(false)` when some input lines were bad.
pub fn run(args: &Args) -> Outcome {
    args.only(
        &[
            &RECOGNIZER_OPTIONS[..],
            &["text", "threads", "shares", "in-steps"],
        ]
        .concat(),
    )?;
    let ner = args.recognizer()?;
    let threads = match args.number("threads")? {
        Some(0) => return Err("--threads: at least 1".into()),
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let shares = match args.number("shares")? {
        Some(0) => return Err("--shares: at least 1".into()),
        Some(n) => n,
        None => 1,
    };
    let steps = match args.number("in-steps")? {
        Some(0) => return Err("--in-steps: at least 1".into()),
        steps => steps,
    };

    if let Some(text) = args.option("text") {
        print_readable(&ner, text)?;
        return Ok(true);
    }
    if let Some(path) = args.positional.first() {
        let text = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        print_readable(&ner, &String::from_utf8_lossy(&text))?;
        return Ok(true);
    }
    let annotate = |text: &str| {
        let entities: Vec<Entity> = if let Some(steps) = steps {
            written_in_steps(&ner, text, steps, shares)
        } else {
            (0..shares)
                .flat_map(|share| ner.analyze_share(text, share, shares).entities)
                .collect()
        };
        entities_fields(text, &entities)
    };
    map_stdin(annotate, threads)
}

/// The entities of `text` as a [`LiveDocument`] gives them after reading it as it is
/// written, in `steps` steps: its first `1 / steps`, then `2 / steps`, up to the whole, each
/// step cut into `shares` shares as the page's workers cut it.
fn written_in_steps(ner: &Recognizer, text: &str, steps: usize, shares: usize) -> Vec<Entity> {
    let mut live: Vec<LiveDocument> = (0..shares).map(|_| LiveDocument::default()).collect();
    let mut entities = Vec::new();
    for step in 1..=steps {
        let mut end = text.len() * step / steps;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        entities = live
            .iter_mut()
            .enumerate()
            .flat_map(|(share, live)| {
                live.analyze_share(ner, &text[..end], share, shares)
                    .entities
            })
            .collect();
    }
    entities
}

/// `onoma tokenize`: JSONL `{"id","text"}` in, `{"id","tokens","sentences"}` out, in the
/// shared benchmark's format (code point offsets; sentences as token index ranges).
pub fn run_tokenize(args: &Args) -> Outcome {
    args.only(&[])?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    map_stdin(
        |text: &str| {
            let tokens = onoma::tokenize(text);
            let sentences = onoma::split_sentences(text, &tokens);
            let mut conv = OffsetConverter::new(text, Unit::CodePoint);
            let tokens: Vec<[usize; 2]> = tokens
                .iter()
                .map(|t| [conv.convert(t.start), conv.convert(t.end)])
                .collect();
            let sentences: Vec<[usize; 2]> = sentences.iter().map(|r| [r.start, r.end]).collect();
            format!(
                "\"tokens\":{},\"sentences\":{}",
                json!(tokens),
                json!(sentences)
            )
        },
        threads,
    )
}

fn map_stdin(process: impl Fn(&str) -> String + Sync, threads: usize) -> Outcome {
    let mut out = BufWriter::new(std::io::stdout().lock());
    Ok(map_jsonl(
        std::io::stdin().lock(),
        &mut out,
        process,
        threads,
    )?)
}

fn print_readable(ner: &Recognizer, text: &str) -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for e in ner.extract(text) {
        writeln!(out, "{:<12} {:.2}  {}", e.label, e.score, e.text)?;
    }
    out.flush()
}

/// The fields of one text's output record after its id: `"entities":[...]`, with code
/// point offsets.
fn entities_fields(text: &str, entities: &[Entity]) -> String {
    format!("\"entities\":{}", entities_json(text, entities))
}

/// The entities of one text as a JSON array, with code point offsets. Each entity is
/// written as soon as it is made, so a text of many entities holds only their JSON.
pub fn entities_json(text: &str, entities: &[Entity]) -> String {
    let mut conv = OffsetConverter::new(text, Unit::CodePoint);
    let mut out = String::from("[");
    for (i, e) in entities.iter().enumerate() {
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
        if i > 0 {
            out.push(',');
        }
        out.push_str(&entity.to_string());
    }
    out.push(']');
    out
}

/// Lines read before they are handed out to the threads, per thread: enough to keep every
/// thread busy while one long text is analysed, few enough to bound the memory held.
const LINES_PER_THREAD: usize = 64;

/// Maps each JSONL line `{"id", "text"}` to `{"id", FIELDS}`, where FIELDS is the JSON
/// text `process(text)` gives (such as `"entities":[...]`), on
/// `threads` threads, writing the lines out in input order: the output is the same,
/// byte for byte, whatever the number of threads. A bad line yields `{"line": N, "error":
/// "..."}` in its place (and a message on stderr); the run goes on. Returns whether every
/// line was good.
fn map_jsonl(
    input: impl BufRead,
    out: &mut impl Write,
    process: impl Fn(&str) -> String + Sync,
    threads: usize,
) -> std::io::Result<bool> {
    let mut all_good = true;
    let mut lines = input.split(b'\n').enumerate();
    let mut batch: Vec<(usize, Vec<u8>)> = Vec::new();
    loop {
        batch.clear();
        for (n, line) in lines.by_ref() {
            batch.push((n, line?));
            if batch.len() == LINES_PER_THREAD * threads {
                break;
            }
        }
        if batch.is_empty() {
            break;
        }
        for (n, record) in in_parallel(&batch, threads, |line| annotate_line(line, &process)) {
            match record {
                None => continue,
                Some(Ok(record)) => out.write_all(record.as_bytes())?,
                Some(Err(e)) => {
                    all_good = false;
                    eprintln!("onoma: line {}: {e}", n + 1);
                    serde_json::to_writer(&mut *out, &json!({ "line": n + 1, "error": e }))?;
                }
            }
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(all_good)
}

/// The output record of one input line as JSON text, or what is wrong with the line;
/// `None` for a blank line.
fn annotate_line(
    (_, line): &(usize, Vec<u8>),
    process: &impl Fn(&str) -> String,
) -> Option<Result<String, String>> {
    let line = String::from_utf8_lossy(line);
    if line.trim().is_empty() {
        return None;
    }
    Some(parse_record(&line).map(|(id, text)| format!("{{\"id\":{id},{}}}", process(&text))))
}

/// `work` on every item, on up to `threads` threads, each taking the next item left; the
/// results in item order, with each item's line number.
fn in_parallel<T: Sync, R: Send>(
    items: &[(usize, T)],
    threads: usize,
    work: impl Fn(&(usize, T)) -> R + Sync,
) -> Vec<(usize, R)> {
    let threads = threads.min(items.len());
    if threads <= 1 {
        return items.iter().map(|item| (item.0, work(item))).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break done };
                        done.push((i, work(item)));
                    }
                })
            })
            .collect();
        // All started above before any is joined here.
        let joined = workers
            .into_iter()
            .map(|w| w.join().expect("a worker does not panic"));
        joined.flatten().collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(i, r)| (items[i].0, r)).collect()
}

/// The fields of an input record that annotating reads; the others (gold entities…) are
/// skipped unread.
#[derive(serde::Deserialize)]
struct Record {
    id: Option<Value>,
    text: Option<Value>,
}

fn parse_record(line: &str) -> Result<(Value, String), String> {
    let record: Record = match serde_json::from_str(line) {
        Ok(record) if line.trim_start().starts_with('{') => record,
        Err(e) if e.is_syntax() || e.is_eof() => return Err(format!("not JSON: {e}")),
        Err(e) if line.trim_start().starts_with('{') => return Err(e.to_string()),
        _ => return Err("expected a JSON object".into()),
    };
    let text = match record.text {
        Some(Value::String(s)) => s,
        Some(_) => return Err("\"text\" is not a string".into()),
        None => return Err("missing \"text\"".into()),
    };
    Ok((record.id.unwrap_or(Value::Null), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_reported_and_the_run_goes_on() {
        let input = "{\"id\": 1, \"text\": \"Paris\"}\nnot json\n{\"id\": 3}\n\n{\"id\": \"x\", \"text\": \"Zürich\"}\n[1, \"Rome\"]\n{\"entities\": [[0, 4, \"GPE\"]], \"text\": \"Rome\", \"id\": [7]}\n";
        let mut out = Vec::new();
        let ner = Recognizer::default();
        let annotate = |text: &str| entities_fields(text, &ner.extract(text));
        let ok = map_jsonl(input.as_bytes(), &mut out, annotate, 1).unwrap();
        assert!(!ok);
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[0]["id"], 1);
        assert_eq!(lines[1]["line"], 2);
        assert_eq!(lines[2]["line"], 3);
        assert_eq!(lines[3]["id"], "x");
        assert_eq!(lines[4]["error"], "expected a JSON object");
        assert_eq!(lines[5]["id"][0], 7);
        assert_eq!(lines[5]["entities"][0]["text"], "Rome");
    }

    #[test]
    fn output_is_the_same_in_order_whatever_the_number_of_threads() {
        let texts = [
            "Paris",
            "not json",
            "",
            "Angela Merkel met Tim Cook.",
            "😀 Zürich",
        ];
        let input: String = (0..300)
            .map(|i| match texts[i % texts.len()] {
                "not json" => "not json\n".to_string(),
                "" => "\n".to_string(),
                t => format!("{{\"id\": {i}, \"text\": \"{t} {i}\"}}\n"),
            })
            .collect();
        let ner = Recognizer::default();
        let annotate = |text: &str| entities_fields(text, &ner.extract(text));
        let run = |threads| {
            let mut out = Vec::new();
            let ok = map_jsonl(input.as_bytes(), &mut out, annotate, threads).unwrap();
            (ok, out)
        };
        let one = run(1);
        assert!(!one.0);
        assert_eq!(String::from_utf8_lossy(&one.1).lines().count(), 240);
        for threads in [2, 3, 8] {
            assert!(run(threads) == one, "{threads} threads differ from one");
        }
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
        let v: Value = serde_json::from_str(&entities_json(text, &[e])).unwrap();
        assert_eq!(v[0]["start"], 2);
        assert_eq!(v[0]["end"], 8);
    }
}
