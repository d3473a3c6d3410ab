//! Arbitrary bytes → lossy UTF-8 → `tokenize` + `split_sentences`, with every token and
//! sentence invariant checked (`onoma_fuzz::checks::check_tokens`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use onoma_fuzz::checks::{check_tokens, text_of};

fuzz_target!(|data: &[u8]| {
    check_tokens(&text_of(data));
});
