//! One token of a token pattern: what the token must look like (`{"LOWER": "iphone"}`,
//! `{"SHAPE": "dddd"}`, `{"IS_DIGIT": true}`) and how often it may repeat (`"OP"`).
//!
//! The attributes are a subset of spaCy's, with the same names and meanings, so that
//! EntityRuler pattern files work unchanged. They are tested on Onoma's tokens, which
//! follow the Penn Treebank conventions ("2:21-cv-01234" is `2:21` `-` `cv` `-` `01234`).

use super::value::PatternValue as Value;

/// Every attribute a token may be tested on, as written in pattern files.
pub const ATTRIBUTES: &[&str] = &[
    "ORTH", "TEXT", "LOWER", "SHAPE", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER",
    "IS_UPPER", "IS_TITLE", "IS_PUNCT", "LIKE_NUM",
];

/// How many times a token description may match in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Repeat {
    pub min: u16,
    /// `None`: no upper bound.
    pub max: Option<u16>,
}

/// Longest run a `{n}` or `{n,m}` operator may ask for, which bounds the pattern's size.
const MAX_REPEAT: u16 = 64;

/// A description of one token, with its repetition.
#[derive(Debug, Clone)]
pub(super) struct TokenSpec {
    tests: Vec<Test>,
    pub repeat: Repeat,
}

/// One attribute test.
#[derive(Debug, Clone)]
enum Test {
    /// The token's text, its lower-case form or its shape, against a set of strings.
    Text(TextAttr, StringSet),
    /// The token's length in characters.
    Length(Comparison, usize),
    /// A boolean property that must have the given value.
    Flag(Flag, bool),
}

#[derive(Debug, Clone, Copy)]
enum TextAttr {
    Orth,
    Lower,
    Shape,
}

#[derive(Debug, Clone)]
enum StringSet {
    Is(String),
    In(Vec<String>),
    NotIn(Vec<String>),
}

#[derive(Debug, Clone, Copy)]
enum Comparison {
    Eq,
    Ne,
    Ge,
    Le,
    Gt,
    Lt,
}

#[derive(Debug, Clone, Copy)]
enum Flag {
    Alpha,
    Ascii,
    Digit,
    Lower,
    Upper,
    Title,
    Punct,
    LikeNum,
}

impl TokenSpec {
    /// Reads one element of a token pattern: an object of attribute tests and an optional
    /// `"OP"`. Errors name the attribute or operator at fault.
    pub fn parse(value: &Value) -> Result<TokenSpec, String> {
        let object = value
            .as_object()
            .ok_or_else(|| format!("a token must be an object, got {}", value.kind()))?;
        let mut tests = Vec::with_capacity(object.len());
        let mut repeat = Repeat {
            min: 1,
            max: Some(1),
        };
        for (name, value) in object {
            if name == "OP" {
                repeat = parse_op(value)?;
            } else {
                tests.push(Test::parse(name, value)?);
            }
        }
        Ok(TokenSpec { tests, repeat })
    }

    /// Whether `token` passes every test; `lower` is its lower-case form.
    pub fn matches(&self, token: &str, lower: &str) -> bool {
        self.tests.iter().all(|t| t.passes(token, lower))
    }

    /// The string the token's text (`Some(false)`) or lower-case form (`Some(true)`) must
    /// equal, when one test says so: the matcher indexes patterns by their first token.
    pub fn fixed_text(&self) -> Option<(bool, &str)> {
        self.tests.iter().find_map(|t| match t {
            Test::Text(TextAttr::Orth, StringSet::Is(s)) => Some((false, s.as_str())),
            Test::Text(TextAttr::Lower, StringSet::Is(s)) => Some((true, s.as_str())),
            _ => None,
        })
    }
}

fn parse_op(value: &Value) -> Result<Repeat, String> {
    let op = value
        .as_str()
        .ok_or_else(|| format!("\"OP\" must be a string, got {}", value.kind()))?;
    let repeat = |min, max| Ok(Repeat { min, max });
    match op {
        "1" => repeat(1, Some(1)),
        "?" => repeat(0, Some(1)),
        "+" => repeat(1, None),
        "*" => repeat(0, None),
        _ => parse_braces(op).ok_or_else(|| {
            format!("unknown operator {op:?}: use ?, +, *, {{n}}, {{n,m}}, {{n,}} or {{,m}}")
        }),
    }
}

