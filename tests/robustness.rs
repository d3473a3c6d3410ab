//! No input breaks the tokenizer or the recognizer, and every offset is valid.

use onoma::{split_sentences, tokenize, Recognizer};
use proptest::prelude::*;
use std::sync::OnceLock;

fn recognizer() -> &'static Recognizer {
    static NER: OnceLock<Recognizer> = OnceLock::new();
    NER.get_or_init(Recognizer::default)
}

/// Tokens are non-empty, in order, on character boundaries, and everything between them
/// is white space or control characters: no text is lost.
fn check_tokens(text: &str) {
    let tokens = tokenize(text);
    let mut last = 0;
    for t in &tokens {
        assert!(t.start < t.end, "empty token in {text:?}");
        assert!(t.start >= last, "overlapping tokens in {text:?}");
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(
            text[last..t.start]
                .chars()
                .all(|c| c.is_whitespace() || c.is_control()),
            "text dropped between tokens in {text:?}"
        );
        last = t.end;
    }
    assert!(text[last..]
        .chars()
        .all(|c| c.is_whitespace() || c.is_control()));
    let sentences = split_sentences(text, &tokens);
    let mut next = 0;
    for s in &sentences {
        assert_eq!(s.start, next, "sentences must cover all tokens in order");
        assert!(s.end > s.start);
        next = s.end;
    }
    assert_eq!(next, tokens.len());
}

/// Entities are in order, do not overlap, lie on character boundaries, carry their exact
/// text and a score in [0, 1].
fn check_entities(text: &str) {
    let entities = recognizer().extract(text);
    let mut last = 0;
    for e in &entities {
        assert!(
            e.start < e.end && e.start >= last,
            "bad span order in {text:?}"
        );
        assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
        assert_eq!(e.text, &text[e.start..e.end]);
        assert!(
            (0.0..=1.0).contains(&e.score),
            "score {} out of range",
            e.score
        );
        last = e.end;
    }
}

fn check(text: &str) {
    check_tokens(text);
    check_entities(text);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_string(text in "\\PC{0,200}") {
        check(&text);
    }

    #[test]
    fn any_chars_including_controls(chars in prop::collection::vec(any::<char>(), 0..120)) {
        check(&chars.into_iter().collect::<String>());
    }

    #[test]
    fn prose_like_strings(text in "([A-Z][a-z]{0,8}|[0-9]{1,5}|[.,;:!?'\"()$%&/@-]{1,3}|U\\.S\\.|Mr\\.|Inc\\.|[ \n]){0,60}") {
        check(&text);
    }
}

#[test]
fn empty_and_blank_text() {
    for text in ["", " ", "\n\n\t  \r\n", "\u{0}\u{0}"] {
        check(text);
        assert!(recognizer().extract(text).is_empty());
    }
}

#[test]
fn five_megabytes_without_a_space() {
    check(&"abcdefghij".repeat(500_000));
    check(&"Ab1.".repeat(1_250_000));
}

#[test]
fn five_megabytes_of_random_bytes() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let bytes: Vec<u8> = (0..5_000_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    check(&String::from_utf8_lossy(&bytes));
}

#[test]
fn repeated_punctuation_and_abbreviations() {
    check(&"!?.".repeat(200_000));
    check(&".".repeat(300_000));
    check(&"-".repeat(300_000));
    check(&"U.S. ".repeat(100_000));
    check(&"U.S.".repeat(100_000));
    check(&"'s".repeat(100_000));
    check(&"(\"".repeat(100_000));
}

#[test]
fn every_unicode_plane() {
    let text: String = (0u32..0x11_0000)
        .step_by(97)
        .filter_map(char::from_u32)
        .collect();
    check(&text);
}

#[test]
fn marks_joiners_and_scripts() {
    check("Jose\u{301} Gonza\u{301}lez visited Mu\u{308}nchen.");
    check("👩\u{200D}🔬 Marie Curie 🇫🇷 and 👨\u{200D}👩\u{200D}👧\u{200D}👦 families");
    check("\u{200B}Paris\u{200B} \u{FEFF}London\u{2060}");
    check("הנשיא ביידן נפגש עם Netanyahu בירושלים. الرئيس بايدن في القاهرة");
    check("\u{202E}Reversed Obama\u{202C} text");
    check("東京で Tanaka Taro さんが会見した。習近平 Xi Jinping");
    check("Control\u{7}chars\u{1b}[31m Biden \u{0}NUL");
}

#[test]
fn recognizer_works_after_bad_input() {
    let text = "Emmanuel Macron spoke in Paris on Friday.";
    let before = recognizer().extract(text);
    let _ = recognizer().extract(&"\u{0}".repeat(10_000));
    let _ = Recognizer::from_bytes(b"garbage");
    assert_eq!(recognizer().extract(text), before);
}
