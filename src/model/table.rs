//! The feature table: from a feature's 32-bit fingerprint to its weights, laid out so
//! that a look-up touches as little memory as possible.
//!
//! Scoring looks up about seventy keys per token, most of them absent from the model, so
//! the table is built for misses: fingerprints sit in buckets of one cache line each
//! (eight keys and where their weights start), filled to three quarters, and a look-up
//! reads one bucket, rarely two. The weights of a feature are one run of 32-bit entries
//! (tag, weight byte, and in the first entry the run's length), a quarter of the size of
//! storing each weight as a float beside its tag.
//!
//! A few thousand features (the tag history, shapes around a word) have weights for most
//! tags and are found for nearly every token, so most of the weights added are theirs.
//! Those are also kept as dense rows of floats, one per tag with 0 where the feature has
//! no weight, which are added a whole row at a time: in vector instructions, and with the
//! same sums as adding the run.

/// Keys per bucket: a bucket is one 64-byte cache line.
const PER_BUCKET: usize = 8;
/// Keys stored per bucket on average: buckets are filled to three quarters.
const FILL: usize = 6;
/// How many keys ahead [`FeatureTable::add_weights`] loads buckets.
const AHEAD: usize = 16;
/// Features with at least this many weights are kept as dense rows too.
const DENSE_FROM: usize = 16;
/// Marks a bucket's start that is the index of a dense row.
const DENSE: u32 = 1 << 31;

/// Eight fingerprints and, for each, one plus the index of its first entry (0: empty), or
/// [`DENSE`] with the index of its dense row.
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
struct Bucket {
    keys: [u32; PER_BUCKET],
    starts: [u32; PER_BUCKET],
}

/// Weights of features, by fingerprint.
#[derive(Debug, Clone)]
pub(super) struct FeatureTable {
    buckets: Vec<Bucket>,
    /// Runs of `tag | byte << 16 | length << 24`; only a run's first entry has a length.
    entries: Vec<u32>,
    /// The weight each byte stands for.
    decoded: [f32; 256],
    /// The dense rows, `n_tags` weights each.
    dense: Vec<f32>,
    /// The first entry of each dense row's run.
    dense_runs: Vec<u32>,
    n_tags: usize,
    len: usize,
}

impl FeatureTable {
    /// A table of `features` (distinct fingerprints, each with its `(tag, weight byte)`
    /// pairs; at most 255 pairs and tags below `n_tags`, at most 65,536), whose weight
    /// bytes stand for `decoded[byte]`.
    pub(super) fn build<'a>(
        features: impl ExactSizeIterator<Item = (u32, &'a [(u16, u8)])>,
        decoded: [f32; 256],
        n_tags: usize,
    ) -> Self {
        let len = features.len();
        let mut buckets = vec![Bucket::default(); len.div_ceil(FILL).max(1)];
        let mut entries = Vec::new();
        let (mut dense, mut dense_runs) = (Vec::new(), Vec::new());
        for (key, weights) in features {
            let run = entries.len() as u32;
            for (i, &(tag, byte)) in weights.iter().enumerate() {
                let length = if i == 0 { weights.len() as u32 } else { 0 };
                entries.push(u32::from(tag) | u32::from(byte) << 16 | length << 24);
            }
            let start = if weights.len() >= DENSE_FROM {
                let row = dense.len();
                dense.resize(row + n_tags, 0.0);
                for &(tag, byte) in weights {
                    dense[row + usize::from(tag)] = decoded[usize::from(byte)];
                }
                dense_runs.push(run);
                DENSE | (dense_runs.len() as u32 - 1)
            } else {
                run + 1
            };
            let mut b = bucket_of(key, buckets.len());
            loop {
                let bucket = &mut buckets[b];
                if let Some(i) = bucket.starts.iter().position(|&s| s == 0) {
                    bucket.keys[i] = key;
                    bucket.starts[i] = start;
                    break;
                }
                b = (b + 1) % buckets.len();
            }
        }
        FeatureTable {
            buckets,
            entries,
            decoded,
            dense,
            dense_runs,
            n_tags,
            len,
        }
    }

    /// Adds the weights of the features `keys` (fingerprints; `None` for no feature) to
    /// `scores`: the keys of each token, `per_token` of them, to that token's row of
    /// scores (one per tag), in order.
    ///
    /// Most look-ups miss the processor's nearest caches, so this runs in two passes. The
    /// first finds where each key's weights start, loading the bucket of the key
    /// [`AHEAD`] places further on and the first weight of each key found, so that those
    /// loads are under way while it works; the second adds the weights.
    pub(super) fn add_weights(&self, keys: &[Option<u32>], per_token: usize, scores: &mut [f32]) {
        let n_tags = self.n_tags;
        let mut starts = Vec::with_capacity(keys.len());
        let mut touched = 0u32;
        for (i, key) in keys.iter().enumerate() {
            if let Some(&Some(k)) = keys.get(i + AHEAD) {
                touched ^= self.buckets[bucket_of(k, self.buckets.len())].keys[0];
            }
            let start = key.and_then(|k| self.find(k));
            match start {
                Some(s) if s & DENSE != 0 => {
                    touched ^= self.dense[(s & !DENSE) as usize * n_tags].to_bits();
                }
                Some(s) => touched ^= self.entries[s as usize - 1],
                None => {}
            }
            starts.push(start);
        }
        std::hint::black_box(touched);
        for (token, row) in starts.chunks(per_token).zip(scores.chunks_mut(n_tags)) {
            for &start in token.iter().flatten() {
                if start & DENSE != 0 {
                    let at = (start & !DENSE) as usize * n_tags;
                    for (r, &w) in row.iter_mut().zip(&self.dense[at..at + n_tags]) {
                        *r += w;
                    }
                    continue;
                }
                let start = start as usize - 1;
                let length = (self.entries[start] >> 24) as usize;
                for &e in &self.entries[start..start + length] {
                    row[(e & 0xffff) as usize] += self.decoded[(e >> 16 & 0xff) as usize];
                }
            }
        }
    }

