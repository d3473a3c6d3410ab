//! The model file format: round trip, and clear errors for every kind of bad bytes.

use onoma::{Model, ModelError, Recognizer, FORMAT_VERSION};

const SHIPPED: &[u8] = include_bytes!("../models/onoma-en.onm");
const HEADER_LEN: usize = 28;

#[test]
fn shipped_model_round_trips_byte_for_byte() {
    let model = Model::from_bytes(SHIPPED).expect("shipped model loads");
    assert_eq!(model.to_bytes(), SHIPPED);
    assert!(model.feature_count() > 10_000);
    assert_eq!(model.meta("name"), Some("onoma-en"));
}

#[test]
fn reloaded_model_gives_the_same_entities() {
    let text = "Chancellor Olaf Scholz flew to Washington on Tuesday to meet Joe Biden.";
    let original = Recognizer::default().extract(text);
    let bytes = Recognizer::default().model().to_bytes();
    let reloaded = Recognizer::from_bytes(&bytes).unwrap().extract(text);
    assert_eq!(original, reloaded);
    assert!(!original.is_empty());
}

#[test]
fn empty_and_short_input_is_too_short() {
    assert_eq!(
        Model::from_bytes(b"").unwrap_err(),
        ModelError::TooShort { len: 0 }
    );
    assert_eq!(
        Model::from_bytes(&SHIPPED[..10]).unwrap_err(),
        ModelError::TooShort { len: 10 }
    );
}

#[test]
fn foreign_bytes_have_the_wrong_magic() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert_eq!(Model::from_bytes(png).unwrap_err(), ModelError::BadMagic);
    let err = Recognizer::from_bytes(png).unwrap_err().to_string();
    assert!(err.contains("not an Onoma model"), "{err}");
}

#[test]
fn other_format_versions_are_refused() {
    let mut bytes = SHIPPED.to_vec();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        Model::from_bytes(&bytes).unwrap_err(),
        ModelError::UnsupportedVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
}

#[test]
fn truncated_files_are_refused() {
    for cut in [
        HEADER_LEN,
        HEADER_LEN + 1,
        SHIPPED.len() / 2,
        SHIPPED.len() - 1,
    ] {
        let err = Model::from_bytes(&SHIPPED[..cut]).unwrap_err();
        assert!(
            matches!(err, ModelError::LengthMismatch { .. }),
            "cut at {cut}: {err}"
        );
        assert!(err.to_string().contains("truncated"));
    }
}

#[test]
fn flipped_bits_fail_the_checksum() {
    let step = SHIPPED.len() / 97;
    for pos in (HEADER_LEN..SHIPPED.len()).step_by(step) {
        let mut bytes = SHIPPED.to_vec();
        bytes[pos] ^= 0x10;
        assert_eq!(
            Model::from_bytes(&bytes).unwrap_err(),
            ModelError::ChecksumMismatch,
            "byte {pos}"
        );
    }
}

/// Rewrites the checksum after corrupting the payload, as a malicious or buggy writer
/// might: the parser itself must still refuse inconsistent content without panicking.
#[test]
fn inconsistent_payload_with_valid_checksum_is_malformed() {
    // Payload cut short, checksum and length made to match.
    for keep in [0, 3, 100, SHIPPED.len() / 3] {
        let bytes = with_checksum_fixed(SHIPPED[..HEADER_LEN + keep].to_vec());
        let err = Model::from_bytes(&bytes).unwrap_err();
        assert!(
            matches!(err, ModelError::Malformed(_)),
            "keep {keep}: {err}"
        );
    }
    // Extra bytes at the end.
    let mut bytes = SHIPPED.to_vec();
    bytes.push(0);
    let bytes = with_checksum_fixed(bytes);
    assert!(matches!(
        Model::from_bytes(&bytes).unwrap_err(),
        ModelError::Malformed(_)
    ));
    // Garbage everywhere after the header.
    let mut bytes = SHIPPED.to_vec();
    for (i, b) in bytes[HEADER_LEN..].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151) ^ 0xA5;
    }
    let bytes = with_checksum_fixed(bytes);
    assert!(Model::from_bytes(&bytes).is_err());
}

fn u32_at(bytes: &[u8], i: usize) -> usize {
    u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize
}

