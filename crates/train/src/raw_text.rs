//! Training documents cut the way the recognizer cuts raw text. The corpus gives tokens
//! and sentences as its annotators cut them; at run time the recognizer cuts them itself,
//! and its sentences differ wherever the text does not say where one ends (a dateline or
//! header without a full stop, a transcript, a colon before a quotation): about one
//! sentence end in seven on dev. A model trained only on the corpus's sentences reads
//! such run-on sentences as it never saw them. So each document is written out as running
//! text, cut by [`tokenize`] and [`split_sentences`], and its gold entities carried over
//! by their byte ranges.

use crate::eval::{CorpusDoc, Sentence};
use onoma::{split_sentences, tokenize, Token};
use std::ops::Range;

/// `doc` as the recognizer would read it from running text: the same words, with
/// possibly other token and sentence boundaries. An entity that does not fall on the
/// new tokens (other than by punctuation, such as the period of "Corp.") is dropped, and
/// no sentence is cut inside an entity.
pub(super) fn as_read(doc: &CorpusDoc) -> CorpusDoc {
    let (text, entities) = running_text(doc);
    let tokens = tokenize(&text);
    let spans: Vec<(Range<usize>, usize)> = entities
        .into_iter()
        .filter_map(|(bytes, label)| Some((token_range(&text, &tokens, bytes)?, label)))
        .collect();
    let sentences = merge_inside_entities(split_sentences(&text, &tokens), &spans);
    let sentences = sentences
        .into_iter()
        .map(|range| Sentence {
            words: tokens[range.clone()]
                .iter()
                .map(|t| t.text(&text).to_string())
                .collect(),
            entities: spans
                .iter()
                .filter(|(r, _)| range.start <= r.start && r.end <= range.end)
                .map(|(r, l)| (r.start - range.start..r.end - range.start, *l))
                .collect(),
        })
        .collect();
    CorpusDoc {
        id: doc.id.clone(),
        sentences,
    }
}

/// The words of `doc` written as edited prose (a space between words, none before a
/// comma or after an opening bracket), and each gold entity as a byte range of it.
fn running_text(doc: &CorpusDoc) -> (String, Vec<(Range<usize>, usize)>) {
    let mut text = String::new();
    let mut entities = Vec::new();
    let mut in_quote = false;
    let mut glue_next = true;
    for sentence in &doc.sentences {
        let mut written = Vec::with_capacity(sentence.words.len());
        for (i, word) in sentence.words.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| sentence.words[p].as_str());
            let next = sentence.words.get(i + 1).map(String::as_str);
            // "U.S." ending a sentence takes its full stop: the corpus writes it twice.
            let last = i + 1 == sentence.words.len();
            if word == "." && last && previous.is_some_and(|p| p.len() > 1 && p.ends_with('.')) {
                written.push(text.len()..text.len());
                continue;
            }
            let hyphen = word == "-" && previous.is_some_and(ends_alphanumeric) && next.is_some();
            let closes_quote = word == "\"" && in_quote;
            if !(glue_next || attaches_left(word) || hyphen || closes_quote) {
                text.push(' ');
            }
            let start = text.len();
            text.push_str(word);
            written.push(start..text.len());
            glue_next = attaches_right(word) || hyphen || (word == "\"" && !in_quote);
            if word == "\"" {
                in_quote = !in_quote;
            }
        }
        for (range, label) in &sentence.entities {
            let bytes = written[range.start].start..written[range.end - 1].end;
            entities.push((bytes, *label));
        }
        glue_next = false;
    }
    (text, entities)
}

fn ends_alphanumeric(word: &str) -> bool {
    word.chars().last().is_some_and(char::is_alphanumeric)
}

/// Words written straight after the word before them.
fn attaches_left(word: &str) -> bool {
    matches!(
        word,
        "," | "." | ";" | ":" | "!" | "?" | "%" | ")" | "]" | "}" | "..." | "'"
    ) || matches!(
        word.to_ascii_lowercase().as_str(),
        "'s" | "n't" | "'re" | "'ve" | "'ll" | "'d" | "'m"
    )
}

