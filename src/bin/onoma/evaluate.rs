//! `onoma eval`: accuracy on a corpus, on gold tokens and on raw text.

use crate::Args;
use onoma::eval::{read_corpus, Scorer};
use onoma::offsets::{OffsetConverter, Unit};
use onoma::{Label, Recognizer};
use serde_json::Value;
use std::path::Path;

pub fn run(args: &Args) -> Result<bool, String> {
    args.only(&["model", "raw"])?;
    let ner = args.recognizer()?;
    let corpus = args.positional.first().ok_or("eval needs a CORPUS.tsv")?;
    let gold_tokens = gold_token_scores(&ner, Path::new(corpus))?;
    println!("== gold tokens: {corpus}\n{}", gold_tokens.table());
    if let Some(raw) = args.option("raw") {
        let raw_scores = raw_text_scores(&ner, Path::new(raw))?;
        println!("== raw text: {raw}\n{}", raw_scores.table());
    }
    Ok(true)
}

/// Scores of the recognizer on the corpus's own tokens and sentences.
pub fn gold_token_scores(ner: &Recognizer, corpus: &Path) -> Result<Scorer, String> {
    let docs = read_corpus(corpus)?;
    let mut scorer = Scorer::default();
    for doc in &docs {
        let sentences: Vec<&Vec<String>> = doc.sentences.iter().map(|s| &s.words).collect();
        let sentences: Vec<Vec<&str>> = sentences
            .iter()
            .map(|w| w.iter().map(String::as_str).collect())
            .collect();
        for (sentence, spans) in doc.sentences.iter().zip(ner.tag_tokens(&sentences)) {
            let predicted: Vec<_> = spans.into_iter().map(|s| (s.tokens, s.label)).collect();
            scorer.add(&sentence.entities, &predicted);
        }
    }
    Ok(scorer)
}

/// Scores on raw-text documents (`{"text", "entities": [{"start","end","label"}]}` with
/// code point offsets, as in the shared benchmark).
pub fn raw_text_scores(ner: &Recognizer, path: &Path) -> Result<Scorer, String> {
    let content = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut scorer = Scorer::default();
    for (n, line) in content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let doc: Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let text = doc["text"]
            .as_str()
            .ok_or_else(|| format!("{}:{}: no text", path.display(), n + 1))?;
        let gold: Vec<_> = doc["entities"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| {
                let label = e["label"].as_str()?.parse::<Label>().ok()?;
                Some((
                    e["start"].as_u64()? as usize..e["end"].as_u64()? as usize,
                    label,
                ))
            })
            .collect();
        let mut conv = OffsetConverter::new(text, Unit::CodePoint);
        let predicted: Vec<_> = ner
            .extract(text)
            .into_iter()
            .map(|e| (conv.convert(e.start)..conv.convert(e.end), e.label))
            .collect();
        scorer.add(&gold, &predicted);
    }
    Ok(scorer)
}