    /// The start of `key`'s weights as a bucket holds it, if the key is in the table.
    #[inline]
    fn find(&self, key: u32) -> Option<u32> {
        let mut b = bucket_of(key, self.buckets.len());
        loop {
            let bucket = &self.buckets[b];
            for (&k, &start) in bucket.keys.iter().zip(&bucket.starts) {
                if start == 0 {
                    return None;
                }
                if k == key {
                    return Some(start);
                }
            }
            b = (b + 1) % self.buckets.len();
        }
    }

    /// Every feature with its `(tag, weight byte)` pairs, in fingerprint order.
    pub(super) fn features(&self) -> Vec<(u32, Vec<(u16, u8)>)> {
        let mut found: Vec<(u32, usize)> = self
            .buckets
            .iter()
            .flat_map(|b| b.keys.iter().zip(&b.starts))
            .filter(|(_, &s)| s != 0)
            .map(|(&k, &s)| match s & DENSE {
                0 => (k, s as usize - 1),
                _ => (k, self.dense_runs[(s & !DENSE) as usize] as usize),
            })
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .map(|(key, start)| {
                let length = (self.entries[start] >> 24) as usize;
                let run = self.entries[start..start + length].iter();
                (key, run.map(|&e| (e as u16, (e >> 16) as u8)).collect())
            })
            .collect()
    }

    /// Number of features.
    pub(super) fn len(&self) -> usize {
        self.len
    }
}

/// The home bucket of `key` among `n` buckets: the key's high bits, scaled.
fn bucket_of(key: u32, n: usize) -> usize {
    ((u64::from(key) * n as u64) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(features: &[(u32, Vec<(u16, u8)>)]) -> FeatureTable {
        let decoded = std::array::from_fn(|b| b as f32);
        FeatureTable::build(features.iter().map(|(k, w)| (*k, &w[..])), decoded, 40)
    }

    #[test]
    fn finds_every_feature_and_nothing_else() {
        // Many keys with the same high bits pile into one bucket and spill into the next.
        let features: Vec<(u32, Vec<(u16, u8)>)> = (0..200u32)
            .map(|i| {
                (
                    i * 7 + u32::from(i % 3 == 0) * 0xffff_0000,
                    // Every seventh feature has weights for most tags: a dense row.
                    match i % 7 {
                        0 => (0..40)
                            .filter(|t| t % 5 != 1)
                            .map(|t| (t, i as u8))
                            .collect(),
                        _ => vec![(i as u16 % 5, i as u8), (9, 1)],
                    },
                )
            })
            .collect();
        let t = table(&features);
        assert_eq!(t.len(), 200);
        for (key, weights) in &features {
            let mut row = [0f32; 40];
            t.add_weights(&[Some(*key)], 1, &mut row);
            let mut expected = [0f32; 40];
            for &(tag, byte) in weights {
                expected[usize::from(tag)] += f32::from(byte);
            }
            assert_eq!(row, expected, "key {key}");
        }
        // A dense row and a run added to one token's row.
        let mut row = [0f32; 40];
        t.add_weights(&[Some(features[0].0), Some(features[1].0)], 2, &mut row);
        let mut expected = [0f32; 40];
        for &(tag, byte) in features[0].1.iter().chain(&features[1].1) {
            expected[usize::from(tag)] += f32::from(byte);
        }
        assert_eq!(row, expected);
        let mut rows = [0f32; 80];
        t.add_weights(&[Some(5), None, Some(u32::MAX), None], 2, &mut rows);
        assert_eq!(rows, [0.0; 80]);
        let keys: Vec<Option<u32>> = features.iter().map(|f| Some(f.0)).collect();
        let mut rows = vec![0f32; 40 * 200];
        t.add_weights(&keys, 1, &mut rows);
        assert_eq!(rows[40 * 199 + 9], 1.0, "the last token's row");
        let mut sorted = features.clone();
        sorted.sort();
        assert_eq!(t.features(), sorted);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let t = table(&[]);
        let mut row = [0f32; 40];
        t.add_weights(&[Some(0)], 1, &mut row);
        assert_eq!((t.len(), row), (0, [0.0; 40]));
    }
}
