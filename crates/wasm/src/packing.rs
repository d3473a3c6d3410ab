//! Entities packed for js/entities.js, which builds the objects: far cheaper there than
//! objects built field by field across the boundary.

use js_sys::{Array, Float64Array, JsString, Object, Reflect};
use onoma::offsets::{OffsetConverter, Unit};
use onoma::{EntityRef, Source};
use std::collections::HashMap;
use wasm_bindgen::JsValue;

/// Numbers per entity in [`pack`]'s packing.
const PACKED: usize = 6;

/// An entity as JavaScript gets it: offsets in UTF-16 code units, its label and pattern id
/// as indices in a [`StringTable`].
#[derive(Clone, Copy, PartialEq)]
pub struct Row {
    pub start: u32,
    pub end: u32,
    label: u32,
    score: f32,
    pattern: bool,
    id: Option<u32>,
}

impl Row {
    /// The same entity `shift` code units further on.
    pub fn shifted(self, shift: i64) -> Row {
        let move_by = |offset: u32| (i64::from(offset) + shift) as u32;
        Row {
            start: move_by(self.start),
            end: move_by(self.end),
            ..self
        }
    }
}

/// Strings numbered in the order first met.
#[derive(Default)]
pub struct StringTable {
    strings: Vec<String>,
    index: HashMap<String, u32>,
}

impl StringTable {
    /// The number of `name`, given it now if it has none.
    fn index_of(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.index.get(name) {
            return index;
        }
        let index = self.strings.len() as u32;
        self.strings.push(name.to_owned());
        self.index.insert(name.to_owned(), index);
        index
    }
}

/// The rows of `entities` (in increasing order of start) of `text`, their strings
/// numbered in `strings`.
pub fn rows<'a>(
    text: &str,
    entities: impl Iterator<Item = EntityRef<'a>>,
    strings: &mut StringTable,
) -> Vec<Row> {
    let mut utf16 = OffsetConverter::new(text, Unit::Utf16);
    entities
        .map(|e| Row {
            start: utf16.convert(e.start) as u32,
            end: utf16.convert(e.end) as u32,
            label: strings.index_of(e.label),
            score: e.score,
            pattern: e.source == Source::Pattern,
            id: e.id.map(|id| strings.index_of(id)),
        })
        .collect()
}

/// `{numbers, strings}`: `numbers` is a `Float64Array` of [`PACKED`] numbers per row
/// (start and end in UTF-16 code units, the index of its label in `strings`, score, 1 when
/// a pattern found it, the index of its pattern's id in `strings` or -1).
pub fn pack(rows: &[Row], strings: &StringTable) -> JsValue {
    // Copied out a chunk at a time, so that no second copy of every row is made here.
    const CHUNK: usize = 4096;
    let numbers = Float64Array::new_with_length((rows.len() * PACKED) as u32);
    let mut chunk = Vec::with_capacity(CHUNK * PACKED);
    for (i, part) in rows.chunks(CHUNK).enumerate() {
        chunk.clear();
        for row in part {
            chunk.extend([
                f64::from(row.start),
                f64::from(row.end),
                f64::from(row.label),
                shortest(row.score),
                f64::from(u8::from(row.pattern)),
                row.id.map_or(-1.0, f64::from),
            ]);
        }
        numbers.set(&Float64Array::from(&chunk[..]), (i * CHUNK * PACKED) as u32);
    }
    let packed = Object::new();
    let strings: Array = strings
        .strings
        .iter()
        .map(|s| JsString::from(s.as_str()))
        .collect();
    Reflect::set(&packed, &"numbers".into(), &numbers).expect("a plain object");
    Reflect::set(&packed, &"strings".into(), &strings).expect("a plain object");
    packed.into()
}

/// The `f64` that prints like the `f32` (`0.9`, not `0.8999999761581421`).
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}
