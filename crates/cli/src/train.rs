//! `onoma train`: reproduces the shipped model from the shared OntoNotes data.

use crate::{Args, Outcome};
use onoma::Recognizer;
use onoma_train::eval::read_corpus;
use onoma_train::{load_public_lexicons, train, TrainConfig};
use std::path::Path;
use std::time::Instant;

pub fn run(args: &Args) -> Outcome {
    args.only(&[
        "data",
        "lexicons",
        "out",
        "epochs",
        "runs",
        "crf-runs",
        "seed",
        "max-weights",
        "min-count",
        "dropout",
        "money-sign",
    ])?;
    let data = Path::new(args.option("data").unwrap_or("../shared/data/ontonotes"));
    let out = args.option("out").unwrap_or("models/onoma-en.onm");
    let mut config = TrainConfig::default();
    if let Some(v) = args.number("epochs")? {
        config.epochs = v;
    }
    if let Some(v) = args.number("seed")? {
        config.seed = v as u64;
    }
    if let Some(v) = args.number("runs")? {
        config.runs = v.max(1);
    }
    if let Some(v) = args.number("crf-runs")? {
        config.crf_runs = v;
    }
    if let Some(v) = args.number("max-weights")? {
        config.max_weights = v;
    }
    if let Some(v) = args.option("dropout") {
        config.dropout = v
            .parse()
            .map_err(|_| format!("--dropout {v}: not a number"))?;
    }
    if let Some(v) = args.number("min-count")? {
        config.min_count = v as u32;
    }
    config.sign_inside_money = match args.option("money-sign") {
        None | Some("as-annotated") => false,
        Some("inside") => true,
        Some(v) => return Err(format!("--money-sign {v}: inside or as-annotated").into()),
    };
    let started = Instant::now();
    let log = |msg: &str| eprintln!("[{:>6.1}s] {msg}", started.elapsed().as_secs_f64());
    let train_docs = read_corpus(&data.join("train.tsv"))?;
    let dev_docs = read_corpus(&data.join("dev.tsv"))?;
    let lexicons = Path::new(args.option("lexicons").unwrap_or("target/lexicons"));
    let public = load_public_lexicons(lexicons).map_err(|e| {
        format!(
            "{e}\n(build the lists first: python3 scripts/build-lexicons.py {})",
            lexicons.display()
        )
    })?;
    let mut model = train(&train_docs, &dev_docs, &public, &config, log);
    let test = data.join("test.tsv");
    let scores =
        onoma_train::eval::gold_token_scores(&Recognizer::from_model(model.clone()), &test)?;
    model.metadata.push((
        "test_f1_gold_tokens".into(),
        format!("{:.4}", scores.overall().f1()),
    ));
    eprintln!("test (gold tokens):\n{}", scores.table());
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    log(&format!(
        "wrote {out} ({} bytes, {} features)",
        bytes.len(),
        model.feature_count()
    ));
    Ok(true)
}
