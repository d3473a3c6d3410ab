//! Arbitrary bytes → lossy UTF-8 → `Recognizer::extract` (and `analyze`) with the
//! built-in model, loaded once; every token and entity invariant checked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onoma::Recognizer;
use onoma_fuzz::checks::{check_extract, text_of};
use std::sync::OnceLock;

static NER: OnceLock<Recognizer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let ner = NER.get_or_init(Recognizer::default);
    check_extract(ner, &text_of(data));
});
