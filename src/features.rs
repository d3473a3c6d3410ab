//! Features: each token of a sentence becomes a fixed number of hashed feature keys.
//!
//! A key combines a template number with hashes of the words, word shapes and affixes
//! around the token. Training and run time share this code, so the model sees exactly
//! the same keys in both.

use crate::clusters::{WordClusters, DEPTH};
use crate::gazetteer::Gazetteer;
use crate::hash::hash_str;
use phrases::{is_connector, phrase_keys, quote_pairs, QuoteMark, FROM_PHRASES};
use std::borrow::Cow;
use std::collections::HashMap;

mod context;
mod phrases;
mod shared;
mod templates;
mod words;

pub use context::{Context, PieceContext};
pub use shared::{CONTEXT_KEYS, SHARED_KEYS};
pub use templates::Template;
use words::Words;

/// Identifies the feature templates below. A model is only valid with the templates it
/// was trained with, so change this whenever a template is added, removed or altered.
pub const FEATURE_SET: u32 = 13;

/// Number of feature keys per token: those of the words around it, those of the phrase
/// it stands in, those of the neighbours of the other mentions of its word, then
/// [`FROM_HISTORY`] from the tags its word got earlier in the document.
pub const PER_TOKEN: usize = FROM_WORDS_AROUND + FROM_PHRASES + FROM_OTHER_MENTIONS + FROM_HISTORY;

/// Number of feature keys per token from the word itself and the words around it.
const FROM_WORDS_AROUND: usize = 59;

/// Where a token's [`Template::Bias`] key stands among its [`PER_TOKEN`] keys: first.
#[cfg(feature = "train")]
pub const BIAS_SLOT: usize = 0;

/// Number of feature keys per token that come from the [`TagHistory`].
pub const FROM_HISTORY: usize = 4;

/// Number of feature keys per token from the other mentions of its word in the document.
const FROM_OTHER_MENTIONS: usize = 8;

/// The longest word prefix and suffix used, in characters.
const AFFIX_LEN: usize = 4;
/// Shapes are cut at this many characters, so a huge token costs no more than a small one.
const MAX_SHAPE: usize = 12;

/// What is known about one word, independent of its neighbours.
#[derive(Clone)]
struct WordInfo {
    norm: u64,
    cased: u64,
    shape: u64,
    short_shape: u64,
    prefixes: [u64; AFFIX_LEN],
    suffixes: [u64; AFFIX_LEN],
    /// Word class cut at each level of the class tree.
    class: [u64; DEPTH],
    capitalized: bool,
    has_letter_lower: bool,
    has_letter_upper: bool,
    quote: QuoteMark,
    /// Whether the word may stand between capitalised ones in a name or a title.
    connector: bool,
    /// What the tag history knows the word by.
    history: HistoryWord,
}

/// The training corpus writes straight quotes, `--` for dashes and `$` for most money;
/// today's text has curly quotes, en and em dashes and every currency sign. Features see
/// them folded to the corpus's forms, so "Kenya’s" and "€40" read like "Kenya's" and "$40".
fn fold_typography(word: &str) -> std::borrow::Cow<'_, str> {
    let folds = |c: char| !c.is_ascii() && fold_char(c).is_some();
    if !word.chars().any(folds) {
        return std::borrow::Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        match fold_char(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        '‘' | '’' | '‚' | '‛' | '′' => "'",
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => "\"",
        '–' | '—' | '―' | '‒' => "--",
        '…' => "...",
        '€' | '£' | '¥' | '₹' | '₩' | '₽' | '₺' | '₱' | '₦' | '₴' | '₫' | '₪' | '฿' | '₿' => {
            "$"
        }
        _ => return None,
    })
}

/// Lower-cased with digits mapped to `0`: "1,995" and "2,001" share a key.
fn normalize(word: &str) -> String {
    word.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect()
}

/// Hash of a word's normalised form, as the lexicon and the features see it.
#[cfg(feature = "train")]
pub fn norm_hash(word: &str) -> u64 {
    hash_str(&normalize(&fold_typography(word)))
}

fn shape_class(c: char) -> char {
    if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a' // letters without case: CJK, Arabic, Devanagari ...
    } else {
        c
    }
}

