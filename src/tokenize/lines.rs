//! Which line breaks end a sentence.
//!
//! Text pasted from a PDF, an e-mail or a terminal is hard-wrapped: a break every 70 or
//! so characters, wherever the next word did not fit. A reader reads such a break as a
//! space, and so must the sentence splitter, or "Zhang\nLi" becomes two names. A blank
//! line, a list item, or a heading, byline or dateline on a line of its own is a boundary.
//!
//! A text counts as hard-wrapped when most of its lines are at most [`MAX_WRAP_WIDTH`]
//! characters (the width: the length four lines in five stay within) and at least a third
//! of them (and three or more) come within an eighth of that width: a wrapper leaves
//! lines of nearly equal length, prose written one paragraph per line does not. In such a text a single break is soft when the line before it is
//! full, that is when the first word of the next line would not have fitted on it.

use std::ops::Range;

/// Widest line of a text taken as hard-wrapped, in characters (e-mail wraps at 72–78,
/// terminals at 80, PDFs somewhat wider).
const MAX_WRAP_WIDTH: usize = 100;
/// Narrowest: below this, lines are a list or verse, not wrapped prose.
const MIN_WRAP_WIDTH: usize = 45;

/// The lines of a text and, when it is hard-wrapped, the width it is wrapped at.
pub(super) struct LineBreaks {
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// Length of each line in characters, trailing white space left out.
    lengths: Vec<usize>,
    /// The width and how far short of it a line may end and still be full (a
    /// proportional font in a PDF leaves lines of uneven length); `None` when the text is
    /// not hard-wrapped.
    wrap: Option<(usize, usize)>,
}

/// Whether a text is hard-wrapped, and at what width: what decides which of its single
/// line breaks end a sentence. It is read from the whole text, so that a paragraph of it
/// splits into the same sentences alone as within the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Wrapping(Option<(usize, usize)>);

impl Wrapping {
    /// How `text` is wrapped.
    pub fn of(text: &str) -> Self {
        Wrapping::from_lengths(&line_lengths(text))
    }

    /// Whether the text is hard-wrapped.
    pub fn is_wrapped(self) -> bool {
        self.0.is_some()
    }

    fn from_lengths(lengths: &[usize]) -> Self {
        let mut written: Vec<usize> = lengths.iter().copied().filter(|&n| n > 0).collect();
        written.sort_unstable();
        // Not the longest line: a URL or a table row may stick out of a wrapped text.
        let width = written.get(written.len() * 4 / 5).copied().unwrap_or(0);
        let slack = width / 8;
        let full = written.iter().filter(|&&n| n + slack >= width).count();
        let written = written.len();
        let wrapped =
            (MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&width) && full >= 3 && full * 3 >= written;
        Wrapping(wrapped.then_some((width, slack)))
    }
}

/// Length of each line of `text` in characters, trailing white space left out.
fn line_lengths(text: &str) -> Vec<usize> {
    text.split('\n')
        .map(|line| line.trim_end().chars().count())
        .collect()
}

impl LineBreaks {
    /// Reads the lines of `text`, wrapped as `wrapping` says, or as it is itself.
    pub(super) fn new(text: &str, wrapping: Option<Wrapping>) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let lengths = line_lengths(text);
        let wrap = wrapping
            .unwrap_or_else(|| Wrapping::from_lengths(&lengths))
            .0;
        LineBreaks {
            starts,
            lengths,
            wrap,
        }
    }

    /// Whether the white space `gap` of `text`, between two tokens, ends a sentence
    /// because of the line breaks in it.
    pub(super) fn ends_sentence(&self, text: &str, gap: Range<usize>) -> bool {
        let breaks = text[gap.clone()].matches('\n').count();
        if breaks == 0 {
            return false;
        }
        let Some((width, slack)) = self.wrap else {
            return true;
        };
        if breaks > 1 || starts_list_item(&text[gap.end..]) {
            return true;
        }
        let line = self.starts.partition_point(|&s| s <= gap.start) - 1;
        let next_word = text[gap.end..]
            .split(char::is_whitespace)
            .next()
            .map_or(0, |w| w.chars().count());
        self.lengths[line] + 1 + next_word + slack <= width
    }
}

/// Whether `line` starts with a list marker and a space: "-", "*", "•", "1.", "2)",
/// "a)", "(3)".
pub(crate) fn starts_list_item(line: &str) -> bool {
    let Some((marker, _)) = line.split_once([' ', '\t']) else {
        return false;
    };
    let numbered = |m: &str| {
        let digits = m.trim_start_matches('(');
        let number = (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        let letter = digits.len() == 1 && digits.bytes().all(|b| b.is_ascii_lowercase());
        number || letter
    };
    matches!(marker, "-" | "*" | "•" | "–" | "—" | "▪" | "◦" | "‣" | "·")
        || marker
            .strip_suffix(['.', ')'])
            .is_some_and(|m| numbered(m) && (!m.starts_with('(') || marker.ends_with(')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_markers() {
        for item in [
            "- milk", "* eggs", "• tea", "1. Paris", "12) Rome", "a) Oslo", "(3) Bern",
        ] {
            assert!(starts_list_item(item), "{item}");
        }
        for prose in [
            "1990 was",
            "U.S. troops",
            "A. Smith",
            "Dr. No",
            "-5 degrees",
            "(3 of",
        ] {
            assert!(!starts_list_item(prose), "{prose}");
        }
    }
}
