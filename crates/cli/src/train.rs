//! `onoma train`: trains a model on an annotated corpus, whatever its labels; with the
//! Makefile's arguments, reproduces the shipped model from the shared OntoNotes data.

use crate::{Args, Outcome};
use onoma::Recognizer;
use onoma_train::eval::{gold_token_scores, label_set_of, numbered, read_corpus_reporting};
use onoma_train::{load_public_lexicons, train, PublicLexicons, TrainConfig};
use std::path::Path;
use std::time::Instant;

/// The options `onoma train` takes.
const OPTIONS: [&str; 21] = [
    "corpus",
    "dev",
    "test",
    "out",
    "lexicons",
    "name",
    "trained-on",
    "epochs",
    "runs",
    "crf-runs",
    "seed",
    "max-weights",
    "min-count",
    "dropout",
    "money-sign",
    "running-text",
    "headline-copies",
    "lower-case-copies",
    "sentences-alone",
    "datelines",
    "labels",
];

pub fn run(args: &Args) -> Outcome {
    args.only(&OPTIONS)?;
    let need = |name: &str, what: &str| {
        args.option(name)
            .ok_or(format!("train needs --{name} {what} (see onoma --help)"))
    };
    let corpus_path = need("corpus", "TRAIN")?;
    let dev_path = need("dev", "DEV")?;
    let out = need("out", "FILE.onm")?;
    let config = config(args, corpus_path)?;
    let started = Instant::now();
    let log = |msg: &str| eprintln!("[{:>6.1}s] {msg}", started.elapsed().as_secs_f64());

    let corpus = read_corpus_reporting(Path::new(corpus_path))?;
    if corpus.entity_count() == 0 {
        return Err(format!("{corpus_path}: no entities to learn from").into());
    }
    let mut labels = label_set_of(&corpus.labels())?;
    if let Some(path) = args.option("labels") {
        labels = crate::label_file::describe(labels, Path::new(path))?;
    }
    let (train_docs, _) = numbered(corpus.docs, &labels);
    let (dev_docs, left_out) = numbered(read_corpus_reporting(Path::new(dev_path))?.docs, &labels);
    if left_out > 0 {
        eprintln!("{dev_path}: {left_out} entities of labels the training data lacks left out");
    }
    let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
    log(&format!("{} labels: {}", names.len(), names.join(" ")));
    let public = public_lexicons(args.option("lexicons").unwrap_or("target/lexicons"))?;
    let mut model = train(&train_docs, &dev_docs, &labels, &public, &config, log);
    if let Some(test) = args.option("test") {
        let scores = gold_token_scores(&Recognizer::from_model(model.clone()), Path::new(test))?;
        model.metadata.push((
            "test_f1_gold_tokens".into(),
            format!("{:.4}", scores.overall().f1()),
        ));
        eprintln!("test (gold tokens):\n{}", scores.table());
    }
    let bytes = model.to_bytes();
    std::fs::write(out, &bytes).map_err(|e| format!("{out}: {e}"))?;
    log(&format!(
        "wrote {out} ({} bytes, {} features)",
        bytes.len(),
        model.feature_count()
    ));
    Ok(true)
}

/// The public lexicons in `dir` (see `scripts/build-lexicons.py`), or none for `none`.
fn public_lexicons(dir: &str) -> Result<PublicLexicons, String> {
    if dir == "none" {
        return Ok(PublicLexicons::default());
    }
    load_public_lexicons(Path::new(dir)).map_err(|e| {
        format!(
            "{e}\n(build the lists first: python3 scripts/build-lexicons.py {dir}, \
             or train without them: --lexicons none)"
        )
    })
}

/// The training settings the options give, the defaults otherwise.
fn config(args: &Args, corpus: &str) -> Result<TrainConfig, String> {
    let mut config = TrainConfig::default();
    let numbers: [(&str, &mut usize); 4] = [
        ("epochs", &mut config.epochs),
        ("runs", &mut config.runs),
        ("crf-runs", &mut config.crf_runs),
        ("max-weights", &mut config.max_weights),
    ];
    for (name, slot) in numbers {
        if let Some(v) = args.number(name)? {
            *slot = v;
        }
    }
    config.runs = config.runs.max(1);
    if let Some(v) = args.number("seed")? {
        config.seed = v as u64;
    }
    if let Some(v) = args.number("min-count")? {
        config.min_count = u32::try_from(v).map_err(|_| "--min-count: too large")?;
    }
    if let Some(v) = args.option("dropout") {
        config.dropout = v
            .parse()
            .ok()
            .filter(|p| (0.0..1.0).contains(p))
            .ok_or(format!("--dropout {v}: a number from 0 to below 1"))?;
    }
    config.sign_inside_money = match args.option("money-sign") {
        None | Some("as-annotated") => false,
        Some("inside") => true,
        Some(v) => return Err(format!("--money-sign {v}: inside or as-annotated")),
    };
    config.as_running_text = switch(args, "running-text", config.as_running_text)?;
    config.headline_copies = switch(args, "headline-copies", config.headline_copies)?;
    config.lower_case_copies = switch(args, "lower-case-copies", config.lower_case_copies)?;
    config.sentences_alone = switch(args, "sentences-alone", config.sentences_alone)?;
    config.datelines = switch(args, "datelines", config.datelines)?;
    let stem = Path::new(args.option("out").unwrap_or_default()).file_stem();
    config.name = match args.option("name") {
        Some(name) => name.to_string(),
        None => stem.map_or(config.name, |s| s.to_string_lossy().into_owned()),
    };
    config.trained_on = args.option("trained-on").unwrap_or(corpus).to_string();
    Ok(config)
}

/// The value of an `on|off` option, `default` when it is not given.
fn switch(args: &Args, name: &str, default: bool) -> Result<bool, String> {
    match args.option(name) {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(v) => Err(format!("--{name} {v}: on or off")),
    }
}
