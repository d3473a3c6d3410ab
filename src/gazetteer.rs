//! Lexicons of names: lower-cased word sequences mapped to 16 bits of information.
//!
//! Two are used. One is learned from the training corpus: each name with the label it
//! most often carries and how reliably it is an entity (one byte); training sees lists
//! built without the document at hand (jackknifing), so that it does not learn to trust
//! them blindly. The other comes from public lists (countries, cities, given names,
//! brands, listed companies, company legal forms): each phrase with a bit set per list it
//! is on, and how common it is as an English word.
//!
//! Matches become features ("this token is the last word of a known ORG name"), so the
//! model learns how far to trust each list.

use crate::hash::FingerprintMap;
use crate::hash::{fingerprint, mix};

/// Longest name, in words, that the lexicon holds.
pub const MAX_WORDS: usize = 6;

/// Lexicon entries: fingerprint of a word sequence → packed value (a [`LearnedName`]'s
/// byte, or the public lists' bits).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gazetteer {
    entries: FingerprintMap<u16>,
}

/// A match covering one token: the packed entry value and the token's position in the
/// match (0 begin, 1 inside, 2 last, 3 single word).
pub type Match = Option<(u16, u8)>;

/// Hash of a word sequence, extended one word at a time.
pub fn extend(h: u64, word: u64) -> u64 {
    mix(h.rotate_left(17) ^ word ^ 0x5851_f42d_4c95_7f2d)
}

/// Fingerprint of a whole word sequence, as entries are keyed.
#[cfg(feature = "train")]
pub fn phrase_key(words: &[u64]) -> u32 {
    fingerprint(words.iter().fold(0, |h, &w| extend(h, w)))
}

impl Gazetteer {
    /// A lexicon from `(fingerprint, packed value)` pairs.
    pub fn from_entries(entries: impl IntoIterator<Item = (u32, u16)>) -> Self {
        Gazetteer {
            entries: entries.into_iter().collect(),
        }
    }

    /// Entries sorted by fingerprint (the order the model file stores them in).
    pub fn sorted_entries(&self) -> Vec<(u32, u16)> {
        let mut v: Vec<(u32, u16)> = self.entries.iter().map(|(&k, &v)| (k, v)).collect();
        v.sort_unstable();
        v
    }

    /// Number of entries.
    #[cfg(feature = "train")]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    #[cfg(feature = "train")]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Greedy longest matches, left to right, over a sentence of normalised word hashes.
    pub fn matches(&self, words: &[u64]) -> Vec<Match> {
        let mut out = vec![None; words.len()];
        if self.entries.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < words.len() {
            let mut h = 0;
            let mut best = None;
            for (len, &w) in words[i..].iter().take(MAX_WORDS).enumerate() {
                h = extend(h, w);
                if let Some(&v) = self.entries.get(&fingerprint(h)) {
                    best = Some((len + 1, v));
                }
            }
            match best {
                Some((len, v)) => {
                    for (k, slot) in out[i..i + len].iter_mut().enumerate() {
                        let pos = match (len, k) {
                            (1, _) => 3,
                            (_, 0) => 0,
                            (_, k) if k == len - 1 => 2,
                            _ => 1,
                        };
                        *slot = Some((v, pos));
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        out
    }
}

/// The byte the corpus-learned lexicon stores per name: the label the name most often
/// carries (low five bits: its number in the model's label set; 31 stands for every label
/// from 31 on) and how reliably it is an entity where it is written (bits 5–6: band 0, 1
/// or 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnedName {
    /// Number of the label in the model's label set, at most 31.
    pub label: u8,
    /// 0: an entity under 30 % of the times it is written; 1: under 70 %; 2: more often.
    pub band: u8,
}

impl LearnedName {
    /// The stored byte.
    #[cfg(any(test, feature = "train"))]
    pub fn to_byte(self) -> u8 {
        self.label | self.band << 5
    }

    /// The name a stored byte describes; `None` for a byte no lexicon writes (an unknown
    /// band). The model checks the label against its label set.
    pub fn from_byte(byte: u8) -> Option<Self> {
        let name = LearnedName {
            label: byte & 31,
            band: byte >> 5,
        };
        (name.band <= 2).then_some(name)
    }
}

/// Collects names and their labels from annotated sentences to build a [`Gazetteer`].
#[cfg(feature = "train")]
pub struct GazetteerBuilder {
    /// Number of labels.
    n_labels: usize,
    /// Per word sequence: count as an entity of each label.
    as_entity: FingerprintMap<Vec<u32>>,
    /// Per word sequence: times seen in text at all.
    seen: FingerprintMap<u32>,
}

#[cfg(feature = "train")]
impl GazetteerBuilder {
    /// A builder for names of `n_labels` labels.
    pub fn new(n_labels: usize) -> Self {
        GazetteerBuilder {
            n_labels,
            as_entity: FingerprintMap::default(),
            seen: FingerprintMap::default(),
        }
    }

    /// Adds a sentence (normalised word hashes) with its gold spans `(start, end, label
    /// number)`; labels from the builder's number of labels on are ignored.
    pub fn add_entities(&mut self, words: &[u64], spans: &[(usize, usize, usize)]) {
        for &(start, end, label) in spans {
            if end - start <= MAX_WORDS && label < self.n_labels {
                let key = phrase_key(&words[start..end]);
                let n_labels = self.n_labels;
                self.as_entity
                    .entry(key)
                    .or_insert_with(|| vec![0; n_labels])[label] += 1;
            }
        }
    }

    /// Counts every occurrence of known names in a sentence; call after all
    /// [`GazetteerBuilder::add_entities`] calls.
    pub fn count_occurrences(&mut self, words: &[u64]) {
        for i in 0..words.len() {
            let mut h = 0;
            for &w in words[i..].iter().take(MAX_WORDS) {
                h = extend(h, w);
                let f = fingerprint(h);
                if self.as_entity.contains_key(&f) {
                    *self.seen.entry(f).or_insert(0) += 1;
                }
            }
        }
    }

    /// The lexicon: each name with its most frequent label and how often (of all the times
    /// it is written) it is an entity, in three bands.
    pub fn build(&self) -> Gazetteer {
        Gazetteer::from_entries(self.as_entity.iter().map(|(&f, counts)| {
            let (label, _) = counts
                .iter()
                .enumerate()
                .max_by_key(|&(l, &c)| (c, std::cmp::Reverse(l)))
                .expect("a name has a label");
            let total: u32 = counts.iter().sum();
            let seen = self.seen.get(&f).copied().unwrap_or(total).max(total);
            let band = match total * 10 / seen {
                0..=2 => 0,
                3..=6 => 1,
                _ => 2,
            };
            let name = LearnedName {
                label: label.min(31) as u8,
                band,
            };
            (f, u16::from(name.to_byte()))
        }))
    }
}
