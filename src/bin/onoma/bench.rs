//! `onoma bench`: end-to-end throughput and peak memory.

use crate::Args;
use serde_json::Value;
use std::time::Instant;

const DEFAULT_TEXTS: &str = "../shared/eval/ontonotes_test.jsonl";

pub fn run(args: &Args) -> Result<bool, String> {
    args.only(&["model"])?;
    let ner = args.recognizer()?;
    let path = args
        .positional
        .first()
        .map_or(DEFAULT_TEXTS, String::as_str);
    let content = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let texts: Vec<String> = content
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let started = Instant::now();
    let (mut tokens, mut entities) = (0, 0);
    for text in &texts {
        let analysis = ner.analyze(text);
        tokens += analysis.tokens;
        entities += analysis.entities.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("texts        {}", texts.len());
    println!("bytes        {bytes}");
    println!("tokens       {tokens}");
    println!("entities     {entities}");
    println!("seconds      {seconds:.3}");
    println!("tokens/s     {:.0}", tokens as f64 / seconds);
    println!("MB/s         {:.2}", bytes as f64 / seconds / 1e6);
    match peak_memory_kb() {
        Some(kb) => println!("peak memory  {:.1} MB", kb as f64 / 1024.0),
        None => println!("peak memory  unknown (no /proc/self/status)"),
    }
    Ok(true)
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB.
pub fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
