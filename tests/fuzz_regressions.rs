//! Replays the inputs the fuzz targets (`fuzz/`) found, through the very
//! checks the targets run (`fuzz/src/checks.rs`, included below). One test per input;
//! the inputs are files under `tests/data/fuzz/<target>/`.
//!
//! `model_load` inputs are mutation programs applied to the shipped model (see
//! `checks::model_input`): they address sections of the file (temperature, quantizer
//! step, weights …) rather than byte positions, so they keep their meaning when the
//! model is retrained.
//!
//! An input whose bug is still open gets `#[ignore = "open: <symptom>"]`, so that the
//! suite stays green (run them with `cargo test --test fuzz_regressions --
//! --include-ignored`); drop the `ignore` once the bug is fixed.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::PathBuf;

const SHIPPED: &[u8] = include_bytes!("../models/onoma-en.onm");

fn input(target: &str, name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/fuzz", target, name]
        .iter()
        .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn replay_model_load(name: &str) {
    checks::check_model_input(&input("model_load", name), SHIPPED);
}

#[allow(dead_code)]
fn replay_tokenize(name: &str) {
    checks::check_tokens(&checks::text_of(&input("tokenize", name)));
}

#[allow(dead_code)]
fn replay_extract(name: &str) {
    let ner = onoma::Recognizer::default();
    checks::check_extract(&ner, &checks::text_of(&input("extract", name)));
}

/// Every stored input has a test below (a new file without one fails here).
#[test]
fn every_stored_input_is_replayed() {
    let known: &[(&str, &[&str])] = &[
        ("model_load", MODEL_LOAD),
        ("tokenize", &[]),
        ("extract", &[]),
    ];
    for (target, names) in known {
        let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests/data/fuzz", target]
            .iter()
            .collect();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                names.contains(&name.as_str()),
                "{target}/{name} has no replay test in tests/fuzz_regressions.rs"
            );
        }
    }
}

/// The stored `model_load` inputs address sections of the shipped model: the layout walk
/// must find every one of them, back to back up to the end of the file (else mutations
/// would land anywhere in the file and the inputs below would test nothing).
#[test]
fn layout_walk_finds_every_section_of_the_shipped_model() {
    let sections = checks::sections(SHIPPED);
    assert_eq!(sections[0], 0..SHIPPED.len());
    // In file order, the label section (numbered last) comes after the metadata.
    let labels = sections.len() - 1;
    let order: Vec<usize> = [1, 2, labels].into_iter().chain(3..labels).collect();
    for pair in order.windows(2) {
        let (a, b) = (&sections[pair[0]], &sections[pair[1]]);
        assert_eq!(a.end, b.start, "sections {pair:?}: {a:?} {b:?}");
    }
    assert!(!sections[labels].is_empty());
    assert_eq!(sections[labels - 1].end, SHIPPED.len());
}

// Found by `model_load` on 2026-11-28 against the loader before 9a6f53a; all
// fixed there. Each input is one mutation of the shipped model with the header length and
// checksum recomputed (so the payload parser sees it), decoded byte by byte:
// mode, opcode, section, offset (u32 LE), operand.

/// Temperature 1e-30 (op 3 = interesting f32 #11, section 3 = fixed fields, offset 8):
/// loaded, then every confidence was NaN (`exp(transition / T)` overflows).
#[test]
fn nan_score_temperature_1e_30() {
    replay_model_load("nan-score-temperature-1e-30");
}

/// Temperature set to the subnormal 1.04e-43 (op 4 = interesting u32 0x4a, offset
/// 0xdf00 mod 20 = 8): same NaN confidences.
#[test]
fn nan_score_temperature_subnormal() {
    replay_model_load("nan-score-temperature-subnormal");
}

/// Quantiser step 1e30 (offset 16): weights decode to ±inf, scores to NaN; an entity
/// "." labelled QUANTITY with score NaN came out.
#[test]
fn nan_score_quantizer_step_1e30() {
    replay_model_load("nan-score-quantizer-step-1e30");
}

/// First transition score (O → O) set to f32::MAX: finite, so accepted, but
/// `exp(x / T)` is infinite and forward–backward gives NaN.
#[test]
fn nan_score_transition_f32_max() {
    replay_model_load("nan-score-transition-f32-max");
}

/// Start score of O set to 1e30: NaN confidences likewise.
#[test]
fn nan_score_start_1e30() {
    replay_model_load("nan-score-start-1e30");
}

/// Quantiser step -1: loaded, but `to_bytes` re-fitted the quantiser to the decoded
/// weights (down to 1e-45), computed `(max / min).ln()` = inf and wrote a step that
/// `from_bytes` refuses: "weight scale out of range".
#[test]
fn reload_fails_negative_quantizer_step() {
    replay_model_load("reload-fails-negative-quantizer-step");
}

/// Weights all set to the byte 0x80 (i8 -128, one level past the 127 the writer uses;
/// op 9 = fill, section 10 = weights): loaded, but `to_bytes` re-fitted the quantiser,
/// so the reloaded model scored "Paris" 0.7003358 instead of 0.7058911.
#[test]
fn round_trip_drift_weights_minus_128() {
    replay_model_load("round-trip-drift-weights-minus-128");
}

const MODEL_LOAD: &[&str] = &[
    "nan-score-temperature-1e-30",
    "nan-score-temperature-subnormal",
    "nan-score-quantizer-step-1e30",
    "nan-score-transition-f32-max",
    "nan-score-start-1e30",
    "reload-fails-negative-quantizer-step",
    "round-trip-drift-weights-minus-128",
];
