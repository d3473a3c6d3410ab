//! Reading the OntoNotes corpus format and scoring entity spans (native builds only).
//!
//! Scoring is exact match of `(start, end, label)`, micro-averaged, as conlleval and the
//! shared `nereval.py` do.

use onoma::offsets::{OffsetConverter, Unit};
use onoma::Label;
use onoma::Recognizer;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::ops::Range;

/// One sentence of the corpus: words and their gold entity spans (token ranges).
#[derive(Debug, Clone)]
pub struct Sentence {
    /// The tokens as the corpus writes them.
    pub words: Vec<String>,
    /// Gold entities as token ranges.
    pub entities: Vec<(Range<usize>, Label)>,
}

/// One document of the corpus.
#[derive(Debug, Clone)]
pub struct CorpusDoc {
    /// The `# doc` identifier, e.g. `nw/wsj/23/wsj_2321`.
    pub id: String,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
}

/// Reads a corpus in the shared format: `# doc ID` lines, `WORD<TAB>POS<TAB>IOB2` lines, and
/// blank lines between sentences.
pub fn read_corpus(path: &std::path::Path) -> Result<Vec<CorpusDoc>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_corpus(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Widens each MONEY span of `doc` that follows a currency sign token ("$", "US$", "€")
/// to take the sign in: OntoNotes leaves it outside in 30 % of such spans, against its
/// guidelines.
pub fn put_sign_inside_money(doc: &mut CorpusDoc) {
    for sentence in &mut doc.sentences {
        let words = &sentence.words;
        for (r, label) in &mut sentence.entities {
            let sign = r.start.checked_sub(1).map(|i| words[i].as_str());
            if *label == Label::Money && sign.is_some_and(is_currency_token) {
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

/// Parses corpus text (see [`read_corpus`]).
pub fn parse_corpus(text: &str) -> Result<Vec<CorpusDoc>, String> {
    let mut docs: Vec<CorpusDoc> = Vec::new();
    let mut words = Vec::new();
    let mut tags = Vec::new();
    let flush = |docs: &mut Vec<CorpusDoc>, words: &mut Vec<String>, tags: &mut Vec<String>| {
        if words.is_empty() {
            return;
        }
        let entities = spans_from_iob(tags);
        if docs.is_empty() {
            docs.push(CorpusDoc {
                id: String::new(),
                sentences: Vec::new(),
            });
        }
        docs.last_mut()
            .expect("a document")
            .sentences
            .push(Sentence {
                words: std::mem::take(words),
                entities,
            });
        tags.clear();
    };
    for (n, line) in text.lines().enumerate() {
        if let Some(id) = line.strip_prefix("# doc ") {
            flush(&mut docs, &mut words, &mut tags);
            docs.push(CorpusDoc {
                id: id.to_string(),
                sentences: Vec::new(),
            });
        } else if line.is_empty() {
            flush(&mut docs, &mut words, &mut tags);
        } else {
            let mut cols = line.split('\t');
            let (Some(word), Some(_pos), Some(tag)) = (cols.next(), cols.next(), cols.next())
            else {
                return Err(format!("line {}: expected WORD<TAB>POS<TAB>TAG", n + 1));
            };
            words.push(word.to_string());
            tags.push(tag.to_string());
        }
    }
    flush(&mut docs, &mut words, &mut tags);
    Ok(docs)
}

/// Entity spans of an IOB2 tag sequence; an `I-` tag that does not continue an entity of
/// its label starts one (the conlleval reading).
fn spans_from_iob(tags: &[String]) -> Vec<(Range<usize>, Label)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, Label)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let parsed = tag
            .split_once('-')
            .and_then(|(bio, l)| l.parse::<Label>().ok().map(|l| (bio, l)));
        let continues = matches!((parsed, open), (Some(("I", l)), Some((_, o))) if l == o);
        if !continues {
            if let Some((s, l)) = open.take() {
                spans.push((s..i, l));
            }
            if let Some((_, l)) = parsed {
                open = Some((i, l));
            }
        }
    }
    if let Some((s, l)) = open {
        spans.push((s..tags.len(), l));
    }
    spans
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
    per_label: BTreeMap<Label, Counts>,
}

impl Scorer {
    /// Adds one unit (sentence or document) of gold and predicted spans.
    pub fn add(&mut self, gold: &[(Range<usize>, Label)], predicted: &[(Range<usize>, Label)]) {
        let key = |(r, l): &(Range<usize>, Label)| (r.start, r.end, *l);
        let gold_set: HashSet<_> = gold.iter().map(key).collect();
        let pred_set: HashSet<_> = predicted.iter().map(key).collect();
        for &(_, _, l) in &gold_set {
            let c = self.per_label.entry(l).or_default();
            c.fn_ += 1;
        }
        for p in &pred_set {
            let c = self.per_label.entry(p.2).or_default();
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
    pub fn label(&self, label: Label) -> Counts {
        self.per_label.get(&label).copied().unwrap_or_default()
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
    let docs = read_corpus(corpus)?;
    let mut scorer = Scorer::default();
    for doc in &docs {
        let sentences: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        for (sentence, spans) in doc.sentences.iter().zip(ner.tag_tokens(&sentences)) {
            // The model's labels are OntoNotes labels.
            let predicted: Vec<_> = spans
                .into_iter()
                .map(|s| (s.tokens, s.label.parse().expect("an OntoNotes label")))
                .collect();
            scorer.add(&sentence.entities, &predicted);
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
        // The model's labels are OntoNotes labels, and this recognizer has no patterns.
        let predicted: Vec<_> = entities
            .iter()
            .map(|e| {
                let label = e.label.parse().expect("an OntoNotes label");
                (conv.convert(e.start)..conv.convert(e.end), label)
            })
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
pub fn mend_currency(text: &str, gold: &mut [(Range<usize>, Label)]) {
    let chars: Vec<char> = text.chars().collect();
    for (r, label) in gold.iter_mut() {
        let before = r.start.checked_sub(1).and_then(|i| chars.get(i));
        if *label != Label::Money || !before.is_some_and(|&c| is_currency_sign(c)) {
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
/// without a whole-number `start` and `end` or with an unknown label is an error, not
/// left out.
fn gold_entities(doc: &Value) -> Result<Vec<(Range<usize>, Label)>, String> {
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
            let label: Label = label.parse().map_err(|e| format!("entity {k}: {e}"))?;
            Ok((offset("start")?..offset("end")?, label))
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

    #[test]
    fn currency_signs_go_inside_money() {
        let mut doc = parse_corpus(
            "# doc d\nIt\tP\tO\ncost\tV\tO\n$\t$\tO\n95\tC\tB-MONEY\nor\tC\tO\n\
             US$\t$\tB-MONEY\n5\tC\tI-MONEY\nor\tC\tO\n#\t#\tO\n3\tC\tB-CARDINAL\n",
        )
        .unwrap()
        .remove(0);
        put_sign_inside_money(&mut doc);
        let spans: Vec<_> = doc.sentences[0]
            .entities
            .iter()
            .map(|(r, _)| r.clone())
            .collect();
        assert_eq!(spans, [2..4, 5..7, 9..10]);
    }

    #[test]
    fn reads_documents_sentences_and_spans() {
        let text = "# doc nw/x/1\nSyms\tNNP\tB-ORG\nCorp.\tNNP\tI-ORG\nrose\tVBD\tO\n\nIn\tIN\tO\n1990\tCD\tI-DATE\n\n# doc nw/x/2\nHi\tUH\tO\n";
        let docs = parse_corpus(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "nw/x/1");
        assert_eq!(docs[0].sentences[0].entities, vec![(0..2, Label::Org)]);
        assert_eq!(docs[0].sentences[1].entities, vec![(1..2, Label::Date)]);
        assert!(parse_corpus("word-without-tabs\n").is_err());
    }

    #[test]
    fn scores_exact_matches_only() {
        let mut s = Scorer::default();
        s.add(
            &[(0..2, Label::Org), (3..4, Label::Date)],
            &[(0..2, Label::Org), (3..5, Label::Date)],
        );
        let all = s.overall();
        assert_eq!((all.tp, all.fp, all.fn_), (1, 1, 1));
        assert!((all.f1() - 0.5).abs() < 1e-9);
        assert_eq!(s.label(Label::Date).tp, 0);
    }
}
