//! The tag scheme: BILOU tags, which moves between them are allowed, and the conversion
//! between tag sequences and spans.
//!
//! Labels are numbered in the order of the model's label set (for the built-in model,
//! [`Label::ALL`](crate::Label::ALL)). Tag 0 is `O` (outside any entity); label `l` has
//! `B` (begin) = `1 + 4l`, then `I` (inside), `L` (last) and `U` (unit, a one-token
//! entity). "Ms. Ada Lovelace of Acme" with PERSON at label 0 and ORG at label 1 reads
//!
//! | token | Ms. | Ada | Lovelace | of | Acme |
//! |---|---|---|---|---|---|
//! | tag | `O` 0 | `B-PERSON` 1 | `L-PERSON` 3 | `O` 0 | `U-ORG` 8 |
//!
//! Decoding only follows allowed moves and ends on `O`, `L` or `U`, so every tag sequence
//! it gives is a well-formed set of spans.

use std::ops::Range;
use std::sync::OnceLock;

/// The most labels a model may have: its tags (`O` and four per label) then fit in 10 bits.
pub const MAX_LABELS: usize = 255;

/// Number of tags of `labels` labels: `O` plus `B`, `I`, `L` and `U` for each.
pub const fn tag_count(labels: usize) -> usize {
    1 + 4 * labels
}

/// Where a token stands in an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// First token of an entity of two or more tokens.
    Begin,
    /// Neither the first nor the last token of an entity.
    Inside,
    /// Last token of an entity of two or more tokens.
    Last,
    /// The only token of a one-token entity.
    Unit,
}

/// The tag of a label (its number in the label set) and part.
pub fn tag(label: usize, part: Part) -> usize {
    1 + 4 * label + part as usize
}

/// The label (its number in the label set) and part of a tag; `None` for `O`.
pub fn tag_label(tag: usize) -> Option<(usize, Part)> {
    const PARTS: [Part; 4] = [Part::Begin, Part::Inside, Part::Last, Part::Unit];
    (tag > 0).then(|| ((tag - 1) / 4, PARTS[(tag - 1) % 4]))
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

/// Whether `tag` may open a sentence, and so follow any tag that closes an entity or
/// keeps out of one: `O`, `B` or `U`.
pub fn is_opening(tag: usize) -> bool {
    is_allowed(None, tag)
}

/// Whether a sentence may end on `tag` (no entity left open).
pub fn can_end(tag: usize) -> bool {
    !matches!(tag_label(tag), Some((_, Part::Begin | Part::Inside)))
}

/// For each tag, the tags allowed before it and after it. Most pairs are forbidden
/// (`I-X` after `O`, …), so walking only the allowed ones makes decoding several times
/// faster than the full loop over every pair of tags.
///
/// The moves have a block structure that decoding uses: every tag that closes or keeps
/// out of an entity (`O`, `L`, `U`: [`closed`](Moves::closed)) may be followed by every
/// tag that opens or keeps out of one (`O`, `B`, `U`: [`opening`](Moves::opening)), and
/// by nothing else; `I` and `L` follow only the `B` and `I` of their own label.
pub struct Moves {
    /// `before[t]`: the tags allowed right before tag `t`, in ascending order.
    pub before: Vec<Vec<usize>>,
    /// `after[t]`: the tags allowed right after tag `t`, in ascending order.
    pub after: Vec<Vec<usize>>,
    /// `O`, `B` and `U` tags, ascending: the tags whose `before` is [`closed`](Moves::closed).
    pub opening: Vec<usize>,
    /// `O`, `L` and `U` tags, ascending: the tags whose `after` is [`opening`](Moves::opening).
    pub closed: Vec<usize>,
    /// `I` and `L` tags, ascending: the tags not in [`opening`](Moves::opening), each
    /// allowed after only the `B` and `I` of its label.
    pub continuing: Vec<usize>,
    /// `B` and `I` tags, ascending: the tags not in [`closed`](Moves::closed), each
    /// allowed before only the `I` and `L` of its label.
    pub open: Vec<usize>,
}

impl Moves {
    /// The block of `transitions` (`prev * n_tags + next`) from each closed tag (rows, in
    /// the order of [`closed`](Moves::closed)) to each opening tag (columns), row by row;
    /// with `by_column`, column by column instead.
    pub fn closed_to_opening<F: Copy>(&self, transitions: &[F], by_column: bool) -> Vec<F> {
        let n_tags = self.before.len();
        let at = |p: usize, t: usize| transitions[p * n_tags + t];
        if by_column {
            let rows = self
                .opening
                .iter()
                .map(|&t| self.closed.iter().map(move |&p| at(p, t)));
            rows.flatten().collect()
        } else {
            let rows = self
                .closed
                .iter()
                .map(|&p| self.opening.iter().map(move |&t| at(p, t)));
            rows.flatten().collect()
        }
    }
}

/// The allowed moves between the `n_tags` tags of a label set, built once per size.
///
/// # Panics
/// If `n_tags` is not the tag count of at most [`MAX_LABELS`] labels.
pub fn moves(n_tags: usize) -> &'static Moves {
    static MOVES: [OnceLock<Moves>; MAX_LABELS + 1] = [const { OnceLock::new() }; MAX_LABELS + 1];
    assert!(n_tags % 4 == 1, "{n_tags} is not a tag count");
    MOVES[(n_tags - 1) / 4].get_or_init(|| Moves {
        before: (0..n_tags)
            .map(|t| (0..n_tags).filter(|&p| is_allowed(Some(p), t)).collect())
            .collect(),
        after: (0..n_tags)
            .map(|p| (0..n_tags).filter(|&t| is_allowed(Some(p), t)).collect())
            .collect(),
        opening: (0..n_tags).filter(|&t| is_opening(t)).collect(),
        closed: (0..n_tags).filter(|&t| can_end(t)).collect(),
        continuing: (0..n_tags).filter(|&t| !is_opening(t)).collect(),
        open: (0..n_tags).filter(|&t| !can_end(t)).collect(),
    })
}

