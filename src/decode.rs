//! Decoding: from per-token tag scores to well-formed entity spans with confidences.
//!
//! Tags are BILOU: tag 0 is `O`, and label `l` has `B` (begin) = `1 + 4l`, `I` (inside),
//! `L` (last) and `U` (unit, a one-token entity) after it. Decoding only follows allowed
//! transitions and ends on `O`, `L` or `U`, so every output is a well-formed span.
//! Confidences are span marginals from forward–backward over the same scores divided by
//! the model's temperature.

use crate::label::Label;
use crate::model::Model;
use std::ops::Range;
use std::sync::OnceLock;

/// Number of tags: `O` plus `B`, `I`, `L` and `U` for each of the 18 labels.
pub const N_TAGS: usize = 1 + 4 * Label::ALL.len();

/// Where a token stands in an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

/// The tag of a label and part.
pub fn tag(label: Label, part: Part) -> usize {
    1 + 4 * label.index() + part as usize
}

/// The label and part of a tag; `None` for `O`.
pub fn tag_label(tag: usize) -> Option<(Label, Part)> {
    const PARTS: [Part; 4] = [Part::Begin, Part::Inside, Part::Last, Part::Unit];
    (tag > 0).then(|| (Label::ALL[(tag - 1) / 4], PARTS[(tag - 1) % 4]))
}

/// Whether tag `next` may follow `prev` (`None` at the start of a sentence).
pub fn is_allowed(prev: Option<usize>, next: usize) -> bool {
    let open = prev
        .and_then(tag_label)
        .and_then(|(label, part)| matches!(part, Part::Begin | Part::Inside).then_some(label));
    match (tag_label(next), open) {
        (Some((label, Part::Inside | Part::Last)), Some(o)) => label == o,
        (Some((_, Part::Inside | Part::Last)), None) => false,
        (_, open) => open.is_none(),
    }
}

/// Whether a sentence may end on `tag` (no entity left open).
pub fn can_end(tag: usize) -> bool {
    !matches!(tag_label(tag), Some((_, Part::Begin | Part::Inside)))
}

/// For each tag, the tags allowed before it and after it. Most pairs are forbidden
/// (`I-X` after `O`, …), so walking only the allowed ones makes decoding several times
/// faster than the full `N_TAGS × N_TAGS` loop.
pub(crate) struct Moves {
    pub(crate) before: Vec<Vec<usize>>,
    pub(crate) after: Vec<Vec<usize>>,
}

/// The allowed moves between tags, built once.
pub(crate) fn moves() -> &'static Moves {
    static MOVES: OnceLock<Moves> = OnceLock::new();
    MOVES.get_or_init(|| Moves {
        before: (0..N_TAGS)
            .map(|t| (0..N_TAGS).filter(|&p| is_allowed(Some(p), t)).collect())
            .collect(),
        after: (0..N_TAGS)
            .map(|p| (0..N_TAGS).filter(|&t| is_allowed(Some(p), t)).collect())
            .collect(),
    })
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
    let moves = moves();
    for i in 1..n {
        for t in 0..N_TAGS {
            let (mut arg, mut max) = (0, f32::NEG_INFINITY);
            for &p in &moves.before[t] {
                let s = best[p] + transitions[p * N_TAGS + t];
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
    let mut last = (0..N_TAGS)
        .filter(|&t| can_end(t))
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut tags = vec![0; n];
    for i in (0..n).rev() {
        tags[i] = last;
        last = back[i * N_TAGS + last] as usize;
    }
    tags
}

/// Spans of a well-formed tag sequence, without confidences.
pub fn spans_of(tags: &[usize]) -> Vec<(Range<usize>, Label)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, &t) in tags.iter().enumerate() {
        match tag_label(t) {
            Some((_, Part::Begin)) => start = i,
            Some((label, Part::Last)) => spans.push((start..i + 1, label)),
            Some((label, Part::Unit)) => spans.push((i..i + 1, label)),
            _ => {}
        }
    }
    spans
}

