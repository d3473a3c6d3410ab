//! What a whole document says about its words, gathered piece by piece.
//!
//! A word reads differently when the document also writes it in lower case, capitalises
//! it inside a sentence, or uses it within a longer name; and each capitalised word is
//! read in the light of the words around its other mentions. A [`Context`] holds that for
//! a document; a [`PieceContext`], in less room, for one piece of it (a paragraph). Pieces
//! merged in document order give exactly the context of the whole, so a long text edited
//! in one paragraph needs only that paragraph read again.

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
#[derive(Clone, Default, PartialEq)]
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

/// What a piece of a document says about its words, as its [`Context`] says it, frozen
/// into sorted slices: a long text keeps one per piece, in a fraction of the room.
pub struct PieceContext {
    /// Words also written with a lower-case letter and no capital first, sorted.
    lowercase_seen: Box<[u64]>,
    /// Words capitalised where a sentence does not force it, sorted.
    capitalized_inside: Box<[u64]>,
    /// Per capitalised word that is part of a name, sorted by word: the lexicon entry of
    /// the first name it is part of.
    names: Box<[(u64, u64)]>,
    /// The capitalised words, sorted, each with where its mentions end in `mentions`.
    mentioned: Box<[MentionedWord]>,
    /// The counted mentions of every word of `mentioned`, a word's after the word's
    /// before it, each word's in document order.
    mentions: Box<[PieceMention]>,
    /// Number of words read.
    words: usize,
}

/// A capitalised word of a [`PieceContext`].
struct MentionedWord {
    word: u64,
    /// Its mentions in the piece, counted or not.
    total: u32,
    /// One past its last counted mention in [`PieceContext::mentions`]; the word before
    /// it ends where its own begin.
    end: u32,
}

/// A [`Mention`] within a piece, its fields side by side to save room.
struct PieceMention {
    /// Its word index in the piece.
    word: u32,
    neighbour_count: u8,
    neighbour_keys: [u64; 4],
}

impl PieceMention {
    /// `mention`, whose piece has fewer than 2^32 words.
    fn of(mention: &Mention) -> Self {
        PieceMention {
            word: small(mention.word),
            neighbour_count: mention.neighbours.len,
            neighbour_keys: mention.neighbours.keys,
        }
    }

    /// This mention in a document whose word `first` starts its piece.
    fn in_document(&self, first: usize) -> Mention {
        Mention {
            word: first + self.word as usize,
            neighbours: Neighbours {
                keys: self.neighbour_keys,
                len: self.neighbour_count,
            },
        }
    }
}

/// `n`, a count or index within a piece of a document, as a `u32`.
///
/// # Panics
/// If it does not fit: a piece of 2^32 words or more, which no text cut at its paragraphs
/// comes near.
fn small(n: usize) -> u32 {
    u32::try_from(n).expect("a piece of a document has fewer than 2^32 words")
}

/// `items`, sorted.
fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Box<[T]> {
    let mut items: Vec<T> = items.into_iter().collect();
    items.sort_unstable();
    items.into_boxed_slice()
}

impl PieceContext {
    /// Number of words read.
    pub fn words(&self) -> usize {
        self.words
    }

