//! Corpora as training reads them, and scoring entity spans (native builds only).
//!
//! Scoring is exact match of `(start, end, label)`, micro-averaged, as conlleval and the
//! shared `nereval.py` do.

use crate::corpus::{read_corpus_file, Corpus, LabelledDoc};
use onoma::offsets::{OffsetConverter, Unit};
use onoma::{Label, LabelInfo, LabelSet, Recognizer};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::ops::Range;

/// One sentence of the corpus: words and their gold entity spans (token ranges, with the
/// number of their label in the corpus's [`LabelSet`]).
#[derive(Debug, Clone)]
pub struct Sentence {
    /// The tokens as the corpus writes them.
    pub words: Vec<String>,
    /// Gold entities as token ranges and label numbers.
    pub entities: Vec<(Range<usize>, usize)>,
}

/// One document of the corpus.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    /// The document's identifier, e.g. `nw/wsj/23/wsj_2321`.
    pub id: String,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
}

/// The label set of a model trained on data with these label names: the OntoNotes labels
/// among them first, in [`Label::ALL`] order and with their descriptions (so that the
/// OntoNotes corpus gives the shipped model's tag table), then the others in name order.
pub fn label_set_of(names: &[String]) -> Result<LabelSet, String> {
    let mut labels: Vec<LabelInfo> = LabelSet::ontonotes()
        .iter()
        .filter(|l| names.contains(&l.name))
        .cloned()
        .collect();
    let mut others: Vec<&String> = names
        .iter()
        .filter(|n| !labels.iter().any(|l| &l.name == *n))
        .collect();
    others.sort();
    others.dedup();
    labels.extend(others.into_iter().map(|name| LabelInfo {
        name: name.clone(),
        description: String::new(),
        colour: String::new(),
    }));
    LabelSet::new(labels)
}

