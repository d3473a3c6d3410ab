//! The feature templates, named and numbered in one place.
//!
//! Every feature key is a [`Template`]'s number hashed with the values it reads, so a key
//! of `WordAndNextWord` for "New" before "York" is `combine(8, [hash("new"),
//! hash("york")])`. A model stores the keys it was trained on; it is valid only with the
//! same templates reading the same values, which `FEATURE_SET` (in `features.rs`)
//! identifies. Change it with any change here or in what a template reads: the test
//! `keys_of_one_sentence_are_those_of_the_feature_set` fails until both agree again.

use crate::hash::combine;

/// A feature template: what one key of a token reads. "Word" is the lower-cased word,
/// "cased" the word as written, "short shape" its shape with repeats folded (`Xx`), the
/// "class" of a word its word-vector class cut at level 1, 2 or 3 (finest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Template {
    /// Always present: the tag's prior.
    Bias = 0,
    /// The word.
    Word = 1,
    /// The word as written.
    CasedWord = 2,
    /// The word before.
    PrevWord = 3,
    /// The word after.
    NextWord = 4,
    /// The word two before.
    SecondPrevWord = 5,
    /// The word two after.
    SecondNextWord = 6,
    /// The word before and the word.
    PrevWordAndWord = 7,
    /// The word and the word after.
    WordAndNextWord = 8,
    /// First character.
    Prefix1 = 9,
    /// First two characters.
    Prefix2 = 10,
    /// First three characters.
    Prefix3 = 11,
    /// First four characters.
    Prefix4 = 12,
    /// Last character.
    Suffix1 = 13,
    /// Last two characters.
    Suffix2 = 14,
    /// Last three characters.
    Suffix3 = 15,
    /// Last four characters.
    Suffix4 = 16,
    /// The full shape (`Xxxxx`, cut at 12 characters).
    Shape = 17,
    /// The short shape.
    ShortShape = 18,
    /// Short shapes of the word before, the word and the word after.
    ShortShapesAround = 19,
    /// Short shapes of the word before and the word.
    PrevAndOwnShortShape = 20,
    /// Short shapes of the word and the word after.
    OwnAndNextShortShape = 21,
    /// The word before and the word's short shape.
    PrevWordAndShortShape = 22,
    /// The word's short shape and the word after.
    ShortShapeAndNextWord = 23,
    /// The word as written and its position in the sentence (first, second, later).
    CasedWordAtPosition = 24,
    /// Whether the document also writes the word in lower case or capitalised inside a
    /// sentence, with its short shape and position.
    DocumentCasingAndShortShape = 25,
    /// The sentence's casing (ordinary, a headline with no lower-case letter, or
    /// uncased: no capital at all), with the short shape.
    CasingAndShortShape = 26,
    /// The words before and after.
    PrevAndNextWord = 27,
    /// The word before as written.
    PrevCasedWord = 28,
    /// The word after as written.
    NextCasedWord = 29,
    /// Position in the sentence and short shape.
    PositionAndShortShape = 30,
    /// The two words before and the word's short shape.
    TwoPrevWordsAndShortShape = 31,
    /// Last three characters and short shape.
    Suffix3AndShortShape = 32,
    /// The learned-lexicon match covering the word (its name's label, band, and the
    /// word's place in it).
    Lexicon = 33,
    /// The learned-lexicon match and the short shape.
    LexiconAndShortShape = 34,
    /// The word three before.
    ThirdPrevWord = 35,
    /// The word three after.
    ThirdNextWord = 36,
    /// The two words before.
    TwoPrevWords = 37,
    /// The two words after.
    TwoNextWords = 38,
    /// Short shapes of the two words after.
    TwoNextShortShapes = 39,
    /// Learned-lexicon matches of the word before, the word and the word after.
    LexiconAround = 40,
    /// The learned name the word is part of elsewhere in the document, and its short shape.
    NameElsewhereAndShortShape = 41,
    /// The public-list match covering the word.
    PublicLists = 42,
    /// The public-list match and the short shape.
    PublicListsAndShortShape = 43,
    /// The word's class, level 1.
    Class1 = 44,
    /// The word's class, level 2.
    Class2 = 45,
    /// The word's class, level 3.
    Class3 = 46,
    /// The class of the word before, level 2.
    PrevClass2 = 47,
    /// The class of the word before, level 3.
    PrevClass3 = 48,
    /// The class of the word after, level 2.
    NextClass2 = 49,
    /// The class of the word after, level 3.
    NextClass3 = 50,
    /// The class of the word two before, level 2.
    SecondPrevClass2 = 51,
    /// The class of the word two after, level 2.
    SecondNextClass2 = 52,
    /// The word's class, level 3, and its short shape.
    Class3AndShortShape = 53,
    /// Classes, level 3, of the word and the word after.
    Class3AndNextClass3 = 54,
    /// Classes, level 3, of the word before and the word.
    PrevClass3AndClass3 = 55,
    /// What the word was tagged earlier in the document.
    HistorySeen = 56,
    /// That, with how the word was written then (same case or not).
    HistorySeenAndKind = 57,
    /// What the word before was tagged earlier, and what the word was.
    HistoryBeforeAndSeen = 58,
    /// What the word was tagged earlier, and what the word after was.
    HistorySeenAndAfter = 59,
    /// A word found next to the other mentions of this word in the document, and on
    /// which side.
    MentionNeighbour = 60,
    /// The word before the quoted passage or capitalised run the word stands in.
    PhraseWordBefore = 61,
    /// The word after the phrase.
    PhraseWordAfter = 62,
    /// The phrase's last word.
    PhraseLastWord = 63,
    /// The phrase's shape (length, casing) and the word's place in it.
    PhraseShape = 64,
    /// The class of the word before the phrase, level 2.
    PhraseClassBefore = 65,
    /// The class of the word after the phrase, level 2.
    PhraseClassAfter = 66,
    /// The class of the phrase's last word, level 2.
    PhraseLastClass = 67,
    /// The word, in a sentence with no capital letter (nothing elsewhere).
    UncasedWord = 68,
    /// The learned-lexicon and public-list matches, in a sentence with no capital.
    UncasedLexicons = 69,
    /// Classes of the word before (level 2), the word (level 3) and the word after
    /// (level 2), in a sentence with no capital.
    UncasedClasses = 70,
}

impl Template {
    /// The key of this template reading `values`.
    pub fn key(self, values: &[u64]) -> u64 {
        combine(self as u64, values)
    }
}