/// Word shape: "McDonald" -> "XxXxxxx" cut to runs of at most 4 ("XxXxxxx"), and the short
/// shape with runs collapsed ("XxXx").
fn shapes(word: &str) -> (String, String) {
    let mut long = String::new();
    let mut short = String::new();
    let mut last = None;
    let mut run = 0;
    for c in word.chars().map(shape_class) {
        if Some(c) == last {
            run += 1;
        } else {
            run = 1;
            last = Some(c);
            if short.len() < MAX_SHAPE {
                short.push(c);
            }
        }
        if run <= 4 && long.len() < MAX_SHAPE {
            long.push(c);
        }
        if long.len() >= MAX_SHAPE && short.len() >= MAX_SHAPE {
            break;
        }
    }
    (long, short)
}

impl WordInfo {
    fn new(word: &str, clusters: &WordClusters) -> Self {
        let quote = QuoteMark::of(word);
        let word = &*fold_typography(word);
        let norm = normalize(word);
        let norm_hash = hash_str(&norm);
        let (shape, short_shape) = shapes(word);
        // Affixes are hashed straight from slices of `norm`: no allocation per affix.
        let ends = norm.char_indices().map(|(i, c)| i + c.len_utf8());
        let starts = norm.char_indices().rev().map(|(i, _)| i);
        let mut prefixes = [0; AFFIX_LEN];
        let mut suffixes = [0; AFFIX_LEN];
        for (k, (end, start)) in ends.zip(starts).take(AFFIX_LEN).enumerate() {
            prefixes[k] = hash_str(&norm[..end]);
            suffixes[k] = hash_str(&norm[start..]);
        }
        let first = word.chars().next();
        let has_letter_lower = word.chars().any(char::is_lowercase);
        let kind = match first {
            Some(c) if c.is_uppercase() && !has_letter_lower => 2,
            Some(c) if c.is_uppercase() => 1,
            Some(c) if c.is_lowercase() => 0,
            Some(c) if c.is_numeric() => 3,
            _ => 4,
        };
        WordInfo {
            norm: norm_hash,
            cased: hash_str(word),
            shape: hash_str(&shape),
            short_shape: hash_str(&short_shape),
            prefixes,
            suffixes,
            class: clusters.prefixes(norm_hash).unwrap_or([u64::MAX; DEPTH]),
            capitalized: first.is_some_and(char::is_uppercase),
            has_letter_lower,
            has_letter_upper: word.chars().any(char::is_uppercase),
            quote,
            connector: is_connector(&norm),
            history: HistoryWord {
                norm: norm_hash,
                kind,
            },
        }
    }

    /// Stand-in for positions before the start or after the end of a sentence.
    fn padding(name: &str) -> Self {
        let h = hash_str(name);
        WordInfo {
            norm: h,
            cased: h,
            shape: h,
            short_shape: h,
            prefixes: [h; AFFIX_LEN],
            suffixes: [h; AFFIX_LEN],
            class: [h; DEPTH],
            capitalized: false,
            has_letter_lower: false,
            has_letter_upper: false,
            quote: QuoteMark::NotAMark,
            connector: false,
            history: HistoryWord { norm: h, kind: 4 },
        }
    }
}

/// The words of a document, ready to give the feature keys of each sentence, with what
/// the whole document says about them (its [`Context`]).
pub struct Document<'c> {
    words: Words,
    /// Per word: the match of the corpus-learned lexicon covering it (0 when none),
    /// packed for hashing.
    lexicon: Vec<u64>,
    /// Per word: the match of the public-list lexicon covering it, packed likewise.
    public_lists: Vec<u64>,
    /// What the whole document says about each word: whether it is also written in lower
    /// case, and whether it is capitalised where a sentence does not force it (these tell
    /// a sentence-initial "General", the adjective, from a name), and the names it is
    /// part of elsewhere.
    context: Cow<'c, Context>,
    /// For the words that have them, in order (word index, keys): keys naming the words
    /// found most often around the other mentions of a capitalised word, so "Linpien
    /// said" is read in the light of "the township of Linpien".
    other_mentions: Vec<(usize, [u64; FROM_OTHER_MENTIONS])>,
}

/// The lexicons a document's words are looked up in: the one learned from the corpus,
/// and the public lists.
pub type Lexicons<'a> = (&'a Gazetteer, &'a Gazetteer);

