//! Amounts of money and clock times in the forms people write.
//!
//! Newswire writes "$20" and "3 p.m."; everyday writing also has "20 euros", "350 pesos",
//! "$18k", "3pm" and "10:30", forms the corpus hardly shows, so the model tags them as
//! QUANTITY, TIME or ORDINAL, or not at all. These few patterns find them in the tokens of
//! a sentence, in any case:
//!
//! - MONEY: a currency sign or code and a number ("$18k", "€2.5bn", "USD 40", "Rs 500"),
//!   or a number and a currency word or code ("20 euros", "1,400 won", "5 million
//!   dollars", "40 USD"), a magnitude ("million", "bn", "k") allowed after the number;
//! - TIME: a clock time ("3pm", "8 p.m.", "9:45pm", "10:30", "7 o'clock"), "noon" and
//!   "midnight".
//!
//! A pattern's span replaces the model's spans it overlaps, unless a model span of the
//! same label covers it and every other pattern it overlaps ("$5 million a year",
//! "10:30 a.m. EST", the range "$12 million to $15 million").

use crate::decode::Span;
use crate::label::{KnownLabels, Label};
use crate::tokenize::Token;
use std::ops::Range;

/// Confidence given to a span found by a pattern.
const PATTERN_CONFIDENCE: f32 = 1.0;

/// Merges the amounts and times found in the sentence `tokens` of `text` into the
/// model's `spans` (token ranges within the sentence, in order), for the labels of the
/// two that the model has (`known`).
pub(crate) fn add_amounts_and_times(
    text: &str,
    tokens: &[Token],
    spans: Vec<Span>,
    known: &KnownLabels,
) -> Vec<Span> {
    let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
    let found: Vec<(Range<usize>, usize)> = find(&words)
        .into_iter()
        .filter_map(|(r, label)| Some((r, known.number(label)?)))
        .collect();
    if found.is_empty() {
        return spans;
    }
    let overlaps = |a: &Range<usize>, b: &Range<usize>| a.start < b.end && b.start < a.end;
    let mut kept: Vec<Span> = Vec::with_capacity(spans.len() + found.len());
    for span in spans {
        let inside: Vec<_> = found
            .iter()
            .filter(|(r, _)| overlaps(r, &span.tokens))
            .collect();
        let covers_all = inside.iter().all(|(r, label)| {
            *label == span.label && span.tokens.start <= r.start && r.end <= span.tokens.end
        });
        if covers_all {
            kept.push(span);
        }
    }
    for (tokens, label) in found {
        if !kept.iter().any(|s| overlaps(&s.tokens, &tokens)) {
            kept.push(Span {
                tokens,
                label,
                confidence: PATTERN_CONFIDENCE,
            });
        }
    }
    kept.sort_by_key(|s| s.tokens.start);
    kept
}

