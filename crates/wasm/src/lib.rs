//! JavaScript bindings (wasm32 only): the raw layer under the npm package's `js/` wrapper,
//! which is the public JavaScript API.
//!
//! Recognizers live in a table inside the instance and JavaScript holds their index, not a
//! pointer to a wasm-bindgen object: when a trap forces the wrapper to re-instantiate the
//! module, no finalizer can free memory of the fresh instance through a pointer into the
//! old one. (js/core.js reloads its recognizers then, never passing an old index on.)
//!
//! Offsets are UTF-16 code units of the caller's string. The string reaches Rust through
//! `TextEncoder`, which replaces each lone surrogate (one code unit) with U+FFFD (also one
//! code unit), so UTF-16 offsets in the converted text are offsets in the original; js/core.js
//! slices entity texts from the original JavaScript string so they keep those surrogates.
//!
//! Built for `wasm32-unknown-unknown` only; on other targets the crate is empty, so that
//! `cargo build --workspace` works everywhere.
#![cfg(target_arch = "wasm32")]

mod live;
mod packing;

use js_sys::{Array, JsString, Number, Object, RangeError, Reflect, TypeError};
use live::Live;
use onoma::{
    Analysis, Entity, EntityRef, PatternOptions, PatternValue, Patterns, Precedence, Recognizer,
};
use packing::{pack, rows, StringTable};
use serde::Serialize;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Loaded recognizers; `None` marks a released slot.
    static RECOGNIZERS: RefCell<Vec<Option<Rc<Recognizer>>>> = const { RefCell::new(Vec::new()) };
    /// Per recognizer handle: the text it last analysed with `analyzeLive` and its answer,
    /// kept so that the next call reads only what changed.
    static LIVE: RefCell<Vec<Option<Live>>> = const { RefCell::new(Vec::new()) };
    /// The built-in model, parsed once however many recognizers use it.
    static DEFAULT: OnceCell<Rc<Recognizer>> = const { OnceCell::new() };
}

fn register(ner: Rc<Recognizer>) -> u32 {
    RECOGNIZERS.with_borrow_mut(|table| {
        let slot = table.iter().position(Option::is_none).unwrap_or_else(|| {
            table.push(None);
            table.len() - 1
        });
        table[slot] = Some(ner);
        slot as u32
    })
}

fn recognizer(handle: u32) -> Result<Rc<Recognizer>, JsError> {
    RECOGNIZERS
        .with_borrow(|table| table.get(handle as usize).cloned().flatten())
        .ok_or_else(|| JsError::new("onoma: this recognizer has been released"))
}

/// Loads the built-in English model; returns the recognizer's handle. The package ships it
/// as a file of its own (`onoma-en.onm`, beside the engine's two builds): the first call in
/// an instance passes its bytes, later calls may pass `undefined` and share the parsed model.
#[wasm_bindgen(js_name = loadDefault)]
pub fn load_default(bytes: Option<Vec<u8>>) -> Result<u32, JsError> {
    let parsed = DEFAULT.with(|cell| match (cell.get(), bytes) {
        (Some(ner), _) => Ok(Rc::clone(ner)),
        (None, Some(bytes)) => {
            let ner = Recognizer::from_bytes(&bytes)
                .map_err(|e| JsError::new(&format!("onoma: the built-in model: {e}")))?;
            Ok(Rc::clone(cell.get_or_init(|| Rc::new(ner))))
        }
        (None, None) => Err(JsError::new(
            "onoma: the built-in model has not been loaded in this instance",
        )),
    })?;
    Ok(register(parsed))
}

/// Loads a model from the bytes of an `.onm` file; returns the recognizer's handle.
#[wasm_bindgen(js_name = loadModel)]
pub fn load_model(bytes: &[u8]) -> Result<u32, JsError> {
    let ner = Recognizer::from_bytes(bytes).map_err(|e| JsError::new(&format!("onoma: {e}")))?;
    Ok(register(Rc::new(ner)))
}

