//! Word classes: words that occur in similar contexts share a class, so a name never seen
//! in the training corpus ("Zelenskyy") still reads like the names it resembles.
//!
//! Classes come from clustering pre-trained word vectors (GloVe) at training time into a
//! tree of [`DEPTH`] levels with [`BRANCHES`] children each; a word's class is its path
//! through that tree, and features use the path cut at each level, from coarse to fine.

use crate::hash::fingerprint;
use crate::hash::FingerprintMap;

/// Levels of the class tree.
pub const DEPTH: usize = 3;
/// Children per node; a power of two, so that a path is a sequence of bit fields.
pub const BRANCHES: usize = 16;
const BITS: u32 = BRANCHES.trailing_zeros();
/// Number of distinct paths (leaf classes).
pub const LEAVES: usize = 1 << (BITS as usize * DEPTH);

/// Fingerprint of a word's normalised hash → its path in the class tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordClusters {
    paths: FingerprintMap<u16>,
}

impl WordClusters {
    /// Classes from `(normalised word hash, path)` pairs; paths must be below [`LEAVES`].
    /// The first pair of a word wins.
    #[cfg(any(test, feature = "train"))]
    pub fn from_words(words: impl IntoIterator<Item = (u64, u16)>) -> Self {
        let mut paths = FingerprintMap::default();
        for (norm, path) in words {
            paths.entry(fingerprint(norm)).or_insert(path);
        }
        WordClusters { paths }
    }

    /// Classes from stored `(fingerprint, path)` entries.
    pub fn from_entries(entries: impl IntoIterator<Item = (u32, u16)>) -> Self {
        WordClusters {
            paths: entries.into_iter().collect(),
        }
    }

    /// Entries sorted by fingerprint (the order the model file stores them in).
    pub fn sorted_entries(&self) -> Vec<(u32, u16)> {
        let mut v: Vec<(u32, u16)> = self.paths.iter().map(|(&k, &v)| (k, v)).collect();
        v.sort_unstable();
        v
    }

    /// Number of words with a class.
    #[cfg(feature = "train")]
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether there are no words with a class.
    #[cfg(feature = "train")]
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// The word's path cut after each level (coarsest first), each tagged with its level
    /// so that the cuts never collide; `None` for a word without a class.
    pub fn prefixes(&self, norm: u64) -> Option<[u64; DEPTH]> {
        let path = u64::from(*self.paths.get(&fingerprint(norm))?);
        Some(std::array::from_fn(|level| {
            let shift = BITS as usize * (DEPTH - 1 - level);
            (path >> shift) << 8 | level as u64
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_cut_the_path_at_each_level() {
        let clusters = WordClusters::from_words([(7, 0x123), (9, 0xfff), (7, 0x456)]);
        assert_eq!(
            clusters.prefixes(7),
            Some([0x1 << 8, 0x12 << 8 | 1, 0x123 << 8 | 2])
        );
        assert_eq!(
            clusters.prefixes(9),
            Some([0xf << 8, 0xff << 8 | 1, 0xfff << 8 | 2])
        );
        assert_eq!(clusters.prefixes(8), None);
    }

    #[test]
    fn stored_entries_give_back_the_same_classes() {
        let clusters = WordClusters::from_words((0..100u64).map(|w| (w * 7919, w as u16 * 40)));
        let reloaded = WordClusters::from_entries(clusters.sorted_entries());
        assert_eq!(reloaded, clusters);
        assert_eq!(reloaded.prefixes(5 * 7919), clusters.prefixes(5 * 7919));
    }
}
