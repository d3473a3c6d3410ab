//! Forward–backward over the moves the [tag scheme](crate::tags) allows, scaled at each
//! position (Rabiner's scaling) so that the inner loops need no logarithms.
//!
//! Prediction runs it in `f32` for the confidence of each span; CRF training runs the same
//! code in `f64` for its gradient.

use crate::tags::{can_end, moves};
use std::iter::Sum;
use std::ops::{Add, Div, Mul};

/// The floating-point types forward–backward runs in.
pub trait Real:
    Copy + PartialOrd + Add<Output = Self> + Mul<Output = Self> + Div<Output = Self> + Sum
{
    /// 0
    const ZERO: Self;
    /// 1
    const ONE: Self;
    /// The smallest positive normal number: the floor of a scaling factor.
    const MIN_POSITIVE: Self;
    /// The larger of two numbers.
    fn max(self, other: Self) -> Self;
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    const MIN_POSITIVE: f32 = f32::MIN_POSITIVE;
    fn max(self, other: f32) -> f32 {
        f32::max(self, other)
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const MIN_POSITIVE: f64 = f64::MIN_POSITIVE;
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
}

/// The block of (exponentiated) transitions from closed to opening tags, as
/// [`Moves::closed_to_opening`](crate::tags::Moves::closed_to_opening) gives it.
#[derive(Clone, Copy)]
pub struct Blocks<'a, F> {
    /// Row by row: one row per closed tag.
    pub rows: &'a [F],
    /// Column by column: one column per opening tag.
    pub columns: &'a [F],
}

/// Scaled forward and backward tables of one sentence, one entry per token and tag.
///
/// With `scale[i]` the sum of the unscaled forward values at `i` over those at `i - 1`,
/// `alpha[i][y] · beta[i][y]` is the marginal probability of tag `y` at token `i`, and the
/// product of the scales is the partition function.
pub struct ForwardBackward<F> {
    /// Forward values, normalised to sum to 1 at each token.
    pub alpha: Vec<F>,
    /// Backward values, divided by the scale of the token after.
    pub beta: Vec<F>,
    /// Scaling factor of each token.
    pub scale: Vec<F>,
}

impl<F: Real> ForwardBackward<F> {
    /// The tables for `emit` (`exp` of each token's tag scores, `n_tags` per token),
    /// `exp_transitions` (`prev * n_tags + next`) and `exp_start` (`n_tags` of them). With `end_in_forward`,
    /// the forward pass already leaves out last tags that cannot end a sentence, so that
    /// the product of the scales counts only well-formed sequences (training needs that
    /// partition function); otherwise only the backward pass leaves them out.
    ///
    /// Each sum adds its terms in ascending order of the other tag. The dense block of
    /// moves from closed to opening tags (see [`Moves`](crate::tags::Moves)) is summed for
    /// all tags of the block at once, which the compiler turns into vector instructions.
    #[cfg(any(test, feature = "train"))]
    pub fn new(exp_transitions: &[F], exp_start: &[F], emit: &[F], end_in_forward: bool) -> Self {
        let moves = moves(exp_start.len());
        let blocks = Blocks {
            rows: &moves.closed_to_opening(exp_transitions, false),
            columns: &moves.closed_to_opening(exp_transitions, true),
        };
        Self::with_blocks(exp_transitions, blocks, exp_start, emit, end_in_forward)
    }