/// Frees a recognizer; releasing it twice is harmless.
#[wasm_bindgen]
pub fn release(handle: u32) {
    RECOGNIZERS.with_borrow_mut(|table| {
        if let Some(slot) = table.get_mut(handle as usize) {
            *slot = None;
        }
    });
    LIVE.with_borrow_mut(|live| {
        if let Some(slot) = live.get_mut(handle as usize) {
            *slot = None;
        }
    });
}

/// The longest text accepted, in UTF-16 code units (JavaScript's `text.length`).
///
/// The engine's memory grows by about 300 bytes per token, and a wasm32 memory ends at
/// 4 GiB. English prose has a token every 5 or 6 code units (10 million code units used
/// 0.55 GiB in Node 20), but where every character is a token of its own (".-.-", "北，北，")
/// each code unit costs up to 320 bytes: 13 million such code units used 3.7 GiB and 14
/// million trapped. At this limit they use 3.0 GiB, leaving a quarter of the memory spare.
/// A batch's texts are analysed one at a time, in the same memory: the limit is per text.
pub const MAX_TEXT_LENGTH: u32 = 10_000_000;

/// An argument of the wrong type, or an options object of the wrong shape.
fn type_error(message: String) -> JsValue {
    TypeError::new(&message).into()
}

/// An argument of the right type but outside what is allowed.
pub(crate) fn range_error(message: String) -> JsValue {
    RangeError::new(&message).into()
}

/// Which entities the caller wants.
pub(crate) struct Filter {
    /// The labels to keep (as the recognizer spells them); `None` keeps every label.
    labels: Option<Vec<String>>,
    min_score: f32,
}

impl Filter {
    /// The filter `options` asks for; `options`, or any option, being `undefined` or `null`
    /// means no filtering on that account. Labels are those `ner` knows.
    fn parse(options: &JsValue, ner: &Recognizer) -> Result<Filter, JsValue> {
        let mut filter = Filter {
            labels: None,
            min_score: 0.0,
        };
        if options.is_undefined() || options.is_null() {
            return Ok(filter);
        }
        check_option_names(options)?;
        if let Some(labels) = option(options, "labels")? {
            filter.labels = Some(label_set(&labels, &ner.labels())?);
        }
        if let Some(score) = option(options, "minScore")? {
            filter.min_score = min_score(&score)?;
        }
        Ok(filter)
    }

    pub(crate) fn keeps(&self, e: &EntityRef) -> bool {
        let label_kept = self
            .labels
            .as_ref()
            .is_none_or(|ls| ls.iter().any(|l| l == e.label));
        label_kept && e.score >= self.min_score
    }
}

/// Refuses a non-object and misspelt names (`minscore`), which would otherwise be ignored.
fn check_option_names(options: &JsValue) -> Result<(), JsValue> {
    const NAMES: [&str; 2] = ["labels", "minScore"];
    if !options.is_object() || Array::is_array(options) {
        return Err(type_error(format!(
            "onoma: options must be an object like {{ labels, minScore }}, got {}",
            type_name(options)
        )));
    }
    for key in Object::keys(options.unchecked_ref::<Object>()).iter() {
        let key = key.as_string().unwrap_or_default();
        if !NAMES.contains(&key.as_str()) {
            return Err(type_error(format!(
                "onoma: unknown option {key:?}; options are {}",
                NAMES.join(", ")
            )));
        }
    }
    Ok(())
}

