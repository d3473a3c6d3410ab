//! Headline casing for training. Headlines come in Title Case or ALL CAPS, where
//! capitalisation says nothing about names; the corpus has almost none. Training also
//! sees a recased copy of one sentence in eight (half Title Case, half capitals), read in
//! the context of its unchanged document, so the model learns to lean on the words, their
//! classes and the lexicons there instead.
//!
//! Chat, posts, search queries and transcripts are often typed without any capital, and
//! the corpus has almost none of that either: training also sees some whole documents
//! written in lower case ([`lower_cased`]), so that a name without capitals, and a
//! document where no word is ever capitalised, are met in training.

use crate::eval::CorpusDoc;

/// Words Title Case leaves in lower case.
const SMALL_WORDS: [&str; 16] = [
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "by", "with",
    "from", "as",
];

/// Of every `PERIOD` sentences, one gets a Title Case copy and one an ALL CAPS copy
/// (one in four cost 0.5 F1 on ordinary text for a little more robustness; one in
/// sixteen left headlines noticeably worse).
const PERIOD: usize = 16;

#[derive(Clone, Copy)]
enum Casing {
    Title,
    Upper,
}

/// The casing of the copy of sentence `sentence` of document `doc`, if it gets one; a
/// fixed pattern, so training stays deterministic.
fn casing(doc: usize, sentence: usize) -> Option<Casing> {
    match (doc * 7 + sentence) % PERIOD {
        0 => Some(Casing::Title),
        k if k == PERIOD / 2 => Some(Casing::Upper),
        _ => None,
    }
}

/// Whether sentence `sentence` of document `doc` is recased in [`recased`]'s copy.
pub(super) fn is_recased(doc: usize, sentence: usize) -> bool {
    casing(doc, sentence).is_some()
}

fn recase(word: &str, casing: Casing) -> String {
    match casing {
        Casing::Upper => word.to_uppercase(),
        Casing::Title => {
            let all_lower = !word.is_empty() && word.chars().all(char::is_lowercase);
            if !all_lower || SMALL_WORDS.contains(&word) {
                return word.to_string();
            }
            let mut chars = word.chars();
            let first = chars.next().expect("not empty");
            first.to_uppercase().chain(chars).collect()
        }
    }
}

/// The documents with the sentences chosen by [`is_recased`] recased; gold entities are
/// unchanged.
pub(super) fn recased(docs: &[CorpusDoc]) -> Vec<CorpusDoc> {
    docs.iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut doc = doc.clone();
            for (s, sentence) in doc.sentences.iter_mut().enumerate() {
                if let Some(casing) = casing(d, s) {
                    for word in &mut sentence.words {
                        *word = recase(word, casing);
                    }
                }
            }
            doc
        })
        .collect()
}

/// One document in `LOWER_PERIOD` gets a lower-case copy (one in eight read lower case
/// 0.006 better on dev and cost 0.0003 more on ordinary text).
const LOWER_PERIOD: usize = 16;

/// Whether document `doc` is in [`lower_cased`]'s copy.
pub(super) fn is_lower_cased(doc: usize) -> bool {
    doc % LOWER_PERIOD == LOWER_PERIOD / 2
}

/// A document of `doc`'s name with no sentence: what a copy of the corpus holds for a
/// document it does not copy, so that each copy keeps its document's index (and so its
/// jackknife fold).
pub(super) fn empty_copy(doc: &CorpusDoc) -> CorpusDoc {
    CorpusDoc {
        id: doc.id.clone(),
        sentences: Vec::new(),
    }
}

/// The documents chosen by [`is_lower_cased`] in lower case, the others left empty (so
/// that each copy keeps its document's index); gold entities are unchanged.
pub(super) fn lower_cased(docs: &[CorpusDoc]) -> Vec<CorpusDoc> {
    docs.iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut copy = empty_copy(doc);
            if is_lower_cased(d) {
                copy.sentences = doc.sentences.clone();
                for word in copy.sentences.iter_mut().flat_map(|s| &mut s.words) {
                    *word = word.to_lowercase();
                }
            }
            copy
        })
        .collect()
}