/// The tag sequence of `len` tokens with the given non-overlapping spans: the inverse of
/// [`spans_of`].
pub fn tags_of(len: usize, spans: impl IntoIterator<Item = (Range<usize>, Label)>) -> Vec<usize> {
    let mut tags = vec![0; len];
    for (r, l) in spans {
        if r.len() == 1 {
            tags[r.start] = tag(l, Part::Unit);
        } else if !r.is_empty() {
            tags[r.start] = tag(l, Part::Begin);
            tags[r.start + 1..r.end - 1].fill(tag(l, Part::Inside));
            tags[r.end - 1] = tag(l, Part::Last);
        }
    }
    tags
}

/// Decodes the best spans and gives each the probability, under the model, that exactly
/// this span with this label is an entity. `quote_mates` gives, per token, the token of
/// the quotation mark it pairs with (empty when not known); see [`balance_quotes`].
pub fn decode(model: &Model, scores: &[f32], quote_mates: &[Option<usize>]) -> Vec<Span> {
    let tags = viterbi(&model.transitions, &model.start, scores);
    let mut spans = spans_of(&tags);
    if spans.is_empty() {
        return Vec::new();
    }
    let lattice = Lattice::new(model, scores);
    balance_quotes(&mut spans, quote_mates, |r, label| {
        lattice.span_probability(r, label)
    });
    spans
        .into_iter()
        .map(|(tokens, label)| Span {
            confidence: lattice.span_probability(tokens.clone(), label),
            tokens,
            label,
        })
        .collect()
}

/// Mends spans that hold one quotation mark of a pair at an edge but not its mate. The
/// tags come token by token, so the best sequence can end a title on its closing mark
/// and begin it after the opening one (`Malcolm in the Middle"`), which is never how the
/// corpus marks a title: it takes in both marks or neither, depending on the document.
/// Each such span either takes in the mate, where it stands right next to the span and
/// in no other one, or leaves its own mark out, whichever `probability` rates higher.
fn balance_quotes(
    spans: &mut [(Range<usize>, Label)],
    quote_mates: &[Option<usize>],
    probability: impl Fn(Range<usize>, Label) -> f32,
) {
    for k in 0..spans.len() {
        for at_end in [true, false] {
            let (r, label) = spans[k].clone();
            if r.len() < 2 {
                continue;
            }
            let edge = if at_end { r.end - 1 } else { r.start };
            let Some(mate) = quote_mates.get(edge).copied().flatten() else {
                continue;
            };
            if r.contains(&mate) {
                continue;
            }
            let trimmed = if at_end {
                r.start..r.end - 1
            } else {
                r.start + 1..r.end
            };
            let widened = if at_end {
                (mate + 1 == r.start).then_some(mate..r.end)
            } else {
                (mate == r.end).then_some(r.start..mate + 1)
            };
            let free = |i: usize| !spans.iter().any(|(s, _)| s.contains(&i));
            let widened = widened.filter(|_| free(mate));
            spans[k].0 = match widened {
                Some(w) if probability(w.clone(), label) > probability(trimmed.clone(), label) => w,
                _ => trimmed,
            };
        }
    }
}

/// Scaled forward–backward tables (Rabiner scaling, so no logarithms in the inner loop).
struct Lattice<'m> {
    /// `exp(transition / T)`
    trans: &'m [f32],
    /// `exp((score - max) / T)` per token and tag.
    emit: Vec<f32>,
    alpha: Vec<f32>,
    beta: Vec<f32>,
    /// Scaling factor of each position.
    scale: Vec<f32>,
}

