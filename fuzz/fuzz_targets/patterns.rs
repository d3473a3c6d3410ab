//! Arbitrary bytes → a pattern file and a text (split at the first NUL byte, both lossy
//! UTF-8) → `Patterns::from_jsonl` and, when it loads, `extract` with the patterns, under
//! both precedences; every entity invariant checked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onoma::Recognizer;
use onoma_fuzz::checks::{check_patterns, text_of};
use std::sync::OnceLock;

static NER: OnceLock<Recognizer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let ner = NER.get_or_init(Recognizer::default);
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (file, text) = data.split_at(split);
    check_patterns(ner, &text_of(file), &text_of(text.get(1..).unwrap_or_default()));
});
