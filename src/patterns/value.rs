//! A pattern as a JSON value, whoever parsed it: `serde_json` for pattern files (cargo
//! feature `jsonl`), the JavaScript engine for the npm package (its bindings build this
//! type from JavaScript objects, which keeps a JSON parser out of the WebAssembly module).

/// A JSON value: one line of a pattern file, or a part of one.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<PatternValue>),
    /// An object, its keys in the order written.
    Object(Vec<(String, PatternValue)>),
}

impl PatternValue {
    /// How error messages name the kind of this value: "a string", "an array"...
    pub(super) fn kind(&self) -> &'static str {
        match self {
            PatternValue::Null => "null",
            PatternValue::Bool(_) => "a boolean",
            PatternValue::Number(_) => "a number",
            PatternValue::String(_) => "a string",
            PatternValue::Array(_) => "an array",
            PatternValue::Object(_) => "an object",
        }
    }

    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            PatternValue::String(s) => Some(s),
            _ => None,
        }
    }

    pub(super) fn as_array(&self) -> Option<&[PatternValue]> {
        match self {
            PatternValue::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(super) fn as_object(&self) -> Option<&[(String, PatternValue)]> {
        match self {
            PatternValue::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value as a whole number of at most 2^32, if it is one.
    pub(super) fn as_count(&self) -> Option<usize> {
        match *self {
            PatternValue::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= 4_294_967_296.0 => {
                Some(n as usize)
            }
            _ => None,
        }
    }
}

/// The value of `key` in an object's entries (the first, if it is written twice).
pub(super) fn get<'a>(
    entries: &'a [(String, PatternValue)],
    key: &str,
) -> Option<&'a PatternValue> {
    entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[cfg(feature = "jsonl")]
impl From<serde_json::Value> for PatternValue {
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => PatternValue::Null,
            Value::Bool(b) => PatternValue::Bool(b),
            Value::Number(n) => PatternValue::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => PatternValue::String(s),
            Value::Array(items) => PatternValue::Array(items.into_iter().map(Into::into).collect()),
            Value::Object(map) => {
                PatternValue::Object(map.into_iter().map(|(k, v)| (k, v.into())).collect())
            }
        }
    }
}
