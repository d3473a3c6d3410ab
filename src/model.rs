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
//! The payload holds the metadata (key/value strings), the label set (since version 3:
//! name, description and colour of each label), the number of tags, the feature
//! template set it was trained with, the temperature used for confidences, the two weight quantisation parameters, the
//! transition and start scores as `f32`, then the features: their keys (32-bit
//! fingerprints, sorted, delta-coded as varints), the number of weights of each, the tag of
//! every weight (`u8`, or `u16` where there are more than 256 tags) and every weight (`i8`
//! on a log scale). Then come the two name
//! lexicons (learned from the corpus, then from public lists): keys delta-coded, then one
//! byte per name; the public lists then give a second, high byte per name (since version
//! 4). Last, the word classes: keys delta-coded, then the low byte of every
//! class path, then the high byte.

use crate::clusters::WordClusters;
use crate::decode::Transitions;
use crate::features::{CONTEXT_KEYS, FEATURE_SET, NO_FEATURE, PER_TOKEN, SHARED_KEYS};
use crate::gazetteer::{Gazetteer, LearnedName};
use crate::hash::{fingerprint, fnv1a};
use crate::label::{LabelInfo, LabelSet};
use crate::tags::{tag_count, MAX_LABELS};
use codec::{put_f32, put_keyed, put_sorted_keys, put_str, put_u32, Quantizer, Reader, MAX_WEIGHT};
use std::fmt;
use table::FeatureTable;
use word_scores::SentenceKeys;
pub use word_scores::WordScores;

mod codec;
mod table;
mod word_scores;

const MAGIC: &[u8; 8] = b"ONOMANER";
/// Version of the file format this build writes. It also reads version 3, whose public
/// lists have one byte per name, and version 2, the format before models recorded their
/// labels (those have the 18 OntoNotes labels).
pub const FORMAT_VERSION: u32 = 4;
/// The oldest format version this build reads.
const OLDEST_VERSION: u32 = 2;
const HEADER_LEN: usize = 28;

/// Why a model file was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// Fewer bytes than the fixed header.
    TooShort {
        /// Bytes given.
        len: usize,
    },
    /// The bytes are not an Onoma model.
    BadMagic,
    /// A model written by an incompatible version of Onoma.
    UnsupportedVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// The header announces more or fewer bytes than there are (a truncated download?).
    LengthMismatch {
        /// Payload length the header announces.
        expected: u64,
        /// Payload bytes present.
        found: u64,
    },
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

/// What a model knows of words besides its weights; each is looked up as features.
#[derive(Debug, Clone, Default)]
pub struct Lexicons {
    /// Names learned from the training data, each with the label it most often carries
    /// and how reliably it is an entity ([`LearnedName`](crate::gazetteer::LearnedName)).
    pub learned: Gazetteer,
    /// Names from public lists (countries, places, given names …), a bit per list.
    pub public_lists: Gazetteer,
    /// Word classes from clustered word vectors.
    pub word_classes: WordClusters,
}

/// A trained model, ready to score tokens.
#[derive(Debug, Clone)]
pub struct Model {
    /// Free-form metadata: name, version, training data, measured accuracy.
    pub metadata: Vec<(String, String)>,
    /// The labels, in the order of the tag table.
    labels: LabelSet,
    /// Tag-to-tag and start scores, and the temperature of confidences.
    transitions: Transitions,
    /// Names and word classes, looked up as features.
    pub(crate) lexicons: Lexicons,
    table: FeatureTable,
    /// How the weights are stored in one byte each; kept so that saving gives back the
    /// same bytes.
    quantizer: Quantizer,
}

/// Weights of one feature: its fingerprint and `(tag, weight)` pairs.
#[cfg(feature = "train")]
pub type FeatureWeights = (u32, Vec<(u16, f32)>);

impl Model {
    /// Assembles a model from trained parameters. `features` must have distinct
    /// fingerprints; weights are quantised as they will be in the file.
    #[cfg(feature = "train")]
    pub fn from_parts(
        metadata: Vec<(String, String)>,
        labels: LabelSet,
        temperature: f32,
        (transitions, start): (Vec<f32>, Vec<f32>),
        lexicons: Lexicons,
        mut features: Vec<FeatureWeights>,
    ) -> Self {
        features.sort_by_key(|f| f.0);
        let quantizer = Quantizer::fit(&features);
        let bytes: Vec<(u32, Vec<(u16, u8)>)> = features
            .iter()
            .map(|(key, weights)| {
                let run = weights.iter().map(|&(t, w)| (t, quantizer.encode(w) as u8));
                (*key, run.collect())
            })
            .collect();
        let table = FeatureTable::build(
            bytes.iter().map(|(k, w)| (*k, &w[..])),
            quantizer.decoded(),
            tag_count(labels.len()),
        );
        Model::assemble(
            (metadata, labels),
            temperature,
            (transitions, start),
            lexicons,
            (table, quantizer),
        )
    }

