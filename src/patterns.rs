//! Your own entities: terms and token patterns matched at run time, in spaCy's
//! EntityRuler format, and merged with what the model finds.
//!
//! A pattern file has one JSON object per line:
//!
//! ```text
//! {"label": "FAC", "pattern": "Suiwu Modern Industrial Park"}
//! {"label": "PRODUCT", "pattern": [{"LOWER": "iphone"}, {"IS_DIGIT": true, "OP": "?"}], "id": "iphone"}
//! {"label": "TICKER", "pattern": [{"SHAPE": {"IN": ["XXX", "XXXX"]}, "IS_UPPER": true}]}
//! {"pattern": "Apple", "stop": true}
//! ```
//!
//! A phrase pattern (a string) is cut into tokens as text is, and matches the same tokens
//! whatever the spaces between them; a token pattern (an array) describes tokens one by one
//! (attributes in [`ATTRIBUTES`], operators `?` `+` `*` `{n}` `{n,m}`). Labels are any
//! strings: one of the model's or a new one. `"id"` is carried to the entities the
//! pattern finds. A stop pattern (`"stop": true`) removes every entity whose span it
//! matches exactly, of its `"label"` only if it has one: "Apple" on a recipe site.
//!
//! Of overlapping matches, the longest wins, then the earliest, then the first pattern in
//! the file (as spaCy's EntityRuler does). Matches then meet the model's entities as
//! [`Precedence`] says. A phrase may span a sentence break the splitter put inside it; a
//! token pattern matches within a sentence and over at most 32 tokens.

mod phrases;
mod token_rules;
mod token_spec;
mod value;

use crate::recognizer::{Entity, Source};
use crate::tidy::snap_to_graphemes;
use crate::tokenize::{tokenize, Token};
use phrases::PhraseTrie;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use token_rules::TokenRules;
use token_spec::TokenSpec;
pub use token_spec::ATTRIBUTES;
pub use value::PatternValue;
use value::{get, PatternValue as Value};

/// Which wins where a pattern match and an entity found by the model overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Precedence {
    /// The pattern match; model entities it overlaps are dropped (the default).
    #[default]
    Patterns,
    /// The model's entity; patterns only fill the gaps between model entities.
    Model,
}

/// How patterns are matched and merged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PatternOptions {
    /// Phrase patterns match whatever the case of the text ("apple" matches "APPLE").
    /// Token patterns choose per token, with `ORTH` or `LOWER`.
    pub ignore_case: bool,
    /// What happens where a match overlaps a model entity.
    pub precedence: Precedence,
}

/// A pattern file or line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The line, counted from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PatternError {}

/// What a pattern does when it matches.
#[derive(Debug, Clone)]
enum Rule {
    /// Finds an entity of `Patterns::labels[label]`, with `id`.
    Entity { label: u32, id: Option<String> },
    /// Removes the entities it matches exactly, of `label` only if given.
    Stop { label: Option<String> },
}

/// A match of a rule over a range of tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Match {
    tokens: Range<usize>,
    rule: u32,
}

/// A set of patterns, ready to match ([`crate::Recognizer::with_patterns`]).
///
/// ```
/// use onoma::{PatternOptions, Patterns, Recognizer, Source};
///
/// let file = r#"{"label": "FAC", "pattern": "Suiwu Modern Industrial Park", "id": "park-17"}
/// {"label": "CASE_NUMBER", "pattern": [{"SHAPE": "d:dd"}, {"ORTH": "-"}, {"LOWER": "cv"}, {"ORTH": "-"}, {"SHAPE": "dddd"}]}"#;
/// let patterns = Patterns::from_jsonl(file, PatternOptions::default()).unwrap();
/// let ner = Recognizer::default().with_patterns(patterns);
/// let text = "Case 2:21-cv-01234 concerns the Suiwu Modern Industrial Park.";
/// let found: Vec<_> = ner.extract(text).into_iter().map(|e| (e.label, e.text, e.id)).collect();
/// assert!(found.contains(&("CASE_NUMBER".into(), "2:21-cv-01234".into(), None)));
/// assert!(found.contains(&("FAC".into(), "Suiwu Modern Industrial Park".into(), Some("park-17".into()))));
/// assert!(ner.extract(text).iter().all(|e| e.source == Source::Pattern || e.label != "FAC"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Patterns {
    options: PatternOptions,
    rules: Vec<Rule>,
    labels: Vec<String>,
    phrases: PhraseTrie,
    /// Stop phrases apart, so that a phrase can be both a term and a stop term.
    stop_phrases: PhraseTrie,
    tokens: TokenRules,
}

