//! Span clean-up: entity edges where a reader would put them.
//!
//! The model tags token by token and learned from newswire, so a few of its spans end
//! where no reader would cut: on an emoji ("Elon Musk 🚀"), on half of a flag, after the
//! currency sign of an amount ("$" outside "95", as the corpus often marks it against
//! its own guidelines), inside "this year", or on the number of a list item. This step
//! runs after decoding on raw text, and only moves edges or drops a span:
//!
//! - tokens of emoji, pictographs and other symbols that belong to no entity are cut
//!   from both edges (currency signs, `%`, `°`, quotation marks and other punctuation
//!   stay: entities carry them);
//! - a MONEY span takes in the currency sign or prefix (`$`, `US$`, `HK$`, `€`) right
//!   before it;
//! - a DATE span that starts on a unit ("year", "week") takes in the "this", "last" or
//!   "next" before it;
//! - the number of a list item ("1." at the start of a line) is not an entity;
//! - edges never fall inside a grapheme cluster.
//!
//! A moved span keeps the confidence the model gave the span it decoded.

use crate::decode::Span;
use crate::label::{KnownLabels, Label};
use crate::tokenize::{starts_list_item, Token};
use std::ops::Range;
use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

/// Cleans up the decoded `spans` of one sentence, whose tokens are `tokens` of `text`;
/// `known` says which of the model's labels are MONEY and DATE.
pub(crate) fn tidy(
    text: &str,
    tokens: &[Token],
    spans: Vec<Span>,
    known: &KnownLabels,
) -> Vec<Span> {
    let mut kept: Vec<Span> = Vec::with_capacity(spans.len());
    for mut span in spans {
        let word = |i: usize| tokens[i].text(text);
        let r = &mut span.tokens;
        while r.start < r.end && is_decoration(word(r.start)) {
            r.start += 1;
        }
        while r.start < r.end && is_decoration(word(r.end - 1)) {
            r.end -= 1;
        }
        if r.start == r.end || is_list_marker(text, tokens, r) {
            continue;
        }
        let free_before = kept.last().map_or(0, |k| k.tokens.end);
        let adjacent = |i: usize| tokens[i].end == tokens[i + 1].start;
        if r.start > free_before {
            let before = r.start - 1;
            let takes_sign = known.is(span.label, Label::Money) && is_currency(word(before));
            let takes_determiner = known.is(span.label, Label::Date)
                && is_time_unit(word(r.start))
                && is_deictic(word(before))
                && !adjacent(before);
            if takes_sign || takes_determiner {
                r.start = before;
            }
        }
        kept.push(span);
    }
    kept
}

/// The byte range `start..end` of `text` with each edge moved to the end of the grapheme
/// cluster it falls in, so that no cluster is split (the part of a cluster before the
/// start is left out, the part after the end taken in), then without the clusters at
/// either edge that start with a symbol no entity carries (an emoji with a combining mark
/// after it is one cluster, and one token). Empty when nothing is left.
pub(crate) fn snap_to_graphemes(text: &str, start: usize, end: usize) -> Range<usize> {
    let next_boundary = |at: usize| {
        let mut cursor = GraphemeCursor::new(at, text.len(), true);
        match cursor.is_boundary(text, 0) {
            Ok(true) => at,
            _ => cursor
                .next_boundary(text, 0)
                .ok()
                .flatten()
                .unwrap_or(text.len()),
        }
    };
    let start = next_boundary(start);
    let end = next_boundary(end).max(start);
    let span = &text[start..end];
    let kept = |(_, g): &(usize, &str)| !g.chars().next().is_some_and(is_decoration_char);
    let first = span.grapheme_indices(true).find(kept).map(|(i, _)| i);
    let last = span.grapheme_indices(true).rev().find(kept);
    match (first, last) {
        (Some(a), Some((b, g))) => start + a..start + b + g.len(),
        _ => start..start,
    }
}

/// A token of emoji, pictographs, arrows, modifiers and other symbols that no entity
/// begins or ends with: no letter or digit, and none of the punctuation and signs that
/// entities carry.
fn is_decoration(token: &str) -> bool {
    token.chars().all(is_decoration_char)
}

fn is_decoration_char(c: char) -> bool {
    is_pictograph(c) || (!c.is_alphanumeric() && !is_entity_sign(c))
}

/// Emoji, pictographs, arrows and dingbats, whose blocks hold a few digits ("➌", "🄂"):
/// decoration even so.
fn is_pictograph(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}' | '\u{2190}'..='\u{21FF}' | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}')
}

/// Punctuation and signs that may stand at the edge of an entity.
fn is_entity_sign(c: char) -> bool {
    c.is_ascii_punctuation()
        || is_currency_char(c)
        || matches!(
            c,
            '‘' | '’'
                | '“'
                | '”'
                | '«'
                | '»'
                | '„'
                | '–'
                | '—'
                | '…'
                | '°'
                | '‰'
                | '′'
                | '″'
                | '§'
                | '¶'
                | '·'
        )
}

fn is_currency_char(c: char) -> bool {
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '৳' | '฿' | '៛' | '﷼' | '\u{20A0}'..='\u{20CF}'
    )
}

/// A currency sign, alone or after a country prefix: "$", "€", "US$", "HK$", "C$", "R$".
fn is_currency(token: &str) -> bool {
    let mut chars = token.chars();
    let Some(sign) = chars.next_back() else {
        return false;
    };
    let prefix = chars.as_str();
    is_currency_char(sign) && prefix.len() <= 3 && prefix.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_time_unit(word: &str) -> bool {
    const UNITS: [&str; 9] = [
        "year", "month", "week", "weekend", "quarter", "season", "decade", "century", "spring",
    ];
    UNITS.iter().any(|u| u.eq_ignore_ascii_case(word))
}

fn is_deictic(word: &str) -> bool {
    ["this", "last", "next", "that", "past", "coming"]
        .iter()
        .any(|d| d.eq_ignore_ascii_case(word))
}

/// Whether the tokens `r` are the number of a list item: a number of one to three digits
/// that starts its line, with "." or ")" right after it (in the span or not) and then
/// white space.
fn is_list_marker(text: &str, tokens: &[Token], r: &Range<usize>) -> bool {
    let number = tokens[r.start];
    let digits = number.text(text);
    let before = text[..number.start].trim_end_matches([' ', '\t', '\r']);
    let first_on_line = before.is_empty() || before.ends_with('\n');
    let span_is_marker = r.len() == 1 || (r.len() == 2 && tokens[r.start + 1].start == number.end);
    digits.bytes().all(|b| b.is_ascii_digit())
        && first_on_line
        && span_is_marker
        && starts_list_item(&text[number.start..])
}
