//! The user's own entities: pattern files read, matched with exact offsets, and merged
//! with the model's entities as the options say.

use onoma::{PatternOptions, Patterns, Precedence, Recognizer, Source};

fn with(jsonl: &str, options: PatternOptions) -> Recognizer {
    let patterns = Patterns::from_jsonl(jsonl, options).expect("a good pattern file");
    Recognizer::default().with_patterns(patterns)
}

/// `(label, text, source)` of every entity.
fn found(ner: &Recognizer, text: &str) -> Vec<(String, String, Source)> {
    ner.extract(text)
        .into_iter()
        .map(|e| {
            assert_eq!(&text[e.start..e.end], e.text);
            (e.label, e.text, e.source)
        })
        .collect()
}

fn has(found: &[(String, String, Source)], label: &str, text: &str, source: Source) -> bool {
    found.contains(&(label.into(), text.into(), source))
}

const CITY: &str = r#"{"label": "CITY", "pattern": "Paris", "id": "Q90"}"#;
const TEXT: &str = "Angela Merkel visited Paris on Monday.";

#[test]
fn a_pattern_match_wins_over_the_model_entity_it_overlaps_by_default() {
    assert!(has(
        &found(&Recognizer::default(), TEXT),
        "GPE",
        "Paris",
        Source::Model
    ));
    let ner = with(CITY, PatternOptions::default());
    let found = found(&ner, TEXT);
    assert!(has(&found, "CITY", "Paris", Source::Pattern));
    assert!(!found.iter().any(|(label, _, _)| label == "GPE"));
    assert!(has(&found, "PERSON", "Angela Merkel", Source::Model));
    let paris = ner
        .extract(TEXT)
        .into_iter()
        .find(|e| e.text == "Paris")
        .unwrap();
    assert_eq!((paris.score, paris.id.as_deref()), (1.0, Some("Q90")));
}

#[test]
fn with_model_precedence_patterns_only_fill_the_gaps() {
    let options = PatternOptions {
        precedence: Precedence::Model,
        ..PatternOptions::default()
    };
    let file = format!("{CITY}\n{{\"label\": \"DESK\", \"pattern\": \"metro desk\"}}");
    let ner = with(&file, options);
    let found = found(&ner, "Angela Merkel visited Paris and the metro desk.");
    assert!(has(&found, "GPE", "Paris", Source::Model));
    assert!(!found.iter().any(|(label, _, _)| label == "CITY"));
    assert!(has(&found, "DESK", "metro desk", Source::Pattern));
}

#[test]
fn stop_patterns_remove_entities_they_match_exactly() {
    let ner = with(
        r#"{"pattern": "Paris", "stop": true}"#,
        PatternOptions::default(),
    );
    let found = found(&ner, TEXT);
    assert!(!found.iter().any(|(_, text, _)| text == "Paris"));
    assert!(has(&found, "PERSON", "Angela Merkel", Source::Model));
    // Of another label only: the GPE stays.
    let ner = with(
        r#"{"pattern": "Paris", "label": "ORG", "stop": true}"#,
        PatternOptions::default(),
    );
    assert!(has(&found_in(&ner), "GPE", "Paris", Source::Model));
    // A stop phrase is not a stop word: "Angela" alone does not remove "Angela Merkel".
    let ner = with(
        r#"{"pattern": "Angela", "stop": true}"#,
        PatternOptions::default(),
    );
    assert!(has(
        &found_in(&ner),
        "PERSON",
        "Angela Merkel",
        Source::Model
    ));
}

#[test]
fn a_phrase_can_be_both_a_term_and_a_stop_term() {
    // The stop pattern wins, whichever comes first.
    let city = r#"{"label": "CITY", "pattern": "Paris"}"#;
    let stop = r#"{"pattern": "Paris", "stop": true}"#;
    for file in [format!("{city}\n{stop}"), format!("{stop}\n{city}")] {
        let found = found_in(&with(&file, PatternOptions::default()));
        assert!(
            !found.iter().any(|(_, text, _)| text == "Paris"),
            "{found:?}"
        );
    }
    // A stop pattern with a label removes only that label (here the pattern's, not the
    // model's GPE), and its label is not one that patterns give.
    let stop_city = r#"{"pattern": "Paris", "stop": true, "label": "CITY"}"#;
    let ner = with(&format!("{city}\n{stop_city}"), PatternOptions::default());
    assert!(has(&found_in(&ner), "GPE", "Paris", Source::Model));
    let ner = with(
        &format!(
            "{stop_city}\n{}",
            r#"{"pattern": "Paris", "stop": true, "label": "X"}"#
        ),
        PatternOptions::default(),
    );
    assert!(ner.patterns().unwrap().labels().is_empty());
}

#[test]
fn a_byte_order_mark_before_the_first_line_is_ignored() {
    let ner = with(&format!("\u{feff}{CITY}"), PatternOptions::default());
    assert!(has(&found_in(&ner), "CITY", "Paris", Source::Pattern));
}

fn found_in(ner: &Recognizer) -> Vec<(String, String, Source)> {
    found(ner, TEXT)
}