/// `options[name]`, or `None` if it is `undefined` or `null`. Reflect.get catches what a
/// getter throws, so that exception is returned, not thrown through the Rust frames.
fn option(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(options, &JsValue::from_str(name))?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// `options.labels` as the recognizer spells them: each must be one of `known`, in any case.
fn label_set(labels: &JsValue, known: &[String]) -> Result<Vec<String>, JsValue> {
    let array: &Array = labels.dyn_ref().ok_or_else(|| {
        type_error(format!(
            "onoma: options.labels must be an array of label names, got {}",
            type_name(labels)
        ))
    })?;
    array
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.as_string().ok_or_else(|| {
                type_error(format!(
                    "onoma: options.labels[{i}] must be a label name (a string), got {}",
                    type_name(&name)
                ))
            })?;
            // The label as written; else every label that differs only in case.
            let exact: Vec<String> = known.iter().filter(|k| **k == name).cloned().collect();
            let matching = if exact.is_empty() {
                known
                    .iter()
                    .filter(|k| k.eq_ignore_ascii_case(&name))
                    .cloned()
                    .collect()
            } else {
                exact
            };
            if matching.is_empty() {
                return Err(range_error(format!(
                    "onoma: unknown label {name:?} in options.labels; labels are {}",
                    known.join(", ")
                )));
            }
            Ok(matching)
        })
        .collect::<Result<Vec<Vec<String>>, JsValue>>()
        .map(|sets| sets.concat())
}

/// `options.minScore`, in f32, the precision scores have, so `minScore: s.score` keeps `s`.
fn min_score(score: &JsValue) -> Result<f32, JsValue> {
    const EXPECTED: &str = "onoma: options.minScore must be a number from 0 to 1";
    let Some(value) = score.as_f64() else {
        return Err(type_error(format!("{EXPECTED}, got {}", type_name(score))));
    };
    if !(0.0..=1.0).contains(&value) {
        // JavaScript's spelling of the number ("NaN", "Infinity", "1e+21"), not Rust's.
        let shown = Number::to_string_with_radix(score.unchecked_ref(), 10).unwrap_or_default();
        return Err(range_error(format!("{EXPECTED}, got {shown}")));
    }
    Ok(value as f32)
}

/// The caller's text, checked to be a string of at most `MAX_TEXT_LENGTH` code units
/// (`what` names it in errors), and its Rust copy (of the same length in UTF-16, see the
/// module documentation).
fn text_arg(text: &JsValue, what: &str) -> Result<String, JsValue> {
    Ok(checked_text(text, what)?.into())
}

/// `text` as a JavaScript string, checked like `text_arg` does but not copied: the copy
/// is what would exhaust the instance's memory.
fn checked_text<'a>(text: &'a JsValue, what: &str) -> Result<&'a JsString, JsValue> {
    let string: &JsString = text.dyn_ref().ok_or_else(|| {
        type_error(format!(
            "onoma: {what} must be a string, got {}",
            type_name(text)
        ))
    })?;
    let length = string.length();
    if length > MAX_TEXT_LENGTH {
        return Err(range_error(format!(
            "onoma: {what}.length must be at most {MAX_TEXT_LENGTH}, got {length}; split longer texts"
        )));
    }
    Ok(string)
}

/// How an error message names the type of `value`: "a string", "an array", "null"...
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if Array::is_array(value) {
        return "an array".into();
    }
    match value.js_typeof().as_string().unwrap_or_default().as_str() {
        "undefined" => "undefined".into(),
        "object" => "an object".into(),
        other => format!("a {other}"),
    }
}

/// The entities of `text` that `filter` keeps, packed (see [`packing::pack`]).
fn to_js(text: &str, entities: &[Entity], filter: &Filter) -> JsValue {
    let mut strings = StringTable::default();
    let kept = entities
        .iter()
        .map(EntityRef::from)
        .filter(|e| filter.keeps(e));
    let rows = rows(text, kept, &mut strings);
    pack(&rows, &strings)
}

/// The entities of `text`: `[{start, end, label, text, score}]`, offsets in UTF-16 code
/// units, with `source` (`"model"` or `"pattern"`) and a pattern's `id`.
/// `options`: `{labels?: string[], minScore?: number}`.
#[wasm_bindgen]
pub fn extract(handle: u32, text: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let ner = recognizer(handle)?;
    let filter = Filter::parse(options, &ner)?;
    let rust = text_arg(text, "text")?;
    Ok(to_js(&rust, &ner.extract(&rust), &filter))
}

