//! No input breaks the tokenizer or the recognizer, and every offset is valid.

#[path = "../fuzz/src/checks.rs"]
mod checks;

use onoma::Recognizer;
use proptest::prelude::*;
use std::sync::OnceLock;

fn recognizer() -> &'static Recognizer {
    static NER: OnceLock<Recognizer> = OnceLock::new();
    NER.get_or_init(Recognizer::default)
}

/// Token, sentence and entity invariants (the checks the fuzz targets run).
fn check(text: &str) {
    checks::check_tokens(text);
    checks::check_entities(text, &recognizer().extract(text));
}

/// Lines of pattern files, good and bad: phrases, token patterns with every attribute and
/// operator, stop patterns, and broken JSON.
fn pattern_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        "\\PC{0,6}".prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("true".to_string()),
        Just("3".to_string()),
        Just("{\"IN\": [\"a\", \"Paris\"]}".to_string()),
        Just("{\">=\": 2}".to_string()),
    ];
    let attribute = prop_oneof![
        Just("ORTH"),
        Just("LOWER"),
        Just("SHAPE"),
        Just("LENGTH"),
        Just("IS_TITLE"),
        Just("IS_DIGIT"),
        Just("IS_UPPER"),
        Just("IS_PUNCT"),
        Just("LIKE_NUM"),
        Just("OP"),
        Just("BOGUS"),
    ];
    let op = prop_oneof![
        Just("?"),
        Just("+"),
        Just("*"),
        Just("{2}"),
        Just("{1,3}"),
        Just("!")
    ];
    let token = (attribute, value.clone(), op, any::<bool>()).prop_map(|(a, v, op, with_op)| {
        let v = if a == "OP" { format!("\"{op}\"") } else { v };
        if with_op && a != "OP" {
            format!("{{\"{a}\": {v}, \"OP\": \"{op}\"}}")
        } else {
            format!("{{\"{a}\": {v}}}")
        }
    });
    let tokens = prop::collection::vec(token, 0..4).prop_map(|t| format!("[{}]", t.join(", ")));
    let pattern = prop_oneof![value, tokens];
    prop_oneof![
        (pattern.clone(), "[A-Z]{1,4}")
            .prop_map(|(p, l)| format!("{{\"label\": \"{l}\", \"pattern\": {p}}}")),
        pattern
            .clone()
            .prop_map(|p| format!("{{\"pattern\": {p}, \"stop\": true}}")),
        "\\PC{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_pattern_file_on_any_text(
        lines in prop::collection::vec(pattern_line(), 0..6),
        text in "([A-Z][a-z]{0,6}|[0-9]{1,4}|Paris|a|[.,$-]|\\PC|[ \n]){0,40}",
    ) {
        checks::check_patterns(recognizer(), &lines.join("\n"), &text);
    }

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
fn one_name_mentioned_ninety_thousand_times() {
    // Every mention reads the neighbours of the others: they must be counted only so far.
    check(&"Mr. Linpien met Linpien of Linpien Corp. ".repeat(30_000));
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
