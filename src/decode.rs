//! Decoding: from per-token tag scores to well-formed entity spans with confidences.
//!
//! Tags are BIO: tag 0 is `O`, and label `l` has `B` = `1 + 2l` and `I` = `2 + 2l`.
//! Viterbi decoding never lets `I-X` follow anything but `B-X` or `I-X`, so every output
//! is a well-formed span. Confidences are span marginals from forward–backward over the
//! same scores divided by the model's temperature.

use crate::label::Label;
use crate::model::Model;
use std::ops::Range;

/// Number of BIO tags: `O` plus `B` and `I` for each of the 18 labels.
pub const N_TAGS: usize = 1 + 2 * Label::ALL.len();

/// The `B-` tag of a label.
pub fn begin_tag(label: Label) -> usize {
    1 + 2 * label.index()
}

/// The `I-` tag of a label.
pub fn inside_tag(label: Label) -> usize {
    2 + 2 * label.index()
}

/// The label of a tag, and whether it is an `I-` tag; `None` for `O`.
pub fn tag_label(tag: usize) -> Option<(Label, bool)> {
    (tag > 0).then(|| (Label::ALL[(tag - 1) / 2], tag % 2 == 0))
}

/// Whether tag `next` may follow `prev` (`None` at the start of a sentence).
pub fn is_allowed(prev: Option<usize>, next: usize) -> bool {
    match tag_label(next) {
        Some((label, true)) => {
            prev.is_some_and(|p| p == begin_tag(label) || p == inside_tag(label))
        }
        _ => true,
    }
}

/// Sets forbidden transitions (`transitions[prev * N_TAGS + next]`) and forbidden start
/// tags to `-inf`, so that decoding can only produce well-formed spans.
pub fn forbid_invalid(transitions: &mut [f32], start: &mut [f32]) {
    for next in 0..N_TAGS {
        if !is_allowed(None, next) {
            start[next] = f32::NEG_INFINITY;
        }
        for prev in 0..N_TAGS {
            if !is_allowed(Some(prev), next) {
                transitions[prev * N_TAGS + next] = f32::NEG_INFINITY;
            }
        }
    }
}

/// A decoded span of tokens with its label and confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Token indices within the sentence.
    pub tokens: Range<usize>,
    pub label: Label,
    pub confidence: f32,
}

/// Best tag sequence for `scores` (`N_TAGS` per token) under `transitions`
/// (`prev * N_TAGS + next`) and `start` scores.
pub fn viterbi(transitions: &[f32], start: &[f32], scores: &[f32]) -> Vec<usize> {
    let n = scores.len() / N_TAGS;
    if n == 0 {
        return Vec::new();
    }
    let mut best: Vec<f32> = (0..N_TAGS).map(|t| start[t] + scores[t]).collect();
    let mut back = vec![0u8; n * N_TAGS];
    let mut next_best = vec![0f32; N_TAGS];
    for i in 1..n {
        for t in 0..N_TAGS {
            let (mut arg, mut max) = (0, f32::NEG_INFINITY);
            for (p, &b) in best.iter().enumerate() {
                let s = b + transitions[p * N_TAGS + t];
                if s > max {
                    max = s;
                    arg = p;
                }
            }
            next_best[t] = max + scores[i * N_TAGS + t];
            back[i * N_TAGS + t] = arg as u8;
        }
        std::mem::swap(&mut best, &mut next_best);
    }
    let mut tag = (0..N_TAGS)
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut tags = vec![0; n];
    for i in (0..n).rev() {
        tags[i] = tag;
        tag = back[i * N_TAGS + tag] as usize;
    }
    tags
}

/// Spans of a well-formed tag sequence, without confidences.
pub fn spans_of(tags: &[usize]) -> Vec<(Range<usize>, Label)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        match tag_label(tags[i]) {
            Some((label, _)) => {
                let mut end = i + 1;
                while end < tags.len() && tags[end] == inside_tag(label) {
                    end += 1;
                }
                spans.push((i..end, label));
                i = end;
            }
            None => i += 1,
        }
    }
    spans
}