/// `extract` on each string of the array `texts`; one array of entities per text.
#[wasm_bindgen(js_name = extractBatch)]
pub fn extract_batch(handle: u32, texts: &JsValue, options: &JsValue) -> Result<Array, JsValue> {
    let ner = recognizer(handle)?;
    let filter = Filter::parse(options, &ner)?;
    let texts: &Array = texts.dyn_ref().ok_or_else(|| {
        type_error(format!(
            "onoma: texts must be an array of strings, got {}",
            type_name(texts)
        ))
    })?;
    let what = |i| format!("texts[{i}]");
    // Every text is checked first, so that a bad one does not come after the work on others.
    for (i, text) in texts.iter().enumerate() {
        checked_text(&text, &what(i))?;
    }
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let rust = text_arg(&text, &what(i))?;
            Ok::<JsValue, JsValue>(to_js(&rust, &ner.extract(&rust), &filter))
        })
        .collect()
}

/// The result of `analyze` as JavaScript sees it.
#[derive(Serialize)]
struct JsAnalysis {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    entities: JsValue,
    tokens: u32,
    sentences: u32,
}

/// `{entities, tokens, sentences}`: the entities as `extract` gives them, with the number
/// of tokens and sentences in the text.
#[wasm_bindgen]
pub fn analyze(handle: u32, text: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let ner = recognizer(handle)?;
    let filter = Filter::parse(options, &ner)?;
    let rust = text_arg(text, "text")?;
    js_analysis(&rust, &ner.analyze(&rust), &filter)
}

/// `analyze` of share `share` of `shares` (counted from 0) of `text`, cut at sentence
/// ends into shares of about equal length and read with the whole text around it, so
/// that a pool of workers can each take one; offsets are the whole text's.
#[wasm_bindgen(js_name = analyzeShare)]
pub fn analyze_share(
    handle: u32,
    text: &JsValue,
    share: u32,
    shares: u32,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let (ner, filter, rust) = share_arguments(handle, share, shares, options, text, "text")?;
    let analysis = ner.analyze_share(&rust, share as usize, shares as usize);
    js_analysis(&rust, &analysis, &filter)
}

/// `analyzeShare` of a text being edited: the recognizer keeps the text it was last given
/// here, cut into blocks at paragraph ends, and reads again only the blocks that changed
/// and those whose words the change concerns (see `onoma::LiveDocument`). Share 0 of 1 is
/// the whole text. The answer also says `head: 0, tail: 0` (see `analyzeLiveEdit`) and
/// `pending`: with `refresh_limit` (in bytes, see `LiveDocument::set_refresh_limit`), how
/// many blocks have entities that the next call may change.
#[wasm_bindgen(js_name = analyzeLive)]
pub fn analyze_live(
    handle: u32,
    text: &JsValue,
    share: u32,
    shares: u32,
    options: &JsValue,
    refresh_limit: Option<u32>,
) -> Result<JsValue, JsValue> {
    let (ner, filter, rust) = share_arguments(handle, share, shares, options, text, "text")?;
    Ok(with_live(handle, refresh_limit, |live| {
        live.analyze(&ner, &rust, share as usize, shares as usize, &filter)
    }))
}

/// `analyzeLive` of the text it last read for `handle` with its UTF-16 code units
/// `start..end` replaced by the string `inserted`: `{entities, head, tail, tokens,
/// sentences}`, where the last answer's first `head` entities and last `tail` ones (moved
/// by the change of length) are kept and `entities` replace the others. Texts given to
/// `analyzeLive` keep their lone surrogates, which this text has replaced by U+FFFD: an
/// edit must take a surrogate pair, or a surrogate beside it, whole.
#[wasm_bindgen(js_name = analyzeLiveEdit)]
#[allow(clippy::too_many_arguments)]
pub fn analyze_live_edit(
    handle: u32,
    start: u32,
    end: u32,
    inserted: &JsValue,
    share: u32,
    shares: u32,
    options: &JsValue,
    refresh_limit: Option<u32>,
) -> Result<JsValue, JsValue> {
    let (ner, filter, inserted) =
        share_arguments(handle, share, shares, options, inserted, "inserted")?;
    with_live(handle, refresh_limit, |live| {
        let (share, shares) = (share as usize, shares as usize);
        live.edit(&ner, start, end, &inserted, share, shares, &filter)
    })
}

