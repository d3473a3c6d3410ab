//! `onoma eval`: accuracy on a corpus, on gold tokens and on raw text.

use crate::Args;
use onoma::eval::{gold_token_scores, raw_text_scores};
use std::path::Path;

pub fn run(args: &Args) -> Result<bool, String> {
    args.only(&["model", "raw"])?;
    let ner = args.recognizer()?;
    let corpus = args.positional.first().ok_or("eval needs a CORPUS.tsv")?;
    let gold_tokens = gold_token_scores(&ner, Path::new(corpus))?;
    println!("== gold tokens: {corpus}\n{}", gold_tokens.table());
    if let Some(raw) = args.option("raw") {
        let (scores, calibration) = raw_text_scores(&ner, Path::new(raw))?;
        println!("== raw text: {raw}\n{}", scores.table());
        println!(
            "== confidence calibration (raw text)\n{}",
            calibration.table()
        );
    }
    Ok(true)
}