    /// Every word this context says something about.
    pub fn words_known(&self) -> impl Iterator<Item = u64> + '_ {
        let mentioned = self.mentioned.iter().map(|m| m.word);
        self.lowercase_seen.iter().copied().chain(mentioned)
    }

    /// Whether this context says something about `word`.
    pub fn knows(&self, word: u64) -> bool {
        self.lowercase_seen.binary_search(&word).is_ok()
            || self
                .mentioned
                .binary_search_by_key(&word, |m| m.word)
                .is_ok()
    }

    /// Each capitalised word, in order, with its number of mentions and its counted
    /// mentions.
    fn mentions_by_word(&self) -> impl Iterator<Item = (u64, usize, &[PieceMention])> + '_ {
        let mut start = 0;
        self.mentioned.iter().map(move |m| {
            let counted = &self.mentions[start..m.end as usize];
            start = m.end as usize;
            (m.word, m.total as usize, counted)
        })
    }
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

    /// This context, of a piece of a document, in the form kept per piece.
    pub(super) fn freeze(self) -> PieceContext {
        let mut by_word: Vec<(u64, Mentions)> = self.mentions.into_iter().collect();
        by_word.sort_unstable_by_key(|&(word, _)| word);
        let counted = by_word.iter().map(|(_, m)| m.counted.len()).sum();
        let mut mentions = Vec::with_capacity(counted);
        let mentioned = by_word
            .into_iter()
            .map(|(word, m)| {
                mentions.extend(m.counted.iter().map(PieceMention::of));
                MentionedWord {
                    word,
                    total: small(m.total),
                    end: small(mentions.len()),
                }
            })
            .collect();
        PieceContext {
            lowercase_seen: sorted(self.lowercase_seen),
            capitalized_inside: sorted(self.capitalized_inside),
            names: sorted(self.names),
            mentioned,
            mentions: mentions.into_boxed_slice(),
            words: self.words,
        }
    }

    /// The context of a document made of `pieces` in order.
    pub fn merge<'a>(pieces: impl IntoIterator<Item = &'a PieceContext>) -> Self {
        let mut whole = Context::default();
        for piece in pieces {
            whole.lowercase_seen.extend(&*piece.lowercase_seen);
            whole.capitalized_inside.extend(&*piece.capitalized_inside);
            for &(word, name) in &*piece.names {
                whole.names.entry(word).or_insert(name);
            }
            let first = whole.words;
            for (word, total, counted) in piece.mentions_by_word() {
                let ours = whole.mentions.entry(word).or_default();
                ours.total += total;
                let room = MENTIONS_COUNTED - ours.counted.len();
                ours.counted
                    .extend(counted.iter().take(room).map(|m| m.in_document(first)));
            }
            whole.words += piece.words;
        }
        whole
    }

    /// What this context says about `words` alone: enough to tell, for each of them,
    /// whether another context [differs on](Context::differs_on) it.
    pub fn keep_only(mut self, words: impl IntoIterator<Item = u64>) -> Self {
        let mut kept = Context {
            words: self.words,
            ..Context::default()
        };
        for word in words {
            if self.lowercase_seen.contains(&word) {
                kept.lowercase_seen.insert(word);
            }
            if self.capitalized_inside.contains(&word) {
                kept.capitalized_inside.insert(word);
            }
            if let Some(name) = self.names.get(&word) {
                kept.names.insert(word, *name);
            }
            if let Some(mentions) = self.mentions.remove(&word) {
                kept.mentions.insert(word, mentions);
            }
        }
        kept
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clusters::WordClusters;

    /// A document of 400 sentences of words drawn from a few, some capitalised, some
    /// mentioned far more than [`MENTIONS_COUNTED`] times, with a made-up lexicon match
    /// per word that varies along the text: (words, sentences, lexicon).
    fn document() -> (Vec<&'static str>, Vec<Range<usize>>, Vec<u64>) {
        let vocabulary = [
            "Linpien", "said", "the", "township", "of", "Acme", "Corp.", "grew", "linpien", "Chen",
            "left", ".", "General", "general",
        ];
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let (mut words, mut sentences, mut lexicon) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..400 {
            let start = words.len();
            for _ in 0..1 + next(8) {
                words.push(vocabulary[next(vocabulary.len() as u64) as usize]);
                lexicon.push(next(40));
            }
            sentences.push(start..words.len());
        }
        (words, sentences, lexicon)
    }

    #[test]
    fn frozen_pieces_merge_into_the_context_of_the_whole() {
        let (words, sentences, lexicon) = document();
        let clusters = WordClusters::default();
        let whole = Context::of(&Words::of(words.clone(), &clusters), &sentences, &lexicon);
        let pieces: Vec<PieceContext> = sentences
            .chunks(7)
            .map(|piece| {
                let span = piece[0].start..piece[piece.len() - 1].end;
                let own: Vec<Range<usize>> = piece
                    .iter()
                    .map(|s| s.start - span.start..s.end - span.start)
                    .collect();
                let piece_words = Words::of(words[span.clone()].iter().copied(), &clusters);
                Context::of(&piece_words, &own, &lexicon[span]).freeze()
            })
            .collect();
        let merged = Context::merge(&pieces);
        assert_eq!(merged.words, words.len());
        assert!(merged.mentions.values().any(|m| m.total > MENTIONS_COUNTED));
        assert!(merged == whole);
    }
}
