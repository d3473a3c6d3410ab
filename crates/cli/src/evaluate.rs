//! `onoma eval`: accuracy on a corpus, on gold tokens and on raw text.

use crate::{Args, Outcome};
use onoma_train::eval::{gold_token_scores, raw_text_scores, GoldMoney};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn run(args: &Args) -> Outcome {
    args.only(&["model", "raw"])?;
    let ner = args.recognizer()?;
    let corpus = args.positional.first().ok_or("eval needs a CORPUS.tsv")?;
    let gold_tokens = gold_token_scores(&ner, Path::new(corpus))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "== gold tokens: {corpus}\n{}", gold_tokens.table())?;
    let raw = match args.option("raw") {
        Some(raw) => Some(PathBuf::from(raw)),
        None => raw_text_beside(Path::new(corpus)),
    };
    match raw {
        Some(raw) => {
            let (scores, calibration) = raw_text_scores(&ner, &raw, GoldMoney::AsAnnotated)?;
            writeln!(out, "== raw text: {}\n{}", raw.display(), scores.table())?;
            let (mended, _) = raw_text_scores(&ner, &raw, GoldMoney::SignInside)?;
            writeln!(
                out,
                "== raw text, currency signs inside gold MONEY (nereval.py --mend-currency): F1 {:.4}",
                mended.overall().f1()
            )?;
            writeln!(
                out,
                "== confidence calibration (raw text)\n{}",
                calibration.table()
            )?;
        }
        None => {
            writeln!(
                out,
                "== raw text: no raw-text version of {corpus} found; pass --raw FILE.jsonl"
            )?;
        }
    }
    Ok(true)
}

/// The raw-text version of a shared corpus file, where the shared layout has one:
/// `data/ontonotes/test.tsv` → `eval/ontonotes_test.jsonl`.
fn raw_text_beside(corpus: &Path) -> Option<PathBuf> {
    let stem = corpus.file_stem()?.to_str()?;
    let set = corpus.parent()?;
    let name = set.file_name()?.to_str()?;
    let path = set
        .parent()?
        .parent()?
        .join("eval")
        .join(format!("{name}_{stem}.jsonl"));
    path.exists().then_some(path)
}
