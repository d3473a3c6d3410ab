//! The model: feature weights per tag, tag transitions, and the binary file format.
//!
//! File layout (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `ONOMANER` |
//! | 4 | format version (`FORMAT_VERSION`) |
//! | 8 | payload length |
//! | 8 | FNV-1a 64 checksum of the payload |
//! | … | payload |
//!
//! The payload holds the metadata (key/value strings), the number of tags, the feature
//! template set it was trained with, the temperature used for confidences, the two weight quantisation parameters, the
//! transition and start scores as `f32`, then the features: their keys (32-bit
//! fingerprints, sorted, delta-coded as varints), the number of weights of each, the tag of
//! every weight (`u8`) and every weight (`i8` on a log scale). Last come the two name
//! lexicons (learned from the corpus, then from public lists): keys delta-coded, then one
//! byte per name.

use crate::decode::{forbid_invalid, N_TAGS};
use crate::features::FEATURE_SET;
use crate::gazetteer::Gazetteer;
use crate::hash::fnv1a;
use crate::label::Label;
use std::fmt;

const MAGIC: &[u8; 8] = b"ONOMANER";
/// Version of the file format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 28;

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// Fewer bytes than the fixed header.
    TooShort { len: usize },
    /// The bytes are not an Onoma model.
    BadMagic,
    /// A model written by an incompatible version of Onoma.
    UnsupportedVersion { found: u32, supported: u32 },
    /// The header announces more or fewer bytes than there are (a truncated download?).
    LengthMismatch { expected: u64, found: u64 },
    /// The payload does not match its checksum: the file is corrupted.
    ChecksumMismatch,
    /// The payload passed its checksum but its content is inconsistent.
    Malformed(&'static str),
    /// The file could not be read.
    Io(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::TooShort { len } => {
                write!(f, "not an Onoma model: only {len} bytes, the header alone is {HEADER_LEN}")
            }
            ModelError::BadMagic => f.write_str("not an Onoma model: wrong magic number"),
            ModelError::UnsupportedVersion { found, supported } => write!(
                f,
                "model format version {found} is not supported (this build reads version {supported})"
            ),
            ModelError::LengthMismatch { expected, found } => write!(
                f,
                "model file is truncated or padded: header says {expected} payload bytes, found {found}"
            ),
            ModelError::ChecksumMismatch => f.write_str("model file is corrupted: checksum mismatch"),
            ModelError::Malformed(what) => write!(f, "model file is malformed: {what}"),
            ModelError::Io(e) => write!(f, "cannot read model file: {e}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// A trained model, ready to score tokens.
#[derive(Debug, Clone)]
pub struct Model {
    /// Free-form metadata: name, version, training data, measured accuracy.
    pub metadata: Vec<(String, String)>,
    /// Scores are divided by this before turning them into probabilities.
    temperature: f32,
    /// `transitions[prev * N_TAGS + next]`; forbidden transitions are `-inf`.
    pub(crate) transitions: Vec<f32>,
    /// Score of each tag at the start of a sentence; forbidden ones are `-inf`.
    pub(crate) start: Vec<f32>,
    /// Names learned from the training data, looked up as features.
    pub(crate) gazetteer: Gazetteer,
    /// Names from public lists (countries, places, given names …), looked up as features.
    pub(crate) public_lists: Gazetteer,
    table: FeatureTable,
    /// `exp(transition / temperature)` and `exp(start / temperature)`, for forward–backward.
    exp_transitions: Vec<f32>,
    exp_start: Vec<f32>,
}

/// Open-addressing hash table from feature fingerprint to its weights.
#[derive(Debug, Clone)]
struct FeatureTable {
    /// `(fingerprint, feature rank + 1)`; rank 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    /// Weights of feature `r` are `entries[offsets[r]..offsets[r + 1]]`.
    offsets: Vec<u32>,
    entries: Vec<(u8, f32)>,
}

/// Fingerprint of a 64-bit feature key as stored in the model.
pub(crate) fn fingerprint(key: u64) -> u32 {
    (key >> 32) as u32 ^ key as u32
}

impl FeatureTable {
    fn build(keys: &[u32], offsets: Vec<u32>, entries: Vec<(u8, f32)>) -> Self {
        let capacity = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u32, 0u32); capacity];
        for (rank, &key) in keys.iter().enumerate() {
            let mut i = key as usize & (capacity - 1);
            while slots[i].1 != 0 {
                i = (i + 1) & (capacity - 1);
            }
            slots[i] = (key, rank as u32 + 1);
        }
        FeatureTable {
            slots,
            offsets,
            entries,
        }
    }

    fn get(&self, key: u32) -> &[(u8, f32)] {
        let mask = self.slots.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let (k, rank) = self.slots[i];
            if rank == 0 {
                return &[];
            }
            if k == key {
                let r = rank as usize - 1;
                return &self.entries[self.offsets[r] as usize..self.offsets[r + 1] as usize];
            }
            i = (i + 1) & mask;
        }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// Weights of one feature: its fingerprint and `(tag, weight)` pairs.
pub(crate) type FeatureWeights = (u32, Vec<(u8, f32)>);

impl Model {
    /// Assembles a model from trained parameters. `features` must have distinct
    /// fingerprints; weights are quantised as they will be in the file.
    #[cfg(feature = "train")]
    pub(crate) fn from_parts(
        metadata: Vec<(String, String)>,
        temperature: f32,
        (transitions, start): (Vec<f32>, Vec<f32>),
        (gazetteer, public_lists): (Gazetteer, Gazetteer),
        mut features: Vec<FeatureWeights>,
    ) -> Self {
        features.sort_by_key(|f| f.0);
        let quantizer = Quantizer::fit(&features);
        let mut offsets = vec![0u32];
        let mut entries = Vec::new();
        for (_, weights) in &features {
            entries.extend(
                weights
                    .iter()
                    .map(|&(t, w)| (t, quantizer.decode(quantizer.encode(w)))),
            );
            offsets.push(entries.len() as u32);
        }
        let keys: Vec<u32> = features.iter().map(|f| f.0).collect();
        Model::assemble(
            metadata,
            temperature,
            (transitions, start),
            (gazetteer, public_lists),
            FeatureTable::build(&keys, offsets, entries),
        )
    }

    fn assemble(
        metadata: Vec<(String, String)>,
        temperature: f32,
        (mut transitions, mut start): (Vec<f32>, Vec<f32>),
        (gazetteer, public_lists): (Gazetteer, Gazetteer),
        table: FeatureTable,
    ) -> Self {
        forbid_invalid(&mut transitions, &mut start);
        let mut model = Model {
            metadata,
            temperature,
            transitions,
            start,
            gazetteer,
            public_lists,
            table,
            exp_transitions: Vec::new(),
            exp_start: Vec::new(),
        };
        model.set_temperature(temperature);
        model
    }

    /// The temperature that turns scores into calibrated probabilities.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Sets the temperature (must be positive).
    pub fn set_temperature(&mut self, temperature: f32) {
        self.temperature = temperature;
        let exp = |x: &f32| (x / temperature).exp();
        self.exp_transitions = self.transitions.iter().map(exp).collect();
        self.exp_start = self.start.iter().map(exp).collect();
    }

    /// `exp(transition / temperature)`, laid out like `transitions`.
    pub(crate) fn exp_transitions(&self) -> &[f32] {
        &self.exp_transitions
    }

    /// `exp(start / temperature)`.
    pub(crate) fn exp_start(&self) -> &[f32] {
        &self.exp_start
    }

    /// A metadata value by key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Number of features with at least one weight.
    pub fn feature_count(&self) -> usize {
        self.table.len()
    }

    /// Writes the tag scores of each token to `scores` (`N_TAGS` per token) for the
    /// feature keys in `keys` (`per_token` per token).
    pub(crate) fn score(&self, keys: &[u64], per_token: usize, scores: &mut Vec<f32>) {
        scores.clear();
        for token_keys in keys.chunks(per_token) {
            let mut row = [0f32; N_TAGS];
            for &key in token_keys {
                for &(tag, w) in self.table.get(fingerprint(key)) {
                    row[tag as usize] += w;
                }
            }
            scores.extend_from_slice(&row);
        }
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Vec::new();
        put_u32(&mut p, self.metadata.len() as u32);
        for (k, v) in &self.metadata {
            put_str(&mut p, k);
            put_str(&mut p, v);
        }
        put_u32(&mut p, N_TAGS as u32);
        put_u32(&mut p, FEATURE_SET);
        put_f32(&mut p, self.temperature);
        let ranked = self.ranked_features();
        let quantizer = Quantizer::fit(&ranked);
        put_f32(&mut p, quantizer.min);
        put_f32(&mut p, quantizer.step);
        for &x in self.transitions.iter().chain(&self.start) {
            put_f32(&mut p, if x.is_finite() { x } else { 0.0 });
        }
        put_u32(&mut p, ranked.len() as u32);
        put_sorted_keys(&mut p, ranked.iter().map(|f| f.0));
        // Counts, tags and weights in separate runs: each run is uniform, so it
        // compresses well for download.
        p.extend(ranked.iter().map(|(_, w)| w.len() as u8));
        p.extend(ranked.iter().flat_map(|(_, w)| w.iter().map(|e| e.0)));
        p.extend(
            ranked
                .iter()
                .flat_map(|(_, w)| w.iter().map(|e| quantizer.encode(e.1) as u8)),
        );
        for lexicon in [&self.gazetteer, &self.public_lists] {
            let names = lexicon.sorted_entries();
            put_u32(&mut p, names.len() as u32);
            put_sorted_keys(&mut p, names.iter().map(|n| n.0));
            p.extend(names.iter().map(|n| n.1));
        }
        let mut out = Vec::with_capacity(HEADER_LEN + p.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(&fnv1a(0, &p).to_le_bytes());
        out.extend_from_slice(&p);
        out
    }

    /// Features in key order with their weights.
    fn ranked_features(&self) -> Vec<FeatureWeights> {
        let mut keys: Vec<(u32, u32)> = self
            .table
            .slots
            .iter()
            .copied()
            .filter(|s| s.1 != 0)
            .collect();
        keys.sort_unstable();
        keys.into_iter()
            .map(|(key, rank)| {
                let r = rank as usize - 1;
                let range = self.table.offsets[r] as usize..self.table.offsets[r + 1] as usize;
                (key, self.table.entries[range].to_vec())
            })
            .collect()
    }

    /// Reads a model, checking magic number, version, length and checksum first.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        if bytes.len() < HEADER_LEN {
            return Err(ModelError::TooShort { len: bytes.len() });
        }
        if &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut header = Reader {
            bytes: &bytes[8..HEADER_LEN],
        };
        let version = header.u32()?;
        if version != FORMAT_VERSION {
            return Err(ModelError::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let expected = header.u64()?;
        let checksum = header.u64()?;
        let payload = &bytes[HEADER_LEN..];
        if expected != payload.len() as u64 {
            return Err(ModelError::LengthMismatch {
                expected,
                found: payload.len() as u64,
            });
        }
        if fnv1a(0, payload) != checksum {
            return Err(ModelError::ChecksumMismatch);
        }
        Self::parse_payload(payload)
    }

    fn parse_payload(payload: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader { bytes: payload };
        let n_meta = r.u32()?;
        let mut metadata = Vec::new();
        for _ in 0..n_meta {
            metadata.push((r.string()?, r.string()?));
        }
        if r.u32()? as usize != N_TAGS {
            return Err(ModelError::Malformed("tag set differs from this build's"));
        }
        if r.u32()? != FEATURE_SET {
            return Err(ModelError::Malformed(
                "trained with other feature templates than this build computes",
            ));
        }
        let temperature = r.f32()?;
        let quantizer = Quantizer {
            min: r.f32()?,
            step: r.f32()?,
        };
        let positive = |x: f32| x.is_finite() && x > 0.0;
        if !(positive(temperature) && positive(quantizer.min) && quantizer.step.is_finite()) {
            return Err(ModelError::Malformed(
                "temperature or weight scale out of range",
            ));
        }
        let mut transitions = Vec::with_capacity(N_TAGS * N_TAGS);
        for _ in 0..N_TAGS * N_TAGS {
            transitions.push(r.finite_f32()?);
        }
        let mut start = Vec::with_capacity(N_TAGS);
        for _ in 0..N_TAGS {
            start.push(r.finite_f32()?);
        }
        let n_features = r.u32()? as usize;
        let keys = r.sorted_keys(n_features)?;
        let counts = r.take(n_features)?;
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let tags = r.take(total)?;
        let weights = r.take(total)?;
        let gazetteer = r.lexicon()?;
        let public_lists = r.lexicon()?;
        if r.remaining() != 0 {
            return Err(ModelError::Malformed("trailing bytes after the lexicon"));
        }
        if tags.iter().any(|&t| usize::from(t) >= N_TAGS) {
            return Err(ModelError::Malformed(
                "weight for a tag that does not exist",
            ));
        }
        if gazetteer
            .sorted_entries()
            .iter()
            .any(|&(_, v)| usize::from(v & 31) >= Label::ALL.len() || v >> 5 > 2)
        {
            return Err(ModelError::Malformed("lexicon entry with an unknown label"));
        }
        let mut offsets = Vec::with_capacity(n_features + 1);
        offsets.push(0u32);
        let mut acc = 0u32;
        for &c in counts {
            acc += u32::from(c);
            offsets.push(acc);
        }
        // One `exp` per possible byte, not per weight: loading is most of the time to a
        // first result in the browser.
        let decoded: Vec<f32> = (0..=255u8).map(|b| quantizer.decode(b as i8)).collect();
        let entries = tags
            .iter()
            .zip(weights)
            .map(|(&t, &w)| (t, decoded[usize::from(w)]))
            .collect();
        Ok(Model::assemble(
            metadata,
            temperature,
            (transitions, start),
            (gazetteer, public_lists),
            FeatureTable::build(&keys, offsets, entries),
        ))
    }
}

/// Weights are stored in one byte: a sign and 127 magnitude levels spaced evenly on a
/// log scale between the smallest and the largest weight. Relative error stays small
/// for weights of every size, which a linear scale cannot give in 8 bits.
struct Quantizer {
    /// Magnitude of level 1.
    min: f32,
    /// Log-ratio between successive levels.
    step: f32,
}

impl Quantizer {
    const LEVELS: f32 = 127.0;

    fn fit(features: &[FeatureWeights]) -> Self {
        let magnitudes = features.iter().flat_map(|f| f.1.iter().map(|w| w.1.abs()));
        let (min, max) = magnitudes
            .filter(|&m| m > 0.0)
            .fold((f32::MAX, 0f32), |(lo, hi), m| (lo.min(m), hi.max(m)));
        if max == 0.0 {
            return Quantizer {
                min: 1.0,
                step: 0.0,
            };
        }
        Quantizer {
            min,
            step: (max / min).ln() / (Self::LEVELS - 1.0),
        }
    }

    fn encode(&self, w: f32) -> i8 {
        if w == 0.0 {
            return 0;
        }
        let level = if self.step > 0.0 {
            ((w.abs() / self.min).ln() / self.step)
                .round()
                .clamp(0.0, Self::LEVELS - 1.0)
                + 1.0
        } else {
            1.0
        };
        (level.copysign(w)) as i8
    }

    fn decode(&self, q: i8) -> f32 {
        if q == 0 {
            return 0.0;
        }
        let level = f32::from(q.unsigned_abs()) - 1.0;
        (self.min * (self.step * level).exp()).copysign(f32::from(q))
    }
}

fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_f32(out: &mut Vec<u8>, x: f32) {
    out.extend_from_slice(&x.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Strictly increasing keys as varint deltas from the previous one.
fn put_sorted_keys(out: &mut Vec<u8>, keys: impl Iterator<Item = u32>) {
    let mut last = 0u32;
    for key in keys {
        put_varint(out, key - last);
        last = key;
    }
}

fn put_varint(out: &mut Vec<u8>, mut x: u32) {
    while x >= 0x80 {
        out.push((x as u8) | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

/// Bounds-checked reader over the payload: every read that runs past the end is an error.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if n > self.bytes.len() {
            return Err(ModelError::Malformed(
                "a section runs past the end of the file",
            ));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn remaining(&self) -> usize {
        self.bytes.len()
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn finite_f32(&mut self) -> Result<f32, ModelError> {
        let x = self.f32()?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err(ModelError::Malformed(
                "a transition score is not a finite number",
            ))
        }
    }

    fn string(&mut self) -> Result<String, ModelError> {
        let len = self.u32()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ModelError::Malformed("metadata is not UTF-8"))
    }

    /// A lexicon: its entry count, sorted keys, then one value byte per entry.
    fn lexicon(&mut self) -> Result<Gazetteer, ModelError> {
        let n = self.u32()? as usize;
        let keys = self.sorted_keys(n)?;
        let values = self.take(n)?;
        Ok(Gazetteer::from_entries(
            keys.into_iter().zip(values.iter().copied()),
        ))
    }

    /// `n` strictly increasing keys written by `put_sorted_keys`.
    fn sorted_keys(&mut self, n: usize) -> Result<Vec<u32>, ModelError> {
        if n > self.remaining() {
            return Err(ModelError::Malformed("key count exceeds the file"));
        }
        let mut keys = Vec::with_capacity(n);
        let mut last = 0u32;
        for i in 0..n {
            let delta = self.varint()?;
            if i > 0 && delta == 0 {
                return Err(ModelError::Malformed("keys not strictly increasing"));
            }
            last = last
                .checked_add(delta)
                .ok_or(ModelError::Malformed("key overflows 32 bits"))?;
            keys.push(last);
        }
        Ok(keys)
    }

    fn varint(&mut self) -> Result<u32, ModelError> {
        let mut x = 0u32;
        for shift in (0..35).step_by(7) {
            let b = self.take(1)?[0];
            x |= u32::from(b & 0x7f)
                .checked_shl(shift)
                .filter(|_| shift < 28 || b & 0x7f < 16)
                .ok_or(ModelError::Malformed("varint overflows 32 bits"))?;
            if b & 0x80 == 0 {
                return Ok(x);
            }
        }
        Err(ModelError::Malformed("varint longer than 5 bytes"))
    }
}
