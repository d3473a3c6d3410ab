//! Shared invariant checks of the Onoma fuzz targets. They live in `checks.rs` so that
//! `tests/fuzz_regressions.rs` in the main crate can include the very same code.

pub mod checks;

/// The shipped model, the base that `model_load` mutates.
pub static SHIPPED_MODEL: &[u8] = include_bytes!("../../models/onoma-en.onm");