/// Offset of the label section of a file of format 3 or later: after the header and the metadata.
fn labels_offset(bytes: &[u8]) -> usize {
    let mut at = HEADER_LEN + 4;
    for _ in 0..u32_at(bytes, HEADER_LEN) * 2 {
        at += 4 + u32_at(bytes, at);
    }
    at
}

/// The label section of a file of format 3 or later: its byte range.
fn label_section(bytes: &[u8]) -> std::ops::Range<usize> {
    let start = labels_offset(bytes);
    let mut at = start + 4;
    for _ in 0..u32_at(bytes, start) * 3 {
        at += 4 + u32_at(bytes, at);
    }
    start..at
}

/// Offset of the temperature in a model file: after the header, the metadata, the label
/// section, the tag count and the feature set id.
fn temperature_offset(bytes: &[u8]) -> usize {
    label_section(bytes).end + 8
}

/// A label section: the count, then name, description and colour of each label.
fn labels_bytes(labels: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut out = (labels.len() as u32).to_le_bytes().to_vec();
    for (name, description, colour) in labels {
        for s in [name, description, colour] {
            out.extend((s.len() as u32).to_le_bytes());
            out.extend(s.as_bytes());
        }
    }
    out
}

/// The shipped model with its label section replaced by `section` (checksum fixed).
fn with_labels(section: &[u8]) -> Vec<u8> {
    let r = label_section(SHIPPED);
    with_checksum_fixed([&SHIPPED[..r.start], section, &SHIPPED[r.end..]].concat())
}

#[test]
fn a_model_records_its_labels_and_entities_carry_them() {
    let ner = Recognizer::default();
    let names: Vec<_> = ner
        .model()
        .labels()
        .iter()
        .map(|l| l.name.clone())
        .collect();
    assert_eq!(names, onoma::Label::ALL.map(|l| l.as_str().to_string()));
    // The same weights under other names and colours: a model of another label set. (MONEY,
    // DATE and TIME keep their names, which the clean-up rules and amount patterns go by.)
    let kept = |l: &onoma::Label| ["MONEY", "DATE", "TIME"].contains(&l.as_str());
    let renamed: Vec<(String, String, String)> = onoma::Label::ALL
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let name = match kept(l) {
                true => l.as_str().to_string(),
                false => format!("T{i}_{}", l.as_str().to_lowercase()),
            };
            (name, format!("type {i}"), format!("#{i:06x}"))
        })
        .collect();
    let renamed: Vec<(&str, &str, &str)> = renamed
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    let custom = Recognizer::from_bytes(&with_labels(&labels_bytes(&renamed))).unwrap();
    assert_eq!(custom.labels()[4], "T4_gpe");
    assert_eq!(
        custom.model().labels().iter().nth(4).unwrap().colour,
        "#000004"
    );
    let text = "Angela Merkel visited Paris on Monday and paid $5 for coffee.";
    let (plain, theirs) = (ner.extract(text), custom.extract(text));
    assert_eq!(plain.len(), theirs.len());
    for (a, b) in plain.iter().zip(&theirs) {
        let i = onoma::Label::ALL
            .iter()
            .position(|l| l.as_str() == a.label)
            .unwrap();
        assert_eq!(
            (a.start, a.end, &b.label),
            (b.start, b.end, &renamed[i].0.to_string())
        );
    }
    // The file round-trips with its labels.
    assert_eq!(
        custom.model().to_bytes(),
        with_labels(&labels_bytes(&renamed))
    );
}

#[test]
fn a_label_set_that_does_not_fit_the_tags_is_malformed() {
    let two = labels_bytes(&[("A", "", ""), ("B", "", "")]);
    let twice = labels_bytes(&[("A", "", ""); 18]);
    let unnamed = labels_bytes(&[("", "", ""); 18]);
    for section in [two, twice, unnamed] {
        let err = Model::from_bytes(&with_labels(&section)).unwrap_err();
        assert!(matches!(err, ModelError::Malformed(_)), "{err}");
    }
}

