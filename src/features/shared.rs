//! The keys that tokens share: groups of a token's keys that are the same for every token
//! with the same word in the same place, so that what they score can be worked out once
//! per distinct word of a document (see `model::WordScores`).

use super::{Document, SentenceCasing, PER_TOKEN};
use std::ops::Range;

/// The groups of keys that read one word alone, by where that word stands from the token
/// (0: the token's own word, -1: the word before…), with the positions of their keys
/// among a token's [`PER_TOKEN`]. `Template::Bias`, the same for every token, goes with
/// the token's own word.
const BY_OFFSET: [(isize, &[usize]); 7] = [
    (
        0,
        &[
            0, 1, 2, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 32, 44, 45, 46, 53,
        ],
    ),
    (-1, &[3, 28, 47, 48]),
    (1, &[4, 29, 49, 50]),
    (-2, &[5, 51]),
    (2, &[6, 52]),
    (-3, &[35]),
    (3, &[36]),
];

/// The keys that read the token's own word with its place in the sentence, the
/// sentence's casing, the document's view of the word and the lexicon matches around it:
/// the same for every token of a document with the same word, when that word stands
/// third or later in an ordinarily written sentence and no lexicon match covers it or
/// its neighbours.
const PLAIN_WORD: &[usize] = &[24, 25, 26, 30, 33, 34, 40, 41, 42, 43];

/// The groups of shared keys: the positions of each group's keys among a token's
/// [`PER_TOKEN`]. [`Document::key_slots`] tells which tokens share each group's keys.
pub const SHARED_KEYS: [&[usize]; 8] = [
    BY_OFFSET[0].1,
    BY_OFFSET[1].1,
    BY_OFFSET[2].1,
    BY_OFFSET[3].1,
    BY_OFFSET[4].1,
    BY_OFFSET[5].1,
    BY_OFFSET[6].1,
    PLAIN_WORD,
];

/// Number of keys in [`SHARED_KEYS`].
const SHARED: usize = {
    let (mut n, mut g) = (0, 0);
    while g < SHARED_KEYS.len() {
        n += SHARED_KEYS[g].len();
        g += 1;
    }
    n
};

/// The positions, among a token's [`PER_TOKEN`] keys, of those outside [`SHARED_KEYS`].
pub const CONTEXT_KEYS: [usize; PER_TOKEN - SHARED] = context_keys();

/// The slot of a token whose keys of a group are not shared.
pub const NO_SLOT: usize = usize::MAX;

/// The slots of the places before a sentence's start and after its end; the words'
/// slots follow.
const BEFORE: usize = 0;
const AFTER: usize = 1;
const FIRST_WORD: usize = 2;

const fn context_keys() -> [usize; PER_TOKEN - SHARED] {
    let mut shared = [false; PER_TOKEN];
    let mut g = 0;
    while g < SHARED_KEYS.len() {
        let mut k = 0;
        while k < SHARED_KEYS[g].len() {
            assert!(!shared[SHARED_KEYS[g][k]], "a key in two groups");
            shared[SHARED_KEYS[g][k]] = true;
            k += 1;
        }
        g += 1;
    }
    let mut context = [0; PER_TOKEN - SHARED];
    let (mut p, mut c) = (0, 0);
    while p < PER_TOKEN {
        if !shared[p] {
            context[c] = p;
            c += 1;
        }
        p += 1;
    }
    context
}

