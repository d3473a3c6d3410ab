//! Phrase features: what stands around a quoted passage or a run of capitalised words,
//! given to every token inside it.
//!
//! A title such as "One Man and His Dog" or Meet the Press is several tokens long, but the
//! words that say it is a title ("the novel", "on … tonight") stand next to its first or
//! last token only, out of reach of the middle ones. So each token of a phrase also reads
//! the word before the phrase, the word after it and the phrase's last word ("Press",
//! "Award", "Report"), each also by its word class so that "sitcom" can learn from
//! "series", and the phrase's shape.

use super::Template;
use super::WordInfo;
use std::ops::Range;

/// Number of feature keys per token from the phrase around it.
pub(super) const FROM_PHRASES: usize = 7;
/// Longest quoted passage, in tokens between the marks, read as one phrase: longer ones
/// are speech rather than titles.
const MAX_QUOTED: usize = 10;
/// Longest run of capitalised words read as one phrase: a headline in capitals is one
/// run from end to end, and says nothing as such.
const MAX_RUN: usize = 8;
/// Lower-case words in a row that a run of capitalised words may hold ("of the").
const MAX_GAP: usize = 2;

/// What a token is as a quotation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QuoteMark {
    NotAMark,
    Opening,
    Closing,
    /// A single closing quote, which is also the apostrophe of "Jones'" and "'89".
    Apostrophe,
    /// The straight double quote, which opens or closes.
    Either,
}

impl QuoteMark {
    /// The mark `word` is, read before typography is folded: curly quotes tell opening
    /// from closing.
    pub(super) fn of(word: &str) -> Self {
        match word {
            "\"" => QuoteMark::Either,
            "`" | "``" | "“" | "‘" | "„" | "«" => QuoteMark::Opening,
            "''" | "”" | "»" => QuoteMark::Closing,
            "'" | "’" => QuoteMark::Apostrophe,
            _ => QuoteMark::NotAMark,
        }
    }
}

/// Lower-case words that may stand inside a title or a name between capitalised ones.
pub(super) fn is_connector(norm: &str) -> bool {
    matches!(
        norm,
        "of" | "the"
            | "and"
            | "a"
            | "an"
            | "in"
            | "on"
            | "for"
            | "to"
            | "with"
            | "from"
            | "at"
            | "by"
            | "is"
            | "&"
            | "'s"
            | "-"
            | "de"
            | "la"
            | "del"
            | "du"
            | "des"
            | "der"
            | "van"
            | "von"
    )
}

/// A phrase found in a sentence: where its words lie, and whether they stand between
/// quotation marks (at `content.start - 1` and `content.end`).
struct Phrase {
    quoted: bool,
    content: Range<usize>,
}

/// Writes the phrase keys of every word of the sentence `sent` to `out` (one entry per
/// word), leaving [`NO_FEATURE`](super::NO_FEATURE) where a word stands in no phrase.
pub(super) fn phrase_keys(sent: &[&WordInfo], out: &mut [[u64; FROM_PHRASES]]) {
    let quoted = quoted_passages(sent);
    let mut in_quotes = vec![false; sent.len()];
    for p in &quoted {
        in_quotes[p.content.start - 1..=p.content.end].fill(true);
    }
    let runs = capitalised_runs(sent)
        .into_iter()
        .filter(|p| !in_quotes[p.content.clone()].contains(&true));
    for phrase in quoted.into_iter().chain(runs) {
        let marks = usize::from(phrase.quoted);
        let Phrase { quoted, content } = phrase;
        let before = content.start.checked_sub(1 + marks).map(|i| &sent[i]);
        let after = sent.get(content.end + marks);
        let (before_norm, before_class) =
            before.map_or((u64::MAX, u64::MAX), |w| (w.norm, w.class[1]));
        let (after_norm, after_class) =
            after.map_or((u64::MAX, u64::MAX), |w| (w.norm, w.class[1]));
        let body = &sent[content.clone()];
        let last = &body[body.len() - 1];
        let title_like = u64::from(body.iter().all(|w| w.capitalized || w.connector));
        // In a run only connectors are not capitalised; in quotes any lower-case word counts.
        let has_uncapitalised = u64::from(body.iter().any(|w| !w.capitalized));
        let length = match body.len() {
            n @ 1..=3 => n as u64,
            4 | 5 => 4,
            _ => 5,
        };
        let kind = u64::from(quoted);
        let at_start = u64::from(content.start == marks);
        let span = content.start - marks..content.end + marks;
        for (i, slot) in span.clone().zip(&mut out[span]) {
            // 0 opening mark, 1 first word, 2 inside, 3 last word, 4 closing mark.
            let position = if i < content.start {
                0
            } else if i == content.end {
                4
            } else if i + 1 == content.end {
                3
            } else if i == content.start {
                1
            } else {
                2
            };
            *slot = [
                Template::PhraseWordBefore.key(&[kind, before_norm]),
                Template::PhraseWordAfter.key(&[kind, after_norm]),
                Template::PhraseLastWord.key(&[kind, last.norm]),
                Template::PhraseClassBefore.key(&[kind, before_class]),
                Template::PhraseClassAfter.key(&[kind, after_class]),
                Template::PhraseLastClass.key(&[kind, last.class[1]]),
                Template::PhraseShape.key(&[
                    kind,
                    length,
                    title_like,
                    has_uncapitalised,
                    at_start,
                    position,
                ]),
            ];
        }
    }
}