/// `{n}`, `{n,m}`, `{n,}` or `{,m}`.
fn parse_braces(op: &str) -> Option<Repeat> {
    let inner = op.strip_prefix('{')?.strip_suffix('}')?;
    let number = |s: &str| s.trim().parse::<u16>().ok().filter(|&n| n <= MAX_REPEAT);
    let (min, max) = match inner.split_once(',') {
        None => (number(inner)?, Some(number(inner)?)),
        Some((lo, hi)) => (
            if lo.trim().is_empty() { 0 } else { number(lo)? },
            if hi.trim().is_empty() {
                None
            } else {
                Some(number(hi)?)
            },
        ),
    };
    (max.is_none_or(|max| min <= max && max > 0)).then_some(Repeat { min, max })
}

impl Test {
    fn parse(name: &str, value: &Value) -> Result<Test, String> {
        let text = |attr| Ok(Test::Text(attr, StringSet::parse(name, value)?));
        let flag = |flag| match value {
            Value::Bool(b) => Ok(Test::Flag(flag, *b)),
            _ => Err(format!(
                "{name} must be true or false, got {}",
                value.kind()
            )),
        };
        match name {
            "ORTH" | "TEXT" => text(TextAttr::Orth),
            "LOWER" => text(TextAttr::Lower),
            "SHAPE" => text(TextAttr::Shape),
            "LENGTH" => parse_length(value),
            "IS_ALPHA" => flag(Flag::Alpha),
            "IS_ASCII" => flag(Flag::Ascii),
            "IS_DIGIT" => flag(Flag::Digit),
            "IS_LOWER" => flag(Flag::Lower),
            "IS_UPPER" => flag(Flag::Upper),
            "IS_TITLE" => flag(Flag::Title),
            "IS_PUNCT" => flag(Flag::Punct),
            "LIKE_NUM" => flag(Flag::LikeNum),
            _ => Err(format!(
                "unknown token attribute {name:?}; attributes are {}, and OP",
                ATTRIBUTES.join(", ")
            )),
        }
    }

    fn passes(&self, token: &str, lower: &str) -> bool {
        match self {
            Test::Text(TextAttr::Orth, set) => set.contains(token),
            Test::Text(TextAttr::Lower, set) => set.contains(lower),
            Test::Text(TextAttr::Shape, set) => set.contains(&shape(token)),
            Test::Length(cmp, n) => cmp.holds(token.chars().count(), *n),
            Test::Flag(flag, want) => flag.holds(token) == *want,
        }
    }
}

impl StringSet {
    fn parse(name: &str, value: &Value) -> Result<StringSet, String> {
        let expected = || {
            format!(
                "{name} must be a string or {{\"IN\": [...]}} or {{\"NOT_IN\": [...]}}, got {}",
                value.kind()
            )
        };
        match value {
            Value::String(s) => Ok(StringSet::Is(s.clone())),
            Value::Object(map) => {
                let (key, list) = single_entry(map).ok_or_else(expected)?;
                if key != "IN" && key != "NOT_IN" {
                    return Err(format!(
                        "{name}: unknown set operator {key:?}; use IN or NOT_IN"
                    ));
                }
                let strings = string_list(list).ok_or_else(|| {
                    format!(
                        "{name}: {key} must be an array of strings, got {}",
                        list.kind()
                    )
                })?;
                Ok(match key {
                    "IN" => StringSet::In(strings),
                    _ => StringSet::NotIn(strings),
                })
            }
            _ => Err(expected()),
        }
    }

    fn contains(&self, s: &str) -> bool {
        match self {
            StringSet::Is(x) => x == s,
            StringSet::In(xs) => xs.iter().any(|x| x == s),
            StringSet::NotIn(xs) => !xs.iter().any(|x| x == s),
        }
    }
}