impl Patterns {
    /// An empty set of patterns.
    pub fn new(options: PatternOptions) -> Self {
        Patterns {
            options,
            ..Patterns::default()
        }
    }

    /// Reads a pattern file: one JSON object per line; blank lines are skipped. The
    /// error names the first bad line and what is wrong with it. (Cargo feature `jsonl`,
    /// on by default.)
    #[cfg(feature = "jsonl")]
    pub fn from_jsonl(jsonl: &str, options: PatternOptions) -> Result<Self, PatternError> {
        let mut patterns = Patterns::new(options);
        // A byte-order mark, as some editors on Windows write, is not part of the first line.
        let jsonl = jsonl.strip_prefix('\u{feff}').unwrap_or(jsonl);
        for (i, line) in jsonl.lines().enumerate() {
            if !line.trim().is_empty() {
                patterns.add_json(line).map_err(|message| PatternError {
                    line: i + 1,
                    message,
                })?;
            }
        }
        Ok(patterns)
    }

    /// Adds one pattern written as a line of a pattern file. On error nothing is added.
    /// (Cargo feature `jsonl`, on by default.)
    #[cfg(feature = "jsonl")]
    pub fn add_json(&mut self, line: &str) -> Result<(), String> {
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
        self.add_value(&value.into())
    }

    /// Adds one pattern given as a JSON value (an object like `{"label", "pattern"}`).
    /// On error nothing is added.
    pub fn add_value(&mut self, value: &PatternValue) -> Result<(), String> {
        let object = value
            .as_object()
            .ok_or("a pattern must be a JSON object like {\"label\": ..., \"pattern\": ...}")?;
        self.add_object(object)
    }

    /// Adds a phrase pattern: `phrase` is found as `label`, with `id` on its entities.
    pub fn add_phrase(
        &mut self,
        label: &str,
        phrase: &str,
        id: Option<&str>,
    ) -> Result<(), String> {
        if label.trim().is_empty() {
            return Err("the label is empty".into());
        }
        let words = self.phrase_words(phrase)?;
        let rule = Rule::Entity {
            label: self.label_index(label),
            id: id.map(str::to_string),
        };
        self.insert_phrase(&words, rule);
        Ok(())
    }

