//! `Model::from_bytes` on arbitrary bytes (first input byte even) or on the shipped model
//! after a fuzzer-chosen mutation program, with the header length and checksum
//! recomputed unless the program says otherwise (first byte odd; see
//! `onoma_fuzz::checks::model_input`). Loading never panics; a model that loads keeps
//! the entity invariants on short texts and survives a `to_bytes` round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onoma_fuzz::checks::check_model_input;
use onoma_fuzz::SHIPPED_MODEL;

fuzz_target!(|data: &[u8]| {
    check_model_input(data, SHIPPED_MODEL);
});
