//! What the keys that tokens share score, worked out once per distinct word of a
//! document.
//!
//! About half of a token's keys are the same for every token with the same word in the
//! same place (see `features::SHARED_KEYS`): its own spelling, affixes, shape and class,
//! a neighbour's, or, in the plain case, its place, casing and lexicon keys. Every mention
//! of "the" has the same such keys, so they add the same vector of tag scores wherever
//! "the" stands in that place. A document keeps that vector per word and group the first
//! time it is needed, and later mentions add it instead of looking their keys up again;
//! in news, two words in three have been seen earlier in their document.

use super::table::FeatureTable;
use crate::features::NO_FEATURE;
use crate::hash::fingerprint;

/// How many distinct words a document keeps the vectors of: in order of first
/// appearance, so a long text keeps its common words (which come early) and scores the
/// rare ones where they stand. At eight groups and 73 tags a word costs about 2.3 KB.
const MAX_WORDS: usize = 4096;

/// Where a (word, group) vector stands while a sentence is scored.
#[derive(Clone, Copy)]
enum Vector {
    /// Kept from an earlier sentence, at this index among the kept vectors.
    Kept(usize),
    /// Worked out for this sentence, at this index among its fresh vectors.
    Fresh(usize),
}

/// A vector not worked out yet.
const UNKNOWN: u32 = 0;
/// A vector kept.
const KEPT: u32 = 1;

/// The kept vectors of one document (see the module's documentation).
#[derive(Default)]
pub struct WordScores {
    /// Per word and group: [`UNKNOWN`], [`KEPT`], or 2 plus the index of the
    /// fresh vector the sentence being scored works it out in.
    state: Vec<u32>,
    /// The kept vectors, `n_tags` scores each, at the index of their state.
    vectors: Vec<f32>,
    /// What scoring a sentence needs besides, kept from one sentence to the next.
    scratch: Scratch,
}

/// The buffers of one sentence's scoring.
#[derive(Default)]
struct Scratch {
    /// The fingerprints of the context keys, then of the fresh vectors' keys.
    keys: Vec<Option<u32>>,
    /// Per token and group, where its vector is.
    sources: Vec<Vector>,
    /// The fresh vectors.
    fresh: Vec<f32>,
    /// The fresh vectors to keep: (state index, fresh index).
    to_keep: Vec<(usize, usize)>,
}

/// A sentence's keys as [`WordScores::add`] reads them.
pub(super) struct SentenceKeys<'a> {
    /// Every key of every token, `per_token` each.
    pub keys: &'a [u64],
    pub per_token: usize,
    /// The positions of the keys no token shares.
    pub context: &'a [usize],
    /// The positions of each group's keys among a token's.
    pub groups: &'a [&'a [usize]],
    /// Per token, its slot in each group: tokens with the same slot in a group have the
    /// same keys in it. Slots from [`MAX_WORDS`] on are scored where they stand.
    pub slots: &'a [usize],
}

