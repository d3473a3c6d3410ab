//! Onoma: named-entity recognition for English text, small and fast enough to run in a
//! browser.
//!
//! Data flows one way: raw text → [tokens](tokenize) with byte offsets → features →
//! model scores → constrained decoding → [`Entity`] spans.
//!
//! ```
//! let ner = onoma::Recognizer::default();
//! let entities = ner.extract("Apple hired 3,000 people in Ireland last year.");
//! assert!(entities.iter().any(|e| e.text == "Ireland"));
//! ```

#![warn(missing_docs)]

mod clusters;
mod decode;
mod features;
mod gazetteer;
mod hash;
mod label;
mod model;
pub mod offsets;
mod recognizer;
mod tokenize;

#[cfg(not(target_arch = "wasm32"))]
pub mod eval;
#[cfg(feature = "train")]
pub mod train;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use label::{Label, UnknownLabel};
pub use model::{Model, ModelError, FORMAT_VERSION};
pub use recognizer::{Analysis, Entity, Recognizer, TokenSpan};
pub use tokenize::{split_sentences, tokenize, Token};
