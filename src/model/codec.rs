//! Byte-level pieces of the model file format: little-endian writers, a bounds-checked
//! reader, and the 8-bit weight quantiser.

#[cfg(feature = "train")]
use super::FeatureWeights;
use super::ModelError;
use crate::clusters::{WordClusters, LEAVES};

/// Weights are stored in one byte: a sign and 127 magnitude levels spaced evenly on a
/// log scale between the smallest and the largest weight. Relative error stays small
/// for weights of every size, which a linear scale cannot give in 8 bits.
/// Largest weight or transition score a model file may hold.
pub(super) const MAX_WEIGHT: f32 = 1e4;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Quantizer {
    /// Magnitude of level 1.
    pub(super) min: f32,
    /// Log-ratio between successive levels.
    pub(super) step: f32,
}

impl Quantizer {
    const LEVELS: f32 = 127.0;

    #[cfg(feature = "train")]
    pub(super) fn fit(features: &[FeatureWeights]) -> Self {
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

    /// Whether decoding gives finite weights of bounded size, and encoding a decoded
    /// weight gives back its byte (levels far enough apart), so a file that passed its
    /// checksum still cannot make scores overflow or drift when saved again.
    pub(super) fn is_sane(&self) -> bool {
        let largest = self.min * (self.step * (Self::LEVELS - 1.0)).exp();
        self.min.is_finite()
            && self.min > 0.0
            && (self.step == 0.0 || (1e-4..=1.0).contains(&self.step))
            && largest <= MAX_WEIGHT
    }

    #[cfg(feature = "train")]
    pub(super) fn encode(&self, w: f32) -> i8 {
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

    /// The weight of every byte: the file stores `encode(w) as u8`.
    pub(super) fn decoded(&self) -> [f32; 256] {
        std::array::from_fn(|b| self.decode(b as u8 as i8))
    }

    pub(super) fn decode(&self, q: i8) -> f32 {
        if q == 0 {
            return 0.0;
        }
        let level = f32::from(q.unsigned_abs()) - 1.0;
        (self.min * (self.step * level).exp()).copysign(f32::from(q))
    }
}

pub(super) fn put_u32(out: &mut Vec<u8>, x: u32) {
    out.extend_from_slice(&x.to_le_bytes());
}

pub(super) fn put_f32(out: &mut Vec<u8>, x: f32) {
    out.extend_from_slice(&x.to_le_bytes());
}

pub(super) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// Strictly increasing keys as varint deltas from the previous one.
pub(super) fn put_sorted_keys(out: &mut Vec<u8>, keys: impl Iterator<Item = u32>) {
    let mut last = 0u32;
    for key in keys {
        put_varint(out, key - last);
        last = key;
    }
}

/// Keyed values: their count, the keys (sorted, see [`put_sorted_keys`]), the low byte of
/// every value and, when `wide`, then the high byte of every value.
pub(super) fn put_keyed(out: &mut Vec<u8>, entries: &[(u32, u16)], wide: bool) {
    put_u32(out, entries.len() as u32);
    put_sorted_keys(out, entries.iter().map(|e| e.0));
    out.extend(entries.iter().map(|e| e.1 as u8));
    if wide {
        out.extend(entries.iter().map(|e| (e.1 >> 8) as u8));
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
pub(super) struct Reader<'a> {
    pub(super) bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        if n > self.bytes.len() {
            return Err(ModelError::Malformed(
                "a section runs past the end of the file",
            ));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(super) fn remaining(&self) -> usize {
        self.bytes.len()
    }

    pub(super) fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub(super) fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    pub(super) fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    pub(super) fn finite_f32(&mut self) -> Result<f32, ModelError> {
        let x = self.f32()?;
        if x.is_finite() {
            Ok(x)
        } else {
            Err(ModelError::Malformed(
                "a transition score is not a finite number",
            ))
        }
    }

    pub(super) fn string(&mut self) -> Result<String, ModelError> {
        let len = self.u32()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ModelError::Malformed("metadata is not UTF-8"))
    }

    /// Keyed values as [`put_keyed`] writes them, 16 bits each when `wide`, else 8.
    pub(super) fn keyed(&mut self, wide: bool) -> Result<Vec<(u32, u16)>, ModelError> {
        let n = self.u32()? as usize;
        let keys = self.sorted_keys(n)?;
        let low = self.take(n)?;
        let high = if wide { self.take(n)? } else { &[] };
        Ok(keys
            .into_iter()
            .zip(low)
            .enumerate()
            .map(|(i, (key, &l))| {
                (
                    key,
                    u16::from_le_bytes([l, high.get(i).copied().unwrap_or(0)]),
                )
            })
            .collect())
    }

    /// Word classes: keyed 16-bit class paths. Every path must lie in the class tree.
    pub(super) fn word_clusters(&mut self) -> Result<WordClusters, ModelError> {
        let entries = self.keyed(true)?;
        if entries.iter().any(|&(_, path)| usize::from(path) >= LEAVES) {
            return Err(ModelError::Malformed("word class outside the class tree"));
        }
        Ok(WordClusters::from_entries(entries))
    }

    /// `n` strictly increasing keys written by `put_sorted_keys`.
    pub(super) fn sorted_keys(&mut self, n: usize) -> Result<Vec<u32>, ModelError> {
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
