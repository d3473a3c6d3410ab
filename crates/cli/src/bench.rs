//! `onoma bench`: end-to-end throughput and peak memory, on a corpus of texts or on one
//! generated input of a given family and size (to show that cost grows linearly).

use crate::{Args, Outcome, RECOGNIZER_OPTIONS};
use onoma::Recognizer;
use serde_json::Value;
use std::io::Write;
use std::time::Instant;

const DEFAULT_TEXTS: &str = "../shared/eval/ontonotes_test.jsonl";

/// Input families for `--family`: the adversarial shapes that robustness must survive.
pub const FAMILIES: &[&str] = &[
    "prose", "nospace", "random", "punct", "us", "planes", "marks", "rtl",
];

pub fn run(args: &Args) -> Outcome {
    args.only(&[&RECOGNIZER_OPTIONS[..], &["family", "size", "edit-size"]].concat())?;
    let loading = Instant::now();
    let ner = args.recognizer()?;
    let load_ms = loading.elapsed().as_secs_f64() * 1000.0;
    let texts = match args.option("family") {
        Some(family) => {
            let size = args.number("size")?.unwrap_or(100_000);
            vec![generate(family, size)?]
        }
        None => {
            let path = args
                .positional
                .first()
                .map_or(DEFAULT_TEXTS, String::as_str);
            read_texts(path)?
        }
    };
    if let Some(size) = args.number("edit-size")? {
        crate::bench_edit::report(&ner, &texts, size)?;
    } else {
        report(&ner, &texts, load_ms)?;
    }
    Ok(true)
}

fn read_texts(path: &str) -> Result<Vec<String>, String> {
    let content = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let record: Value =
                serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
            match &record["text"] {
                Value::String(text) => Ok(text.clone()),
                _ => Err(format!("{path}:{}: no \"text\" string", n + 1)),
            }
        })
        .collect()
}

/// A text of about `size` bytes from `family`, built deterministically.
fn generate(family: &str, size: usize) -> Result<String, String> {
    let unit: String = match family {
        "prose" => "President Joe Biden met Chancellor Olaf Scholz in Berlin on Tuesday, \
                    where Siemens AG said it would invest $2.5 billion, or 4% of sales. "
            .into(),
        "nospace" => "abcdefghijKLMNOPQRST0123456789".into(),
        "random" => {
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            let bytes: Vec<u8> = (0..size)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        "punct" => "!?.,;:--...\"'()".into(),
        "us" => "U.S. ".into(),
        "planes" => (0u32..0x11_0000)
            .step_by(4099)
            .filter_map(char::from_u32)
            .collect(),
        "marks" => "Jose\u{301} 👩\u{200D}🔬 Zu\u{308}rich \u{200B}Paris\u{200D} ".into(),
        "rtl" => "الرئيس في القاهرة Netanyahu בירושלים ".into(),
        other => return Err(format!("unknown family {other:?}; one of {FAMILIES:?}")),
    };
    let mut text = if unit.len() >= size {
        unit
    } else {
        unit.repeat(size / unit.len() + 1)
    };
    let mut cut = size.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    Ok(text)
}

/// Analyses all texts, repeating the whole set until at least half a second has passed
/// (after one untimed warm-up pass) so that small inputs give stable figures. `load_ms`:
/// how long loading the model and patterns took.
fn report(ner: &Recognizer, texts: &[String], load_ms: f64) -> std::io::Result<()> {
    let bytes: usize = texts.iter().map(String::len).sum();
    let analyse_all = || {
        texts.iter().fold((0, 0), |(tokens, entities), text| {
            let analysis = ner.analyze(text);
            (tokens + analysis.tokens, entities + analysis.entities.len())
        })
    };
    let (tokens, entities) = analyse_all();
    let started = Instant::now();
    let mut passes = 0;
    while passes == 0 || started.elapsed().as_secs_f64() < 0.5 {
        analyse_all();
        passes += 1;
    }
    let seconds = started.elapsed().as_secs_f64() / f64::from(passes);
    let mut out = std::io::stdout().lock();
    let patterns = ner.patterns().map_or(0, |p| p.len());
    writeln!(out, "patterns     {patterns}")?;
    writeln!(out, "load         {load_ms:.0} ms (model and patterns)")?;
    writeln!(out, "texts        {}", texts.len())?;
    writeln!(out, "bytes        {bytes}")?;
    writeln!(out, "tokens       {tokens}")?;
    writeln!(out, "entities     {entities}")?;
    writeln!(
        out,
        "seconds      {seconds:.4}  (mean of {passes} timed passes)"
    )?;
    writeln!(out, "tokens/s     {:.0}", tokens as f64 / seconds)?;
    writeln!(out, "MB/s         {:.2}", bytes as f64 / seconds / 1e6)?;
    match peak_memory_kb() {
        Some(kb) => writeln!(out, "peak memory  {:.1} MB", kb as f64 / 1024.0),
        None => writeln!(out, "peak memory  unknown (no /proc/self/status)"),
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