/// Per word of `words`: the match of `gazetteer` covering it, looked up sentence by
/// sentence, packed for hashing (0 when none).
fn lexicon_matches(
    gazetteer: &Gazetteer,
    words: &Words,
    sentences: &[std::ops::Range<usize>],
) -> Vec<u64> {
    let mut packed = vec![0u64; words.len()];
    for range in sentences {
        let norms: Vec<u64> = range.clone().map(|i| words[i].norm).collect();
        let matches = gazetteer.matches(&norms);
        for (slot, m) in packed[range.clone()].iter_mut().zip(matches) {
            if let Some((value, position)) = m {
                *slot = 1 + (u64::from(value) << 2 | u64::from(position));
            }
        }
    }
    packed
}

impl Document<'static> {
    /// Prepares the words of a whole document; `sentences` gives, for each sentence, the
    /// range of word indices it covers. Names in the learned lexicon and the public lists
    /// are looked up in each sentence, and every word in `clusters`.
    pub fn new<'a>(
        words: impl IntoIterator<Item = &'a str>,
        sentences: &[std::ops::Range<usize>],
        lexicons: Lexicons,
        clusters: &WordClusters,
    ) -> Self {
        let words = Words::of(words, clusters);
        let lexicon = lexicon_matches(lexicons.0, &words, sentences);
        let context = Context::of(&words, sentences, &lexicon);
        Document::with(
            words,
            lexicon,
            sentences,
            lexicons.1,
            Cow::Owned(context),
            0,
        )
    }
}