impl Document<'_> {
    /// For each token of the sentence `range`, one slot per group of [`SHARED_KEYS`]:
    /// tokens with the same slot in a group have the same keys in it, throughout the
    /// document. A slot is a number for the word the group reads ([`NO_SLOT`] where the
    /// token's keys of the group depend on more than that word).
    pub fn key_slots(&self, range: Range<usize>) -> Vec<usize> {
        let ids = self.words.ids(range.clone());
        let lexicon = &self.lexicon[range.clone()];
        let public_lists = &self.public_lists[range.clone()];
        let ordinary = SentenceCasing::of(&self.words.slice(range)) == SentenceCasing::Ordinary;
        let word_at = |place: Option<usize>| match place {
            None => BEFORE,
            Some(p) => ids.get(p).map_or(AFTER, |id| FIRST_WORD + id),
        };
        let mut slots = Vec::with_capacity(ids.len() * SHARED_KEYS.len());
        for i in 0..ids.len() {
            slots.extend(BY_OFFSET.map(|(offset, _)| word_at(i.checked_add_signed(offset))));
            let plain = ordinary
                && i >= 2
                && lexicon.get(i - 1..i + 2) == Some(&[0, 0, 0])
                && public_lists[i] == 0;
            slots.push(if plain { FIRST_WORD + ids[i] } else { NO_SLOT });
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::WordClusters;
    use crate::features::{normalize, TagHistory};
    use crate::gazetteer::{extend, Gazetteer, LearnedName};
    use crate::hash::{fingerprint, hash_str};
    use std::collections::HashMap;

    /// Every token given the same slot in a group has the same keys in it, in a document
    /// of ordinary, headline and lower-case sentences, lexicon and public-list names,
    /// quotes, a name mentioned twice and a tag history; and the groups share keys often.
    #[test]
    fn tokens_with_the_same_slot_have_the_same_keys() {
        let sentences: [&[&str]; 5] = [
            &[
                "Ms.", "Ada", "Lovelace", "of", "Acme", "Corp.", "wrote", "\"", "Notes", "\"", ".",
            ],
            &[
                "In", "1843", "Lovelace", "left", "the", "city", "of", "London", "for", "the",
                "coast", ".",
            ],
            &["LOVELACE", "LEAVES", "THE", "CITY", "OF", "LONDON"],
            &[
                "she", "said", "the", "city", "of", "london", "was", "the", "best", ".",
            ],
            &[
                "The", "city", "of", "London", "wrote", "to", "the", "coast", "of", "Acme",
                "Corp.", ".",
            ],
        ];
        let norms = |words: &[&str]| {
            let norm = |w: &&str| hash_str(&normalize(w));
            words.iter().map(norm).fold(0, extend)
        };
        let acme = u16::from(LearnedName { label: 3, band: 2 }.to_byte());
        let learned = Gazetteer::from_entries([(fingerprint(norms(&["Acme", "Corp."])), acme)]);
        let lists = Gazetteer::from_entries([(fingerprint(norms(&["London"])), 0b101)]);
        let mut ranges = Vec::new();
        for s in &sentences {
            let start = ranges.last().map_or(0, |r: &Range<usize>| r.end);
            ranges.push(start..start + s.len());
        }
        let words = sentences.iter().flat_map(|s| s.iter().copied());
        let doc = Document::new(words, &ranges, (&learned, &lists), &WordClusters::default());
        let mut history = TagHistory::default();
        let mut seen: HashMap<(usize, usize), (Vec<u64>, usize)> = HashMap::new();
        for range in ranges {
            let mut keys = Vec::new();
            doc.sentence_features(range.clone(), &history, &mut keys);
            let slots = doc.key_slots(range.clone());
            assert_eq!(slots.len(), range.len() * SHARED_KEYS.len());
            let tokens = keys.chunks(PER_TOKEN).zip(slots.chunks(SHARED_KEYS.len()));
            for (token, slots) in tokens {
                for (g, (&slot, positions)) in slots.iter().zip(SHARED_KEYS).enumerate() {
                    if slot == NO_SLOT {
                        continue;
                    }
                    let group: Vec<u64> = positions.iter().map(|&p| token[p]).collect();
                    let first = seen.entry((g, slot)).or_insert_with(|| (group.clone(), 0));
                    assert_eq!(first.0, group, "group {g}, slot {slot}");
                    first.1 += 1;
                }
            }
            let tags: Vec<usize> = (0..range.len()).map(|i| i % 3).collect();
            history.record(&doc.history_words(range), &tags);
        }
        for g in 0..SHARED_KEYS.len() {
            let most = seen
                .iter()
                .filter(|(k, _)| k.0 == g)
                .map(|(_, v)| v.1)
                .max();
            assert!(
                most >= Some(3),
                "group {g} is shared by at most {most:?} tokens"
            );
        }
    }
}