    fn assemble(
        (metadata, labels): (Vec<(String, String)>, LabelSet),
        temperature: f32,
        (transitions, start): (Vec<f32>, Vec<f32>),
        lexicons: Lexicons,
        (table, quantizer): (FeatureTable, Quantizer),
    ) -> Self {
        Model {
            metadata,
            labels,
            transitions: Transitions::new(transitions, start, temperature),
            lexicons,
            table,
            quantizer,
        }
    }

    /// The temperature that turns scores into calibrated probabilities.
    pub fn temperature(&self) -> f32 {
        self.transitions.temperature()
    }

    /// Sets the temperature of confidences, within the bounds a model file may hold: it
    /// must lie in `0.01..=1000` and keep `exp(transition / temperature)` finite.
    pub fn set_temperature(&mut self, temperature: f32) -> Result<(), ModelError> {
        check_temperature(temperature, self.transitions.scores())?;
        check_temperature(temperature, self.transitions.start())?;
        self.transitions.set_temperature(temperature);
        Ok(())
    }

    /// The labels the model tags, in the order of its tag table.
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// Tag-to-tag and start scores, and the temperature: what decoding needs.
    pub fn transitions(&self) -> &Transitions {
        &self.transitions
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

    /// Writes the tag scores of each token to `scores` (one per tag and token) for the
    /// feature keys in `keys` (`per_token` per token).
    pub fn score(&self, keys: &[u64], per_token: usize, scores: &mut Vec<f32>) {
        let n_tags = self.transitions.n_tags();
        scores.clear();
        scores.resize(keys.len() / per_token * n_tags, 0.0);
        // `NO_FEATURE` has no weight, but its 32-bit fingerprint could be a stored key's.
        let fingerprints: Vec<Option<u32>> = keys
            .iter()
            .map(|&k| (k != NO_FEATURE).then(|| fingerprint(k)))
            .collect();
        self.table.add_weights(&fingerprints, per_token, scores);
    }

    /// The tag scores of a sentence's tokens, as [`Model::score`] gives them for its keys
    /// `keys` ([`PER_TOKEN`] per token), with the scores of the keys that tokens share
    /// ([`SHARED_KEYS`]) kept in `words` from one sentence of a document to the next:
    /// `slots` tells which tokens share them (see
    /// [`crate::features::Document::key_slots`]). The sums are the same whether a group's
    /// scores were kept or not, but added in another order than by [`Model::score`], so
    /// they may differ from its sums in their last bits.
    pub fn score_sentence(
        &self,
        keys: &[u64],
        (words, slots): (&mut WordScores, &[usize]),
        scores: &mut Vec<f32>,
    ) {
        let n_tags = self.transitions.n_tags();
        scores.clear();
        scores.resize(keys.len() / PER_TOKEN * n_tags, 0.0);
        let sentence = SentenceKeys {
            keys,
            per_token: PER_TOKEN,
            context: &CONTEXT_KEYS,
            groups: &SHARED_KEYS,
            slots,
        };
        words.score(&self.table, &sentence, (scores, n_tags));
    }

    /// Serialises the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut p = Vec::new();
        put_u32(&mut p, self.metadata.len() as u32);
        for (k, v) in &self.metadata {
            put_str(&mut p, k);
            put_str(&mut p, v);
        }
        put_u32(&mut p, self.labels.len() as u32);
        for label in self.labels.iter() {
            put_str(&mut p, &label.name);
            put_str(&mut p, &label.description);
            put_str(&mut p, &label.colour);
        }
        let n_tags = self.transitions.n_tags();
        put_u32(&mut p, n_tags as u32);
        put_u32(&mut p, FEATURE_SET);
        put_f32(&mut p, self.temperature());
        let ranked = self.table.features();
        let quantizer = self.quantizer;
        put_f32(&mut p, quantizer.min);
        put_f32(&mut p, quantizer.step);
        let transitions = &self.transitions;
        for &x in transitions.scores().iter().chain(transitions.start()) {
            put_f32(&mut p, if x.is_finite() { x } else { 0.0 });
        }
        put_u32(&mut p, ranked.len() as u32);
        put_sorted_keys(&mut p, ranked.iter().map(|f| f.0));
        // Counts, tags and weights in separate runs: each run is uniform, so it
        // compresses well for download.
        p.extend(ranked.iter().map(|(_, w)| w.len() as u8));
        let tags = ranked.iter().flat_map(|(_, w)| w.iter().map(|e| e.0));
        if n_tags <= 256 {
            p.extend(tags.map(|t| t as u8));
        } else {
            p.extend(tags.flat_map(u16::to_le_bytes));
        }
        p.extend(ranked.iter().flat_map(|(_, w)| w.iter().map(|e| e.1)));
        put_keyed(&mut p, &self.lexicons.learned.sorted_entries(), false);
        put_keyed(&mut p, &self.lexicons.public_lists.sorted_entries(), true);
        put_keyed(&mut p, &self.lexicons.word_classes.sorted_entries(), true);
        let mut out = Vec::with_capacity(HEADER_LEN + p.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(&fnv1a(0, &p).to_le_bytes());
        out.extend_from_slice(&p);
        out
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
        if !(OLDEST_VERSION..=FORMAT_VERSION).contains(&version) {
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
        Self::parse_payload(payload, version)
    }

    fn parse_payload(payload: &[u8], version: u32) -> Result<Self, ModelError> {
        let mut r = Reader { bytes: payload };
        let n_meta = r.u32()?;
        let mut metadata = Vec::new();
        for _ in 0..n_meta {
            metadata.push((r.string()?, r.string()?));
        }
        let labels = if version < 3 {
            LabelSet::ontonotes()
        } else {
            let n_labels = r.u32()? as usize;
            if n_labels > MAX_LABELS {
                return Err(ModelError::Malformed("more labels than a model may have"));
            }
            let mut labels = Vec::with_capacity(n_labels);
            for _ in 0..n_labels {
                let (name, description, colour) = (r.string()?, r.string()?, r.string()?);
                labels.push(LabelInfo {
                    name,
                    description,
                    colour,
                });
            }
            LabelSet::new(labels)
                .map_err(|_| ModelError::Malformed("no labels, or a label twice or unnamed"))?
        };
        let n_tags = tag_count(labels.len());
        if r.u32()? as usize != n_tags {
            return Err(ModelError::Malformed(
                "tag count differs from the label set's",
            ));
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
        if !quantizer.is_sane() {
            return Err(ModelError::Malformed("weight scale out of range"));
        }
        let mut scores = Vec::with_capacity(n_tags * n_tags + n_tags);
        for _ in 0..n_tags * n_tags + n_tags {
            let x = r.finite_f32()?;
            if x.abs() > MAX_WEIGHT {
                return Err(ModelError::Malformed("a transition score is out of range"));
            }
            scores.push(x);
        }
        check_temperature(temperature, &scores)?;
        let start = scores.split_off(n_tags * n_tags);
        let transitions = scores;
        let n_features = r.u32()? as usize;
        let keys = r.sorted_keys(n_features)?;
        let counts = r.take(n_features)?;
        let total: usize = counts.iter().map(|&c| c as usize).sum();
        let tags: Vec<u16> = if n_tags <= 256 {
            r.take(total)?.iter().map(|&t| u16::from(t)).collect()
        } else {
            let bytes = r.take(
                total
                    .checked_mul(2)
                    .ok_or(ModelError::Malformed("too many weights"))?,
            )?;
            bytes
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect()
        };
        let weights = r.take(total)?;
        let learned = r.keyed(false)?;
        let public_lists = Gazetteer::from_entries(r.keyed(version >= 4)?);
        let word_classes = r.word_clusters()?;
        if r.remaining() != 0 {
            return Err(ModelError::Malformed(
                "trailing bytes after the word classes",
            ));
        }
        if tags.iter().any(|&t| usize::from(t) >= n_tags) {
            return Err(ModelError::Malformed(
                "weight for a tag that does not exist",
            ));
        }
        if learned.iter().any(|&(_, v)| {
            u8::try_from(v)
                .ok()
                .and_then(LearnedName::from_byte)
                .is_none_or(|n| usize::from(n.label) >= labels.len())
        }) {
            return Err(ModelError::Malformed("lexicon entry with an unknown label"));
        }
        let lexicons = Lexicons {
            learned: Gazetteer::from_entries(learned),
            public_lists,
            word_classes,
        };
        let mut runs = Vec::with_capacity(total);
        runs.extend(tags.into_iter().zip(weights.iter().copied()));
        let mut at = 0;
        let features = keys.iter().zip(counts).map(|(&key, &count)| {
            let run = &runs[at..at + usize::from(count)];
            at += usize::from(count);
            (key, run)
        });
        let table = FeatureTable::build(features, quantizer.decoded(), n_tags);
        Ok(Model::assemble(
            (metadata, labels),
            temperature,
            (transitions, start),
            lexicons,
            (table, quantizer),
        ))
    }
}

/// Refuses a temperature outside `0.01..=1000`, or one that would make
/// `exp(score / temperature)` of one of `scores` overflow in forward–backward.
fn check_temperature(temperature: f32, scores: &[f32]) -> Result<(), ModelError> {
    if !(0.01..=1000.0).contains(&temperature) {
        return Err(ModelError::Malformed("temperature out of range"));
    }
    let overflows = scores
        .iter()
        .any(|x| x.is_finite() && x.abs() / temperature > 80.0);
    if overflows {
        return Err(ModelError::Malformed("a transition score is out of range"));
    }
    Ok(())
}