impl<'c> Document<'c> {
    /// The context of a piece of a document, as [`Document::new`] reads it, in the form
    /// kept per piece.
    pub fn context_of<'a>(
        words: impl IntoIterator<Item = &'a str>,
        sentences: &[std::ops::Range<usize>],
        lexicons: Lexicons,
        clusters: &WordClusters,
    ) -> PieceContext {
        let words = Words::of(words, clusters);
        let lexicon = lexicon_matches(lexicons.0, &words, sentences);
        Context::of(&words, sentences, &lexicon).freeze()
    }

    /// Prepares a stretch of a longer document, whose first word is word `first` of the
    /// document, read in the `context` of the whole (see [`Context::merge`]). Its sentences
    /// then give the keys they would give within the whole document.
    pub fn in_context<'a>(
        words: impl IntoIterator<Item = &'a str>,
        sentences: &[std::ops::Range<usize>],
        lexicons: Lexicons,
        clusters: &WordClusters,
        (context, first): (&'c Context, usize),
    ) -> Self {
        let words = Words::of(words, clusters);
        let lexicon = lexicon_matches(lexicons.0, &words, sentences);
        Document::with(
            words,
            lexicon,
            sentences,
            lexicons.1,
            Cow::Borrowed(context),
            first,
        )
    }

    fn with(
        words: Words,
        lexicon: Vec<u64>,
        sentences: &[std::ops::Range<usize>],
        public_lists: &Gazetteer,
        context: Cow<'c, Context>,
        first: usize,
    ) -> Self {
        let public_lists = lexicon_matches(public_lists, &words, sentences);
        let other_mentions = context.other_mentions(&words, first);
        Document {
            words,
            other_mentions,
            lexicon,
            public_lists,
            context,
        }
    }

    /// For each word of the sentence `range`, the index within the sentence of the
    /// quotation mark it pairs with, if it is one of a pair. Pairs closed by a single
    /// quote are left out: that mark is as often an apostrophe ("the '90s").
    pub fn quote_mates(&self, range: std::ops::Range<usize>) -> Vec<Option<usize>> {
        let sent = self.words.slice(range);
        let mut mates = vec![None; sent.len()];
        for (open, close) in quote_pairs(&sent) {
            if sent[close].quote == QuoteMark::Apostrophe {
                continue;
            }
            mates[open] = Some(close);
            mates[close] = Some(open);
        }
        mates
    }

    /// What the tag history knows each word of the sentence `range` by.
    pub fn history_words(&self, range: std::ops::Range<usize>) -> Vec<HistoryWord> {
        range.map(|i| self.words[i].history).collect()
    }

    /// Appends the feature keys of every word in the sentence `range` to `out`,
    /// [`PER_TOKEN`] keys per word, the last [`FROM_HISTORY`] of them from `history`:
    /// the tags of earlier sentences of the document.
    pub fn sentence_features(
        &self,
        range: std::ops::Range<usize>,
        history: &TagHistory,
        out: &mut Vec<u64>,
    ) {
        let lexicon = &self.lexicon[range.clone()];
        let public_lists = &self.public_lists[range.clone()];
        let sent = self.words.slice(range.clone());
        let pad_before = WordInfo::padding("<s>");
        let pad_after = WordInfo::padding("</s>");
        let at = |i: isize| -> &WordInfo {
            if i < 0 {
                &pad_before
            } else {
                sent.get(i as usize).copied().unwrap_or(&pad_after)
            }
        };
        let casing = SentenceCasing::of(&sent);
        let mut phrases = vec![[NO_FEATURE; FROM_PHRASES]; sent.len()];
        phrase_keys(&sent, &mut phrases);
        let first_mention = self.other_mentions.partition_point(|m| m.0 < range.start);
        let mut mentions = self.other_mentions[first_mention..].iter().peekable();
        let uncased = casing == SentenceCasing::Uncased;
        let from_history = history.sentence_keys(&self.history_words(range.clone()));
        for (i, &lex) in lexicon.iter().enumerate() {
            let k = i as isize;
            let (p2, p1, w, n1, n2) = (at(k - 2), at(k - 1), at(k), at(k + 1), at(k + 2));
            let (p3, n3) = (at(k - 3), at(k + 3));
            let lex_before = if i > 0 { lexicon[i - 1] } else { u64::MAX };
            let lex_after = lexicon.get(i + 1).copied().unwrap_or(u64::MAX);
            let name_elsewhere = self.context.name(w.norm).unwrap_or(u64::MAX);
            let doc_flags = u64::from(self.context.lowercase_seen(w.norm))
                | (u64::from(self.context.capitalized_inside(w.norm)) << 1);
            let position = i.min(2) as u64;
            // Keys that only uncased sentences have: what a name looks like without capitals
            // is learned apart from what it looks like with them.
            let [uncased_word, uncased_lexicons, uncased_classes] = if uncased {
                [
                    Template::UncasedWord.key(&[w.norm]),
                    Template::UncasedLexicons.key(&[lex, public_lists[i]]),
                    Template::UncasedClasses.key(&[p1.class[1], w.class[2], n1.class[1]]),
                ]
            } else {
                [NO_FEATURE; 3]
            };
            let keys: [u64; FROM_WORDS_AROUND] = [
                Template::Bias.key(&[]),
                Template::Word.key(&[w.norm]),
                Template::CasedWord.key(&[w.cased]),
                Template::PrevWord.key(&[p1.norm]),
                Template::NextWord.key(&[n1.norm]),
                Template::SecondPrevWord.key(&[p2.norm]),
                Template::SecondNextWord.key(&[n2.norm]),
                Template::PrevWordAndWord.key(&[p1.norm, w.norm]),
                Template::WordAndNextWord.key(&[w.norm, n1.norm]),
                Template::Prefix1.key(&[w.prefixes[0]]),
                Template::Prefix2.key(&[w.prefixes[1]]),
                Template::Prefix3.key(&[w.prefixes[2]]),
                Template::Prefix4.key(&[w.prefixes[3]]),
                Template::Suffix1.key(&[w.suffixes[0]]),
                Template::Suffix2.key(&[w.suffixes[1]]),
                Template::Suffix3.key(&[w.suffixes[2]]),
                Template::Suffix4.key(&[w.suffixes[3]]),
                Template::Shape.key(&[w.shape]),
                Template::ShortShape.key(&[w.short_shape]),
                Template::ShortShapesAround.key(&[p1.short_shape, w.short_shape, n1.short_shape]),
                Template::PrevAndOwnShortShape.key(&[p1.short_shape, w.short_shape]),
                Template::OwnAndNextShortShape.key(&[w.short_shape, n1.short_shape]),
                Template::PrevWordAndShortShape.key(&[p1.norm, w.short_shape]),
                Template::ShortShapeAndNextWord.key(&[w.short_shape, n1.norm]),
                Template::CasedWordAtPosition.key(&[w.cased, position]),
                Template::DocumentCasingAndShortShape.key(&[doc_flags, w.short_shape, position]),
                Template::CasingAndShortShape.key(&[casing as u64, w.short_shape]),
                Template::PrevAndNextWord.key(&[p1.norm, n1.norm]),
                Template::PrevCasedWord.key(&[p1.cased]),
                Template::NextCasedWord.key(&[n1.cased]),
                Template::PositionAndShortShape.key(&[position, w.short_shape]),
                Template::TwoPrevWordsAndShortShape.key(&[p2.norm, p1.norm, w.short_shape]),
                Template::Suffix3AndShortShape.key(&[w.suffixes[2], w.short_shape]),
                Template::Lexicon.key(&[lex]),
                Template::LexiconAndShortShape.key(&[lex, w.short_shape]),
                Template::ThirdPrevWord.key(&[p3.norm]),
                Template::ThirdNextWord.key(&[n3.norm]),
                Template::TwoPrevWords.key(&[p2.norm, p1.norm]),
                Template::TwoNextWords.key(&[n1.norm, n2.norm]),
                Template::TwoNextShortShapes.key(&[n1.short_shape, n2.short_shape]),
                Template::LexiconAround.key(&[lex_before, lex, lex_after]),
                Template::NameElsewhereAndShortShape.key(&[name_elsewhere, w.short_shape]),
                Template::PublicLists.key(&[public_lists[i]]),
                Template::PublicListsAndShortShape.key(&[public_lists[i], w.short_shape]),
                Template::Class1.key(&[w.class[0]]),
                Template::Class2.key(&[w.class[1]]),
                Template::Class3.key(&[w.class[2]]),
                Template::PrevClass2.key(&[p1.class[1]]),
                Template::PrevClass3.key(&[p1.class[2]]),
                Template::NextClass2.key(&[n1.class[1]]),
                Template::NextClass3.key(&[n1.class[2]]),
                Template::SecondPrevClass2.key(&[p2.class[1]]),
                Template::SecondNextClass2.key(&[n2.class[1]]),
                Template::Class3AndShortShape.key(&[w.class[2], w.short_shape]),
                Template::Class3AndNextClass3.key(&[w.class[2], n1.class[2]]),
                Template::PrevClass3AndClass3.key(&[p1.class[2], w.class[2]]),
                uncased_word,
                uncased_lexicons,
                uncased_classes,
            ];
            out.extend_from_slice(&keys);
            out.extend_from_slice(&phrases[i]);
            match mentions.next_if(|m| m.0 == range.start + i) {
                Some((_, keys)) => out.extend_from_slice(keys),
                None => out.extend_from_slice(&[NO_FEATURE; FROM_OTHER_MENTIONS]),
            }
            out.extend_from_slice(&from_history[i]);
        }
    }
}