fn single_entry(map: &[(String, Value)]) -> Option<(&str, &Value)> {
    let mut entries = map.iter();
    let (key, value) = entries.next()?;
    entries.next().is_none().then_some((key.as_str(), value))
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// `LENGTH`: a number, or one comparison such as `{">=": 3}`.
fn parse_length(value: &Value) -> Result<Test, String> {
    let expected = || {
        format!(
            "LENGTH must be a whole number or {{OPERATOR: number}} with ==, !=, >=, <=, > or <, got {}",
            value.kind()
        )
    };
    let count = Value::as_count;
    if let Some(n) = count(value) {
        return Ok(Test::Length(Comparison::Eq, n));
    }
    let (op, n) = value
        .as_object()
        .and_then(single_entry)
        .and_then(|(op, v)| Some((op, count(v)?)))
        .ok_or_else(expected)?;
    let cmp = match op {
        "==" => Comparison::Eq,
        "!=" => Comparison::Ne,
        ">=" => Comparison::Ge,
        "<=" => Comparison::Le,
        ">" => Comparison::Gt,
        "<" => Comparison::Lt,
        _ => return Err(expected()),
    };
    Ok(Test::Length(cmp, n))
}

impl Comparison {
    fn holds(self, a: usize, b: usize) -> bool {
        match self {
            Comparison::Eq => a == b,
            Comparison::Ne => a != b,
            Comparison::Ge => a >= b,
            Comparison::Le => a <= b,
            Comparison::Gt => a > b,
            Comparison::Lt => a < b,
        }
    }
}

impl Flag {
    fn holds(self, token: &str) -> bool {
        let all = |f: fn(char) -> bool| !token.is_empty() && token.chars().all(f);
        match self {
            Flag::Alpha => all(char::is_alphabetic),
            Flag::Ascii => token.is_ascii(),
            Flag::Digit => all(char::is_numeric),
            Flag::Lower => cased(token, char::is_lowercase, char::is_uppercase),
            Flag::Upper => cased(token, char::is_uppercase, char::is_lowercase),
            Flag::Title => is_title(token),
            Flag::Punct => all(is_punctuation),
            Flag::LikeNum => like_num(token),
        }
    }
}

/// Python's `str.islower` / `str.isupper`: some cased character, none of the other case.
fn cased(token: &str, this: fn(char) -> bool, other: fn(char) -> bool) -> bool {
    token.chars().any(this) && !token.chars().any(other)
}

/// Python's `str.istitle`: some cased character; capitals only begin a run of letters,
/// small letters only continue one ("Hello", "Jean-Luc"; not "HELLO", "iPhone").
fn is_title(token: &str) -> bool {
    let mut after_cased = false;
    let mut any_cased = false;
    for c in token.chars() {
        if c.is_uppercase() {
            if after_cased {
                return false;
            }
            after_cased = true;
            any_cased = true;
        } else if c.is_lowercase() {
            if !after_cased {
                return false;
            }
            any_cased = true;
        } else {
            after_cased = false;
        }
    }
    any_cased
}

/// Punctuation as spaCy's `IS_PUNCT` sees it: ASCII punctuation other than the symbols
/// `$ + < = > ^ | ~` and the backquote, the General Punctuation block, CJK punctuation
/// and the full-width forms of ASCII punctuation.
fn is_punctuation(c: char) -> bool {
    match c {
        '$' | '+' | '<' | '=' | '>' | '^' | '|' | '~' | '`' => false,
        _ if c.is_ascii() => c.is_ascii_punctuation(),
        '\u{a1}' | '\u{a7}' | '\u{ab}' | '\u{b6}' | '\u{b7}' | '\u{bb}' | '\u{bf}' => true,
        '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205e}' | '\u{3001}'..='\u{3003}' => true,
        '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}' => true,
        '\u{ff01}'..='\u{ff0f}' | '\u{ff1a}' | '\u{ff1b}' | '\u{ff1f}' => true,
        _ => false,
    }
}

/// Number words that `LIKE_NUM` accepts besides numerals.
const NUMBER_WORDS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "trillion",
    "dozen",
];

/// spaCy's `LIKE_NUM` for English: a numeral, with an optional sign and `,` `.` inside
/// ("-1,000.5"), a fraction ("3/4"), or a number word ("twelve").
fn like_num(token: &str) -> bool {
    let digits = token.trim_start_matches(['+', '-', '±', '~']);
    let plain: String = digits.chars().filter(|&c| c != ',' && c != '.').collect();
    if !plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some((a, b)) = digits.split_once('/') {
        let numeral = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if numeral(a) && numeral(b) {
            return true;
        }
    }
    NUMBER_WORDS.contains(&token.to_lowercase().as_str())
}