/// Sets forbidden transitions (`transitions[prev * n_tags + next]`, with `n_tags` the
/// length of `start`) and forbidden start tags to `-inf`, so that decoding can only
/// produce well-formed spans.
pub fn forbid_invalid(transitions: &mut [f32], start: &mut [f32]) {
    let n_tags = start.len();
    for next in 0..n_tags {
        if !is_allowed(None, next) {
            start[next] = f32::NEG_INFINITY;
        }
        for prev in 0..n_tags {
            if !is_allowed(Some(prev), next) {
                transitions[prev * n_tags + next] = f32::NEG_INFINITY;
            }
        }
    }
}

/// Spans of a well-formed tag sequence (labels by number), without confidences.
pub fn spans_of(tags: &[usize]) -> Vec<(Range<usize>, usize)> {
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
pub fn tags_of(len: usize, spans: impl IntoIterator<Item = (Range<usize>, usize)>) -> Vec<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_tags_follow_exactly_the_closed_ones() {
        let moves = moves(tag_count(3));
        assert_eq!(moves.opening, [0, 1, 4, 5, 8, 9, 12]);
        assert_eq!(moves.closed, [0, 3, 4, 7, 8, 11, 12]);
        assert_eq!(moves.continuing, [2, 3, 6, 7, 10, 11]);
        assert_eq!(moves.open, [1, 2, 5, 6, 9, 10]);
        for t in 0..tag_count(3) {
            let opening = moves.opening.contains(&t);
            assert_eq!(opening, moves.before[t] == moves.closed, "before {t}");
            assert_eq!(
                moves.closed.contains(&t),
                moves.after[t] == moves.opening,
                "after {t}"
            );
            if !opening {
                assert_eq!(moves.before[t].len(), 2, "an I or L tag follows its B or I");
            }
        }
        let transitions: Vec<usize> = (0..tag_count(3) * tag_count(3)).collect();
        let rows = moves.closed_to_opening(&transitions, false);
        assert_eq!(rows[..2], [0, 1]);
        assert_eq!(rows[7], 3 * 13);
        let columns = moves.closed_to_opening(&transitions, true);
        assert_eq!(columns[..2], [0, 3 * 13]);
    }
}
