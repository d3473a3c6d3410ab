//! Decoding: from per-token tag scores to well-formed entity spans with confidences.
//!
//! The best tag sequence comes from Viterbi over the allowed moves of the
//! [tag scheme](crate::tags). Confidences are span marginals from forward–backward over
//! the same scores divided by the model's temperature.

use crate::lattice::{Blocks, ForwardBackward};
use crate::tags::{can_end, forbid_invalid, moves, spans_of, tag, Part};
use std::ops::Range;

/// Tag-to-tag scores, the start scores, and the temperature that turns scores into
/// probabilities: all that decoding needs besides the per-token scores.
#[derive(Debug, Clone)]
pub struct Transitions {
    /// `scores[prev * n_tags + next]`; forbidden moves are `-inf`.
    scores: Vec<f32>,
    /// Score of each tag at the start of a sentence; forbidden ones are `-inf`.
    start: Vec<f32>,
    temperature: f32,
    /// `exp(score / temperature)` of `scores` and `start`, for forward–backward.
    exp_scores: Vec<f32>,
    exp_start: Vec<f32>,
    /// The closed-to-opening block of `scores` row by row, and of `exp_scores` row by
    /// row and column by column (see [`Moves`](crate::tags::Moves)).
    block: Vec<f32>,
    exp_rows: Vec<f32>,
    exp_columns: Vec<f32>,
}

impl Transitions {
    /// Transitions from `scores` (`prev * n_tags + next`) and `start` scores (`n_tags`
    /// of them), with the moves the tag scheme forbids set to `-inf`.
    pub fn new(mut scores: Vec<f32>, mut start: Vec<f32>, temperature: f32) -> Self {
        forbid_invalid(&mut scores, &mut start);
        let mut transitions = Transitions {
            scores,
            start,
            temperature,
            exp_scores: Vec::new(),
            exp_start: Vec::new(),
            block: Vec::new(),
            exp_rows: Vec::new(),
            exp_columns: Vec::new(),
        };
        transitions.set_temperature(temperature);
        transitions
    }

    /// `scores[prev * n_tags + next]`; forbidden moves are `-inf`.
    pub fn scores(&self) -> &[f32] {
        &self.scores
    }

    /// Score of each tag at the start of a sentence; forbidden ones are `-inf`.
    pub fn start(&self) -> &[f32] {
        &self.start
    }

    /// Number of tags: `O` and four per label.
    pub fn n_tags(&self) -> usize {
        self.start.len()
    }

    /// Scores are divided by this before they become probabilities.
    pub fn temperature(&self) -> f32 {
        self.temperature
    }

    /// Sets the temperature; the caller checks that it is positive and keeps every
    /// `exp(score / temperature)` finite.
    pub(crate) fn set_temperature(&mut self, temperature: f32) {
        self.temperature = temperature;
        let exp = |x: &f32| (x / temperature).exp();
        self.exp_scores = self.scores.iter().map(exp).collect();
        self.exp_start = self.start.iter().map(exp).collect();
        let moves = moves(self.n_tags());
        self.block = moves.closed_to_opening(&self.scores, false);
        self.exp_rows = moves.closed_to_opening(&self.exp_scores, false);
        self.exp_columns = moves.closed_to_opening(&self.exp_scores, true);
    }
}

/// A decoded span of tokens with its label and confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Token indices within the sentence.
    pub tokens: Range<usize>,
    /// The entity type: its number in the model's label set.
    pub label: usize,
    /// Probability, under the model, that exactly this span with this label is an entity.
    pub confidence: f32,
}

/// Best tag sequence for `scores` (`n_tags` per token, `n_tags` being the length of
/// `start`) under `transitions` (`prev * n_tags + next`) and `start` scores.
///
/// Ties go to the lowest previous tag. The moves from closed to opening tags (see
/// [`Moves`](crate::tags::Moves)) are a dense block, walked one previous tag at a time
/// across all opening tags at once, which the compiler turns into vector instructions.
#[cfg(feature = "train")]
pub fn viterbi(transitions: &[f32], start: &[f32], scores: &[f32]) -> Vec<usize> {
    let block = moves(start.len()).closed_to_opening(transitions, false);
    best_path(transitions, &block, start, scores)
}

/// [`viterbi`] with the closed-to-opening `block` of `transitions` given.
///
/// The forward pass keeps only the best score of each tag at each token, which takes one
/// addition and one maximum per move; the tag each best path came from is worked out
/// again, by the same sums, for the one tag per token that the final path goes through.
fn best_path(transitions: &[f32], block: &[f32], start: &[f32], scores: &[f32]) -> Vec<usize> {
    let n_tags = start.len();
    let n = scores.len() / n_tags;
    if n == 0 {
        return Vec::new();
    }
    let moves = moves(n_tags);
    let width = moves.opening.len();
    // The best way into the continuing tag `t` from the scores `before` of the token before.
    let best_continued = |before: &[f32], t: usize| {
        let scored = moves.before[t]
            .iter()
            .map(|&p| (p, before[p] + transitions[p * n_tags + t]));
        best_of(scored)
    };
    // `best[i * n_tags + t]`: the score of the best path through the first `i + 1`
    // tokens that ends in tag `t`.
    let mut best = vec![0f32; n * n_tags];
    for ((b, &s), &x) in best.iter_mut().zip(start).zip(scores) {
        *b = s + x;
    }
    let mut max = vec![0f32; width];
    for i in 1..n {
        let (done, next) = best.split_at_mut(i * n_tags);
        let (before, next) = (&done[(i - 1) * n_tags..], &mut next[..n_tags]);
        let scores = &scores[i * n_tags..(i + 1) * n_tags];
        max.fill(f32::NEG_INFINITY);
        for (&p, row) in moves.closed.iter().zip(block.chunks_exact(width)) {
            let from = before[p];
            for (m, &move_score) in max.iter_mut().zip(row) {
                let s = from + move_score;
                *m = if s > *m { s } else { *m };
            }
        }
        for (&t, &m) in moves.opening.iter().zip(&max) {
            next[t] = m + scores[t];
        }
        for &t in &moves.continuing {
            next[t] = best_continued(before, t).1 + scores[t];
        }
    }
    let mut last = (0..n_tags)
        .filter(|&t| can_end(t))
        .max_by(|&a, &b| best[(n - 1) * n_tags + a].total_cmp(&best[(n - 1) * n_tags + b]))
        .unwrap_or(0);
    let mut tags = vec![0; n];
    for i in (0..n).rev() {
        tags[i] = last;
        if i == 0 {
            break;
        }
        let before = &best[(i - 1) * n_tags..i * n_tags];
        last = match moves.opening.iter().position(|&t| t == last) {
            Some(column) => {
                let rows = moves.closed.iter().zip(block.chunks_exact(width));
                let score_of = rows.map(|(&p, row)| (p, before[p] + row[column]));
                best_of(score_of).0
            }
            None => best_continued(before, last).0,
        };
    }
    tags
}

