//! Converting byte offsets to the units other languages count in.
//!
//! Rust APIs speak bytes; JavaScript strings count UTF-16 code units; the CLI's JSON (and
//! the shared scorer) count Unicode code points. A converter walks the text once, so
//! converting all the offsets of a document in increasing order costs linear time.

/// The unit to convert byte offsets to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (Python's `str` indices).
    CodePoint,
    /// UTF-16 code units (JavaScript's `String` indices).
    Utf16,
}

/// Converts byte offsets of one text, visited in any order, fastest when increasing.
pub struct OffsetConverter<'a> {
    text: &'a str,
    unit: Unit,
    byte: usize,
    converted: usize,
}

impl<'a> OffsetConverter<'a> {
    /// A converter over `text`.
    pub fn new(text: &'a str, unit: Unit) -> Self {
        OffsetConverter {
            text,
            unit,
            byte: 0,
            converted: 0,
        }
    }

    /// The offset in the target unit of byte offset `byte`, which must lie on a
    /// character boundary of the text.
    ///
    /// ```
    /// use onoma::offsets::{OffsetConverter, Unit};
    /// let text = "😀 Zürich";
    /// assert_eq!(OffsetConverter::new(text, Unit::CodePoint).convert(5), 2);
    /// assert_eq!(OffsetConverter::new(text, Unit::Utf16).convert(5), 3);
    /// ```
    pub fn convert(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.converted = 0;
        }
        let unit = self.unit;
        self.converted += self.text[self.byte..byte]
            .chars()
            .map(|c| match unit {
                Unit::CodePoint => 1,
                Unit::Utf16 => c.len_utf16(),
            })
            .sum::<usize>();
        self.byte = byte;
        self.converted
    }
}
