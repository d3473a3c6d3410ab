//! What a whole document says about its words, gathered piece by piece.
//!
//! A word reads differently when the document also writes it in lower case, capitalises
//! it inside a sentence, or uses it within a longer name; and each capitalised word is
//! read in the light of the words around its other mentions. A [`Context`] holds that for
//! one piece of a document (a paragraph, or the whole text). Pieces merged in document
//! order give exactly the context of the whole, so a long text edited in one paragraph
//! needs only that paragraph read again.

use super::{Words, FROM_OTHER_MENTIONS, NO_FEATURE};
use crate::features::Template;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Mentions of one word whose neighbours are counted, so that a word repeated without end
/// costs no more than one repeated this often.
const MENTIONS_COUNTED: usize = 64;
/// Neighbours kept per word, the most frequent, before each mention sets its own aside
/// and takes the first [`FROM_OTHER_MENTIONS`] of what remains.
const NEIGHBOURS_KEPT: usize = 16;

/// What a document, or a piece of one, says about each word it contains (words are
/// known by the hash of their normalised form).
#[derive(Clone, Default)]
pub struct Context {
    /// Words also written with a lower-case letter and no capital first.
    lowercase_seen: HashSet<u64>,
    /// Words capitalised where a sentence does not force it.
    capitalized_inside: HashSet<u64>,
    /// Per capitalised word: the lexicon entry of the first name it is part of, so that
    /// "Smith" alone is read in the light of "John Smith" elsewhere.
    names: HashMap<u64, u64>,
    /// Per capitalised word: its mentions.
    mentions: HashMap<u64, Mentions>,
    /// Number of words read.
    words: usize,
}

/// The mentions of one capitalised word.
#[derive(Clone, Default, PartialEq)]
struct Mentions {
    total: usize,
    /// The first [`MENTIONS_COUNTED`], in document order.
    counted: Vec<Mention>,
}

/// One mention: where it stands (word index in the document, or the piece) and the keys
/// of its neighbours.
#[derive(Clone, PartialEq)]
struct Mention {
    word: usize,
    neighbours: Neighbours,
}

/// The keys of up to four neighbours of a word.
#[derive(Clone, Copy, PartialEq)]
struct Neighbours {
    keys: [u64; 4],
    len: u8,
}

impl Neighbours {
    /// The neighbours of word `i` in its sentence `range` (one and two before, one and
    /// two after), as keys that say which side they stand on.
    fn of(words: &Words, range: &Range<usize>, i: usize) -> Self {
        let mut out = Neighbours {
            keys: [NO_FEATURE; 4],
            len: 0,
        };
        for (side, offset) in [(0u64, -1isize), (1, -2), (2, 1), (3, 2)] {
            let j = i as isize + offset;
            if j >= range.start as isize && j < range.end as isize {
                let key = Template::MentionNeighbour.key(&[side, words[j as usize].norm]);
                out.keys[usize::from(out.len)] = key;
                out.len += 1;
            }
        }
        out
    }

    fn keys(&self) -> &[u64] {
        &self.keys[..usize::from(self.len)]
    }
}

impl Context {
    /// The context of a piece of a document: its `words`, grouped into `sentences`
    /// (ranges of word indices), with the learned-lexicon match of each word (see
    /// `Document::lexicon`).
    pub(super) fn of(words: &Words, sentences: &[Range<usize>], lexicon: &[u64]) -> Self {
        let mut context = Context {
            words: words.len(),
            ..Context::default()
        };
        for (w, &m) in words.iter().zip(lexicon) {
            let part_of_longer_name = m != 0 && (m - 1) & 3 != 3;
            if w.capitalized && part_of_longer_name {
                context.names.entry(w.norm).or_insert((m - 1) >> 2);
            }
        }
        for range in sentences {
            for i in range.clone() {
                let w = &words[i];
                if w.capitalized {
                    if i > range.start {
                        context.capitalized_inside.insert(w.norm);
                    }
                    let mentions = context.mentions.entry(w.norm).or_default();
                    mentions.total += 1;
                    if mentions.counted.len() < MENTIONS_COUNTED {
                        let neighbours = Neighbours::of(words, range, i);
                        mentions.counted.push(Mention {
                            word: i,
                            neighbours,
                        });
                    }
                } else if w.has_letter_lower {
                    context.lowercase_seen.insert(w.norm);
                }
            }
        }
        context
    }