/// Documents with their labels numbered in `labels`; entities of a label not in it are
/// left out, and counted in the second value.
pub fn numbered(docs: Vec<LabelledDoc>, labels: &LabelSet) -> (Vec<CorpusDoc>, usize) {
    let mut left_out = 0;
    let docs = docs
        .into_iter()
        .map(|doc| CorpusDoc {
            id: doc.id,
            sentences: doc
                .sentences
                .into_iter()
                .map(|s| Sentence {
                    words: s.words,
                    entities: s
                        .entities
                        .into_iter()
                        .filter_map(|(r, name)| {
                            let found = labels.index_of(&name).map(|i| (r, i));
                            left_out += usize::from(found.is_none());
                            found
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    (docs, left_out)
}

/// Reads a corpus file in any format [`crate::corpus`] reads, printing to standard error
/// the problems the reader reports and how many records it skipped.
pub fn read_corpus_reporting(path: &std::path::Path) -> Result<Corpus, String> {
    let corpus = read_corpus_file(path)?;
    for problem in &corpus.problems {
        eprintln!("{}: {problem}", path.display());
    }
    if corpus.skipped > 0 {
        eprintln!(
            "{}: {} records not accepted (\"answer\") skipped",
            path.display(),
            corpus.skipped
        );
    }
    Ok(corpus)
}

/// Reads a corpus file as [`read_corpus_reporting`] does, its labels numbered in `labels`
/// (entities of other labels are left out).
pub fn read_corpus(path: &std::path::Path, labels: &LabelSet) -> Result<Vec<CorpusDoc>, String> {
    Ok(numbered(read_corpus_reporting(path)?.docs, labels).0)
}

/// Widens each span of `doc` of label number `money` that follows a currency sign token
/// ("$", "US$", "€") to take the sign in: OntoNotes leaves it outside in 30 % of such
/// MONEY spans, against its guidelines.
pub fn put_sign_inside_money(doc: &mut CorpusDoc, money: usize) {
    for sentence in &mut doc.sentences {
        let words = &sentence.words;
        for (r, label) in &mut sentence.entities {
            let sign = r.start.checked_sub(1).map(|i| words[i].as_str());
            if *label == money && sign.is_some_and(is_currency_token) {
                r.start -= 1;
            }
        }
    }
}

/// "$", "€", "US$", "HK$": a currency sign with at most three capitals before it.
fn is_currency_token(word: &str) -> bool {
    let mut chars = word.chars();
    let sign = chars.next_back().is_some_and(is_currency_sign);
    let prefix = chars.as_str();
    sign && prefix.len() <= 3 && prefix.bytes().all(|b| b.is_ascii_uppercase())
}

/// True positives, false positives and false negatives of one label.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    /// Predicted entities that match a gold entity exactly.
    pub tp: usize,
    /// Predicted entities that match none.
    pub fp: usize,
    /// Gold entities that no prediction matches.
    pub fn_: usize,
}

impl Counts {
    /// tp / (tp + fp), 0 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 0 when there is no gold entity.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Accumulates exact-match span scores over many documents.
#[derive(Debug, Clone, Default)]
pub struct Scorer {
    per_label: BTreeMap<String, Counts>,
}

impl Scorer {
    /// Adds one unit (sentence or document) of gold and predicted spans, labels by name.
    pub fn add<L: AsRef<str>>(
        &mut self,
        gold: &[(Range<usize>, L)],
        predicted: &[(Range<usize>, L)],
    ) {
        let key = |(r, l): &(Range<usize>, L)| (r.start, r.end, l.as_ref().to_string());
        let gold_set: HashSet<_> = gold.iter().map(key).collect();
        let pred_set: HashSet<_> = predicted.iter().map(key).collect();
        for (_, _, l) in &gold_set {
            let c = self.per_label.entry(l.clone()).or_default();
            c.fn_ += 1;
        }
        for p in &pred_set {
            let c = self.per_label.entry(p.2.clone()).or_default();
            if gold_set.contains(p) {
                c.tp += 1;
                c.fn_ -= 1;
            } else {
                c.fp += 1;
            }
        }
    }

    /// Counts summed over labels.
    pub fn overall(&self) -> Counts {
        self.per_label
            .values()
            .fold(Counts::default(), |a, c| Counts {
                tp: a.tp + c.tp,
                fp: a.fp + c.fp,
                fn_: a.fn_ + c.fn_,
            })
    }

    /// Counts of one label.
    pub fn label(&self, label: &str) -> Counts {
        self.per_label.get(label).copied().unwrap_or_default()
    }

    /// A per-label table of precision, recall, F1 and gold count.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<12} {:>7} {:>7} {:>7} {:>7}\n",
            "label", "P", "R", "F1", "gold"
        );
        let rows = self.per_label.iter().map(|(l, c)| (l.as_str(), *c));
        for (name, c) in rows.chain([("OVERALL", self.overall())]) {
            let _ = writeln!(
                out,
                "{name:<12} {:>7.4} {:>7.4} {:>7.4} {:>7}",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp + c.fn_
            );
        }
        out
    }
}

/// Scores of `ner` on a corpus file's own tokens and sentences.
pub fn gold_token_scores(ner: &Recognizer, corpus: &std::path::Path) -> Result<Scorer, String> {
    let labels = ner.model().labels();
    let docs = read_corpus(corpus, labels)?;
    let mut scorer = Scorer::default();
    for doc in &docs {
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        for (sentence, spans) in doc.sentences.iter().zip(ner.tag_tokens(&sentences)) {
            let gold: Vec<_> = sentence
                .entities
                .iter()
                .map(|(r, l)| (r.clone(), labels.name(*l).to_string()))
                .collect();
            let predicted: Vec<_> = spans.into_iter().map(|s| (s.tokens, s.label)).collect();
            scorer.add(&gold, &predicted);
        }
    }
    Ok(scorer)
}

/// Scores of `ner` on raw-text documents, one JSON object per line with `"text"` and
/// `"entities": [{"start","end","label"}]` in code points (the shared benchmark's format),
/// and how well its confidences are calibrated.
pub fn raw_text_scores(
    ner: &Recognizer,
    path: &std::path::Path,
    gold_money: GoldMoney,
) -> Result<(Scorer, Calibration), String> {
    let content = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut scorer = Scorer::default();
    let mut calibration = Calibration::default();
    for (n, line) in content
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let at = || format!("{}:{}", path.display(), n + 1);
        let doc: Value = serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
        let text = doc["text"]
            .as_str()
            .ok_or_else(|| format!("{}: no text", at()))?;
        let mut gold = gold_entities(&doc).map_err(|e| format!("{}: {e}", at()))?;
        if gold_money == GoldMoney::SignInside {
            mend_currency(text, &mut gold);
        }
        let mut conv = OffsetConverter::new(text, Unit::CodePoint);
        let entities = ner.extract(text);
        let predicted: Vec<_> = entities
            .iter()
            .map(|e| (conv.convert(e.start)..conv.convert(e.end), e.label.clone()))
            .collect();
        for (p, e) in predicted.iter().zip(&entities) {
            calibration.add(e.score, gold.contains(p));
        }
        scorer.add(&gold, &predicted);
    }
    Ok((scorer, calibration))
}

/// Where the gold MONEY spans of a benchmark put the currency sign before an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoldMoney {
    /// As annotated: OntoNotes leaves the sign outside a third of the time.
    AsAnnotated,
    /// Inside, as the guidelines and readers have it (the shared scorer's
    /// `--mend-currency`).
    SignInside,
}

/// Widens each MONEY span of `gold` (code point ranges of `text`) that starts right after
/// a currency sign to take the sign in, with the capital letters glued before it ("US$",
/// "HK$"), as the shared scorer's `--mend-currency` does.
pub fn mend_currency(text: &str, gold: &mut [(Range<usize>, String)]) {
    let chars: Vec<char> = text.chars().collect();
    for (r, label) in gold.iter_mut() {
        let before = r.start.checked_sub(1).and_then(|i| chars.get(i));
        if label != Label::Money.as_str() || !before.is_some_and(|&c| is_currency_sign(c)) {
            continue;
        }
        r.start -= 1;
        while r.start > 0 && chars[r.start - 1].is_uppercase() {
            r.start -= 1;
        }
    }
}

/// The currency signs the shared scorer mends gold spans with.
fn is_currency_sign(c: char) -> bool {
    "$€£¥₹₦₩₽₺₪฿".contains(c)
}

/// The `"entities"` of a raw-text record as code point ranges and labels; an entity
/// without a whole-number `start` and `end` or without a label is an error, not left out.
fn gold_entities(doc: &Value) -> Result<Vec<(Range<usize>, String)>, String> {
    let entities = doc["entities"].as_array().ok_or("no \"entities\" array")?;
    entities
        .iter()
        .enumerate()
        .map(|(k, e)| {
            let offset = |key: &str| {
                e[key]
                    .as_u64()
                    .map(|x| x as usize)
                    .ok_or_else(|| format!("entity {k}: \"{key}\" is not a whole number"))
            };
            let label = e["label"]
                .as_str()
                .ok_or_else(|| format!("entity {k}: no \"label\""))?;
            Ok((offset("start")?..offset("end")?, label.to_string()))
        })
        .collect()
}

/// Precision of predicted entities by confidence band: calibrated confidences make
/// high bands precise and low bands not.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    /// `(right, total)` per band of [`Calibration::BANDS`].
    counts: [(usize, usize); 4],
}

impl Calibration {
    /// Lower bounds of the confidence bands.
    pub const BANDS: [f32; 4] = [0.0, 0.5, 0.7, 0.9];

    /// Counts one predicted entity.
    pub fn add(&mut self, confidence: f32, right: bool) {
        let band = Self::BANDS
            .iter()
            .rposition(|&b| confidence >= b)
            .unwrap_or(0);
        self.counts[band].0 += usize::from(right);
        self.counts[band].1 += 1;
    }

    /// Precision of the entities in band `i` (0 when empty) and their number.
    pub fn band(&self, i: usize) -> (f64, usize) {
        let (right, total) = self.counts[i];
        (ratio(right, total), total)
    }

    /// One line per band: range, entities, precision.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<12} {:>9} {:>9}\n",
            "confidence", "entities", "precision"
        );
        for i in 0..Self::BANDS.len() {
            let high = Self::BANDS.get(i + 1).copied().unwrap_or(1.0);
            let (precision, total) = self.band(i);
            let range = format!("{:.1}-{:.1}", Self::BANDS[i], high);
            let _ = writeln!(out, "{range:<12} {total:>9} {precision:>9.4}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_corpus_text;

    fn read(tsv: &str) -> (Vec<CorpusDoc>, LabelSet) {
        let corpus = parse_corpus_text(tsv).unwrap();
        let labels = label_set_of(&corpus.labels()).unwrap();
        (numbered(corpus.docs, &labels).0, labels)
    }

    #[test]
    fn currency_signs_go_inside_money() {
        let (mut docs, labels) = read(
            "# doc d\nIt\tP\tO\ncost\tV\tO\n$\t$\tO\n95\tC\tB-MONEY\nor\tC\tO\n\
             US$\t$\tB-MONEY\n5\tC\tI-MONEY\nor\tC\tO\n#\t#\tO\n3\tC\tB-CARDINAL\n",
        );
        put_sign_inside_money(&mut docs[0], labels.index_of("MONEY").unwrap());
        let spans: Vec<_> = docs[0].sentences[0]
            .entities
            .iter()
            .map(|(r, _)| r.clone())
            .collect();
        assert_eq!(spans, [2..4, 5..7, 9..10]);
    }

    #[test]
    fn ontonotes_labels_keep_their_order_and_others_follow_by_name() {
        let names = ["ZIP", "ORG", "PERSON", "AGE", "ORG"].map(String::from);
        let labels = label_set_of(&names).unwrap();
        let order: Vec<_> = labels.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(order, ["PERSON", "ORG", "AGE", "ZIP"]);
        assert!(labels
            .iter()
            .next()
            .unwrap()
            .description
            .starts_with("People"));
        let all = Label::ALL.map(|l| l.as_str().to_string());
        assert_eq!(label_set_of(&all).unwrap(), LabelSet::ontonotes());
    }

    #[test]
    fn scores_exact_matches_only() {
        let mut s = Scorer::default();
        s.add(
            &[(0..2, "ORG"), (3..4, "DATE")],
            &[(0..2, "ORG"), (3..5, "DATE")],
        );
        let all = s.overall();
        assert_eq!((all.tp, all.fp, all.fn_), (1, 1, 1));
        assert!((all.f1() - 0.5).abs() < 1e-9);
        assert_eq!(s.label("DATE").tp, 0);
    }
}
