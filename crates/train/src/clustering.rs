//! Word classes from pre-trained word vectors: hierarchical spherical k-means.
//!
//! Each node of the tree splits its words into [`BRANCHES`] groups by k-means on unit
//! vectors (cosine similarity), down to [`DEPTH`] levels. Seeds come from a fixed
//! generator and sums run in a fixed order, so the classes are the same on every run.

use super::Rng;
use onoma::training::norm_hash;
use onoma::training::{WordClusters, BRANCHES, DEPTH};
use std::path::Path;

/// k-means iterations per node; assignments have settled well before this.
const ITERATIONS: usize = 15;
/// Seed of the k-means initialisation.
const SEED: u64 = 0x05ee_dc1a_55e5;

/// Word vectors, one row of `dim` floats per word, each scaled to unit length.
struct Vectors {
    dim: usize,
    data: Vec<f32>,
}

impl Vectors {
    fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Word classes for the words of `embeddings.tsv` (`word<TAB>space-separated floats`,
/// most frequent word first, as `scripts/build-lexicons.py` writes it).
pub fn load_word_clusters(path: &Path) -> Result<WordClusters, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut words = Vec::new();
    let mut data = Vec::new();
    let mut dim = 0;
    for (n, line) in text.lines().enumerate() {
        let bad = || format!("{}:{}: expected word<TAB>numbers", path.display(), n + 1);
        let (word, numbers) = line.split_once('\t').ok_or_else(bad)?;
        let start = data.len();
        for x in numbers.split(' ') {
            data.push(x.parse::<f32>().map_err(|_| bad())?);
        }
        let len = data.len() - start;
        if words.is_empty() {
            dim = len;
        }
        if len != dim || dim == 0 {
            return Err(bad());
        }
        normalize(&mut data[start..]);
        words.push(norm_hash(word));
    }
    let vectors = Vectors { dim, data };
    let mut paths = vec![0u16; words.len()];
    let members: Vec<usize> = (0..words.len()).collect();
    split(&vectors, &members, 0, &mut paths, &mut Rng(SEED));
    Ok(WordClusters::from_words(words.into_iter().zip(paths)))
}

/// Splits `members` into the children of a node at `level`, writing each word's branch
/// into its path, then splits each child.
fn split(vectors: &Vectors, members: &[usize], level: usize, paths: &mut [u16], rng: &mut Rng) {
    if level == DEPTH || members.len() < 2 {
        return;
    }
    let assignment = kmeans(vectors, members, rng);
    let shift = BRANCHES.trailing_zeros() as usize * (DEPTH - 1 - level);
    let mut children = vec![Vec::new(); BRANCHES];
    for (&m, &c) in members.iter().zip(&assignment) {
        paths[m] |= (c as u16) << shift;
        children[c].push(m);
    }
    for child in &children {
        split(vectors, child, level + 1, paths, rng);
    }
}

/// Branch of each member: spherical k-means with k-means++ seeding.
fn kmeans(vectors: &Vectors, members: &[usize], rng: &mut Rng) -> Vec<usize> {
    let dim = vectors.dim;
    let k = BRANCHES.min(members.len());
    let mut centroids: Vec<f32> = Vec::with_capacity(k * dim);
    let first = members[(rng.next() % members.len() as u64) as usize];
    centroids.extend_from_slice(vectors.row(first));
    // Distance of each member to its nearest seed so far: 1 - cosine.
    let mut nearest: Vec<f32> = members
        .iter()
        .map(|&m| 1.0 - dot(vectors.row(m), vectors.row(first)))
        .collect();
    while centroids.len() < k * dim {
        let total: f64 = nearest.iter().map(|&d| f64::from(d.max(0.0))).sum();
        let target = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let mut acc = 0.0;
        let mut pick = members.len() - 1;
        for (i, &d) in nearest.iter().enumerate() {
            acc += f64::from(d.max(0.0));
            if acc > target {
                pick = i;
                break;
            }
        }
        let seed = vectors.row(members[pick]);
        centroids.extend_from_slice(seed);
        for (d, &m) in nearest.iter_mut().zip(members) {
            *d = d.min(1.0 - dot(vectors.row(m), seed));
        }
    }
    let mut assignment = vec![0; members.len()];
    for _ in 0..ITERATIONS {
        for (a, &m) in assignment.iter_mut().zip(members) {
            let v = vectors.row(m);
            *a = (0..k)
                .map(|c| dot(v, &centroids[c * dim..(c + 1) * dim]))
                .enumerate()
                .fold(
                    (0, f32::MIN),
                    |best, (c, s)| if s > best.1 { (c, s) } else { best },
                )
                .0;
        }
        let mut sums = vec![0f32; k * dim];
        for (&a, &m) in assignment.iter().zip(members) {
            let sum = &mut sums[a * dim..(a + 1) * dim];
            sum.iter_mut()
                .zip(vectors.row(m))
                .for_each(|(s, x)| *s += x);
        }
        for (c, sum) in sums.chunks_mut(dim).enumerate() {
            // An empty cluster keeps its centroid.
            if sum.iter().any(|&x| x != 0.0) {
                normalize(sum);
                centroids[c * dim..(c + 1) * dim].copy_from_slice(sum);
            }
        }
    }
    assignment
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word without digits (the normalisation maps every digit to 0).
    fn word(stem: &str, i: usize) -> String {
        format!(
            "{stem}{}{}",
            (b'a' + (i / 26) as u8) as char,
            (b'a' + (i % 26) as u8) as char
        )
    }

    /// Two groups of words whose vectors point in clearly different directions.
    fn two_groups() -> String {
        let mut text = String::new();
        for i in 0..40 {
            let (word, base) = if i % 2 == 0 {
                (word("city", i), [1.0, 0.0, 0.0])
            } else {
                (word("verb", i), [0.0, 1.0, 0.0])
            };
            let noise = (i as f32 * 0.37).sin() * 0.1;
            let v = [base[0] + noise, base[1] - noise, base[2] + noise * 0.5];
            text.push_str(&format!("{word}\t{} {} {}\n", v[0], v[1], v[2]));
        }
        text
    }

    /// Classes of `text` written to a file of its own (tests run in parallel).
    fn classes_of(text: &str) -> Result<WordClusters, String> {
        static FILES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = FILES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("onoma-clusters-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{n}.tsv"));
        std::fs::write(&path, text).unwrap();
        let clusters = load_word_clusters(&path);
        std::fs::remove_file(&path).unwrap();
        clusters
    }

    #[test]
    fn words_with_similar_vectors_share_coarse_classes() {
        let clusters = classes_of(&two_groups()).unwrap();
        assert_eq!(clusters.len(), 40);
        let top = |w: &str| clusters.prefixes(norm_hash(w)).unwrap()[0];
        // k-means splits the root 16 ways, so a group may span several branches, but no
        // branch mixes the two groups.
        for i in (0..40).step_by(2) {
            for j in (1..40).step_by(2) {
                assert_ne!(top(&word("city", i)), top(&word("verb", j)));
            }
        }
    }

    #[test]
    fn clustering_is_deterministic() {
        let text = two_groups();
        assert_eq!(classes_of(&text).unwrap(), classes_of(&text).unwrap());
    }

    #[test]
    fn malformed_lines_are_reported_with_their_number() {
        let err = classes_of("good\t1 2\nbad\t1 x\n").unwrap_err();
        assert!(err.contains(":2:"), "{err}");
        let err = classes_of("good\t1 2\nshort\t1\n").unwrap_err();
        assert!(err.contains(":2:"), "{err}");
    }
}
