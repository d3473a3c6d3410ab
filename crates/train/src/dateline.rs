//! Datelines for training. Wire stories open with one ("KYIV, Ukraine (AP) — The …"): a
//! place in capitals, perhaps its country, perhaps the agency, then a dash. The corpus
//! has its datelines removed, so a model trained on it alone reads "ACCRA —" as an
//! acronym or nothing. Training therefore also sees the first sentence of one document
//! in four behind a dateline made of that document's own place names.

use crate::augment;
use crate::eval::{CorpusDoc, Sentence};
use onoma::LabelSet;

/// One document in `PERIOD` gets a dateline.
const PERIOD: usize = 4;

/// News agencies a dateline may credit, as the corpus spells them.
const AGENCIES: [&str; 4] = ["AP", "Reuters", "AFP", "Xinhua"];

/// The label numbers a dateline's entities take: places and news agencies.
#[derive(Debug, Clone, Copy)]
pub(super) struct DatelineLabels {
    /// Countries, cities, states: GPE, or LOC where the labels have no GPE.
    pub place: usize,
    /// The agency: ORG.
    pub org: usize,
}

impl DatelineLabels {
    /// The dateline labels of `labels`, if it has a place label and ORG.
    pub(super) fn of(labels: &LabelSet) -> Option<Self> {
        Some(DatelineLabels {
            place: labels.index_of("GPE").or_else(|| labels.index_of("LOC"))?,
            org: labels.index_of("ORG")?,
        })
    }
}

/// The distinct place names (label `place`) of a document in order of first mention, leaving out
/// those written with an article ("the United States"), which datelines never carry.
fn places(doc: &CorpusDoc, place: usize) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    for sentence in &doc.sentences {
        for (range, label) in &sentence.entities {
            let words = sentence.words[range.clone()].to_vec();
            let plain = words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase));
            if *label == place && plain && !found.contains(&words) {
                found.push(words);
            }
        }
    }
    found
}

/// The dateline for document number `doc`, with its entities as token ranges, or `None`
/// when the document is not chosen or names no place. The pattern of forms is fixed, so
/// training stays deterministic.
fn dateline(doc: usize, places: &[Vec<String>], labels: DatelineLabels) -> Option<Sentence> {
    if doc % PERIOD != 0 {
        return None;
    }
    let city = places.first()?;
    let form = doc / PERIOD;
    let mut line = Sentence {
        words: city.iter().map(|w| w.to_uppercase()).collect(),
        entities: vec![(0..city.len(), labels.place)],
    };
    let mut add = |words: &[String], label: Option<usize>| {
        let start = line.words.len();
        line.words.extend(words.iter().cloned());
        if let Some(label) = label {
            line.entities.push((start..line.words.len(), label));
        }
    };
    if let (true, Some(region)) = (form % 2 == 1, places.get(1)) {
        add(&[",".to_string()], None);
        add(region, Some(labels.place));
    }
    if form % 4 >= 2 {
        let agency = AGENCIES[form / 4 % AGENCIES.len()];
        add(&["(".to_string()], None);
        add(&[agency.to_string()], Some(labels.org));
        add(&[")".to_string()], None);
    }
    add(&["--".to_string()], None);
    Some(line)
}

/// For every document chosen, a copy with a dateline before its first sentence, and
/// for the others an empty document; indices match `docs`, so each copy keeps its
/// document's jackknife fold. Only the first sentence of a copy is new.
pub(super) fn datelined(docs: &[CorpusDoc], labels: DatelineLabels) -> Vec<CorpusDoc> {
    docs.iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut copy = augment::empty_copy(doc);
            if let (Some(first), Some(mut line)) = (
                doc.sentences.first(),
                dateline(d, &places(doc, labels.place), labels),
            ) {
                let shift = line.words.len();
                line.words.extend(first.words.iter().cloned());
                let moved = first
                    .entities
                    .iter()
                    .map(|(r, label)| (r.start + shift..r.end + shift, *label));
                line.entities.extend(moved);
                copy.sentences.push(line);
                copy.sentences.extend(doc.sentences[1..].iter().cloned());
            }
            copy
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use onoma::Label;

    const LABELS: DatelineLabels = DatelineLabels { place: 4, org: 3 };

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn datelines_take_the_documents_places_and_keep_its_entities() {
        let doc = CorpusDoc {
            id: "nw/test".into(),
            sentences: vec![Sentence {
                words: words("Rain fell in São Paulo , Brazil and the United States ."),
                entities: vec![
                    (3..5, LABELS.place),
                    (6..7, LABELS.place),
                    (8..11, LABELS.place),
                ],
            }],
        };
        let docs = vec![doc; 4 * PERIOD];
        let out = datelined(&docs, LABELS);
        let first_words = |d: usize| out[d].sentences[0].words[..8].join(" ");
        assert!(out[1].sentences.is_empty());
        assert!(first_words(0).starts_with("SÃO PAULO -- Rain"));
        assert!(first_words(PERIOD).starts_with("SÃO PAULO , Brazil -- Rain"));
        assert_eq!(first_words(2 * PERIOD), "SÃO PAULO ( AP ) -- Rain fell");
        let line = &out[3 * PERIOD].sentences[0];
        assert_eq!(line.words[..8].join(" "), "SÃO PAULO , Brazil ( AP ) --");
        let entity = |k: usize| {
            let (range, label) = &line.entities[k];
            (line.words[range.clone()].join(" "), Label::ALL[*label])
        };
        assert_eq!(entity(0), ("SÃO PAULO".into(), Label::Gpe));
        assert_eq!(entity(1), ("Brazil".into(), Label::Gpe));
        assert_eq!(entity(2), ("AP".into(), Label::Org));
        assert_eq!(entity(3), ("São Paulo".into(), Label::Gpe));
        assert_eq!(entity(5), ("the United States".into(), Label::Gpe));
    }
}