/// The first `(tag, score)` of `scored` with the highest score; `(0, -inf)` when none
/// is above `-inf`.
fn best_of(scored: impl Iterator<Item = (usize, f32)>) -> (usize, f32) {
    let (mut a, mut m) = (0, f32::NEG_INFINITY);
    for (p, s) in scored {
        if s > m {
            m = s;
            a = p;
        }
    }
    (a, m)
}

/// Decodes the best spans and gives each the probability, under the model, that exactly
/// this span with this label is an entity. `quote_mates` gives, per token, the token of
/// the quotation mark it pairs with (empty when not known); see [`balance_quotes`].
pub fn decode(
    transitions: &Transitions,
    scores: &[f32],
    quote_mates: &[Option<usize>],
) -> Vec<Span> {
    let tags = best_path(
        transitions.scores(),
        &transitions.block,
        transitions.start(),
        scores,
    );
    let mut spans = spans_of(&tags);
    if spans.is_empty() {
        return Vec::new();
    }
    let lattice = Lattice::new(transitions, scores);
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
    spans: &mut [(Range<usize>, usize)],
    quote_mates: &[Option<usize>],
    probability: impl Fn(Range<usize>, usize) -> f32,
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

/// Forward–backward tables of one sentence, for span probabilities.
struct Lattice<'m> {
    /// `exp(transition / T)`
    trans: &'m [f32],
    /// `exp((score - max) / T)` per token and tag.
    emit: Vec<f32>,
    tables: ForwardBackward<f32>,
    n_tags: usize,
}

impl<'m> Lattice<'m> {
    fn new(transitions: &'m Transitions, scores: &[f32]) -> Self {
        let n_tags = transitions.n_tags();
        let n = scores.len() / n_tags;
        let t = transitions.temperature;
        let mut emit = vec![0f32; n * n_tags];
        for i in 0..n {
            let row = &scores[i * n_tags..(i + 1) * n_tags];
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            for (e, &s) in emit[i * n_tags..].iter_mut().zip(row) {
                *e = ((s - max) / t).exp();
            }
        }
        let trans = &transitions.exp_scores;
        let blocks = Blocks {
            rows: &transitions.exp_rows,
            columns: &transitions.exp_columns,
        };
        let tables =
            ForwardBackward::with_blocks(trans, blocks, &transitions.exp_start, &emit, false);
        Lattice {
            trans,
            emit,
            tables,
            n_tags,
        }
    }

    /// Probability that tokens `span` carry exactly `B I … L` (or `U`) of `label`.
    fn span_probability(&self, span: Range<usize>, label: usize) -> f32 {
        let n_tags = self.n_tags;
        let unit = span.len() == 1;
        let first = tag(label, if unit { Part::Unit } else { Part::Begin });
        let tables = &self.tables;
        let mut p = tables.alpha[span.start * n_tags + first];
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
            p *= self.trans[prev * n_tags + next] * self.emit[k * n_tags + next] / tables.scale[k];
            prev = next;
        }
        let p = p * tables.beta[(span.end - 1) * n_tags + prev];
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
    use crate::label::Label;

    /// `" Malcolm in the Middle "` as tokens 0–5: the marks at 0 and 5 pair up.
    fn mates() -> Vec<Option<usize>> {
        vec![Some(5), None, None, None, None, Some(0), None]
    }

    #[test]
    fn a_span_with_half_a_pair_of_quotes_takes_the_likelier_whole() {
        let woa = Label::WorkOfArt.index();
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
        let woa = Label::WorkOfArt.index();
        let widen = |r: Range<usize>, _| if r.start == 0 { 0.6 } else { 0.3 };
        let mut spans = vec![(0..6, woa), (6..7, Label::Date.index())];
        balance_quotes(&mut spans, &mates(), widen);
        assert_eq!(spans, [(0..6, woa), (6..7, Label::Date.index())]);
        // The opening mark belongs to another span: the closing one is left out instead.
        let mut spans = vec![(0..1, Label::Org.index()), (1..6, woa)];
        balance_quotes(&mut spans, &mates(), widen);
        assert_eq!(spans, [(0..1, Label::Org.index()), (1..5, woa)]);
        let mut spans = vec![(1..6, woa)];
        balance_quotes(&mut spans, &[], widen);
        assert_eq!(spans, [(1..6, woa)], "no marks known, nothing to mend");
    }
}