/// One sentence in `ALONE_PERIOD` is also read as a document of its own, with no other
/// sentence around it: what the recognizer gets from a sentence typed into a box.
const ALONE_PERIOD: usize = 10;

/// Round `round` of the copies of sentences read alone: each document's sentence
/// `round * ALONE_PERIOD + doc % ALONE_PERIOD`, if it has one, as the copy's only sentence
/// (so its tag history is empty too); documents without it are left empty, so that each
/// copy keeps its document's index. `None` once no document has that sentence.
pub(super) fn alone(docs: &[CorpusDoc], round: usize) -> Option<Vec<CorpusDoc>> {
    let mut any = false;
    let copies = docs
        .iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut copy = empty_copy(doc);
            if let Some(s) = doc.sentences.get(round * ALONE_PERIOD + d % ALONE_PERIOD) {
                copy.sentences.push(s.clone());
                any = true;
            }
            copy
        })
        .collect();
    any.then_some(copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_capitalises_lower_case_words_but_small_ones() {
        let words = [
            "the", "senate", "of", "Ohio", "'s", "n't", "e-mail", "élan", "3",
        ];
        let title: Vec<String> = words.iter().map(|w| recase(w, Casing::Title)).collect();
        assert_eq!(
            title,
            ["the", "Senate", "of", "Ohio", "'s", "n't", "e-mail", "Élan", "3"]
        );
        assert_eq!(recase("Zürich's", Casing::Upper), "ZÜRICH'S");
    }

    #[test]
    fn an_eighth_of_sentences_is_recased_half_each_way() {
        let chosen: Vec<_> = (0..1600).filter_map(|i| casing(i / 40, i % 40)).collect();
        let title = chosen.iter().filter(|c| matches!(c, Casing::Title)).count();
        assert_eq!((chosen.len(), title), (200, 100));
    }

    #[test]
    fn one_sentence_in_ten_is_read_alone() {
        let docs: Vec<CorpusDoc> = (0..3)
            .map(|d| CorpusDoc {
                id: format!("d{d}"),
                sentences: (0..25)
                    .map(|k| crate::eval::Sentence {
                        words: vec![format!("w{d}.{k}")],
                        entities: vec![],
                    })
                    .collect(),
            })
            .collect();
        let rounds: Vec<Vec<CorpusDoc>> = (0..).map_while(|r| alone(&docs, r)).collect();
        let read: Vec<Vec<&str>> = rounds
            .iter()
            .map(|copies| {
                copies
                    .iter()
                    .flat_map(|c| &c.sentences)
                    .map(|s| s.words[0].as_str())
                    .collect()
            })
            .collect();
        assert_eq!(
            read,
            [
                vec!["w0.0", "w1.1", "w2.2"],
                vec!["w0.10", "w1.11", "w2.12"],
                vec!["w0.20", "w1.21", "w2.22"],
            ]
        );
        assert!(rounds.iter().flatten().all(|c| c.sentences.len() <= 1));
    }

    #[test]
    fn one_document_in_sixteen_is_copied_in_lower_case() {
        let sentence = crate::eval::Sentence {
            words: vec!["Zürich".into(), "'s".into(), "IPO".into()],
            entities: vec![(0..1, 4)],
        };
        let docs: Vec<CorpusDoc> = (0..32)
            .map(|d| CorpusDoc {
                id: format!("d{d}"),
                sentences: vec![sentence.clone()],
            })
            .collect();
        let copies = lower_cased(&docs);
        let kept: Vec<usize> = (0..32)
            .filter(|&d| !copies[d].sentences.is_empty())
            .collect();
        assert_eq!(kept, [8, 24]);
        assert_eq!(copies[8].sentences[0].words, ["zürich", "'s", "ipo"]);
        assert_eq!(copies[8].sentences[0].entities, sentence.entities);
    }
}