/// Words the next word is written straight after.
fn attaches_right(word: &str) -> bool {
    matches!(
        word,
        "(" | "[" | "{" | "$" | "#" | "US$" | "C$" | "A$" | "HK$" | "S$"
    )
}

/// The tokens covering `bytes`, if they cover it but for punctuation at either end.
fn token_range(text: &str, tokens: &[Token], bytes: Range<usize>) -> Option<Range<usize>> {
    let first = tokens.partition_point(|t| t.end <= bytes.start);
    let end = tokens.partition_point(|t| t.start < bytes.end);
    if first >= end {
        return None;
    }
    let (covered_start, covered_end) = (tokens[first].start, tokens[end - 1].end);
    let differ = [
        covered_start.min(bytes.start)..covered_start.max(bytes.start),
        covered_end.min(bytes.end)..covered_end.max(bytes.end),
    ];
    let only_punctuation = differ
        .iter()
        .all(|r| !text[r.clone()].chars().any(char::is_alphanumeric));
    only_punctuation.then_some(first..end)
}

/// `sentences` with each boundary that falls inside an entity of `spans` removed.
fn merge_inside_entities(
    sentences: Vec<Range<usize>>,
    spans: &[(Range<usize>, usize)],
) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(sentences.len());
    for s in sentences {
        let cuts_entity = |at: usize| spans.iter().any(|(r, _)| r.start < at && at < r.end);
        match merged.last_mut() {
            Some(last) if cuts_entity(s.start) => last.end = s.end,
            _ => merged.push(s),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::parse_corpus_text;
    use crate::eval::numbered;
    use onoma::{Label, LabelSet};

    /// The first document of `tsv`, its labels numbered in the OntoNotes order.
    fn corpus(tsv: &str) -> CorpusDoc {
        let docs = parse_corpus_text(tsv).unwrap().docs;
        numbered(docs, &LabelSet::ontonotes()).0.remove(0)
    }

    /// Each sentence's words, and its entities as "words LABEL".
    fn words_and_entities(doc: &CorpusDoc) -> Vec<(Vec<String>, Vec<String>)> {
        doc.sentences
            .iter()
            .map(|s| {
                let entities = s
                    .entities
                    .iter()
                    .map(|(r, l)| format!("{} {}", s.words[r.clone()].join(" "), Label::ALL[*l]))
                    .collect();
                (s.words.clone(), entities)
            })
            .collect()
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_header_without_a_full_stop_runs_into_the_next_sentence() {
        let doc = corpus(
            "# doc a\nBEIJING\tNNP\tB-GPE\n\nLi\tNNP\tB-PERSON\nspoke\tVBD\tO\n.\t.\tO\n\n\
             He\tPRP\tO\nleft\tVBD\tO\n.\t.\tO\n",
        );
        let read = words_and_entities(&as_read(&doc));
        assert_eq!(
            read,
            [
                (
                    strings(&["BEIJING", "Li", "spoke", "."]),
                    strings(&["BEIJING GPE", "Li PERSON"])
                ),
                (strings(&["He", "left", "."]), vec![]),
            ]
        );
    }

    #[test]
    fn entities_keep_their_words_through_spacing_and_abbreviations() {
        let doc = corpus(
            "# doc a\n\"\t``\tO\nAmoco\tNNP\tB-ORG\nCorp\tNNP\tI-ORG\n.\t.\tO\n\"\t''\tO\n\n\
             The\tDT\tO\nanti\tJJ\tO\n-\tHYPH\tO\nAmerican\tJJ\tB-NORP\nU.S.\tNNP\tB-GPE\n\
             .\t.\tO\n",
        );
        let text = running_text(&doc).0;
        assert_eq!(text, "\"Amoco Corp.\" The anti-American U.S.");
        let read = words_and_entities(&as_read(&doc));
        let entities: Vec<String> = read.into_iter().flat_map(|(_, e)| e).collect();
        assert_eq!(entities, ["Amoco Corp. ORG", "American NORP", "U.S. GPE"]);
    }

    #[test]
    fn no_sentence_is_cut_inside_an_entity() {
        let spans = [(2..5, Label::Org.index())];
        assert_eq!(
            merge_inside_entities(vec![0..3, 3..6, 6..8], &spans),
            [0..6, 6..8]
        );
    }
}
