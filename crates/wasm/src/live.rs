//! Live analyses as a worker answers them: a recognizer handle keeps the text (in a
//! [`LiveDocument`]) and the entities it last answered with, so that after the first text
//! only an edit comes in and only the entities that changed go out (js/live.js keeps the
//! rest on the caller's side).

use crate::packing::{pack, rows, Row, StringTable};
use crate::{range_error, Filter, MAX_TEXT_LENGTH};
use onoma::{LiveDocument, Recognizer};
use serde::Serialize;
use std::ops::Range;
use wasm_bindgen::JsValue;

/// What a recognizer handle keeps between live analyses.
#[derive(Default)]
pub struct Live {
    document: LiveDocument,
    /// The entities of the last answer, and the strings their rows index.
    answered: Vec<Row>,
    strings: StringTable,
}

/// An answer to [`Live::edit`] as JavaScript sees it: the last answer's first `head` and
/// last `tail` entities (those moved by the edit's change of length) are kept, and
/// `entities` replace the rest; `pending` blocks are stale (see
/// [`LiveDocument::pending`]).
#[derive(Serialize)]
struct JsChanges {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    entities: JsValue,
    head: u32,
    tail: u32,
    tokens: u32,
    sentences: u32,
    pending: u32,
}

impl Live {
    /// See [`LiveDocument::set_refresh_limit`].
    pub fn set_refresh_limit(&mut self, bytes: Option<usize>) {
        self.document.set_refresh_limit(bytes);
    }

    /// The analysis of share `share` of `shares` of `text`, as `analyzeShare` answers it:
    /// `{entities, tokens, sentences}`.
    pub fn analyze(
        &mut self,
        ner: &Recognizer,
        text: &str,
        share: usize,
        shares: usize,
        filter: &Filter,
    ) -> JsValue {
        let counts = self.document.read_share(ner, text, share, shares);
        self.answer(text, filter);
        self.reply(pack(&self.answered, &self.strings), 0, 0, counts)
    }

    /// [`Live::analyze`] of the last text read with its UTF-16 code units `start..end`
    /// replaced by `inserted`, answered as the changes to the last answer (see
    /// [`JsChanges`]). A `RangeError` if `start..end` is not a range of whole characters of
    /// that text, or if the new text would be too long.
    #[allow(clippy::too_many_arguments)]
    pub fn edit(
        &mut self,
        ner: &Recognizer,
        start: u32,
        end: u32,
        inserted: &str,
        share: usize,
        shares: usize,
        filter: &Filter,
    ) -> Result<JsValue, JsValue> {
        let (start, end) = (start as usize, end as usize);
        let Some(bytes) = byte_range(self.document.text(), start..end) else {
            return Err(range_error(format!(
                "onoma: the edit {start}..{end} is not a range of whole characters of the text last read"
            )));
        };
        let length: usize = self.document.text().map(utf16_len).sum();
        let length = length - (end - start) + utf16_len(inserted);
        if length > MAX_TEXT_LENGTH as usize {
            return Err(range_error(format!(
                "onoma: text.length must be at most {MAX_TEXT_LENGTH}, got {length}; split longer texts"
            )));
        }
        let text = spliced(self.document.text(), bytes, inserted);
        let counts = self.document.read_share(ner, &text, share, shares);
        let before = std::mem::take(&mut self.answered);
        self.answer(&text, filter);
        let shift = utf16_len(inserted) as i64 - (end - start) as i64;
        let (head, tail) = kept(&before, &self.answered, start as u32, end as u32, shift);
        let changed = &self.answered[head..self.answered.len() - tail];
        let entities = pack(changed, &self.strings);
        Ok(self.reply(entities, head, tail, counts))
    }

    /// Remembers the entities of the share last read of `text` that `filter` keeps as the
    /// answer.
    fn answer(&mut self, text: &str, filter: &Filter) {
        let kept = self.document.entities().filter(|e| filter.keeps(e));
        self.answered = rows(text, kept, &mut self.strings);
    }

    /// The answer with `entities`, the numbers of kept ones, and `(tokens, sentences)`.
    fn reply(
        &self,
        entities: JsValue,
        head: usize,
        tail: usize,
        counts: (usize, usize),
    ) -> JsValue {
        let changes = JsChanges {
            entities,
            head: head as u32,
            tail: tail as u32,
            tokens: counts.0 as u32,
            sentences: counts.1 as u32,
            pending: self.document.pending() as u32,
        };
        serde_wasm_bindgen::to_value(&changes).expect("plain object")
    }
}

/// How many of the `old` rows are still rows of `new` (the answers before and after the
/// code units `start..end` were replaced, changing the length by `shift`), at the start and
/// then at the end: rows in text the edit left as it was, those after it moved by `shift`.
fn kept(old: &[Row], new: &[Row], start: u32, end: u32, shift: i64) -> (usize, usize) {
    let moved = |a: &Row| match a {
        a if a.end <= start => Some(*a),
        a if a.start >= end => Some(a.shifted(shift)),
        _ => None,
    };
    let same = |(a, b): &(&Row, &Row)| moved(a) == Some(**b);
    let head = old.iter().zip(new).take_while(same).count();
    let room = old.len().min(new.len()) - head;
    let tail = old.iter().rev().zip(new.iter().rev()).take(room);
    (head, tail.take_while(same).count())
}

/// The byte range of the UTF-16 code units `units` of the text in `pieces`; `None` unless
/// both ends fall between characters of the text.
fn byte_range<'a>(
    pieces: impl Iterator<Item = &'a str>,
    units: Range<usize>,
) -> Option<Range<usize>> {
    let (mut at, mut byte) = (0, 0);
    let mut start = None;
    for c in pieces.flat_map(str::chars).chain(['\0']) {
        if at == units.start {
            start = Some(byte);
        }
        if at == units.end {
            return start.map(|start| start..byte);
        }
        if at > units.end {
            return None;
        }
        at += c.len_utf16();
        byte += c.len_utf8();
    }
    None
}

/// The text in `pieces` with its bytes `bytes` replaced by `inserted`.
fn spliced<'a>(
    pieces: impl Iterator<Item = &'a str> + Clone,
    bytes: Range<usize>,
    inserted: &str,
) -> String {
    // The parts of the pieces within `range` of the text's bytes.
    let within = |range: Range<usize>| {
        let mut at = 0;
        pieces.clone().filter_map(move |piece| {
            let (from, to) = (at, at + piece.len());
            at = to;
            let (start, end) = (range.start.max(from), range.end.min(to));
            (start < end).then(|| &piece[start - from..end - from])
        })
    };
    let length: usize = pieces.clone().map(str::len).sum();
    let mut text = String::with_capacity(length - bytes.len() + inserted.len());
    text.extend(within(0..bytes.start));
    text.push_str(inserted);
    text.extend(within(bytes.end..length));
    text
}

/// The length of `text` in UTF-16 code units: one per character, two past U+FFFF (whose
/// first byte in UTF-8 is 0xF0 or more).
fn utf16_len(text: &str) -> usize {
    text.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}
