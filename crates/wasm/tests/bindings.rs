//! wasm-bindgen tests of the JavaScript bindings, run by `make test-wasm` in Node, headless
//! Chromium and a dedicated Web Worker.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Float64Array, JsString, Object};
use js_sys::{Reflect, JSON};
use onoma::{Label, Recognizer};
use onoma_wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const MODEL: &[u8] = include_bytes!("../../../models/onoma-en.onm");

/// The built-in model's handle, loaded as js/core.js loads it: its bytes the first time only.
fn builtin() -> u32 {
    load_default(None)
        .or_else(|_| load_default(Some(MODEL.to_vec())))
        .expect("the built-in model loads")
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).expect("readable property")
}

fn string(value: JsValue) -> String {
    value.as_string().expect("a string")
}

fn number(value: JsValue) -> f64 {
    value.as_f64().expect("a number")
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).expect("valid JSON")
}

/// A JavaScript string from UTF-16 code units, lone surrogates allowed.
fn utf16(units: &[u16]) -> JsValue {
    JsString::from_char_code(units).into()
}

/// A thrown error as `"Class: message"`, e.g. `"TypeError: onoma: ..."`.
fn thrown(error: impl Into<JsValue>) -> String {
    String::from(error.into().unchecked_into::<js_sys::Error>().to_string())
}

/// "aaa…", `length` code units, made in JavaScript (no copy of it in the instance).
fn word(length: u32) -> JsValue {
    JsString::from("a").repeat(length as i32).into()
}

/// `{ [name]: value }`, for values JSON cannot write (NaN, Infinity).
fn options_with(name: &str, value: JsValue) -> JsValue {
    let options = Object::new();
    Reflect::set(&options, &name.into(), &value).expect("a plain object");
    options.into()
}

/// An entity as the bindings pack it (see `to_js`; js/entities.js makes the objects).
#[derive(Debug, PartialEq)]
struct Packed {
    start: f64,
    end: f64,
    label: String,
    score: f64,
    pattern: bool,
    id: Option<String>,
}

/// The entities of `{numbers, strings}`, six numbers per entity.
fn unpacked(packed: &JsValue) -> Vec<Packed> {
    let numbers: Float64Array = get(packed, "numbers").unchecked_into();
    let strings: Array = get(packed, "strings").unchecked_into();
    let numbers = numbers.to_vec();
    assert_eq!(numbers.len() % 6, 0);
    numbers
        .chunks(6)
        .map(|n| Packed {
            start: n[0],
            end: n[1],
            label: string(strings.get(n[2] as u32)),
            score: n[3],
            pattern: n[4] == 1.0,
            id: (n[5] >= 0.0).then(|| string(strings.get(n[5] as u32))),
        })
        .collect()
}

/// `(label, text)` of each entity, after checking that its offsets index `text` in UTF-16
/// code units, in order and without overlap, and that its score is a probability.
fn checked(text: &JsValue, packed: &JsValue) -> Vec<(String, String)> {
    let original: &JsString = text.unchecked_ref();
    let mut last_end = 0.0;
    unpacked(packed)
        .into_iter()
        .map(|e| {
            assert!(
                last_end <= e.start && e.start < e.end && e.end <= f64::from(original.length())
            );
            last_end = e.end;
            assert!((0.0..=1.0).contains(&e.score));
            let slice = original.slice(e.start as u32, e.end as u32);
            (e.label, String::from(slice))
        })
        .collect()
}

fn extract_all(text: &JsValue) -> Vec<(String, String)> {
    let entities = extract(builtin(), text, &JsValue::UNDEFINED).expect("extracts");
    checked(text, &entities)
}

/// Checks the bindings against the Rust API on `rust` (the text as Rust receives it):
/// same labels, and offsets converted from bytes to UTF-16 code units.
fn same_as_rust(text: &JsValue, rust: &str) {
    let entities = extract(builtin(), text, &JsValue::UNDEFINED).unwrap();
    checked(text, &entities);
    let got: Vec<(String, f64, f64)> = unpacked(&entities)
        .into_iter()
        .map(|e| (e.label, e.start, e.end))
        .collect();
    let units = |byte: usize| rust[..byte].encode_utf16().count() as f64;
    let expected: Vec<(String, f64, f64)> = Recognizer::default()
        .extract(rust)
        .iter()
        .map(|e| (e.label.clone(), units(e.start), units(e.end)))
        .collect();
    assert_eq!(got, expected);
}