    /// [`new`](Self::new) with the closed-to-opening block of `exp_transitions` given,
    /// row by row and column by column, by a caller that keeps it.
    pub fn with_blocks(
        exp_transitions: &[F],
        blocks: Blocks<F>,
        exp_start: &[F],
        emit: &[F],
        end_in_forward: bool,
    ) -> Self {
        let n_tags = exp_start.len();
        let n = emit.len() / n_tags;
        let moves = moves(n_tags);
        let (opening, closed) = (&moves.opening, &moves.closed);
        // What `Iterator::sum` starts from, so that the sums here are exactly its sums.
        let empty_sum: F = std::iter::empty().sum();
        let mut alpha = vec![F::ZERO; n * n_tags];
        let mut scale = vec![F::ZERO; n];
        let mut sums = vec![empty_sum; opening.len().max(closed.len())];
        for i in 0..n {
            let (done, rest) = alpha.split_at_mut(i * n_tags);
            let (row, emit_row) = (&mut rest[..n_tags], &emit[i * n_tags..(i + 1) * n_tags]);
            if i == 0 {
                row.copy_from_slice(exp_start);
            } else {
                let before = &done[(i - 1) * n_tags..];
                let sums = &mut sums[..opening.len()];
                sums.fill(empty_sum);
                for (&p, moves_from) in closed.iter().zip(blocks.rows.chunks_exact(opening.len())) {
                    let a = before[p];
                    for (sum, &m) in sums.iter_mut().zip(moves_from) {
                        *sum = *sum + a * m;
                    }
                }
                for (&y, &sum) in opening.iter().zip(sums.iter()) {
                    row[y] = sum;
                }
                for &y in &moves.continuing {
                    row[y] = moves.before[y]
                        .iter()
                        .map(|&p| before[p] * exp_transitions[p * n_tags + y])
                        .sum();
                }
            }
            for (a, &e) in row.iter_mut().zip(emit_row) {
                *a = *a * e;
            }
            if end_in_forward && i + 1 == n {
                for y in (0..n_tags).filter(|&y| !can_end(y)) {
                    row[y] = F::ZERO;
                }
            }
            let z: F = row.iter().copied().sum();
            let z = z.max(F::MIN_POSITIVE);
            scale[i] = z;
            row.iter_mut().for_each(|a| *a = *a / z);
        }
        let mut beta = vec![F::ZERO; n * n_tags];
        if n > 0 {
            for (y, b) in beta[(n - 1) * n_tags..].iter_mut().enumerate() {
                *b = if can_end(y) { F::ONE } else { F::ZERO };
            }
        }
        for i in (0..n.saturating_sub(1)).rev() {
            let (row, after) = beta[i * n_tags..].split_at_mut(n_tags);
            let emit_after = &emit[(i + 1) * n_tags..(i + 2) * n_tags];
            let sums = &mut sums[..closed.len()];
            sums.fill(empty_sum);
            for (&q, moves_into) in opening
                .iter()
                .zip(blocks.columns.chunks_exact(closed.len()))
            {
                let (e, b) = (emit_after[q], after[q]);
                for (sum, &m) in sums.iter_mut().zip(moves_into) {
                    *sum = *sum + m * e * b;
                }
            }
            for (&y, &sum) in closed.iter().zip(sums.iter()) {
                row[y] = sum / scale[i + 1];
            }
            for &y in &moves.open {
                let s: F = moves.after[y]
                    .iter()
                    .map(|&q| exp_transitions[y * n_tags + q] * emit_after[q] * after[q])
                    .sum();
                row[y] = s / scale[i + 1];
            }
        }
        ForwardBackward { alpha, beta, scale }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tags::{forbid_invalid, is_allowed, tag_count};

    const N_TAGS: usize = tag_count(18);

    /// Every well-formed tag sequence of `n` tokens, by brute force.
    fn sequences(n: usize) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = vec![Vec::new()];
        for _ in 0..n {
            out = out
                .into_iter()
                .flat_map(|s| {
                    let last = s.last().copied();
                    (0..N_TAGS)
                        .filter(move |&t| is_allowed(last, t))
                        .map(move |t| [s.clone(), vec![t]].concat())
                })
                .collect();
        }
        out.retain(|s| can_end(*s.last().unwrap()));
        out
    }

    #[test]
    fn marginals_and_partition_match_brute_force() {
        let n = 2;
        let score = |k: usize| ((k * 7919) % 13) as f64 / 5.0 - 1.0;
        let mut trans: Vec<f64> = (0..N_TAGS * N_TAGS).map(|k| score(k) / 2.0).collect();
        let mut start: Vec<f64> = (0..N_TAGS).map(|k| score(k + 3)).collect();
        let emissions: Vec<f64> = (0..n * N_TAGS).map(|k| score(k + 11)).collect();
        let (mut t32, mut s32) = (vec![0f32; trans.len()], vec![0f32; start.len()]);
        forbid_invalid(&mut t32, &mut s32);
        for (t, m) in trans.iter_mut().zip(&t32).chain(start.iter_mut().zip(&s32)) {
            *t += f64::from(*m);
        }
        let exp = |v: &[f64]| v.iter().map(|x| x.exp()).collect::<Vec<_>>();
        let fb = ForwardBackward::new(&exp(&trans), &exp(&start), &exp(&emissions), true);
        let weight = |s: &[usize]| {
            let mut total = start[s[0]] + emissions[s[0]];
            for i in 1..s.len() {
                total += trans[s[i - 1] * N_TAGS + s[i]] + emissions[i * N_TAGS + s[i]];
            }
            total.exp()
        };
        let all = sequences(n);
        let z: f64 = all.iter().map(|s| weight(s)).sum();
        let product: f64 = fb.scale.iter().product();
        assert!((product - z).abs() < 1e-9 * z);
        for i in 0..n {
            for y in 0..N_TAGS {
                let p: f64 = all
                    .iter()
                    .filter(|s| s[i] == y)
                    .map(|s| weight(s))
                    .sum::<f64>()
                    / z;
                let got = fb.alpha[i * N_TAGS + y] * fb.beta[i * N_TAGS + y];
                assert!((got - p).abs() < 1e-9, "token {i} tag {y}: {got} vs {p}");
            }
        }
    }
}