impl WordScores {
    /// Adds to each token's row of `scores` (`n_tags` per token, all 0) the weights of its
    /// context keys in the order of their positions, then the vector of each of
    /// `sentence.groups`, in the order of the groups; a vector is its group's keys'
    /// weights added in the order of their positions.
    pub(super) fn score(
        &mut self,
        table: &FeatureTable,
        sentence: &SentenceKeys,
        (scores, n_tags): (&mut [f32], usize),
    ) {
        let Scratch {
            keys: fingerprints,
            sources,
            fresh,
            to_keep,
        } = &mut self.scratch;
        let fingerprint_of = |k: u64| (k != NO_FEATURE).then(|| fingerprint(k));
        let tokens = || sentence.keys.chunks(sentence.per_token);
        fingerprints.clear();
        let context = tokens().flat_map(|token| sentence.context.iter().map(|&p| token[p]));
        fingerprints.extend(context.map(fingerprint_of));
        table.add_weights(fingerprints, sentence.context.len(), scores);
        let groups = sentence.groups.len();
        let widest = sentence.groups.iter().map(|g| g.len()).max().unwrap_or(0);
        if widest == 0 {
            return;
        }
        fingerprints.clear();
        sources.clear();
        to_keep.clear();
        for (keys, slots) in tokens().zip(sentence.slots.chunks(groups)) {
            for (g, (&word, positions)) in slots.iter().zip(sentence.groups).enumerate() {
                let slot = (word < MAX_WORDS).then(|| word * groups + g);
                if let Some(slot) = slot {
                    if slot >= self.state.len() {
                        self.state.resize((word + 1) * groups, UNKNOWN);
                        self.vectors.resize(self.state.len() * n_tags, 0.0);
                    }
                    match self.state[slot] {
                        KEPT => {
                            sources.push(Vector::Kept(slot));
                            continue;
                        }
                        UNKNOWN => {}
                        fresh => {
                            sources.push(Vector::Fresh(fresh as usize - 2));
                            continue;
                        }
                    }
                }
                let fresh = fingerprints.len() / widest;
                let found = positions.iter().map(|&p| keys[p]);
                let padding = std::iter::repeat_n(NO_FEATURE, widest - positions.len());
                let all = found.chain(padding);
                fingerprints.extend(all.map(fingerprint_of));
                if let Some(slot) = slot {
                    self.state[slot] = fresh as u32 + 2;
                    to_keep.push((slot, fresh));
                }
                sources.push(Vector::Fresh(fresh));
            }
        }
        fresh.clear();
        fresh.resize(fingerprints.len() / widest * n_tags, 0.0);
        table.add_weights(fingerprints, widest, fresh);
        for &(slot, k) in to_keep.iter() {
            self.state[slot] = KEPT;
            self.vectors[slot * n_tags..(slot + 1) * n_tags]
                .copy_from_slice(&fresh[k * n_tags..(k + 1) * n_tags]);
        }
        for (row, token) in scores.chunks_mut(n_tags).zip(sources.chunks(groups)) {
            for &vector in token {
                let scores = match vector {
                    Vector::Kept(i) => &self.vectors[i * n_tags..(i + 1) * n_tags],
                    Vector::Fresh(i) => &fresh[i * n_tags..(i + 1) * n_tags],
                };
                for (r, s) in row.iter_mut().zip(scores) {
                    *r += s;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{Document, TagHistory, PER_TOKEN};
    use crate::Recognizer;

    /// A sentence's scores are the same to the bit whether the document kept its words'
    /// scores from earlier sentences or works them out anew, and the sums of every key
    /// in key order but for their last bits.
    #[test]
    fn kept_scores_are_those_worked_out_anew() {
        let ner = Recognizer::from_bytes(include_bytes!("../../models/onoma-en.onm")).unwrap();
        let sentences: [&[&str]; 2] = [
            &[
                "The", "city", "of", "London", "said", "the", "city", "was", "old", ".",
            ],
            &[
                "In", "London", ",", "the", "city", "of", "the", "river", "was", "old", ".",
            ],
        ];
        let ranges = [0..10, 10..21];
        let words = sentences.iter().flat_map(|s| s.iter().copied());
        let doc = Document::new(words, &ranges, ner.lexicons(), ner.word_classes());
        let model = ner.model();
        let sentence = |range: std::ops::Range<usize>| {
            let mut keys = Vec::new();
            doc.sentence_features(range.clone(), &TagHistory::default(), &mut keys);
            (keys, doc.key_slots(range))
        };
        let (first, second) = (sentence(ranges[0].clone()), sentence(ranges[1].clone()));
        let mut kept = WordScores::default();
        let (mut scores, mut after_first, mut anew, mut plain) = Default::default();
        model.score_sentence(&first.0, (&mut kept, &first.1), &mut scores);
        model.score_sentence(&second.0, (&mut kept, &second.1), &mut after_first);
        let mut fresh = WordScores::default();
        model.score_sentence(&second.0, (&mut fresh, &second.1), &mut anew);
        model.score(&second.0, PER_TOKEN, &mut plain);
        let bits = |scores: &Vec<f32>| scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&after_first), bits(&anew));
        assert!(kept.state.iter().filter(|&&s| s == KEPT).count() > 20);
        assert_eq!(anew.len(), plain.len());
        for (a, b) in anew.iter().zip(&plain) {
            assert!((a - b).abs() <= 1e-4 * b.abs().max(1.0), "{a} against {b}");
        }
    }
}