#[wasm_bindgen_test]
fn finds_entities_with_the_built_in_model() {
    let found = extract_all(&"Angela Merkel visited Paris on Monday.".into());
    assert!(found.contains(&("PERSON".into(), "Angela Merkel".into())));
    assert!(found.contains(&("GPE".into(), "Paris".into())));
}

#[wasm_bindgen_test]
fn offsets_count_utf16_code_units_around_emoji_and_astral_characters() {
    let texts = [
        "😀 Angela Merkel 👩‍👩‍👧 visited 𝐏aris and Zürich 🇩🇪 with 草彅 剛.",
        "Angela😀Merkel visited 𝐀𝐩𝐩𝐥𝐞 in Paris😀",
        "北京 Tim Cook 東京 runs Apple 🍎 in Cupertino.",
    ];
    for text in texts {
        same_as_rust(&text.into(), text);
    }
    let found = extract_all(&texts[0].into());
    assert!(found.contains(&("PERSON".into(), "Angela Merkel".into())));
}

#[wasm_bindgen_test]
fn lone_surrogates_keep_offsets_and_texts_of_the_original_string() {
    let mut units: Vec<u16> = vec![0xD800, b' ' as u16];
    units.extend("Angela Merkel visited Paris".encode_utf16());
    units.push(0xDC00); // glued to "Paris": may end up inside an entity
    units.extend(" and Berlin with ".encode_utf16());
    units.extend([0xDBFF, 0xDBFF]);
    units.extend(" Apple Inc. on Monday.".encode_utf16());
    let text = utf16(&units);
    same_as_rust(&text, &String::from_utf16_lossy(&units));
    let found = extract_all(&text);
    assert!(found.contains(&("PERSON".into(), "Angela Merkel".into())));
    assert!(found.contains(&("GPE".into(), "Berlin".into())));
    let analysis = analyze(builtin(), &text, &JsValue::UNDEFINED).unwrap();
    checked(&text, &get(&analysis, "entities"));
}