/// How a sentence is written: ordinary text, a headline (no lower-case letter: Title
/// Case is ordinary here, ALL CAPS is not), or uncased (letters but no capital, as chat
/// and search queries are typed), where capitals say nothing about names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SentenceCasing {
    Ordinary = 0,
    Headline = 1,
    Uncased = 2,
}

impl SentenceCasing {
    fn of(sentence: &[&WordInfo]) -> Self {
        if sentence.iter().all(|w| !w.has_letter_lower) {
            SentenceCasing::Headline
        } else if sentence.iter().all(|w| !w.has_letter_upper) {
            SentenceCasing::Uncased
        } else {
            SentenceCasing::Ordinary
        }
    }
}

/// A key that names no feature: training never gives it a weight, so it scores nothing.
/// Slots with nothing to say hold it, so that their number does not itself become a
/// feature counted several times over.
pub const NO_FEATURE: u64 = 0;

/// What the tag history knows a word by: its normalised form and the case of its first
/// letter (lower, capital, all capitals, digit, other).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryWord {
    norm: u64,
    kind: u8,
}

/// The tags given to words in the earlier sentences of a document, each word keeping the
/// tag of its latest occurrence. A name read with confidence in one sentence ("the town of
/// Linpien") thus informs a later, vaguer mention ("Linpien said ..."), and the tags of
/// its neighbours tell whether it was part of a longer name. Sentences are tagged in
/// document order, so the first sentence sees an empty history, in training as at run
/// time.
#[derive(Debug, Default, Clone)]
pub struct TagHistory {
    latest: HashMap<u64, u8>,
}

impl TagHistory {
    /// Remembers the tags (indices below 256; 0 for outside any entity) given to `words`.
    pub fn record(&mut self, words: &[HistoryWord], tags: &[usize]) {
        for (w, &t) in words.iter().zip(tags) {
            self.latest.insert(w.norm, t.min(255) as u8);
        }
    }

    /// 0 for a word not seen before, else 1 + the tag it last got.
    fn seen(&self, word: HistoryWord) -> u64 {
        self.latest.get(&word.norm).map_or(0, |&t| 1 + u64::from(t))
    }

