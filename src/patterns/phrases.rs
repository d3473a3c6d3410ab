//! Phrase patterns as a trie over words, so that a hundred thousand terms cost one
//! hash look-up per token of the text plus one per word of each phrase that starts there.
//!
//! Worked through: the phrases "New York" (rule 0) and "New York City" (rule 1) become
//! the words `New`=0, `York`=1, `City`=2 and the edges (root, 0) → a, (a, 1) → b,
//! (b, 2) → c, with rule 0 ending at b and rule 1 at c. In "in New York City Hall" the walk
//! from `New` passes b (a match of rule 0 over two tokens) and c (rule 1 over three), and
//! stops at `Hall`, which has no edge from c.

use super::Match;
use std::collections::HashMap;

/// Marks a trie node where no phrase ends.
const NO_RULE: u32 = u32::MAX;
/// The trie's root node.
const ROOT: u32 = 0;

/// Phrases as sequences of words, keyed by the words' exact text or lower-case form
/// (which one is the caller's choice, made once for every phrase).
#[derive(Debug, Clone)]
pub(super) struct PhraseTrie {
    words: HashMap<Box<str>, u32>,
    edges: HashMap<(u32, u32), u32>,
    /// For each node, the rule of the phrase that ends there, or `NO_RULE`.
    ends: Vec<u32>,
}

impl Default for PhraseTrie {
    fn default() -> Self {
        PhraseTrie {
            words: HashMap::new(),
            edges: HashMap::new(),
            ends: vec![NO_RULE],
        }
    }
}

impl PhraseTrie {
    /// Adds a phrase for `rule`. Returns false, changing nothing, when an earlier rule has
    /// the same words: the first pattern of a phrase wins.
    pub fn insert<'a>(&mut self, words: impl IntoIterator<Item = &'a str>, rule: u32) -> bool {
        let mut node = ROOT;
        for word in words {
            let next_word = self.words.len() as u32;
            let word = *self.words.entry(word.into()).or_insert(next_word);
            let next_node = self.ends.len() as u32;
            node = *self.edges.entry((node, word)).or_insert(next_node);
            if node == next_node {
                self.ends.push(NO_RULE);
            }
        }
        let end = &mut self.ends[node as usize];
        if node == ROOT || *end != NO_RULE {
            return false;
        }
        *end = rule;
        true
    }

    /// The word number of `word`, if some phrase contains it.
    pub fn word(&self, word: &str) -> Option<u32> {
        self.words.get(word).copied()
    }

    /// Every phrase occurrence in a text given as the word numbers of its tokens (`None` for
    /// a token no phrase contains), as token ranges.
    pub fn find(&self, words: &[Option<u32>], out: &mut Vec<Match>) {
        for start in 0..words.len() {
            let mut node = ROOT;
            for (end, word) in words[start..].iter().enumerate() {
                let Some(next) = word.and_then(|w| self.edges.get(&(node, w))) else {
                    break;
                };
                node = *next;
                let rule = self.ends[node as usize];
                if rule != NO_RULE {
                    out.push(Match {
                        tokens: start..start + end + 1,
                        rule,
                    });
                }
            }
        }
    }

    /// Whether no phrase was added.
    pub fn is_empty(&self) -> bool {
        self.ends.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_starting_at_a_token_is_found() {
        let mut trie = PhraseTrie::default();
        assert!(trie.insert(["New", "York"], 0));
        assert!(trie.insert(["New", "York", "City"], 1));
        assert!(
            !trie.insert(["New", "York"], 2),
            "the first rule of a phrase wins"
        );
        let text = ["in", "New", "York", "City", "Hall"].map(|w| trie.word(w));
        let mut found = Vec::new();
        trie.find(&text, &mut found);
        let found: Vec<_> = found.iter().map(|m| (m.tokens.clone(), m.rule)).collect();
        assert_eq!(found, [(1..3, 0), (1..4, 1)]);
    }
}