/// Files of formats 2 (no label section: the OntoNotes labels) and 3 (one byte per
/// public-list name) still load, and are saved again in the current format.
#[test]
fn format_2_and_3_files_still_load() {
    let high = public_lists_high_bytes(SHIPPED);
    assert!(
        SHIPPED[high.clone()].iter().any(|&b| b != 0),
        "the shipped public lists use their high bytes"
    );
    let mut narrowed = SHIPPED.to_vec();
    narrowed[high.clone()].fill(0);
    let narrowed = with_checksum_fixed(narrowed);
    let v3 = [&SHIPPED[..high.start], &SHIPPED[high.end..]].concat();
    let labels = label_section(&v3);
    let v2 = [&v3[..labels.start], &v3[labels.end..]].concat();
    for (version, mut bytes) in [(3u32, v3), (2, v2)] {
        bytes[8..12].copy_from_slice(&version.to_le_bytes());
        let old = Recognizer::from_bytes(&with_checksum_fixed(bytes))
            .unwrap_or_else(|e| panic!("a format-{version} file loads: {e}"));
        assert_eq!(old.model().labels(), Recognizer::default().model().labels());
        assert!(!old
            .extract("Angela Merkel visited Paris on Monday.")
            .is_empty());
        assert_eq!(
            old.model().to_bytes(),
            narrowed,
            "format {version} saved again in the current format"
        );
    }
}

/// The byte range of the public lists' high bytes, the last part of their lexicon
/// section: after the labels, tag count, feature set, temperature, quantiser,
/// transition and start scores, features, and the learned lexicon.
fn public_lists_high_bytes(bytes: &[u8]) -> std::ops::Range<usize> {
    let mut at = label_section(bytes).end;
    let n_tags = u32_at(bytes, at);
    at += 8 + 12 + (n_tags * n_tags + n_tags) * 4;
    let n_features = u32_at(bytes, at);
    at = skip_varints(bytes, at + 4, n_features);
    let weights: usize = bytes[at..at + n_features].iter().map(|&c| c as usize).sum();
    assert!(n_tags <= 256, "one byte per tag");
    at += n_features + 2 * weights;
    let learned = u32_at(bytes, at);
    at = skip_varints(bytes, at + 4, learned) + learned;
    let public = u32_at(bytes, at);
    at = skip_varints(bytes, at + 4, public) + public;
    at..at + public
}

/// The offset after `n` varints starting at `at`.
fn skip_varints(bytes: &[u8], mut at: usize, n: usize) -> usize {
    for _ in 0..n {
        while bytes[at] & 0x80 != 0 {
            at += 1;
        }
        at += 1;
    }
    at
}

/// Rewrites the header's payload length and checksum to match the (altered) payload.
fn with_checksum_fixed(mut bytes: Vec<u8>) -> Vec<u8> {
    let len = (bytes.len() - HEADER_LEN) as u64;
    bytes[12..20].copy_from_slice(&len.to_le_bytes());
    let sum = bytes[HEADER_LEN..]
        .iter()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    bytes[20..28].copy_from_slice(&sum.to_le_bytes());
    bytes
}

/// Numbers that would make scores overflow (and confidences NaN) are refused even in a
/// file whose checksum is right.
#[test]
fn out_of_range_numbers_are_malformed() {
    let at = temperature_offset(SHIPPED);
    let original = f32::from_le_bytes(SHIPPED[at..at + 4].try_into().unwrap());
    assert!(
        (0.01..=1000.0).contains(&original),
        "found the temperature: {original}"
    );
    // (offset from the temperature, value): temperature, weight quantiser min and step,
    // the first transition score.
    for (delta, value) in [
        (0, 1e-6f32),
        (0, f32::NAN),
        (4, 1e9),
        (8, 50.0),
        (12, 1e9),
        (12, f32::INFINITY),
    ] {
        let mut bytes = SHIPPED.to_vec();
        bytes[at + delta..at + delta + 4].copy_from_slice(&value.to_le_bytes());
        let err = Model::from_bytes(&with_checksum_fixed(bytes)).unwrap_err();
        assert!(
            matches!(err, ModelError::Malformed(_)),
            "{delta} {value}: {err}"
        );
    }
}

/// The file ends with the word classes' high bytes: a class path beyond the class tree
/// is refused.
#[test]
fn word_class_outside_the_tree_is_malformed() {
    let mut bytes = SHIPPED.to_vec();
    *bytes.last_mut().unwrap() = 0xff;
    let err = Model::from_bytes(&with_checksum_fixed(bytes)).unwrap_err();
    assert_eq!(
        err,
        ModelError::Malformed("word class outside the class tree")
    );
}

#[test]
fn missing_file_is_an_io_error() {
    let err = Recognizer::from_path("/nonexistent/onoma.onm").unwrap_err();
    assert!(matches!(err, ModelError::Io(_)));
}
