//! Invariant checks shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the
//! regression test that replays their findings (`tests/fuzz_regressions.rs`, which pulls
//! this file in with `#[path]`). Depends on `onoma`, `unicode-segmentation` and `std` only,
//! so that both can use it.
//!
//! Every check panics, with the offending input in the message, when an invariant breaks.

#![allow(dead_code)]

use onoma::{
    split_sentences, tokenize, Entity, Model, PatternOptions, Patterns, Precedence, Recognizer,
    Token,
};
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Short texts run through every model that loads: names, numbers, dates, money, several
/// sentences, so that most label paths of the decoder are taken.
pub const SAMPLE_TEXTS: &[&str] = &[
    "Angela Merkel visited Paris on Monday.",
    "Apple hired 3,000 people in Ireland last year for $57 million, about 12% more.",
    "Mr. Smith of Acme Corp. flew to Washington at 10:30 a.m. He met Joe Biden. \
     The U.S. Senate passed the Clean Air Act on Jan. 5, 2024.",
];

/// Fuzzer bytes as text: invalid UTF-8 becomes U+FFFD, as a caller decoding lossily would.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn is_gap(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// A span of `text` (a token or an entity; `what` names it for the message): non-empty,
/// not before the end of the previous span (`last`), inside the text, on char boundaries.
fn check_span(text: &str, (start, end): (usize, usize), last: usize, what: impl Fn() -> String) {
    assert!(
        start < end && start >= last,
        "{} is empty, out of order or overlaps the previous one (ends {last}) in {text:?}",
        what()
    );
    assert!(
        end <= text.len(),
        "{} runs past the text in {text:?}",
        what()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{} is not on char boundaries in {text:?}",
        what()
    );
}

/// `tokenize` and `split_sentences` on `text`: tokens non-empty, increasing,
/// non-overlapping, on char boundaries, only white space or control characters between
/// them; sentences non-empty and covering every token in order. Returns the tokens.
pub fn check_tokens(text: &str) -> Vec<Token> {
    let tokens = tokenize(text);
    let mut last = 0;
    for (i, t) in tokens.iter().enumerate() {
        check_span(text, (t.start, t.end), last, || format!("token {i} {t:?}"));
        assert!(
            text[last..t.start].chars().all(is_gap),
            "text {:?} dropped before token {i} in {text:?}",
            &text[last..t.start]
        );
        assert!(
            !t.text(text).chars().any(is_gap),
            "token {i} {:?} contains white space or a control character in {text:?}",
            t.text(text)
        );
        last = t.end;
    }
    assert!(
        text[last..].chars().all(is_gap),
        "text {:?} dropped after the last token in {text:?}",
        &text[last..]
    );
    let sentences = split_sentences(text, &tokens);
    let mut next = 0;
    for s in &sentences {
        assert_eq!(
            s.start,
            next,
            "sentences {sentences:?} do not cover the {} tokens in order in {text:?}",
            tokens.len()
        );
        assert!(s.end > s.start, "empty sentence {s:?} in {text:?}");
        next = s.end;
    }
    assert_eq!(
        next,
        tokens.len(),
        "sentences {sentences:?} do not cover all {} tokens in {text:?}",
        tokens.len()
    );
    tokens
}

/// Entities in order, non-overlapping, on char boundaries, carrying their exact text and
/// a score in `[0, 1]`.
pub fn check_entities(text: &str, entities: &[Entity]) {
    let mut last = 0;
    for (i, e) in entities.iter().enumerate() {
        check_span(text, (e.start, e.end), last, || format!("entity {i} {e:?}"));
        assert_eq!(
            e.text,
            &text[e.start..e.end],
            "entity {i} text differs from its span in {text:?}"
        );
        assert!(
            (0.0..=1.0).contains(&e.score),
            "entity {i} {e:?} has score {} outside [0, 1] in {text:?}",
            e.score
        );
        for at in [e.start, e.end] {
            assert!(
                GraphemeCursor::new(at, text.len(), true).is_boundary(text, 0) == Ok(true),
                "entity {i} {e:?} splits a grapheme cluster at {at} in {text:?}"
            );
        }
        let mut clusters = e.text.graphemes(true);
        for cluster in [clusters.next(), clusters.next_back()]
            .into_iter()
            .flatten()
        {
            let c = cluster.chars().next().unwrap_or(' ');
            assert!(
                !c.is_whitespace() && !is_pictographic(c),
                "entity {i} {e:?} begins or ends with {cluster:?} in {text:?}"
            );
        }
        last = e.end;
    }
}

/// Emoji, pictographs, skin tones, regional indicators (flags), dingbats and arrows: no
/// grapheme cluster at the edge of an entity starts with one.
fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}' | '\u{2190}'..='\u{21FF}' | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}')
}