/// The amounts and times among `words`, left to right, not overlapping.
fn find(words: &[&str]) -> Vec<(Range<usize>, Label)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match amount_at(words, i).or_else(|| time_at(words, i)) {
            Some((end, label)) => {
                found.push((i..end, label));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

/// A MONEY span starting at word `i`: its end.
fn amount_at(words: &[&str], i: usize) -> Option<(usize, Label)> {
    let word = |k: usize| words.get(k).copied().unwrap_or("");
    if is_sign(word(i)) && is_number(word(i + 1)) {
        return Some((after_magnitude(words, i + 2), Label::Money));
    }
    if is_number(word(i)) {
        let end = after_magnitude(words, i + 1);
        // "won" after a small number or a year is the verb: "all 3 won", "in 1996 won".
        let verb = word(end).eq_ignore_ascii_case("won")
            && end == i + 1
            && (word(i).len() < 3 || is_year(word(i)));
        if is_currency_word(word(end)) && !verb {
            return Some((end + 1, Label::Money));
        }
        // "pounds" alone is as often a weight.
        if matches_any(word(end), &["pound", "pounds"])
            && word(end + 1).eq_ignore_ascii_case("sterling")
        {
            return Some((end + 2, Label::Money));
        }
    }
    None
}

/// A TIME span starting at word `i`: its end.
fn time_at(words: &[&str], i: usize) -> Option<(usize, Label)> {
    let word = words[i];
    let next = words.get(i + 1).copied().unwrap_or("");
    let end = if is_clock_with_half(word) || is_clock(word) && is_half_of_day(next) {
        i + 1 + usize::from(!is_clock_with_half(word))
    } else if is_hours_minutes(word) && matches_any(next, &["noon", "midnight"]) {
        i + 2
    } else if is_hours_minutes(word) || matches_any(word, &["noon", "midnight"]) {
        i + 1
    } else if is_hour(word) && next.eq_ignore_ascii_case("o'clock") {
        i + 2
    } else {
        return None;
    };
    Some((end, Label::Time))
}

fn after_magnitude(words: &[&str], k: usize) -> usize {
    const MAGNITUDES: [&str; 8] = [
        "thousand", "million", "billion", "trillion", "k", "m", "bn", "mn",
    ];
    k + usize::from(words.get(k).is_some_and(|w| matches_any(w, &MAGNITUDES)))
}

fn matches_any(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// "20", "1,400", "2.5", "18k", "2.5bn".
fn is_number(word: &str) -> bool {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let plain = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.');
    plain && (suffix.is_empty() || matches_any(suffix, &["k", "m", "bn", "mn", "b"]))
}

/// A currency sign ("$", "€", "US$", "HK$") or a code or abbreviation written before the
/// amount ("USD", "Rs").
fn is_sign(word: &str) -> bool {
    let mut chars = word.chars();
    let sign = chars.next_back().is_some_and(|c| {
        matches!(
            c,
            '$' | '¢'
                | '£'
                | '¥'
                | '৳'
                | '฿'
                | '₩'
                | '₹'
                | '₦'
                | '₽'
                | '₪'
                | '€'
                | '₺'
                | '₱'
                | '₫'
                | '₴'
        )
    });
    let prefix = chars.as_str();
    (sign && prefix.len() <= 3 && prefix.bytes().all(|b| b.is_ascii_uppercase()))
        || matches_any(word, &CODES)
        || matches_any(word, &["Rs", "Rs."])
}

/// Codes written next to an amount.
const CODES: [&str; 12] = [
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "CHF", "CAD", "AUD", "HKD", "NGN",
];

/// A currency after the amount: a name ("euros", "pesos", "won") or a code ("USD").
fn is_currency_word(word: &str) -> bool {
    const NAMES: [&str; 40] = [
        "dollar", "dollars", "euro", "euros", "cent", "cents", "pence", "peso", "pesos", "yen",
        "yuan", "renminbi", "rupee", "rupees", "won", "franc", "francs", "rouble", "roubles",
        "ruble", "rubles", "naira", "rand", "dinar", "dinars", "dirham", "dirhams", "riyal",
        "riyals", "reais", "lira", "shekel", "shekels", "baht", "ringgit", "kronor", "kroner",
        "zloty", "bucks", "quid",
    ];
    matches_any(word, &NAMES) || matches_any(word, &CODES)
}

fn is_year(word: &str) -> bool {
    word.parse::<u16>().is_ok_and(|y| (1000..2100).contains(&y))
}

/// "3", "12": an hour of a twelve-hour clock.
fn is_hour(word: &str) -> bool {
    word.parse::<u8>().is_ok_and(|h| (1..=12).contains(&h))
}

/// "3", "10:30", "10.30": a time before "pm".
fn is_clock(word: &str) -> bool {
    is_hour(word) || is_hours_minutes(word) || is_dotted_clock(word)
}

/// "10:30", "21:45".
fn is_hours_minutes(word: &str) -> bool {
    let Some((h, m)) = word.split_once(':') else {
        return false;
    };
    (1..=2).contains(&h.len())
        && h.parse::<u8>().is_ok_and(|h| h <= 24)
        && m.len() == 2
        && m.parse::<u8>().is_ok_and(|m| m < 60)
}

fn is_dotted_clock(word: &str) -> bool {
    word.split_once('.')
        .is_some_and(|(h, m)| is_hour(h) && m.len() == 2 && m.parse::<u8>().is_ok_and(|m| m < 60))
}

/// "am", "p.m.", "PM".
fn is_half_of_day(word: &str) -> bool {
    matches_any(word, &["am", "pm", "a.m.", "p.m.", "a.m", "p.m"])
}

/// "3pm", "10.30am", "9:45p.m.": a clock time and its half of the day in one token.
fn is_clock_with_half(word: &str) -> bool {
    ["am", "pm", "a.m.", "p.m."].iter().any(|half| {
        let cut = word.len().saturating_sub(half.len());
        word.get(cut..)
            .is_some_and(|end| end.eq_ignore_ascii_case(half) && is_clock(&word[..cut]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(String, Label)> {
        let words: Vec<&str> = text.split(' ').collect();
        find(&words)
            .into_iter()
            .map(|(r, l)| (words[r].join(" "), l))
            .collect()
    }

    #[test]
    fn amounts_in_everyday_forms() {
        for (text, amount) in [
            ("earns 20 euros an hour", "20 euros"),
            ("paid $ 18k for it", "$ 18k"),
            ("a € 2.5bn deal", "€ 2.5bn"),
            ("1,400 won each", "1,400 won"),
            ("5 million dollars", "5 million dollars"),
            ("costs USD 40 now", "USD 40"),
            ("costs 40 usd now", "40 usd"),
            ("Rs 500 only", "Rs 500"),
            ("150 pounds sterling", "150 pounds sterling"),
        ] {
            assert_eq!(spans(text), [(amount.to_string(), Label::Money)], "{text}");
        }
    }

    #[test]
    fn clock_times() {
        for (text, time) in [
            ("at 3pm tomorrow", "3pm"),
            ("at 8 p.m. sharp", "8 p.m."),
            ("by 10:30 today", "10:30"),
            ("at 9:45PM", "9:45PM"),
            ("at 10.30am", "10.30am"),
            ("at noon", "noon"),
            ("at 12:00 noon", "12:00 noon"),
            ("at 7 o'clock", "7 o'clock"),
        ] {
            assert_eq!(spans(text), [(time.to_string(), Label::Time)], "{text}");
        }
    }

    #[test]
    fn numbers_that_are_neither() {
        for text in [
            "he won 3 games",
            "all 3 won",
            "in 1996 won",
            "3 p",
            "scored 3:30.974",
            "at 8",
            "25:30 ratio",
        ] {
            assert_eq!(spans(text), [], "{text}");
        }
    }
}