impl<'m> Lattice<'m> {
    fn new(model: &'m Model, scores: &[f32]) -> Self {
        let n = scores.len() / N_TAGS;
        let t = model.temperature();
        let trans = model.exp_transitions();
        let mut emit = vec![0f32; n * N_TAGS];
        for i in 0..n {
            let row = &scores[i * N_TAGS..(i + 1) * N_TAGS];
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for (e, &s) in emit[i * N_TAGS..].iter_mut().zip(row) {
                *e = ((s - max) / t).exp();
            }
        }
        let moves = moves();
        let mut alpha = vec![0f32; n * N_TAGS];
        let mut scale = vec![0f32; n];
        for i in 0..n {
            for y in 0..N_TAGS {
                let into = if i == 0 {
                    model.exp_start()[y]
                } else {
                    moves.before[y]
                        .iter()
                        .map(|&p| alpha[(i - 1) * N_TAGS + p] * trans[p * N_TAGS + y])
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
        for (y, b) in beta[(n - 1) * N_TAGS..].iter_mut().enumerate() {
            *b = if can_end(y) { 1.0 } else { 0.0 };
        }
        for i in (0..n - 1).rev() {
            for y in 0..N_TAGS {
                let s: f32 = moves.after[y]
                    .iter()
                    .map(|&q| {
                        trans[y * N_TAGS + q]
                            * emit[(i + 1) * N_TAGS + q]
                            * beta[(i + 1) * N_TAGS + q]
                    })
                    .sum();
                beta[i * N_TAGS + y] = s / scale[i + 1];
            }
        }
        Lattice {
            trans,
            emit,
            alpha,
            beta,
            scale,
        }
    }

    /// Probability that tokens `span` carry exactly `B I … L` (or `U`) of `label`.
    fn span_probability(&self, span: Range<usize>, label: Label) -> f32 {
        let unit = span.len() == 1;
        let first = tag(label, if unit { Part::Unit } else { Part::Begin });
        let mut p = self.alpha[span.start * N_TAGS + first];
        let mut prev = first;
        for k in span.start + 1..span.end {
            let next = tag(
                label,
                if k + 1 == span.end {
                    Part::Last
                } else {
                    Part::Inside
                },
            );
            p *= self.trans[prev * N_TAGS + next] * self.emit[k * N_TAGS + next] / self.scale[k];
            prev = next;
        }
        let p = p * self.beta[(span.end - 1) * N_TAGS + prev];
        // Rounding can step just outside [0, 1]; NaN (only from a degenerate lattice)
        // means no evidence either way.
        if p.is_nan() {
            0.0
        } else {
            p.clamp(0.0, 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `" Malcolm in the Middle "` as tokens 0–5: the marks at 0 and 5 pair up.
    fn mates() -> Vec<Option<usize>> {
        vec![Some(5), None, None, None, None, Some(0), None]
    }

    #[test]
    fn a_span_with_half_a_pair_of_quotes_takes_the_likelier_whole() {
        let woa = Label::WorkOfArt;
        let widen = |r: Range<usize>, _| if r.start == 0 { 0.6 } else { 0.3 };
        let mut spans = vec![(1..6, woa)];
        balance_quotes(&mut spans, &mates(), widen);
        assert_eq!(spans, [(0..6, woa)]);
        let trim = |r: Range<usize>, _| if r.start == 0 { 0.2 } else { 0.3 };
        let mut spans = vec![(1..6, woa)];
        balance_quotes(&mut spans, &mates(), trim);
        assert_eq!(spans, [(1..5, woa)]);
        let mut spans = vec![(0..5, woa)];
        balance_quotes(&mut spans, &mates(), trim);
        assert_eq!(spans, [(1..5, woa)]);
    }

    #[test]
    fn balanced_spans_and_taken_mates_are_respected() {
        let woa = Label::WorkOfArt;
        let widen = |r: Range<usize>, _| if r.start == 0 { 0.6 } else { 0.3 };
        let mut spans = vec![(0..6, woa), (6..7, Label::Date)];
        balance_quotes(&mut spans, &mates(), widen);
        assert_eq!(spans, [(0..6, woa), (6..7, Label::Date)]);
        // The opening mark belongs to another span: the closing one is left out instead.
        let mut spans = vec![(0..1, Label::Org), (1..6, woa)];
        balance_quotes(&mut spans, &mates(), widen);
        assert_eq!(spans, [(0..1, Label::Org), (1..5, woa)]);
        let mut spans = vec![(1..6, woa)];
        balance_quotes(&mut spans, &[], widen);
        assert_eq!(spans, [(1..6, woa)], "no marks known, nothing to mend");
    }
}
