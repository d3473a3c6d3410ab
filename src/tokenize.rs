//! Tokenizer and sentence splitter for English prose.
//!
//! Tokens follow the Penn Treebank conventions of the training corpus (`n't`, `'s`,
//! hyphens and punctuation are tokens of their own) so that the model sees at run time
//! what it saw in training. Every token is a byte range of the original text that starts
//! and ends on character boundaries; nothing is normalised or copied.
//!
//! Cost is linear in the input: each chunk between spaces is scanned a bounded number of
//! times, and runs of the same punctuation character become one token.

pub(crate) use lines::starts_list_item;
use lines::LineBreaks;
pub(crate) use lines::Wrapping;
use std::ops::Range;

mod lines;

/// A token: a byte range of the input text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text within `text` (the string it was cut from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Sentences longer than this are cut, which keeps decoding memory per sentence bounded.
const MAX_SENTENCE_TOKENS: usize = 256;

/// Abbreviations that keep their period ("Corp.", "Mr."). Single letters ("A.") and
/// dotted forms ("U.S.", "p.m.") are recognised by shape instead.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "rev", "st", "jr", "sr", "co", "corp", "inc", "ltd", "cos",
    "bros", "plc", "assn", "dept", "univ", "no", "nos", "vs", "etc", "ave", "blvd", "mt", "ft",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ala",
    "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la",
    "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn",
    "tex", "va", "vt", "wash", "wis", "wyo", "approx", "est", "fig", "vol", "op",
];

/// Abbreviations that introduce a name or a number, so they never end a sentence.
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
    "capt", "cmdr", "adm", "maj", "rev", "st", "no", "nos", "vs", "mt", "ft",
];

/// Words that often start a sentence after an abbreviation that could also end one
/// ("... of Acme Inc. The company said ...").
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Its",
    "His",
    "Her",
    "Their",
    "Our",
    "On",
    "At",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "So",
    "Yet",
    "Still",
    "However",
    "Meanwhile",
    "Also",
    "For",
    "Some",
    "Many",
    "Most",
    "Other",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "Analysts",
    "Shares",
];

/// Cuts `text` into tokens.
///
/// ```
/// let text = "Mr. Smith didn't pay $57 billion.";
/// let words: Vec<&str> = onoma::tokenize(text).iter().map(|t| t.text(text)).collect();
/// assert_eq!(words, ["Mr.", "Smith", "did", "n't", "pay", "$", "57", "billion", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut buffers = Buffers::default();
    let mut chunk_start = None;
    for (i, c) in text.char_indices() {
        if is_separator(c) {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s..i, &mut buffers, &mut tokens);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, s..text.len(), &mut buffers, &mut tokens);
    }
    tokens
}

/// Groups `tokens` (from [`tokenize`] on the same `text`) into sentences, returned as
/// ranges of token indices that cover every token in order. A line break ends a sentence
/// unless it only wraps a line of hard-wrapped text (see `lines.rs`).
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    split_wrapped(text, tokens, None)
}

/// [`split_sentences`] of a piece of a longer text, whose line breaks are read as the
/// whole text's `wrapping` says.
pub(crate) fn split_piece(text: &str, tokens: &[Token], wrapping: Wrapping) -> Vec<Range<usize>> {
    split_wrapped(text, tokens, Some(wrapping))
}

fn split_wrapped(text: &str, tokens: &[Token], wrapping: Option<Wrapping>) -> Vec<Range<usize>> {
    let lines = LineBreaks::new(text, wrapping);
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let mut end = i + 1;
        let mut boundary = false;
        let word = tokens[i].text(text);
        if is_terminal(word) {
            // Closing quotes and brackets written right after the period belong to this sentence.
            while end < tokens.len()
                && tokens[end].start == tokens[end - 1].end
                && is_closing(tokens[end].text(text))
            {
                end += 1;
            }
            // A full stop, question or exclamation mark ends a sentence even before a
            // lower-case word (transcripts, chat); an ellipsis only before a capital.
            boundary = !is_ellipsis(word)
                || tokens
                    .get(end)
                    .is_none_or(|next| !starts_lowercase(next.text(text)));
        } else if word.len() > 1 && word.ends_with('.') && ends_sentence_abbrev(word) {
            boundary = tokens
                .get(end)
                .is_none_or(|next| SENTENCE_STARTERS.contains(&next.text(text)));
        }
        if let Some(next) = tokens.get(end) {
            boundary |= lines.ends_sentence(text, tokens[end - 1].end..next.start);
        }
        if boundary || end - start >= MAX_SENTENCE_TOKENS || end == tokens.len() {
            sentences.push(start..end);
            start = end;
        }
        i = end;
    }
    sentences
}