/// `read` of what `handle` keeps between live analyses, which tags again at most
/// `refresh_limit` bytes of stale blocks.
fn with_live<T>(handle: u32, refresh_limit: Option<u32>, read: impl FnOnce(&mut Live) -> T) -> T {
    LIVE.with_borrow_mut(|live| {
        let slot = handle as usize;
        if live.len() <= slot {
            live.resize_with(slot + 1, || None);
        }
        let live = live[slot].get_or_insert_with(Live::default);
        live.set_refresh_limit(refresh_limit.map(|bytes| bytes as usize));
        read(live)
    })
}

/// The arguments of an analysis of share `share` of `shares` checked, in the order every
/// such call checks them: the recognizer of `handle`, the filter `options` asks for, and
/// the string `text` (`what` names it in errors) copied into Rust.
fn share_arguments(
    handle: u32,
    share: u32,
    shares: u32,
    options: &JsValue,
    text: &JsValue,
    what: &str,
) -> Result<(Rc<Recognizer>, Filter, String), JsValue> {
    let ner = recognizer(handle)?;
    let filter = Filter::parse(options, &ner)?;
    check_share(share, shares)?;
    Ok((ner, filter, text_arg(text, what)?))
}

/// A `RangeError` unless `share` is below `shares`.
fn check_share(share: u32, shares: u32) -> Result<(), JsValue> {
    if share >= shares {
        return Err(range_error(format!(
            "onoma: share must be below shares, got share {share} of {shares}"
        )));
    }
    Ok(())
}

/// An analysis as JavaScript sees it.
fn js_analysis(rust: &str, analysis: &Analysis, filter: &Filter) -> Result<JsValue, JsValue> {
    let result = JsAnalysis {
        entities: to_js(rust, &analysis.entities, filter),
        tokens: analysis.tokens as u32,
        sentences: analysis.sentences as u32,
    };
    Ok(serde_wasm_bindgen::to_value(&result).expect("plain object"))
}

/// A label, what it covers and the colour to show it in, as JavaScript sees it.
#[derive(Serialize)]
struct JsLabel<'a> {
    label: &'a str,
    description: &'a str,
    /// A CSS colour, or empty where the model gives none.
    colour: &'a str,
}

/// What `labels` says of a label only patterns give.
const PATTERN_LABEL: &str = "Found by your patterns";

/// Every label the recognizer can output, the model's (with the description and colour
/// the model file gives) then those only its patterns give: `[{label, description,
/// colour}]`.
#[wasm_bindgen]
pub fn labels(handle: u32) -> Result<JsValue, JsError> {
    let ner = recognizer(handle)?;
    let names = ner.labels();
    let model = ner.model().labels();
    let labels: Vec<JsLabel> = names
        .iter()
        .map(|name| {
            let info = model.iter().find(|l| l.name == *name);
            JsLabel {
                label: name,
                description: info.map_or(PATTERN_LABEL, |l| &l.description),
                colour: info.map_or("", |l| &l.colour),
            }
        })
        .collect();
    Ok(serde_wasm_bindgen::to_value(&labels).expect("plain objects"))
}