/// Passages of 1 to [`MAX_QUOTED`] tokens between a pair of quotation marks.
fn quoted_passages(sent: &[&WordInfo]) -> Vec<Phrase> {
    quote_pairs(sent)
        .into_iter()
        .filter(|&(open, close)| (1..=MAX_QUOTED).contains(&(close - open - 1)))
        .map(|(open, close)| Phrase {
            quoted: true,
            content: open + 1..close,
        })
        .collect()
}

/// The positions of the opening and closing mark of every pair of quotation marks in
/// the sentence, in order. A straight quote closes the open pair if there is one and
/// opens a new one otherwise.
pub(super) fn quote_pairs(sent: &[&WordInfo]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut open: Option<usize> = None;
    for (i, w) in sent.iter().enumerate() {
        match (w.quote, open) {
            (QuoteMark::Closing | QuoteMark::Apostrophe | QuoteMark::Either, Some(o)) => {
                found.push((o, i));
                open = None;
            }
            (QuoteMark::Opening | QuoteMark::Either, _) => open = Some(i),
            _ => {}
        }
    }
    found
}

/// Runs of 2 to [`MAX_RUN`] capitalised words, with at most [`MAX_GAP`] connectors in a
/// row between them.
fn capitalised_runs(sent: &[&WordInfo]) -> Vec<Phrase> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < sent.len() {
        if !sent[i].capitalized {
            i += 1;
            continue;
        }
        let (mut last, mut gap) = (i, 0);
        for (j, w) in sent.iter().enumerate().skip(i + 1) {
            if w.capitalized {
                (last, gap) = (j, 0);
            } else if w.connector && gap < MAX_GAP {
                gap += 1;
            } else {
                break;
            }
        }
        if (2..=MAX_RUN).contains(&(last + 1 - i)) {
            found.push(Phrase {
                quoted: false,
                content: i..last + 1,
            });
        }
        i = last + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::WordClusters;
    use crate::features::NO_FEATURE;

    fn keys_of(sentence: &[&str]) -> Vec<[u64; FROM_PHRASES]> {
        let clusters = WordClusters::default();
        let words: Vec<WordInfo> = sentence
            .iter()
            .map(|w| WordInfo::new(w, &clusters))
            .collect();
        let mut keys = vec![[NO_FEATURE; FROM_PHRASES]; words.len()];
        phrase_keys(&words.iter().collect::<Vec<_>>(), &mut keys);
        keys
    }

    fn in_phrase(keys: &[[u64; FROM_PHRASES]]) -> Vec<bool> {
        keys.iter().map(|k| k[0] != NO_FEATURE).collect()
    }

    #[test]
    fn every_word_of_a_quoted_title_reads_the_word_before_it() {
        let keys = keys_of(&[
            "the", "novel", "\"", "One", "Man", "and", "His", "Dog", "\"", "won",
        ]);
        let expected = [
            false, false, true, true, true, true, true, true, true, false,
        ];
        assert_eq!(in_phrase(&keys), expected);
        // "and", in the middle, reads "novel" as the first word does.
        assert_eq!(keys[5][0], keys[3][0]);
        assert_eq!(keys[5][1], keys[3][1]);
        let shape = FROM_PHRASES - 1;
        assert_ne!(keys[5][shape], keys[3][shape], "positions differ");
        let other = keys_of(&[
            "the", "show", "\"", "One", "Man", "and", "His", "Dog", "\"", "won",
        ]);
        assert_ne!(
            other[5][0], keys[5][0],
            "the word before is part of the key"
        );
    }

    #[test]
    fn capitalised_runs_hold_connectors_but_end_on_capitals() {
        let keys = keys_of(&["on", "Meet", "the", "Press", "of", "the", "day", "."]);
        assert_eq!(
            in_phrase(&keys),
            [false, true, true, true, false, false, false, false]
        );
        let lone = keys_of(&["on", "Dallas", "today"]);
        assert_eq!(
            in_phrase(&lone),
            [false, false, false],
            "one word is no run"
        );
        let long: Vec<&str> = std::iter::repeat_n("Word", MAX_RUN + 1).collect();
        assert!(in_phrase(&keys_of(&long)).iter().all(|&p| !p));
    }

    #[test]
    fn quotation_marks_pair_up_and_long_speech_is_no_phrase() {
        let curly = keys_of(&["“", "Dallas", "”", "and", "‘", "Crossfire", "’"]);
        assert_eq!(
            in_phrase(&curly),
            [true, true, true, false, true, true, true]
        );
        let mut speech = vec!["\""];
        speech.extend(std::iter::repeat_n("we", MAX_QUOTED + 1));
        speech.push("\"");
        assert!(in_phrase(&keys_of(&speech)).iter().all(|&p| !p));
        let unclosed = keys_of(&["\"", "Dallas", "is", "big"]);
        assert!(in_phrase(&unclosed).iter().all(|&p| !p));
    }
}