/// spaCy's word shape: capitals become `X`, small letters `x`, digits `d`, anything else
/// stays; a run of one kind stops after four ("Apple" → "Xxxxx", "2021-22" → "dddd-dd").
pub fn shape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    let mut last = None;
    let mut run = 0;
    for c in token.chars() {
        let s = if c.is_alphabetic() {
            if c.is_uppercase() {
                'X'
            } else {
                'x'
            }
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        run = if Some(s) == last { run + 1 } else { 1 };
        last = Some(s);
        if run <= 4 {
            out.push(s);
        }
    }
    out
}

#[cfg(all(test, feature = "jsonl"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> TokenSpec {
        TokenSpec::parse(&v.into()).unwrap()
    }

    fn matches(v: serde_json::Value, token: &str) -> bool {
        spec(v).matches(token, &token.to_lowercase())
    }

    #[test]
    fn shapes_follow_spacy() {
        assert_eq!(shape("Apple"), "Xxxxx");
        assert_eq!(shape("Kensington"), "Xxxxx");
        assert_eq!(shape("AAPL"), "XXXX");
        assert_eq!(shape("C3PO"), "XdXX");
        assert_eq!(shape("01234567"), "dddd");
        assert_eq!(shape("2:21"), "d:dd");
        assert_eq!(shape("Zürich"), "Xxxxx");
    }

    #[test]
    fn attributes_test_what_they_name() {
        assert!(matches(json!({"LOWER": "iphone"}), "iPhone"));
        assert!(!matches(json!({"ORTH": "iphone"}), "iPhone"));
        assert!(matches(json!({"IS_DIGIT": true}), "15"));
        assert!(!matches(json!({"IS_DIGIT": true}), "15a"));
        assert!(matches(json!({"IS_TITLE": true}), "Jean-Luc"));
        assert!(!matches(json!({"IS_TITLE": true}), "iPhone"));
        assert!(!matches(json!({"IS_TITLE": true}), "NASA"));
        assert!(matches(
            json!({"IS_UPPER": true, "LENGTH": {"<=": 5}}),
            "NASA"
        ));
        assert!(!matches(
            json!({"IS_UPPER": true, "LENGTH": {"<=": 3}}),
            "NASA"
        ));
        assert!(matches(json!({"IS_PUNCT": true}), "—"));
        assert!(!matches(json!({"IS_PUNCT": true}), "$"));
        assert!(matches(json!({"LIKE_NUM": true}), "-1,000.5"));
        assert!(matches(json!({"LIKE_NUM": true}), "Twelve"));
        assert!(matches(json!({"SHAPE": {"IN": ["XXX", "XXXX"]}}), "AAPL"));
        assert!(matches(json!({"LOWER": {"NOT_IN": ["the"]}}), "a"));
        assert!(matches(json!({}), "anything"));
    }

    #[test]
    fn operators_set_the_repetition() {
        let op = |s: &str| spec(json!({"OP": s})).repeat;
        let r = |min, max| Repeat { min, max };
        assert_eq!(op("?"), r(0, Some(1)));
        assert_eq!(op("+"), r(1, None));
        assert_eq!(op("*"), r(0, None));
        assert_eq!(op("{3}"), r(3, Some(3)));
        assert_eq!(op("{2,4}"), r(2, Some(4)));
        assert_eq!(op("{2,}"), r(2, None));
        assert_eq!(op("{,4}"), r(0, Some(4)));
    }

    #[test]
    fn mistakes_are_named() {
        let err = |v: serde_json::Value| TokenSpec::parse(&v.into()).unwrap_err();
        assert!(err(json!({"LOWR": "x"})).contains("unknown token attribute \"LOWR\""));
        assert!(err(json!({"OP": "!"})).contains("unknown operator \"!\""));
        assert!(err(json!({"OP": "{4,2}"})).contains("unknown operator"));
        assert!(err(json!({"OP": "{0}"})).contains("unknown operator"));
        assert!(err(json!({"OP": "{1000}"})).contains("unknown operator"));
        assert!(err(json!({"IS_DIGIT": "yes"})).contains("IS_DIGIT must be true or false"));
        assert!(err(json!({"LOWER": 3})).contains("LOWER must be a string"));
        assert!(err(json!({"LOWER": {"REGEX": "x"}})).contains("unknown set operator"));
        assert!(err(json!({"LENGTH": {"~": 1}})).contains("LENGTH must be"));
        assert!(err(json!("iphone")).contains("a token must be an object"));
    }
}