    /// The context of a document made of `pieces` in order.
    pub fn merge<'a>(pieces: impl IntoIterator<Item = &'a Context>) -> Self {
        let mut whole = Context::default();
        for piece in pieces {
            whole.lowercase_seen.extend(&piece.lowercase_seen);
            whole.capitalized_inside.extend(&piece.capitalized_inside);
            for (&word, &name) in &piece.names {
                whole.names.entry(word).or_insert(name);
            }
            for (&word, theirs) in &piece.mentions {
                let ours = whole.mentions.entry(word).or_default();
                ours.total += theirs.total;
                let room = MENTIONS_COUNTED - ours.counted.len();
                ours.counted
                    .extend(theirs.counted.iter().take(room).map(|m| Mention {
                        word: whole.words + m.word,
                        neighbours: m.neighbours,
                    }));
            }
            whole.words += piece.words;
        }
        whole
    }

    /// Number of words read.
    pub fn words(&self) -> usize {
        self.words
    }

    /// Whether `word` is also written in lower case.
    pub(super) fn lowercase_seen(&self, word: u64) -> bool {
        self.lowercase_seen.contains(&word)
    }

    /// Whether `word` is capitalised inside a sentence.
    pub(super) fn capitalized_inside(&self, word: u64) -> bool {
        self.capitalized_inside.contains(&word)
    }

    /// The lexicon entry of the first name `word` is part of, if any.
    pub(super) fn name(&self, word: u64) -> Option<u64> {
        self.names.get(&word).copied()
    }

    /// Every word this context says something about.
    pub fn words_known(&self) -> impl Iterator<Item = u64> + '_ {
        self.lowercase_seen
            .iter()
            .chain(self.mentions.keys())
            .copied()
    }

    /// Whether this context says something about `word`.
    pub fn knows(&self, word: u64) -> bool {
        self.lowercase_seen.contains(&word) || self.mentions.contains_key(&word)
    }

    /// Whether what this context says about `word` differs from what `other` says, so
    /// that a sentence with it would read differently. Where mentions stand is left out:
    /// pieces before them may have grown or shrunk.
    pub fn differs_on(&self, other: &Context, word: u64) -> bool {
        fn neighbours(c: &Context, word: u64) -> Option<Vec<&[u64]>> {
            let mentions = c.mentions.get(&word).filter(|m| m.total > 1)?;
            Some(
                mentions
                    .counted
                    .iter()
                    .map(|m| m.neighbours.keys())
                    .collect(),
            )
        }
        self.lowercase_seen(word) != other.lowercase_seen(word)
            || self.capitalized_inside(word) != other.capitalized_inside(word)
            || self.name(word) != other.name(word)
            || neighbours(self, word) != neighbours(other, word)
    }

    /// For the words of `words` (the document's words from index `first` on) that are
    /// capitalised and mentioned elsewhere, in order, with their index in `words`: the
    /// [`FROM_OTHER_MENTIONS`] neighbours met most often around the other mentions of the
    /// same word (its own set aside), most frequent first, ties to the earliest met;
    /// [`NO_FEATURE`] fills what is missing. Other words have none of these keys.
    pub(super) fn other_mentions(
        &self,
        words: &Words,
        first: usize,
    ) -> Vec<(usize, [u64; FROM_OTHER_MENTIONS])> {
        let mut out = Vec::new();
        let mut kept_of: HashMap<u64, Vec<(u64, usize, usize)>> = HashMap::new();
        for (i, w) in words.iter().enumerate().filter(|(_, w)| w.capitalized) {
            let Some(mentions) = self.mentions.get(&w.norm).filter(|m| m.total > 1) else {
                continue;
            };
            let kept = kept_of.entry(w.norm).or_insert_with(|| mentions.kept());
            // Counted mentions are in document order.
            let counted = &mentions.counted;
            let own = counted
                .binary_search_by_key(&(first + i), |m| m.word)
                .map_or(&[][..], |k| counted[k].neighbours.keys());
            let mut here: Vec<(u64, usize, usize)> = kept
                .iter()
                .map(|&(k, c, o)| (k, c - own.iter().filter(|&&x| x == k).count(), o))
                .filter(|&(_, c, _)| c > 0)
                .collect();
            if here.is_empty() {
                continue;
            }
            here.sort_by_key(|&(_, count, order)| (std::cmp::Reverse(count), order));
            let mut keys = [NO_FEATURE; FROM_OTHER_MENTIONS];
            for (slot, &(key, _, _)) in keys.iter_mut().zip(&here) {
                *slot = key;
            }
            out.push((i, keys));
        }
        out
    }
}

impl Mentions {
    /// The [`NEIGHBOURS_KEPT`] neighbour keys met most often around the counted
    /// mentions, as (key, count, order first met), most frequent first.
    fn kept(&self) -> Vec<(u64, usize, usize)> {
        let mut counts: HashMap<u64, (usize, usize)> = HashMap::new();
        for &key in self.counted.iter().flat_map(|m| m.neighbours.keys()) {
            let next = counts.len();
            counts.entry(key).or_insert((0, next)).0 += 1;
        }
        let mut kept: Vec<(u64, usize, usize)> =
            counts.into_iter().map(|(k, (c, o))| (k, c, o)).collect();
        kept.sort_unstable_by_key(|&(_, count, order)| (std::cmp::Reverse(count), order));
        kept.truncate(NEIGHBOURS_KEPT);
        kept
    }
}
