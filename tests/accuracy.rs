//! Accuracy regression on the shared raw-text OntoNotes benchmark (skipped, with a
//! message, where `../shared` is absent; CI has it).

use onoma::eval::raw_text_scores;
use onoma::Recognizer;
use std::path::PathBuf;

fn benchmark(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} not found (the shared OntoNotes data is not beside this checkout)",
            path.display()
        );
        None
    }
}

#[test]
fn shipped_model_reaches_the_issue_figure_on_ontonotes_test() {
    let Some(path) = benchmark("ontonotes_test.jsonl") else {
        return;
    };
    let (scores, calibration) = raw_text_scores(&Recognizer::default(), &path).unwrap();
    let f1 = scores.overall().f1();
    eprintln!("{}", scores.table());
    assert!(f1 >= 0.84, "raw-text F1 {f1:.4} fell below 0.84");
    // Confidences mean something: confident entities are far more often right.
    let (high, n_high) = calibration.band(3);
    let (low, n_low) = calibration.band(0);
    assert!(n_high > 1000 && n_low > 50, "{}", calibration.table());
    assert!(high > 0.9 && low < 0.6, "{}", calibration.table());
}