/// `extract` and `analyze` on `text`, with every token and entity invariant; the two
/// agree, and the analysis counts what `tokenize`/`split_sentences` give.
pub fn check_extract(ner: &Recognizer, text: &str) -> Vec<Entity> {
    let tokens = check_tokens(text);
    let entities = ner.extract(text);
    check_entities(text, &entities);
    let analysis = ner.analyze(text);
    assert_eq!(
        analysis.entities, entities,
        "analyze and extract differ on {text:?}"
    );
    assert_eq!(
        analysis.tokens,
        tokens.len(),
        "token count differs on {text:?}"
    );
    assert_eq!(
        analysis.sentences,
        split_sentences(text, &tokens).len(),
        "sentence count differs on {text:?}"
    );
    entities
}

/// Any pattern file loads or gives an error naming one of its lines. The patterns of one
/// that loads keep every entity invariant on `text`, whichever wins where they meet the
/// model's entities, and whatever the case.
pub fn check_patterns(ner: &Recognizer, file: &str, text: &str) {
    for (ignore_case, precedence) in [(false, Precedence::Patterns), (true, Precedence::Model)] {
        let options = PatternOptions {
            ignore_case,
            precedence,
        };
        match Patterns::from_jsonl(file, options) {
            Ok(patterns) => {
                let ner = ner.clone().with_patterns(patterns);
                check_extract(&ner, text);
            }
            Err(e) => assert!(
                (1..=file.lines().count()).contains(&e.line),
                "error {e} names no line of the pattern file {file:?}"
            ),
        }
    }
}

