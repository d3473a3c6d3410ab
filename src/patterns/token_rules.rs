//! Token patterns: sequences of token descriptions, each with a repetition, matched by
//! simulating the automaton they describe (no backtracking, so no pattern can make the
//! matching cost explode).
//!
//! A pattern of k descriptions has the states 0..=k: "the next description to match is
//! i". A description with a minimum of 2 and a maximum of 3 is first unrolled into
//! "exactly one, exactly one, at most one", so every state repeats at most once ("?"),
//! any number of times ("*"), or exactly once. Reaching state k is a match.

use super::token_spec::TokenSpec;
use super::Match;
use std::collections::HashMap;
use std::ops::Range;

/// Longest match of a token pattern, in tokens: it keeps a pattern such as
/// `[{"OP": "*"}]` from costing the square of a sentence's length.
pub const MAX_MATCH_TOKENS: usize = 32;

/// How many times a state's description may match before moving on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Times {
    Once,
    Optional,
    Any,
}

/// One token pattern, unrolled.
#[derive(Debug, Clone)]
struct Automaton {
    states: Vec<(usize, Times)>,
    specs: Vec<TokenSpec>,
    rule: u32,
}

/// The token patterns, indexed by the exact or lower-case text of their first token
/// where they fix it, so that a long list of them does not cost each token of the text a
/// test of every pattern.
#[derive(Debug, Clone, Default)]
pub(super) struct TokenRules {
    automata: Vec<Automaton>,
    by_text: HashMap<String, Vec<usize>>,
    by_lower: HashMap<String, Vec<usize>>,
    anywhere: Vec<usize>,
}

impl TokenRules {
    /// Adds a pattern for `rule`; `specs` is not empty.
    pub fn insert(&mut self, specs: Vec<TokenSpec>, rule: u32) {
        let mut states = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let min = usize::from(spec.repeat.min);
            states.extend(std::iter::repeat_n((i, Times::Once), min));
            match spec.repeat.max {
                None => states.push((i, Times::Any)),
                Some(max) => {
                    let optional = usize::from(max) - min;
                    states.extend(std::iter::repeat_n((i, Times::Optional), optional));
                }
            }
        }
        let index = self.automata.len();
        let first = specs.first().filter(|s| s.repeat.min > 0);
        match first.and_then(TokenSpec::fixed_text) {
            Some((false, text)) => self.by_text.entry(text.into()).or_default().push(index),
            Some((true, lower)) => self.by_lower.entry(lower.into()).or_default().push(index),
            None => self.anywhere.push(index),
        }
        self.automata.push(Automaton {
            states,
            specs,
            rule,
        });
    }

    /// Whether no pattern was added.
    pub fn is_empty(&self) -> bool {
        self.automata.is_empty()
    }

    /// Every match within `sentence` (a token range), given each token's text and
    /// lower-case form.
    pub fn find(
        &self,
        words: &[&str],
        lower: &[&str],
        sentence: Range<usize>,
        out: &mut Vec<Match>,
    ) {
        let mut current = Vec::new();
        let mut next = Vec::new();
        for start in sentence.clone() {
            let candidates = self.by_text.get(words[start]).into_iter().flatten();
            let candidates =
                candidates.chain(self.by_lower.get(lower[start]).into_iter().flatten());
            for &a in candidates.chain(&self.anywhere) {
                let automaton = &self.automata[a];
                let end = sentence.end.min(start + MAX_MATCH_TOKENS);
                automaton.run(words, lower, start..end, &mut current, &mut next, out);
            }
        }
    }
}

impl Automaton {
    /// Adds the states that `states` reach without reading a token.
    fn close(&self, states: &mut Vec<usize>) {
        let mut i = 0;
        while i < states.len() {
            let s = states[i];
            if s < self.states.len()
                && self.states[s].1 != Times::Once
                && !states.contains(&(s + 1))
            {
                states.push(s + 1);
            }
            i += 1;
        }
    }

    /// Every match of this pattern that starts at `tokens.start` and ends by `tokens.end`.
    fn run(
        &self,
        words: &[&str],
        lower: &[&str],
        tokens: Range<usize>,
        current: &mut Vec<usize>,
        next: &mut Vec<usize>,
        out: &mut Vec<Match>,
    ) {
        current.clear();
        current.push(0);
        self.close(current);
        for t in tokens.clone() {
            next.clear();
            for &s in current.iter() {
                let Some(&(spec, times)) = self.states.get(s) else {
                    continue;
                };
                if self.specs[spec].matches(words[t], lower[t]) {
                    let to = if times == Times::Any { s } else { s + 1 };
                    if !next.contains(&to) {
                        next.push(to);
                    }
                }
            }
            if next.is_empty() {
                return;
            }
            self.close(next);
            if next.contains(&self.states.len()) {
                out.push(Match {
                    tokens: tokens.start..t + 1,
                    rule: self.rule,
                });
            }
            std::mem::swap(current, next);
        }
    }
}

#[cfg(all(test, feature = "jsonl"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn matches(pattern: serde_json::Value, text: &str) -> Vec<(usize, usize)> {
        let specs = pattern
            .as_array()
            .unwrap()
            .iter()
            .map(|v| TokenSpec::parse(&v.clone().into()).unwrap())
            .collect();
        let mut rules = TokenRules::default();
        rules.insert(specs, 7);
        let words: Vec<&str> = text.split(' ').collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
        let mut out = Vec::new();
        rules.find(&words, &lower, 0..words.len(), &mut out);
        assert!(out.iter().all(|m| m.rule == 7));
        out.into_iter()
            .map(|m| (m.tokens.start, m.tokens.end))
            .collect()
    }

    #[test]
    fn operators_repeat_descriptions() {
        let iphone = json!([{"LOWER": "iphone"}, {"IS_DIGIT": true, "OP": "?"}]);
        assert_eq!(matches(iphone.clone(), "an iPhone 15 ."), [(1, 2), (1, 3)]);
        assert_eq!(matches(iphone, "an iphone X"), [(1, 2)]);
        let names = json!([{"IS_TITLE": true, "OP": "+"}, {"LOWER": "park"}]);
        assert_eq!(
            matches(names, "at Suiwu Modern Industrial Park"),
            [(1, 5), (2, 5), (3, 5)]
        );
        let any = json!([{"LOWER": "from"}, {"OP": "*"}, {"LOWER": "to"}]);
        assert_eq!(matches(any, "from A to B to"), [(0, 3), (0, 5)]);
        let exactly = json!([{"SHAPE": "dd", "OP": "{2,3}"}]);
        assert_eq!(
            matches(exactly, "10 20 30 40"),
            [(0, 2), (0, 3), (1, 3), (1, 4), (2, 4)]
        );
    }

    #[test]
    fn matches_are_bounded_in_length() {
        let text = vec!["a"; 100].join(" ");
        let found = matches(json!([{"OP": "+"}]), &text);
        assert!(found.iter().all(|(s, e)| e - s <= MAX_MATCH_TOKENS));
        assert_eq!(
            found.len(),
            100 * MAX_MATCH_TOKENS - (MAX_MATCH_TOKENS - 1) * MAX_MATCH_TOKENS / 2
        );
    }
}