#[wasm_bindgen_test]
fn options_filter_labels_and_scores() {
    let ner = builtin();
    let text: JsValue = "Angela Merkel visited Paris and Berlin on Monday with 300 people.".into();
    let gpe = extract(ner, &text, &json(r#"{"labels": ["gpe"]}"#)).unwrap();
    let labels: Vec<_> = checked(&text, &gpe).into_iter().map(|e| e.0).collect();
    assert_eq!(labels, ["GPE", "GPE"]);
    let none = extract(ner, &text, &json(r#"{"minScore": 1}"#)).unwrap();
    assert!(checked(&text, &none).len() < extract_all(&text).len());
    let all = extract(ner, &text, &json(r#"{"labels": null, "minScore": 0}"#)).unwrap();
    assert_eq!(checked(&text, &all), extract_all(&text));
    // null, like undefined, means the option is not given.
    let all = extract(ner, &text, &json(r#"{"minScore": null}"#)).unwrap();
    assert_eq!(checked(&text, &all), extract_all(&text));
}

#[wasm_bindgen_test]
fn bad_options_are_type_or_range_errors_naming_the_mistake() {
    let ner = builtin();
    let text: JsValue = "Paris".into();
    let min_score = "onoma: options.minScore must be a number from 0 to 1, got";
    let cases = [
        (
            json(r#"{"labels": ["CITY"]}"#),
            "RangeError: onoma: unknown label \"CITY\" in options.labels; labels are PERSON, NORP,",
        ),
        (
            json(r#"{"labels": "GPE"}"#),
            "TypeError: onoma: options.labels must be an array of label names, got a string",
        ),
        (
            json(r#"{"labels": ["GPE", 7]}"#),
            "TypeError: onoma: options.labels[1] must be a label name (a string), got a number",
        ),
        (
            json(r#"{"minscore": 0.5}"#),
            "TypeError: onoma: unknown option \"minscore\"; options are labels, minScore",
        ),
        (
            json(r#"{"minScore": 2}"#),
            &format!("RangeError: {min_score} 2"),
        ),
        (
            json(r#"{"minScore": "0.5"}"#),
            &format!("TypeError: {min_score} a string"),
        ),
        (
            json(r#"{"minScore": false}"#),
            &format!("TypeError: {min_score} a boolean"),
        ),
        (
            options_with("minScore", f64::NAN.into()),
            &format!("RangeError: {min_score} NaN"),
        ),
        (
            options_with("minScore", f64::NEG_INFINITY.into()),
            &format!("RangeError: {min_score} -Infinity"),
        ),
        (
            json("[1]"),
            "TypeError: onoma: options must be an object like { labels, minScore }, got an array",
        ),
        (
            json("7"),
            "TypeError: onoma: options must be an object like { labels, minScore }, got a number",
        ),
    ];
    for (options, expected) in cases {
        let error = thrown(extract(ner, &text, &options).unwrap_err());
        assert!(error.starts_with(expected), "{error}");
        // The three methods read options alike.
        assert_eq!(thrown(analyze(ner, &text, &options).unwrap_err()), error);
        let batch = Array::of1(&text);
        assert_eq!(
            thrown(extract_batch(ner, &batch, &options).unwrap_err()),
            error
        );
    }
    // Nothing above left the engine in a bad state.
    assert_eq!(extract_all(&text), [("GPE".into(), "Paris".into())]);
}

#[wasm_bindgen_test]
fn a_text_that_is_not_a_string_is_a_type_error() {
    let ner = builtin();
    let error = thrown(extract(ner, &JsValue::from(7), &JsValue::NULL).unwrap_err());
    assert_eq!(
        error,
        "TypeError: onoma: text must be a string, got a number"
    );
    let error = thrown(analyze(ner, &JsValue::NULL, &JsValue::NULL).unwrap_err());
    assert_eq!(error, "TypeError: onoma: text must be a string, got null");
    let error = thrown(extract_batch(ner, &"Paris".into(), &JsValue::NULL).unwrap_err());
    assert_eq!(
        error,
        "TypeError: onoma: texts must be an array of strings, got a string"
    );
    let error = thrown(extract_batch(ner, &json(r#"["a", {}]"#), &JsValue::NULL).unwrap_err());
    assert_eq!(
        error,
        "TypeError: onoma: texts[1] must be a string, got an object"
    );
}

#[wasm_bindgen_test]
fn a_text_over_the_length_limit_is_a_range_error_and_the_limit_itself_is_accepted() {
    let ner = builtin();
    let over = word(MAX_TEXT_LENGTH + 1);
    let expected = |what: &str| {
        format!(
            "RangeError: onoma: {what}.length must be at most {MAX_TEXT_LENGTH}, got {}; split longer texts",
            MAX_TEXT_LENGTH + 1
        )
    };
    assert_eq!(
        thrown(extract(ner, &over, &JsValue::NULL).unwrap_err()),
        expected("text")
    );
    assert_eq!(
        thrown(analyze(ner, &over, &JsValue::NULL).unwrap_err()),
        expected("text")
    );
    let batch = Array::of2(&"Paris".into(), &over);
    assert_eq!(
        thrown(extract_batch(ner, &batch, &JsValue::NULL).unwrap_err()),
        expected("texts[1]")
    );
    // One word of the limit's length: cheap to analyse whatever the limit.
    let analysis = analyze(ner, &word(MAX_TEXT_LENGTH), &JsValue::NULL).unwrap();
    assert_eq!(number(get(&analysis, "tokens")), 1.0);
    assert_eq!(
        extract_all(&"Paris".into()),
        [("GPE".into(), "Paris".into())]
    );
}

#[wasm_bindgen_test]
fn batch_is_extract_on_each_text() {
    let ner = builtin();
    let texts = ["Paris is in France.", "", "Tim Cook runs Apple."];
    let array: Array = texts.iter().map(|t| JsValue::from(*t)).collect();
    let results = extract_batch(ner, &array, &JsValue::UNDEFINED).unwrap();
    assert_eq!(results.length(), 3);
    for (i, t) in texts.iter().enumerate() {
        let text = JsValue::from(*t);
        assert_eq!(checked(&text, &results.get(i as u32)), extract_all(&text));
    }
}

#[wasm_bindgen_test]
fn analyze_counts_tokens_and_sentences() {
    let text: JsValue = "Mr. Smith went to Washington. He met Ms. Jones there!".into();
    let analysis = analyze(builtin(), &text, &JsValue::UNDEFINED).unwrap();
    assert_eq!(number(get(&analysis, "tokens")), 12.0);
    assert_eq!(number(get(&analysis, "sentences")), 2.0);
    assert_eq!(
        checked(&text, &get(&analysis, "entities")),
        extract_all(&text)
    );
}

#[wasm_bindgen_test]
fn labels_have_descriptions() {
    let labels: Array = labels(builtin()).unwrap().unchecked_into();
    assert_eq!(labels.length(), 18);
    let names: Vec<_> = labels.iter().map(|l| string(get(&l, "label"))).collect();
    let expected: Vec<_> = Label::ALL.iter().map(|l| l.as_str()).collect();
    assert_eq!(names, expected);
    assert!(labels
        .iter()
        .all(|l| string(get(&l, "description")).len() > 5));
}

#[wasm_bindgen_test]
fn info_describes_the_model() {
    let info = info(builtin()).unwrap();
    assert_eq!(string(get(&info, "name")), "onoma-en");
    assert!(!string(get(&info, "version")).is_empty());
    assert_eq!(
        string(get(&info, "engineVersion")),
        env!("CARGO_PKG_VERSION")
    );
    assert!(number(get(&info, "features")) > 1000.0);
    let f1 = string(get(&get(&info, "metadata"), "test_f1_gold_tokens"));
    assert!(f1.parse::<f64>().unwrap() > 0.5);
}

#[wasm_bindgen_test]
fn models_load_from_bytes_and_release() {
    let error = thrown(load_model(b"not a model at all, clearly, not at all").unwrap_err());
    assert_eq!(
        error,
        "Error: onoma: not an Onoma model: wrong magic number"
    );
    let error = thrown(load_model(&MODEL[..MODEL.len() - 1]).unwrap_err());
    assert!(
        error.starts_with("Error: onoma: model file is truncated"),
        "{error}"
    );
    let handle = load_model(MODEL).unwrap();
    let text: JsValue = "Tim Cook runs Apple.".into();
    let entities = extract(handle, &text, &JsValue::UNDEFINED).unwrap();
    assert_eq!(checked(&text, &entities), extract_all(&text));
    release(handle);
    release(handle);
    let error = thrown(extract(handle, &text, &JsValue::UNDEFINED).unwrap_err());
    assert_eq!(error, "Error: onoma: this recognizer has been released");
    assert_eq!(load_model(MODEL).unwrap(), handle, "the slot is reused");
    release(handle);
}

#[wasm_bindgen_test]
fn odd_inputs_give_valid_entities() {
    let long = "U.S. ".repeat(20_000);
    let texts = [
        "",
        " \t\n\r\u{a0}\u{3000}",
        "\0\u{1}\u{7}Paris\u{1b}[0m\u{7f} and Berlin\0",
        "גולדה מאיר ביקרה בפריז. Golda Meir visited Paris. مرحبا",
        "\u{202e}Angela Merkel\u{202c} visited Paris",
        "👨\u{200d}👩\u{200d}👧 Angela\u{200d}Merkel a\u{301}nd Zu\u{308}rich",
        long.as_str(),
    ];
    for t in texts {
        same_as_rust(&t.into(), t);
    }
}

const PATTERNS: &str = r#"[{"label": "CITY", "pattern": "Paris", "id": "Q90"},
{"label": "DISH", "pattern": [{"LOWER": "crème"}, {"LOWER": "brûlée"}]}]"#;

#[wasm_bindgen_test]
fn patterns_find_new_labels_with_utf16_offsets_source_and_id() {
    let ner = with_patterns(builtin(), &json(PATTERNS), false, "patterns").unwrap();
    let text: JsValue = "😀 Angela Merkel ate crème brûlée in Paris.".into();
    let entities = extract(ner, &text, &JsValue::UNDEFINED).unwrap();
    let found = checked(&text, &entities);
    assert!(found.contains(&("DISH".into(), "crème brûlée".into())));
    assert!(found.contains(&("CITY".into(), "Paris".into())));
    assert!(!found.iter().any(|(label, _)| label == "GPE"));
    let entities = unpacked(&entities);
    let paris = entities.iter().find(|e| e.label == "CITY").unwrap();
    assert!(paris.pattern);
    assert_eq!(paris.id.as_deref(), Some("Q90"));
    assert_eq!(paris.score, 1.0);
    let merkel = entities.iter().find(|e| e.label == "PERSON").unwrap();
    assert!(!merkel.pattern && merkel.id.is_none());
    // The filter knows the new labels; the recognizer without patterns does not.
    let cities = extract(ner, &text, &json(r#"{"labels": ["city"]}"#)).unwrap();
    assert_eq!(checked(&text, &cities), [("CITY".into(), "Paris".into())]);
    let error = extract(builtin(), &text, &json(r#"{"labels": ["CITY"]}"#)).unwrap_err();
    assert!(thrown(error).starts_with("RangeError: onoma: unknown label \"CITY\""));
    let labels: Array = labels(ner).unwrap().unchecked_into();
    let names: Vec<_> = labels.iter().map(|l| string(get(&l, "label"))).collect();
    assert_eq!(names[18..], ["CITY", "DISH"]);
    // With the model first, Paris stays a GPE.
    let ner = with_patterns(builtin(), &json(PATTERNS), false, "model").unwrap();
    let found = checked(&text, &extract(ner, &text, &JsValue::UNDEFINED).unwrap());
    assert!(found.contains(&("GPE".into(), "Paris".into())));
}

#[wasm_bindgen_test]
fn bad_patterns_are_range_errors_naming_the_pattern() {
    let bad = json(
        r#"[{"label": "CITY", "pattern": "Paris"}, {"label": "X", "pattern": "a"},
        {"label": "X", "pattern": [{"LOWR": "a"}]}]"#,
    );
    let error = thrown(with_patterns(builtin(), &bad, false, "patterns").unwrap_err());
    assert!(
        error.starts_with(
            "RangeError: onoma: patterns[2]: token 0: unknown token attribute \"LOWR\""
        ),
        "{error}"
    );
    let error = thrown(with_patterns(builtin(), &json(PATTERNS), false, "first").unwrap_err());
    assert!(
        error.contains("precedence must be \"patterns\" or \"model\""),
        "{error}"
    );
    assert_eq!(
        extract_all(&"Paris".into()),
        [("GPE".into(), "Paris".into())]
    );
}

#[wasm_bindgen_test]
fn analyze_live_reads_an_edited_text_with_utf16_offsets() {
    let ner = builtin();
    let paragraph = "Ünïcödé 😀: Angela Merkel met Emmanuel Macron in Paris.\n\n";
    let text: JsValue = paragraph.repeat(80).into();
    let live = analyze_live(ner, &text, 0, 1, &JsValue::UNDEFINED, None).unwrap();
    let whole = analyze(ner, &text, &JsValue::UNDEFINED).unwrap();
    assert_eq!(
        unpacked(&get(&live, "entities")),
        unpacked(&get(&whole, "entities"))
    );
    let edited: JsValue = format!("{}Kofi Annan visited Tokyo.", paragraph.repeat(80)).into();
    let live = analyze_live(ner, &edited, 0, 1, &JsValue::UNDEFINED, None).unwrap();
    let found = checked(&edited, &get(&live, "entities"));
    assert_eq!(
        found[found.len() - 2..],
        [
            ("PERSON".into(), "Kofi Annan".into()),
            ("GPE".into(), "Tokyo".into())
        ]
    );
    let error = thrown(analyze_live(ner, &edited, 2, 2, &JsValue::UNDEFINED, None).unwrap_err());
    assert!(
        error.starts_with("RangeError: onoma: share must be below shares"),
        "{error}"
    );
}