#[test]
fn offsets_are_exact_bytes_on_non_ascii_text() {
    let file = r#"{"label": "STATION", "pattern": "Zürich Hauptbahnhof"}
{"label": "SCHOOL", "pattern": "北京 大学"}
{"label": "DISH", "pattern": [{"LOWER": "crème"}, {"LOWER": "brûlée"}]}"#;
    let ner = with(file, PatternOptions::default());
    let text = "🚉 Zürich\n  Hauptbahnhof, then 北京 大学 — and Crème Brûlée 🍮.";
    let entities = ner.extract(text);
    let spans: Vec<_> = entities
        .iter()
        .filter(|e| e.source == Source::Pattern)
        .map(|e| (e.label.as_str(), &text[e.start..e.end]))
        .collect();
    assert_eq!(
        spans,
        [
            ("STATION", "Zürich\n  Hauptbahnhof"),
            ("SCHOOL", "北京 大学"),
            ("DISH", "Crème Brûlée")
        ]
    );
}

#[test]
fn the_longest_match_wins_then_the_first_pattern() {
    let file = r#"{"label": "A", "pattern": "New York"}
{"label": "B", "pattern": "New York City"}
{"label": "C", "pattern": "York City Hall"}
{"label": "D", "pattern": [{"LOWER": "new"}, {"IS_TITLE": true}, {"IS_TITLE": true}]}"#;
    let ner = with(file, PatternOptions::default());
    let found = found(&ner, "We flew to New York City Hall.");
    let ours: Vec<_> = found.iter().filter(|f| f.2 == Source::Pattern).collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(
        (ours[0].0.as_str(), ours[0].1.as_str()),
        ("B", "New York City")
    );
}

#[test]
fn case_is_ignored_on_request() {
    let file = r#"{"label": "ORG", "pattern": "OpenAI"}"#;
    let text = "i read that openai released a model.";
    assert!(!found(&with(file, PatternOptions::default()), text)
        .iter()
        .any(|f| f.1 == "openai"));
    let options = PatternOptions {
        ignore_case: true,
        ..PatternOptions::default()
    };
    assert!(has(
        &found(&with(file, options), text),
        "ORG",
        "openai",
        Source::Pattern
    ));
}

#[test]
fn shapes_match_ticker_symbols_and_case_numbers() {
    let file = r#"{"label": "TICKER", "pattern": [{"ORTH": "$"}, {"IS_UPPER": true, "LENGTH": {"<=": 5}}]}
{"label": "CASE_NUMBER", "pattern": [{"SHAPE": "d:dd"}, {"ORTH": "-"}, {"LOWER": "cv"}, {"ORTH": "-"}, {"SHAPE": "dddd"}]}"#;
    let ner = with(file, PatternOptions::default());
    let found = found(
        &ner,
        "Holders of $NVDA sued in case 2:21-cv-01234 last week.",
    );
    assert!(has(&found, "TICKER", "$NVDA", Source::Pattern), "{found:?}");
    assert!(
        has(&found, "CASE_NUMBER", "2:21-cv-01234", Source::Pattern),
        "{found:?}"
    );
}

#[test]
fn labels_include_those_only_patterns_give() {
    let ner = with(CITY, PatternOptions::default());
    let labels = ner.labels();
    assert_eq!(labels.len(), 19);
    assert_eq!(labels[0], "PERSON");
    assert_eq!(labels[18], "CITY");
    assert_eq!(Recognizer::default().labels().len(), 18);
}

#[test]
fn a_bad_line_is_named_with_its_problem() {
    let error = |file: &str| Patterns::from_jsonl(file, PatternOptions::default()).unwrap_err();
    let e = error(&format!(
        "{CITY}\n\n{{\"label\": \"X\", \"pattern\": [{{\"LOWR\": \"a\"}}]}}"
    ));
    assert_eq!(e.line, 3);
    assert!(
        e.to_string()
            .starts_with("line 3: token 0: unknown token attribute \"LOWR\""),
        "{e}"
    );
    let message = |file: &str| error(file).message;
    assert!(message("{\"label\": \"X\", \"pattern\": \"\"}").contains("empty"));
    assert!(message("{\"label\": \"X\", \"pattern\": []}").contains("empty"));
    assert!(message("{\"label\": \"X\", \"pattern\": [{\"OP\": \"?\"}]}").contains("no token"));
    assert!(message("{\"label\": \"X\", \"pattern\": [{\"OP\": \"!\"}]}").contains("operator"));
    assert!(message("{\"pattern\": \"x\"}").contains("missing \"label\""));
    assert!(message("{\"label\": \"X\"}").contains("missing \"pattern\""));
    assert!(message("{\"label\": \"X\", \"patern\": \"x\"}").contains("unknown key \"patern\""));
    assert!(message("[\"X\", \"x\"]").contains("JSON object"));
    assert!(message("{\"label\": \"X\", \"pattern\": \"x\"").starts_with("not JSON"));
}

#[test]
fn a_recognizer_without_patterns_is_the_model_alone() {
    let plain = Recognizer::default();
    let ner = with(CITY, PatternOptions::default()).without_patterns();
    assert_eq!(ner.extract(TEXT), plain.extract(TEXT));
    assert!(plain
        .extract(TEXT)
        .iter()
        .all(|e| e.source == Source::Model && e.id.is_none()));
}
