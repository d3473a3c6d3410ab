//! Onoma: named-entity recognition for English text, small and fast enough to run in a
//! browser.
//!
//! Data flows one way: raw text → [tokens](tokenize) with byte offsets → features →
//! model scores → constrained decoding → [`Entity`] spans → the user's [`Patterns`]
//! merged in.
//!
//! ```
//! let ner = onoma::Recognizer::default();
//! let entities = ner.extract("Apple hired 3,000 people in Ireland last year.");
//! assert!(entities.iter().any(|e| e.text == "Ireland"));
//! ```

#![warn(missing_docs)]

mod amounts;
mod clusters;
mod decode;
mod features;
mod gazetteer;
mod hash;
mod label;
mod lattice;
mod live;
mod model;
pub mod offsets;
mod patterns;
mod recognizer;
mod tags;
mod tidy;
mod tokenize;

/// The parts of the engine that training builds on (cargo feature `train`, used by the
/// `onoma-ner-train` crate): the features of a document, the tag scheme and decoding, the
/// lexicons, word classes and the model's constructor. Training reuses them so that a model
/// is trained on exactly the features and decoding it will run with.
#[cfg(feature = "train")]
pub mod training {
    pub use crate::clusters::{WordClusters, BRANCHES, DEPTH};
    pub use crate::decode::{decode, viterbi, Transitions};
    pub use crate::features::{
        norm_hash, Document, HistoryWord, TagHistory, Template, BIAS_SLOT, FROM_HISTORY,
        NO_FEATURE, PER_TOKEN,
    };
    pub use crate::gazetteer::{phrase_key, Gazetteer, GazetteerBuilder, LearnedName, MAX_WORDS};
    pub use crate::hash::fingerprint;
    pub use crate::lattice::{ForwardBackward, Real};
    pub use crate::model::{FeatureWeights, Lexicons};
    pub use crate::tags::{
        can_end, forbid_invalid, moves, spans_of, tag, tag_count, tag_label, tags_of, Moves, Part,
    };
}

pub use label::{Label, LabelInfo, LabelSet, UnknownLabel};
pub use live::LiveDocument;
pub use model::{Model, ModelError, FORMAT_VERSION};
pub use patterns::{PatternError, PatternOptions, PatternValue, Patterns, Precedence, ATTRIBUTES};
pub use recognizer::{Analysis, Entity, EntityRef, Recognizer, Source, TokenSpan};
pub use tags::MAX_LABELS;
pub use tokenize::{split_sentences, tokenize, Token};