/// Characters between tokens: white space, and control characters (NUL and friends),
/// which never belong to a word.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Letters, digits and the marks that combine with them (accents written as separate
/// code points, zero-width joiners, variation selectors) never split a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c,
            '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}' | '\u{200D}' | '\u{E0100}'..='\u{E01EF}')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Characters that may stand inside a word between word characters: "1,000.50", "AT&T",
/// "O'Brien", "U.S", "and/or", "10:30", "e-mail" (hyphens are split later).
fn is_inner_char(c: char) -> bool {
    matches!(c, '.' | ',' | '&' | '/' | ':' | '_' | '+' | '@' | '-') || is_apostrophe(c)
}

/// A chunk: the characters of one run of non-separator text, with byte offsets.
struct Chunk<'a> {
    text: &'a str,
    chars: &'a [(usize, char)],
}

/// What splitting a chunk needs besides the chunk, kept from one chunk to the next so
/// that a text costs no allocation per word.
#[derive(Default)]
struct Buffers {
    chars: Vec<(usize, char)>,
    pieces: Vec<Range<usize>>,
    suffixes: Vec<Range<usize>>,
}

impl Chunk<'_> {
    fn byte(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(b, _)| b)
    }

    fn char(&self, i: usize) -> char {
        self.chars[i].1
    }

    /// Length of the run of `chars[i]` repeated, going forward from `i` (bounded by `end`).
    fn run_forward(&self, i: usize, end: usize) -> usize {
        let c = self.char(i);
        (i..end).take_while(|&j| self.char(j) == c).count()
    }

    /// Length of the run of `chars[end - 1]` repeated, going back (bounded by `start`).
    fn run_backward(&self, start: usize, end: usize) -> usize {
        let c = self.char(end - 1);
        (start..end)
            .rev()
            .take_while(|&j| self.char(j) == c)
            .count()
    }

    fn slice(&self, a: usize, b: usize) -> &str {
        &self.text[self.byte(a)..self.byte(b)]
    }
}

fn split_chunk(text: &str, bytes: Range<usize>, buffers: &mut Buffers, out: &mut Vec<Token>) {
    let (start, piece) = (bytes.start, &text[bytes]);
    let Buffers {
        chars,
        pieces,
        suffixes,
    } = buffers;
    chars.clear();
    chars.extend(piece.char_indices());
    pieces.clear();
    suffixes.clear();
    let chunk = Chunk { text: piece, chars };
    let (mut s, mut e) = (0, chunk.chars.len());

    // Prefixes: opening punctuation, currency signs, dashes.
    while s < e {
        let c = chunk.char(s);
        if is_word_char(c) || (c == '.' && s + 1 < e && chunk.char(s + 1).is_ascii_digit()) {
            break;
        }
        if is_apostrophe(c) && s + 1 < e && chunk.char(s + 1).is_ascii_digit() {
            break; // '90s
        }
        let n = chunk.run_forward(s, e);
        pieces.push(s..s + n);
        s += n;
    }
    // A currency code glued to its sign: "US$", "HK$".
    if let Some(k) = (s..e).take(3).find(|&k| chunk.char(k) == '$') {
        if k > s && (s..k).all(|j| chunk.char(j).is_ascii_uppercase()) {
            pieces.push(s..k + 1);
            s = k + 1;
        }
    }

    // Suffixes: closing punctuation, sentence periods, clitics.
    let mut kept_period = false;
    loop {
        if s >= e {
            break;
        }
        let c = chunk.char(e - 1);
        if c == '.' {
            let n = chunk.run_backward(s, e);
            if n == 1 && keeps_period(chunk.slice(s, e - 1)) {
                kept_period = true;
                e -= 1;
                break;
            }
            suffixes.push(e - n..e);
            e -= n;
        } else if !is_word_char(c) {
            let n = chunk.run_backward(s, e);
            suffixes.push(e - n..e);
            e -= n;
        } else if let Some(n) = clitic_len(&chunk, s, e) {
            suffixes.push(e - n..e);
            e -= n;
        } else {
            break;
        }
    }

    if is_url_or_email(chunk.slice(s, e)) {
        pieces.push(s..e);
    } else {
        split_inner(&chunk, s, e, pieces);
    }
    if kept_period {
        // "U.S." and "Corp." keep their period as part of the last word.
        if let Some(last) = pieces.last_mut() {
            last.end += 1;
        }
    }
    pieces.extend(suffixes.drain(..).rev());
    out.extend(pieces.drain(..).filter(|r| !r.is_empty()).map(|r| Token {
        start: start + chunk.byte(r.start),
        end: start + chunk.byte(r.end),
    }));
}