    /// The [`FROM_HISTORY`] feature keys of each word of a sentence: what the word was
    /// tagged before, alone, with its case, and paired with what each neighbour was.
    pub fn sentence_keys(&self, words: &[HistoryWord]) -> Vec<[u64; FROM_HISTORY]> {
        let seen: Vec<u64> = words.iter().map(|&w| self.seen(w)).collect();
        (0..words.len())
            .map(|i| {
                let before = if i > 0 { seen[i - 1] } else { SENTENCE_EDGE };
                let after = seen.get(i + 1).copied().unwrap_or(SENTENCE_EDGE);
                history_keys(seen[i], words[i].kind, before, after)
            })
            .collect()
    }

    /// Every key [`TagHistory::sentence_keys`] can give for tags below `n_tags`, so that
    /// training can number them before it has seen them.
    #[cfg(any(test, feature = "train"))]
    pub fn all_keys(n_tags: usize) -> Vec<u64> {
        let values: Vec<u64> = (0..=n_tags as u64).chain([SENTENCE_EDGE]).collect();
        let mut keys = Vec::new();
        for &a in &values {
            for &b in &values {
                for kind in 0..5 {
                    keys.extend(history_keys(a, kind, b, b));
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

/// What the history says of the neighbour of the first or last word of a sentence.
const SENTENCE_EDGE: u64 = 300;

/// Keys of a word whose history is `seen` (see [`TagHistory::seen`]) between neighbours
/// whose histories are `before` and `after`.
fn history_keys(seen: u64, kind: u8, before: u64, after: u64) -> [u64; FROM_HISTORY] {
    [
        Template::HistorySeen.key(&[seen]),
        Template::HistorySeenAndKind.key(&[seen, u64::from(kind)]),
        Template::HistoryBeforeAndSeen.key(&[before, seen]),
        Template::HistorySeenAndAfter.key(&[seen, after]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{extend, LearnedName};
    use crate::hash::{fingerprint, mix};

    /// A document of `sentences` with empty lexicons and no word classes.
    fn document(sentences: &[&[&str]]) -> (Document<'static>, Vec<std::ops::Range<usize>>) {
        let mut ranges = Vec::new();
        for s in sentences {
            let start = ranges.last().map_or(0, |r: &std::ops::Range<usize>| r.end);
            ranges.push(start..start + s.len());
        }
        let empty = Gazetteer::from_entries(HashMap::new());
        let words = sentences.iter().flat_map(|s| s.iter().copied());
        let doc = Document::new(words, &ranges, (&empty, &empty), &WordClusters::default());
        (doc, ranges)
    }

    /// The keys of two sentences, with a learned name, a quoted title, a run of
    /// capitalised words, a repeated name and a tag history, folded into one number. A
    /// change to any template changes it: then bump [`FEATURE_SET`] and record both.
    #[test]
    fn keys_of_one_sentence_are_those_of_the_feature_set() {
        let sentences: [&[&str]; 2] = [
            &[
                "Ms.", "Ada", "Lovelace", "of", "Acme", "Corp.", "wrote", "\"", "Notes", "\"", ".",
            ],
            &[
                "In", "1843", "Lovelace", "left", "New", "York", "for", "London", ".",
            ],
        ];
        let ranges = [0..11, 11..20];
        let norms = |words: &[&str]| {
            words
                .iter()
                .fold(0, |h, w| extend(h, hash_str(&normalize(w))))
        };
        let acme = u16::from(LearnedName { label: 3, band: 2 }.to_byte());
        let learned = Gazetteer::from_entries([(fingerprint(norms(&["Acme", "Corp."])), acme)]);
        let lists = Gazetteer::from_entries([(fingerprint(norms(&["London"])), 0b101)]);
        let words = sentences.iter().flat_map(|s| s.iter().copied());
        let doc = Document::new(words, &ranges, (&learned, &lists), &WordClusters::default());
        let mut history = TagHistory::default();
        let mut keys = Vec::new();
        for range in ranges {
            let start = keys.len();
            doc.sentence_features(range.clone(), &history, &mut keys);
            assert_eq!(keys.len() - start, range.len() * PER_TOKEN);
            let tags: Vec<usize> = (0..range.len()).map(|i| i % 3).collect();
            history.record(&doc.history_words(range), &tags);
        }
        let digest = keys.iter().fold(0, |h: u64, &k| mix(h.rotate_left(5) ^ k));
        assert_eq!((FEATURE_SET, digest), (13, 0xd0af_922e_d2c4_69bf));
    }

    #[test]
    fn history_keys_tell_what_a_word_was_tagged_before() {
        let (doc, ranges) = document(&[&["Linpien", "grew", "."], &["LINPIEN", "and", "Linpien"]]);
        let first = doc.history_words(ranges[0].clone());
        let second = doc.history_words(ranges[1].clone());
        let mut history = TagHistory::default();
        let unseen = history.sentence_keys(&second);
        history.record(&first, &[7, 0, 0]);
        let tagged = history.sentence_keys(&second);
        assert_ne!(
            tagged[2], unseen[2],
            "a word tagged before reads differently"
        );
        // "and" was never seen, but its neighbours were.
        assert_eq!(tagged[1][..2], unseen[1][..2]);
        assert_ne!(tagged[1][2..], unseen[1][2..]);
        // Same word, other case: the tag is shared, the case key is not.
        assert_eq!(tagged[0][0], tagged[2][0]);
        assert_ne!(tagged[0][1], tagged[2][1]);
        history.record(&first, &[0, 0, 0]);
        assert_ne!(
            history.sentence_keys(&second)[2],
            tagged[2],
            "the latest tag counts"
        );
        let all = TagHistory::all_keys(73);
        assert!(tagged.iter().flatten().all(|k| all.contains(k)));
        assert!(unseen.iter().flatten().all(|k| all.contains(k)));
    }

    #[test]
    fn other_mentions_lend_their_neighbours_but_not_a_mention_its_own() {
        let (doc, _) = document(&[
            &["Linpien", "said", "so"],
            &["the", "township", "of", "Linpien"],
            &["in", "Linpien", "."],
            &["head", "of", "Linpien"],
            &["Chen", "left"],
        ]);
        let norm = |w: &str| hash_str(&normalize(w));
        let side = |s: u64, w: &str| Template::MentionNeighbour.key(&[s, norm(w)]);
        let keys_of = |i: usize| {
            let found = doc.other_mentions.iter().find(|m| m.0 == i);
            found.map_or([NO_FEATURE; FROM_OTHER_MENTIONS], |m| m.1)
        };
        // "of" stands before two other mentions of the first one, so it comes first; the
        // rest were met once each, and keep the order they were met in.
        let first = keys_of(0);
        let expected = [
            side(0, "of"),
            side(1, "township"),
            side(0, "in"),
            side(2, "."),
        ];
        assert_eq!(first[..4], expected);
        assert_eq!(first[4..6], [side(1, "head"), NO_FEATURE]);
        let last = keys_of(8);
        assert!(last.contains(&side(2, "said")) && last.contains(&side(0, "of")));
        assert!(!last.contains(&side(0, "in")) && !last.contains(&side(2, ".")));
        // Words met once, or never capitalised, learn nothing from elsewhere.
        for i in [1, 4, 13] {
            assert_eq!(keys_of(i), [NO_FEATURE; FROM_OTHER_MENTIONS]);
        }
    }

    #[test]
    fn sentence_features_end_with_the_history_keys() {
        let (doc, ranges) = document(&[&["Mr.", "Li", "spoke"], &["Li", "left"]]);
        let mut history = TagHistory::default();
        history.record(&doc.history_words(ranges[0].clone()), &[0, 4, 0]);
        let mut keys = Vec::new();
        doc.sentence_features(ranges[1].clone(), &history, &mut keys);
        assert_eq!(keys.len(), 2 * PER_TOKEN);
        let expected = history.sentence_keys(&doc.history_words(ranges[1].clone()));
        for (token, h) in keys.chunks(PER_TOKEN).zip(expected) {
            assert_eq!(token[PER_TOKEN - FROM_HISTORY..], h);
        }
    }

    #[test]
    fn quote_mates_pair_double_quotes_but_not_apostrophes() {
        let (doc, ranges) = document(&[
            &[
                "\"", "Fly", "\"", "and", "“", "Dallas", "”", "in", "the", "'", "90s",
            ],
            &["`", "Soul", "Mountain", "'", "sold"],
        ]);
        let mates = doc.quote_mates(ranges[0].clone());
        let paired: Vec<_> = mates
            .iter()
            .enumerate()
            .filter_map(|(i, m)| Some((i, (*m)?)))
            .collect();
        assert_eq!(paired, [(0, 2), (2, 0), (4, 6), (6, 4)]);
        assert_eq!(doc.quote_mates(ranges[1].clone()), [None; 5]);
    }
}