    /// Adds a stop phrase: entities whose text is exactly `phrase` are removed.
    pub fn add_stop_phrase(&mut self, phrase: &str) -> Result<(), String> {
        let words = self.phrase_words(phrase)?;
        self.insert_phrase(&words, Rule::Stop { label: None });
        Ok(())
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The labels patterns give (stop patterns aside), in the order they first appear.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The options the patterns were made with.
    pub fn options(&self) -> PatternOptions {
        self.options
    }

    fn add_object(&mut self, object: &[(String, Value)]) -> Result<(), String> {
        const KEYS: [&str; 4] = ["label", "pattern", "id", "stop"];
        if let Some((key, _)) = object.iter().find(|(k, _)| !KEYS.contains(&k.as_str())) {
            return Err(format!("unknown key {key:?}; keys are {}", KEYS.join(", ")));
        }
        let stop = match get(object, "stop") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(_) => return Err("\"stop\" must be true or false".into()),
        };
        let label = match get(object, "label") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
            None if stop => None,
            None => return Err("missing \"label\"".into()),
            Some(_) => return Err("\"label\" must be a non-empty string".into()),
        };
        let id = match get(object, "id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) if n.is_finite() => Some(n.to_string()),
            Some(_) => return Err("\"id\" must be a string or a number".into()),
        };
        // Validate everything before the label table grows.
        let body = match get(object, "pattern") {
            Some(Value::String(phrase)) => Body::Phrase(self.phrase_words(phrase)?),
            Some(Value::Array(tokens)) if tokens.is_empty() => {
                return Err("the pattern is empty".into())
            }
            Some(Value::Array(tokens)) => Body::Tokens(
                tokens
                    .iter()
                    .enumerate()
                    .map(|(i, t)| TokenSpec::parse(t).map_err(|e| format!("token {i}: {e}")))
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => {
                return Err("\"pattern\" must be a string or an array of token objects".into())
            }
            None => return Err("missing \"pattern\"".into()),
        };
        if let Body::Tokens(specs) = &body {
            if specs.iter().all(|s| s.repeat.min == 0) {
                return Err("the pattern matches no token at all: every token is optional".into());
            }
        }
        let rule = match (stop, label) {
            (true, label) => Rule::Stop {
                label: label.map(str::to_string),
            },
            (false, label) => Rule::Entity {
                label: self.label_index(label.expect("checked above")),
                id,
            },
        };
        match body {
            Body::Phrase(words) => self.insert_phrase(&words, rule),
            Body::Tokens(specs) => {
                self.tokens.insert(specs, self.rules.len() as u32);
                self.rules.push(rule);
            }
        }
        Ok(())
    }

    /// The words of a phrase pattern as the trie keys them.
    fn phrase_words(&self, phrase: &str) -> Result<Vec<String>, String> {
        let tokens = tokenize(phrase);
        if tokens.is_empty() {
            return Err("the pattern is empty".into());
        }
        Ok(tokens
            .iter()
            .map(|t| self.key(t.text(phrase)).into_owned())
            .collect())
    }

    fn insert_phrase(&mut self, words: &[String], rule: Rule) {
        let trie = match rule {
            Rule::Entity { .. } => &mut self.phrases,
            Rule::Stop { .. } => &mut self.stop_phrases,
        };
        // A repeated phrase keeps its first rule; the later one is counted but never wins.
        trie.insert(words.iter().map(String::as_str), self.rules.len() as u32);
        self.rules.push(rule);
    }

    fn label_index(&mut self, label: &str) -> u32 {
        match self.labels.iter().position(|l| l == label) {
            Some(i) => i as u32,
            None => {
                self.labels.push(label.to_string());
                self.labels.len() as u32 - 1
            }
        }
    }