/// Any bytes given to `Model::from_bytes` give `Ok` or a `ModelError`. A model that
/// loads keeps every entity invariant on [`SAMPLE_TEXTS`], and reloads from its own
/// `to_bytes` to a model that finds the same entities (scores may differ by rounding).
pub fn check_model_bytes(bytes: &[u8]) {
    let model = match Model::from_bytes(bytes) {
        Ok(model) => model,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    let written = model.to_bytes();
    let ner = Recognizer::from_model(model);
    let found: Vec<Vec<Entity>> = SAMPLE_TEXTS
        .iter()
        .map(|text| check_extract(&ner, text))
        .collect();
    let reloaded = match Model::from_bytes(&written) {
        Ok(m) => Recognizer::from_model(m),
        Err(e) => panic!("a model that loads does not reload from its own to_bytes: {e}"),
    };
    for (text, before) in SAMPLE_TEXTS.iter().zip(&found) {
        let after = reloaded.extract(text);
        let spans = |es: &[Entity]| {
            es.iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            spans(before),
            spans(&after),
            "entities change after a to_bytes/from_bytes round trip on {text:?}"
        );
        for (b, a) in before.iter().zip(&after) {
            assert!(
                (b.score - a.score).abs() <= 1e-3,
                "score of {b:?} changes to {} after a to_bytes/from_bytes round trip",
                a.score
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// model_load input: raw bytes, or a mutation program applied to the shipped model
// ---------------------------------------------------------------------------------------

const HEADER_LEN: usize = 28;

/// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3), the payload checksum.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Rewrites the header's payload length to match the bytes.
pub fn fix_length(bytes: &mut [u8]) {
    if bytes.len() >= HEADER_LEN {
        let len = (bytes.len() - HEADER_LEN) as u64;
        bytes[12..20].copy_from_slice(&len.to_le_bytes());
    }
}

/// Rewrites the header's checksum to match the payload.
pub fn fix_checksum(bytes: &mut [u8]) {
    if bytes.len() >= HEADER_LEN {
        let sum = fnv1a64(&bytes[HEADER_LEN..]);
        bytes[20..28].copy_from_slice(&sum.to_le_bytes());
    }
}

/// Named byte ranges of a model file, found by walking its layout. Mutations address
/// `(section, offset)` rather than absolute positions, so a recipe keeps its meaning
/// (and a stored regression input keeps reproducing) when the model is retrained.
pub const SECTION_NAMES: [&str; 21] = [
    "whole file",
    "header",
    "metadata",
    "fixed fields (tag count, feature set, temperature, quantizer min and step)",
    "transitions",
    "start scores",
    "feature count",
    "feature keys",
    "weight counts",
    "weight tags",
    "weights",
    "lexicon 1 count",
    "lexicon 1 keys",
    "lexicon 1 values",
    "lexicon 2 count",
    "lexicon 2 keys",
    "lexicon 2 values",
    "word classes count",
    "word classes keys",
    "word classes paths",
    // Last, though it comes after the metadata in the file: stored inputs keep their
    // section numbers from before format 3 added it.
    "labels (format 3)",
];

/// Byte range of each of [`SECTION_NAMES`] in `model`; a section the layout walk could
/// not find (other format version) is the whole file.
pub fn sections(model: &[u8]) -> [std::ops::Range<usize>; SECTION_NAMES.len()] {
    let whole = 0..model.len();
    let mut out: [std::ops::Range<usize>; SECTION_NAMES.len()] =
        std::array::from_fn(|_| whole.clone());
    if model.len() >= HEADER_LEN {
        out[1] = 0..HEADER_LEN;
    }
    if let Some(found) = walk_layout(model) {
        for (i, r) in found.into_iter().enumerate() {
            if !r.is_empty() {
                out[i + 2] = r;
            }
        }
    }
    out
}

/// Sections 2.. of [`SECTION_NAMES`], as the format reads them (see `src/model.rs`).
/// Tolerates the feature-set field being absent (format 1 before it), the word classes
/// being absent (format 1) and the label section being absent (before format 3).
fn walk_layout(model: &[u8]) -> Option<Vec<std::ops::Range<usize>>> {
    struct Walk<'a> {
        b: &'a [u8],
        at: usize,
    }
    impl Walk<'_> {
        fn take(&mut self, n: usize) -> Option<std::ops::Range<usize>> {
            let end = self.at.checked_add(n).filter(|&e| e <= self.b.len())?;
            let r = self.at..end;
            self.at = end;
            Some(r)
        }
        fn u32(&mut self) -> Option<u32> {
            let r = self.take(4)?;
            Some(u32::from_le_bytes(self.b[r].try_into().ok()?))
        }
        fn peek_u32(&self) -> Option<u32> {
            let b = self.b.get(self.at..self.at + 4)?;
            Some(u32::from_le_bytes(b.try_into().ok()?))
        }
        fn varints(&mut self, n: usize) -> Option<std::ops::Range<usize>> {
            let start = self.at;
            for _ in 0..n {
                loop {
                    let b = *self.b.get(self.at)?;
                    self.at += 1;
                    if b & 0x80 == 0 {
                        break;
                    }
                }
            }
            Some(start..self.at)
        }
    }
    let mut w = Walk {
        b: model,
        at: HEADER_LEN,
    };
    if model.len() < HEADER_LEN {
        return None;
    }
    let mut out = Vec::new();
    let meta_start = w.at;
    let n_meta = w.u32()?;
    for _ in 0..n_meta.min(1 << 16) * 2 {
        let len = w.u32()? as usize;
        w.take(len)?;
    }
    out.push(meta_start..w.at); // metadata
    let version = u32::from_le_bytes(model[8..12].try_into().ok()?);
    let labels_start = w.at;
    if version >= 3 {
        let n_labels = w.u32()?;
        for _ in 0..n_labels.min(1 << 10) * 3 {
            let len = w.u32()? as usize;
            w.take(len)?;
        }
    }
    let labels = labels_start..w.at;
    let fixed_start = w.at;
    let n_tags = w.u32()? as usize;
    if n_tags == 0 || n_tags > 1024 {
        return None;
    }
    if w.peek_u32()? < 1 << 20 {
        w.u32()?; // feature-set number (a small integer; a temperature's f32 bits are not)
    }
    w.take(12)?; // temperature, quantizer min and step
    out.push(fixed_start..w.at);
    out.push(w.take(4 * n_tags * n_tags)?); // transitions
    out.push(w.take(4 * n_tags)?); // start
    let n_features = w.u32()? as usize;
    out.push(w.at - 4..w.at);
    out.push(w.varints(n_features)?); // keys
    let counts = w.take(n_features)?;
    let total: usize = model[counts.clone()].iter().map(|&c| usize::from(c)).sum();
    out.push(counts);
    let tag_bytes = if n_tags > 256 { 2 } else { 1 };
    out.push(w.take(total * tag_bytes)?); // tags
    out.push(w.take(total)?); // weights

    // Two lexicons (one value byte per key, two for the public lists from format 4), then
    // the word classes (two bytes per key).
    let public_value_bytes = if version >= 4 { 2 } else { 1 };
    for value_bytes in [1, public_value_bytes, 2] {
        if w.at == model.len() {
            break;
        }
        let n = w.u32()? as usize;
        let count = w.at - 4..w.at;
        let keys = w.varints(n)?;
        let values = w.take(n.checked_mul(value_bytes)?)?;
        out.extend([count, keys, values]);
    }
    out.resize(SECTION_NAMES.len() - 3, w.at..w.at);
    out.push(labels);
    Some(out)
}

/// Floats worth writing into temperature, quantizer and transition fields.
const INTERESTING_F32: [f32; 16] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::NAN,
    f32::MAX,
    f32::MIN,
    f32::MIN_POSITIVE,
    1e-45,
    1e-30,
    1e30,
    -1e30,
    88.8,
    1000.0,
];

/// Counts and lengths worth writing into `u32` fields.
const INTERESTING_U32: [u32; 12] = [
    0,
    1,
    2,
    72,
    73,
    74,
    0x7f,
    0x80,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    u32::MAX,
];

/// The `model_load` fuzz input, decoded.
///
/// Byte 0 picks the mode. Even: the rest of the input is the model file, as is. Odd: the
/// rest is a mutation program applied to `base` (the shipped model); bit 1 set keeps the
/// header's stale checksum and bit 2 set keeps its stale length, otherwise both are
/// recomputed after the mutations so that the payload parser itself is exercised.
///
/// Each mutation is an opcode byte, a section byte (index into [`SECTION_NAMES`], taken
/// modulo their count), a little-endian `u32` offset into that section (modulo its
/// length) and operands:
///
/// | op % 10 | effect | operands |
/// |---|---|---|
/// | 0 | flip one bit | bit number |
/// | 1 | overwrite one byte | value |
/// | 2 | overwrite 4 bytes | 4 bytes |
/// | 3 | overwrite an `f32` with an interesting value | index |
/// | 4 | overwrite a `u32` with an interesting value | index |
/// | 5 | add a small delta to a `u32` | `i8` delta |
/// | 6 | truncate the file at the offset | — |
/// | 7 | delete bytes at the offset | count |
/// | 8 | insert bytes at the offset | count, then that many bytes |
/// | 9 | fill bytes at the offset with one value | count, value |
///
/// A program that runs out of bytes stops; positions past the end are clamped.
pub fn model_input(data: &[u8], base: &[u8]) -> Vec<u8> {
    let Some((&mode, rest)) = data.split_first() else {
        return Vec::new();
    };
    if mode & 1 == 0 {
        return rest.to_vec();
    }
    let sections = sections(base);
    let mut bytes = base.to_vec();
    let mut p = rest;
    let mut next = |n: usize| -> Option<&[u8]> {
        if p.len() < n {
            return None;
        }
        let (head, tail) = p.split_at(n);
        p = tail;
        Some(head)
    };
    while let Some(&[op, section, o0, o1, o2, o3]) = next(6) {
        let range = &sections[usize::from(section) % sections.len()];
        let offset = u32::from_le_bytes([o0, o1, o2, o3]) as usize;
        let at = range.start + offset % range.len().max(1);
        let at = at.min(bytes.len());
        let end4 = (at + 4).min(bytes.len());
        match op % 10 {
            0 => {
                let Some(&[bit]) = next(1) else { break };
                if let Some(b) = bytes.get_mut(at) {
                    *b ^= 1 << (bit % 8);
                }
            }
            1 => {
                let Some(&[v]) = next(1) else { break };
                if let Some(b) = bytes.get_mut(at) {
                    *b = v;
                }
            }
            2 => {
                let Some(v) = next(4) else { break };
                let n = end4 - at;
                bytes[at..end4].copy_from_slice(&v[..n]);
            }
            3 => {
                let Some(&[i]) = next(1) else { break };
                let v = INTERESTING_F32[usize::from(i) % INTERESTING_F32.len()].to_le_bytes();
                let n = end4 - at;
                bytes[at..end4].copy_from_slice(&v[..n]);
            }
            4 => {
                let Some(&[i]) = next(1) else { break };
                let v = INTERESTING_U32[usize::from(i) % INTERESTING_U32.len()].to_le_bytes();
                let n = end4 - at;
                bytes[at..end4].copy_from_slice(&v[..n]);
            }
            5 => {
                let Some(&[d]) = next(1) else { break };
                if end4 - at == 4 {
                    let old = u32::from_le_bytes(bytes[at..end4].try_into().unwrap());
                    let new = old.wrapping_add_signed(i32::from(d as i8));
                    bytes[at..end4].copy_from_slice(&new.to_le_bytes());
                }
            }
            6 => bytes.truncate(at),
            7 => {
                let Some(&[n]) = next(1) else { break };
                let end = (at + usize::from(n) + 1).min(bytes.len());
                bytes.drain(at..end);
            }
            8 => {
                let Some(&[n]) = next(1) else { break };
                let Some(v) = next(usize::from(n) % 16 + 1) else {
                    break;
                };
                bytes.splice(at..at, v.iter().copied());
            }
            _ => {
                let Some(&[n, v]) = next(2) else { break };
                let end = (at + usize::from(n) + 1).min(bytes.len());
                bytes[at..end].fill(v);
            }
        }
    }
    if mode & 4 == 0 {
        fix_length(&mut bytes);
    }
    if mode & 2 == 0 {
        fix_checksum(&mut bytes);
    }
    bytes
}

/// The whole `model_load` check: decode the input against `base`, load, check.
pub fn check_model_input(data: &[u8], base: &[u8]) {
    check_model_bytes(&model_input(data, base));
}
