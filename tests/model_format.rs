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
    let fix_checksum = |bytes: &mut Vec<u8>| {
        let payload = bytes[HEADER_LEN..].to_vec();
        let len = payload.len() as u64;
        bytes[12..20].copy_from_slice(&len.to_le_bytes());
        let sum = payload.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        bytes[20..28].copy_from_slice(&sum.to_le_bytes());
    };
    // Payload cut short, checksum and length made to match.
    for keep in [0, 3, 100, SHIPPED.len() / 3] {
        let mut bytes = SHIPPED[..HEADER_LEN + keep].to_vec();
        fix_checksum(&mut bytes);
        let err = Model::from_bytes(&bytes).unwrap_err();
        assert!(
            matches!(err, ModelError::Malformed(_)),
            "keep {keep}: {err}"
        );
    }
    // Extra bytes at the end.
    let mut bytes = SHIPPED.to_vec();
    bytes.push(0);
    fix_checksum(&mut bytes);
    assert!(matches!(
        Model::from_bytes(&bytes).unwrap_err(),
        ModelError::Malformed(_)
    ));
    // Garbage everywhere after the header.
    let mut bytes = SHIPPED.to_vec();
    for (i, b) in bytes[HEADER_LEN..].iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(151) ^ 0xA5;
    }
    fix_checksum(&mut bytes);
    assert!(Model::from_bytes(&bytes).is_err());
}

#[test]
fn missing_file_is_an_io_error() {
    let err = Recognizer::from_path("/nonexistent/onoma.onm").unwrap_err();
    assert!(matches!(err, ModelError::Io(_)));
}