/// A new recognizer with the model of `handle` and `patterns`, an array of EntityRuler
/// objects (`{label, pattern, id?, stop?}`); returns its handle. `precedence` is
/// `"patterns"` or `"model"`. Errors name the pattern: `patterns[3]: ...`.
#[wasm_bindgen(js_name = withPatterns)]
pub fn with_patterns(
    handle: u32,
    patterns: &JsValue,
    ignore_case: bool,
    precedence: &str,
) -> Result<u32, JsValue> {
    let ner = recognizer(handle)?;
    let precedence = match precedence {
        "patterns" => Precedence::Patterns,
        "model" => Precedence::Model,
        other => {
            return Err(range_error(format!(
                "onoma: patternOptions.precedence must be \"patterns\" or \"model\", got {other:?}"
            )))
        }
    };
    let array: &Array = patterns.dyn_ref().ok_or_else(|| {
        type_error(format!(
            "onoma: patterns must be an array of objects like {{label, pattern}}, got {}",
            type_name(patterns)
        ))
    })?;
    let mut rules = Patterns::new(PatternOptions {
        ignore_case,
        precedence,
    });
    for (i, pattern) in array.iter().enumerate() {
        let value = pattern_value(&pattern, 0)
            .map_err(|e| type_error(format!("onoma: patterns[{i}]: {e}")))?;
        rules
            .add_value(&value)
            .map_err(|e| range_error(format!("onoma: patterns[{i}]: {e}")))?;
    }
    Ok(register(Rc::new((*ner).clone().with_patterns(rules))))
}

/// Deepest nesting of a pattern: a token pattern is three levels deep; a cyclic object
/// ends here instead of overflowing the stack.
const MAX_DEPTH: usize = 8;

/// A JavaScript value as JSON would write it: `undefined` members are left out, as
/// `JSON.stringify` leaves them; functions, symbols and big integers are errors.
fn pattern_value(value: &JsValue, depth: usize) -> Result<PatternValue, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested more than {MAX_DEPTH} levels deep"));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(PatternValue::Null);
    }
    if let Some(b) = value.as_bool() {
        return Ok(PatternValue::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        return Ok(PatternValue::Number(n));
    }
    if let Some(s) = value.as_string() {
        return Ok(PatternValue::String(s));
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        let items = array.iter().map(|v| pattern_value(&v, depth + 1));
        return items.collect::<Result<_, _>>().map(PatternValue::Array);
    }
    if value.is_object() && !value.is_function() {
        let mut entries = Vec::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let entry: Array = entry.unchecked_into();
            let member = entry.get(1);
            if !member.is_undefined() {
                let key = entry.get(0).as_string().unwrap_or_default();
                entries.push((key, pattern_value(&member, depth + 1)?));
            }
        }
        return Ok(PatternValue::Object(entries));
    }
    Err(format!("{} cannot be written as JSON", type_name(value)))
}

/// Model information as JavaScript sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsInfo<'a> {
    name: &'a str,
    version: &'a str,
    engine_version: &'static str,
    engine_simd: bool,
    features: u32,
    #[serde(serialize_with = "serialize_map")]
    metadata: &'a [(String, String)],
}

fn serialize_map<S: serde::Serializer>(
    pairs: &&[(String, String)],
    ser: S,
) -> Result<S::Ok, S::Error> {
    ser.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// `{name, version, engineVersion, engineSimd, features, metadata}`: the model's name and
/// version, this library's version, whether this build of the engine uses WebAssembly SIMD,
/// the number of features, and every metadata entry.
#[wasm_bindgen]
pub fn info(handle: u32) -> Result<JsValue, JsError> {
    let ner = recognizer(handle)?;
    let model = ner.model();
    let info = JsInfo {
        name: model.meta("name").unwrap_or("unnamed"),
        version: model.meta("version").unwrap_or("unknown"),
        engine_version: env!("CARGO_PKG_VERSION"),
        engine_simd: cfg!(target_feature = "simd128"),
        features: model.feature_count() as u32,
        metadata: &model.metadata,
    };
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    Ok(info.serialize(&ser).expect("plain object"))
}

/// Test hook: traps the instance as a panic would under `panic = "abort"`, so the tests can
/// check that the wrapper recovers. Not part of the public API.
#[wasm_bindgen(js_name = __onomaTrap)]
pub fn trap() {
    core::arch::wasm32::unreachable()
}
