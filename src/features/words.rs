//! The words of a document, each distinct word described once.

use super::WordInfo;
use crate::clusters::WordClusters;
use std::collections::HashMap;
use std::ops::{Index, Range};

/// The words of a document in order. What is known about a word ([`WordInfo`]) depends
/// on its text alone, so it is worked out once per distinct word, however often the word
/// recurs, and each position holds the index of its word's description: a long text
/// costs a few bytes per word rather than a description each.
pub(super) struct Words {
    distinct: Vec<WordInfo>,
    at: Vec<usize>,
}

impl Words {
    /// The descriptions of `words`, in order.
    pub(super) fn of<'a>(
        words: impl IntoIterator<Item = &'a str>,
        clusters: &WordClusters,
    ) -> Self {
        let mut index: HashMap<&str, usize, foldhash::fast::FixedState> = HashMap::default();
        let mut distinct = Vec::new();
        let at = words
            .into_iter()
            .map(|word| {
                *index.entry(word).or_insert_with(|| {
                    distinct.push(WordInfo::new(word, clusters));
                    distinct.len() - 1
                })
            })
            .collect();
        Words { distinct, at }
    }

    /// Number of words.
    pub(super) fn len(&self) -> usize {
        self.at.len()
    }

    /// Each word's description, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &WordInfo> + '_ {
        self.at.iter().map(|&k| &self.distinct[k])
    }

    /// Which distinct word stands at each place of `range`: the same index for the same
    /// word, counting from 0 in order of first appearance.
    pub(super) fn ids(&self, range: Range<usize>) -> &[usize] {
        &self.at[range]
    }

    /// The descriptions of the words `range` (a sentence), in order.
    pub(super) fn slice(&self, range: Range<usize>) -> Vec<&WordInfo> {
        self.at[range].iter().map(|&k| &self.distinct[k]).collect()
    }
}

impl Index<usize> for Words {
    type Output = WordInfo;

    fn index(&self, i: usize) -> &WordInfo {
        &self.distinct[self.at[i]]
    }
}