    /// How phrase patterns see a word.
    fn key<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if self.options.ignore_case {
            lower(word)
        } else {
            Cow::Borrowed(word)
        }
    }

    /// The entities of a text once the patterns have been matched in it (its `tokens`
    /// and `sentences`) and merged with the model's entities `found`.
    pub(crate) fn apply(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        found: Vec<Entity>,
    ) -> Vec<Entity> {
        let (matches, stops) = self.matches(text, tokens, sentences);
        let stopped = |e: &Entity| {
            stops.iter().any(|(bytes, label)| {
                *bytes == (e.start..e.end) && label.is_none_or(|l| l == e.label)
            })
        };
        let mut ours: Vec<Entity> = matches
            .into_iter()
            .filter_map(|m| self.entity(text, tokens, m))
            .filter(|e| !stopped(e))
            .collect();
        let mut theirs: Vec<Entity> = found.into_iter().filter(|e| !stopped(e)).collect();
        let (winners, losers) = match self.options.precedence {
            Precedence::Patterns => (&mut ours, &mut theirs),
            Precedence::Model => (&mut theirs, &mut ours),
        };
        losers.retain(|l| !winners.iter().any(|w| w.start < l.end && l.start < w.end));
        ours.append(&mut theirs);
        ours.sort_by_key(|e| (e.start, e.end));
        ours
    }

    /// The chosen matches (longest first, then earliest, then first rule; none overlapping)
    /// that begin in `sentences`, and the byte spans of the stop matches with their label.
    #[allow(clippy::type_complexity)]
    fn matches(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
    ) -> (Vec<Match>, Vec<(Range<usize>, Option<&str>)>) {
        let words: Vec<&str> = tokens.iter().map(|t| t.text(text)).collect();
        // Lower-case forms, made once for the phrases (when case is ignored) and the
        // token patterns alike.
        let needs_lower = self.options.ignore_case || !self.tokens.is_empty();
        let lowered: Vec<Cow<str>> = match needs_lower {
            true => words.iter().map(|w| lower(w)).collect(),
            false => Vec::new(),
        };
        let lowered: Vec<&str> = lowered.iter().map(|w| &**w).collect();
        let keys = if self.options.ignore_case {
            &lowered
        } else {
            &words
        };
        let mut found = Vec::new();
        for trie in [&self.phrases, &self.stop_phrases] {
            if !trie.is_empty() {
                let ids: Vec<Option<u32>> = keys.iter().map(|w| trie.word(w)).collect();
                trie.find(&ids, &mut found);
            }
        }
        if !self.tokens.is_empty() {
            for sentence in sentences {
                self.tokens
                    .find(&words, &lowered, sentence.clone(), &mut found);
            }
        }
        let (stops, mut found): (Vec<Match>, Vec<Match>) = found
            .into_iter()
            .partition(|m| matches!(self.rules[m.rule as usize], Rule::Stop { .. }));
        found.sort_by_key(|m| (usize::MAX - m.tokens.len(), m.tokens.start, m.rule));
        let mut taken = vec![false; tokens.len()];
        found.retain(|m| {
            let free = !taken[m.tokens.clone()].iter().any(|&t| t);
            if free {
                taken[m.tokens.clone()].fill(true);
            }
            free
        });
        // Matches are chosen over the whole text, and kept where they begin: in these
        // sentences, which may be one share of the text (`Recognizer::analyze_share`).
        let first = sentences.first().map_or(0, |s| s.start);
        let last = sentences.last().map_or(0, |s| s.end);
        found.retain(|m| (first..last).contains(&m.tokens.start));
        let stops = stops
            .into_iter()
            .filter_map(|m| match &self.rules[m.rule as usize] {
                Rule::Stop { label } => Some((bytes_of(text, tokens, &m), label.as_deref())),
                Rule::Entity { .. } => None,
            })
            .collect();
        (found, stops)
    }

    /// The entity of a match, its edges snapped to grapheme clusters; `None` if nothing is
    /// left of it.
    fn entity(&self, text: &str, tokens: &[Token], m: Match) -> Option<Entity> {
        let Rule::Entity { label, id } = &self.rules[m.rule as usize] else {
            return None;
        };
        let bytes = bytes_of(text, tokens, &m);
        (!bytes.is_empty()).then(|| Entity {
            start: bytes.start,
            end: bytes.end,
            label: self.labels[*label as usize].clone(),
            text: text[bytes].to_string(),
            score: 1.0,
            source: Source::Pattern,
            id: id.clone(),
        })
    }
}

/// The bytes a match covers, snapped to grapheme clusters as the model's entities are.
fn bytes_of(text: &str, tokens: &[Token], m: &Match) -> Range<usize> {
    snap_to_graphemes(
        text,
        tokens[m.tokens.start].start,
        tokens[m.tokens.end - 1].end,
    )
}

/// A pattern's body, once read.
enum Body {
    Phrase(Vec<String>),
    Tokens(Vec<TokenSpec>),
}

/// `word` in lower case, borrowed when it already is.
fn lower(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}