/// Decodes the best spans and gives each the probability, under the model, that exactly
/// this span with this label is an entity.
pub fn decode(model: &Model, scores: &[f32]) -> Vec<Span> {
    let tags = viterbi(&model.transitions, &model.start, scores);
    let spans = spans_of(&tags);
    if spans.is_empty() {
        return Vec::new();
    }
    let lattice = Lattice::new(model, scores);
    spans
        .into_iter()
        .map(|(tokens, label)| Span {
            confidence: lattice.span_probability(tokens.clone(), label),
            tokens,
            label,
        })
        .collect()
}

/// Scaled forward–backward tables (Rabiner scaling, so no logarithms in the inner loop).
struct Lattice {
    n: usize,
    /// `exp(transition / T)`
    trans: Vec<f32>,
    /// `exp((score - max) / T)` per token and tag.
    emit: Vec<f32>,
    alpha: Vec<f32>,
    beta: Vec<f32>,
    /// Scaling factor of each position.
    scale: Vec<f32>,
}

impl Lattice {
    fn new(model: &Model, scores: &[f32]) -> Self {
        let n = scores.len() / N_TAGS;
        let t = model.temperature;
        let trans: Vec<f32> = model.transitions.iter().map(|&x| (x / t).exp()).collect();
        let mut emit = vec![0f32; n * N_TAGS];
        for i in 0..n {
            let row = &scores[i * N_TAGS..(i + 1) * N_TAGS];
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for (e, &s) in emit[i * N_TAGS..].iter_mut().zip(row) {
                *e = ((s - max) / t).exp();
            }
        }
        let mut alpha = vec![0f32; n * N_TAGS];
        let mut scale = vec![0f32; n];
        for i in 0..n {
            for y in 0..N_TAGS {
                let into = if i == 0 {
                    (model.start[y] / t).exp()
                } else {
                    (0..N_TAGS)
                        .map(|p| alpha[(i - 1) * N_TAGS + p] * trans[p * N_TAGS + y])
                        .sum()
                };
                alpha[i * N_TAGS + y] = into * emit[i * N_TAGS + y];
            }
            let z: f32 = alpha[i * N_TAGS..(i + 1) * N_TAGS].iter().sum();
            let z = z.max(f32::MIN_POSITIVE);
            scale[i] = z;
            alpha[i * N_TAGS..(i + 1) * N_TAGS]
                .iter_mut()
                .for_each(|a| *a /= z);
        }
        let mut beta = vec![0f32; n * N_TAGS];
        beta[(n - 1) * N_TAGS..].iter_mut().for_each(|b| *b = 1.0);
        for i in (0..n - 1).rev() {
            for y in 0..N_TAGS {
                let s: f32 = (0..N_TAGS)
                    .map(|q| {
                        trans[y * N_TAGS + q]
                            * emit[(i + 1) * N_TAGS + q]
                            * beta[(i + 1) * N_TAGS + q]
                    })
                    .sum();
                beta[i * N_TAGS + y] = s / scale[i + 1];
            }
        }
        Lattice {
            n,
            trans,
            emit,
            alpha,
            beta,
            scale,
        }
    }

    /// Probability that tokens `span` carry exactly `B-label I-label …` and the next
    /// token does not continue the entity.
    fn span_probability(&self, span: Range<usize>, label: Label) -> f32 {
        let (b, inside) = (begin_tag(label), inside_tag(label));
        let mut p = self.alpha[span.start * N_TAGS + b];
        let mut prev = b;
        for k in span.start + 1..span.end {
            p *=
                self.trans[prev * N_TAGS + inside] * self.emit[k * N_TAGS + inside] / self.scale[k];
            prev = inside;
        }
        let last = span.end - 1;
        let mut rest = self.beta[last * N_TAGS + prev];
        if span.end < self.n {
            let k = span.end;
            rest -= self.trans[prev * N_TAGS + inside]
                * self.emit[k * N_TAGS + inside]
                * self.beta[k * N_TAGS + inside]
                / self.scale[k];
        }
        (p * rest).clamp(0.0, 1.0)
    }
}