/// Splits the core of a chunk at hyphens, dashes and any punctuation that is not part of
/// a word.
fn split_inner(chunk: &Chunk, s: usize, e: usize, out: &mut Vec<Range<usize>>) {
    if is_iso_date(chunk.slice(s, e)) {
        out.push(s..e);
        return;
    }
    let mut word_start = s;
    let mut i = s;
    while i < e {
        let c = chunk.char(i);
        let prev_word = i > s && is_word_char(chunk.char(i - 1));
        let next_word = i + 1 < e && is_word_char(chunk.char(i + 1));
        let glue = is_word_char(c)
            || (is_inner_char(c)
                && c != '-'
                && prev_word
                && next_word
                && !is_comma_between_letters(chunk, i));
        if glue {
            i += 1;
            continue;
        }
        if c == '.'
            && i > word_start
            && chunk.run_forward(i, e) == 1
            && keeps_period(chunk.slice(word_start, i))
        {
            // "U.S.-Canada": the abbreviation keeps its period before the hyphen.
            out.push(word_start..i + 1);
            i += 1;
            word_start = i;
            continue;
        }
        let n = chunk.run_forward(i, e);
        out.push(word_start..i);
        out.push(i..i + n);
        i += n;
        word_start = i;
    }
    out.push(word_start..e);
}

/// "a,b" splits at the comma; "1,000" does not.
fn is_comma_between_letters(chunk: &Chunk, i: usize) -> bool {
    chunk.char(i) == ','
        && !(chunk.char(i - 1).is_ascii_digit() && chunk.char(i + 1).is_ascii_digit())
}

/// Length in chars of a clitic ending the word `chunk[s..e]`: `n't`, `'s`, `'re`, `'ve`,
/// `'ll`, `'d`, `'m`.
fn clitic_len(chunk: &Chunk, s: usize, e: usize) -> Option<usize> {
    let lower = |i: usize| chunk.char(i).to_ascii_lowercase();
    let len = e - s;
    if len >= 4 && lower(e - 1) == 't' && is_apostrophe(chunk.char(e - 2)) && lower(e - 3) == 'n' {
        return Some(3);
    }
    for clitic in ["s", "re", "ve", "ll", "d", "m"] {
        let n = clitic.len();
        if len > n + 1
            && is_apostrophe(chunk.char(e - n - 1))
            && (is_word_char(chunk.char(e - n - 2)) || after_kept_period(chunk, s, e - n - 1))
            && clitic
                .chars()
                .enumerate()
                .all(|(k, c)| lower(e - n + k) == c)
        {
            return Some(n + 1);
        }
    }
    None
}

/// "Inc.'s", "U.S.'s": a clitic at `end` follows an abbreviation's period.
fn after_kept_period(chunk: &Chunk, s: usize, end: usize) -> bool {
    end > s + 1 && chunk.char(end - 1) == '.' && keeps_period(chunk.slice(s, end - 1))
}

/// Whether a word written before a period keeps it: "Corp", "U.S", "p.m", "A".
fn keeps_period(word: &str) -> bool {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_alphabetic(),
        (None, _) => false,
        _ => is_dotted(word) || is_abbreviation(word),
    }
}

/// "U.S", "p.m", "N.Y": single letters joined by periods.
fn is_dotted(word: &str) -> bool {
    let mut expect_letter = true;
    let mut letters = 0;
    for c in word.chars() {
        if expect_letter && c.is_alphabetic() {
            letters += 1;
        } else if expect_letter || c != '.' {
            return false;
        }
        expect_letter = !expect_letter;
    }
    letters >= 2 && !expect_letter
}

fn is_abbreviation(word: &str) -> bool {
    word.len() <= 7 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// An abbreviation with its period that may also end a sentence ("Inc.", "U.S.").
fn ends_sentence_abbrev(word: &str) -> bool {
    let core = &word[..word.len() - 1];
    let is_initial = core.chars().count() == 1;
    !is_initial && !NEVER_FINAL.iter().any(|a| a.eq_ignore_ascii_case(core))
}

fn is_ellipsis(word: &str) -> bool {
    word == "…" || (word.len() > 1 && word.bytes().all(|b| b == b'.'))
}

fn is_terminal(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

fn is_closing(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '}' | '»'))
}

fn starts_lowercase(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

fn is_url_or_email(word: &str) -> bool {
    let lower_starts = |p: &str| {
        word.len() > p.len()
            && word
                .get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
    };
    if lower_starts("http://") || lower_starts("https://") || lower_starts("www.") {
        return true;
    }
    match word.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !host.ends_with('.'),
        None => false,
    }
}

/// "2026-07-16"
fn is_iso_date(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
