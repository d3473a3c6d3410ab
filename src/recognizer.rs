//! The public entry point: text in, entities out.

use crate::amounts::add_amounts_and_times;
use crate::clusters::WordClusters;
use crate::decode::{decode, Span};
use crate::features::{Document, Lexicons, TagHistory};
use crate::label::KnownLabels;
use crate::model::{Model, ModelError, WordScores};
use crate::patterns::Patterns;
use crate::tags::tags_of;
use crate::tidy::{snap_to_graphemes, tidy};
use crate::tokenize::{split_sentences, tokenize, Token};
use std::ops::Range;
use std::sync::Arc;

/// Sentences before its start that a share of a text is tagged from, unseen, so that the
/// tags they get inform it as they would in the whole text. On OntoNotes dev cut into 2,
/// 4 and 8 shares, F1 is 0.8617, 0.8617 and 0.8612 with none, 0.8624, 0.8629 and 0.8630
/// with 8, against 0.8624 whole (`onoma annotate --shares N`).
pub(crate) const WARM_UP: usize = 8;

/// The model shipped with the library.
#[cfg(feature = "builtin-model")]
static DEFAULT_MODEL: &[u8] = include_bytes!("../models/onoma-en.onm");

/// A named entity found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    /// Byte offset of the first byte in the input text.
    pub start: usize,
    /// Byte offset one past the last byte in the input text.
    pub end: usize,
    /// The entity type: one of the model's labels (for the built-in model, a [`Label`](crate::Label)'s
    /// name such as `"GPE"`) or a pattern's.
    pub label: String,
    /// The entity as written: `&text[start..end]`.
    pub text: String,
    /// Probability, under the model, that exactly this span with this label is an
    /// entity; in `[0, 1]`. Pattern matches score 1.
    pub score: f32,
    /// What found it.
    pub source: Source,
    /// The `"id"` of the pattern that found it, if it had one.
    pub id: Option<String>,
}

/// An [`Entity`] that borrows its strings, from the text and from where the labels are
/// kept (see [`LiveDocument::entities`](crate::LiveDocument::entities)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EntityRef<'a> {
    /// Byte offset of the first byte in the text.
    pub start: usize,
    /// Byte offset one past the last byte in the text.
    pub end: usize,
    /// The entity type.
    pub label: &'a str,
    /// The entity as written.
    pub text: &'a str,
    /// Probability that exactly this span with this label is an entity; pattern matches score 1.
    pub score: f32,
    /// What found it.
    pub source: Source,
    /// The `"id"` of the pattern that found it, if it had one.
    pub id: Option<&'a str>,
}

impl EntityRef<'_> {
    /// The entity with copies of its strings.
    pub fn to_entity(&self) -> Entity {
        Entity {
            start: self.start,
            end: self.end,
            label: self.label.to_owned(),
            text: self.text.to_owned(),
            score: self.score,
            source: self.source,
            id: self.id.map(str::to_owned),
        }
    }
}

impl<'a> From<&'a Entity> for EntityRef<'a> {
    fn from(e: &'a Entity) -> Self {
        EntityRef {
            start: e.start,
            end: e.end,
            label: &e.label,
            text: &e.text,
            score: e.score,
            source: e.source,
            id: e.id.as_deref(),
        }
    }
}

/// What found an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The model (or its built-in patterns for amounts and times).
    Model,
    /// One of the user's [`Patterns`].
    Pattern,
}

impl Source {
    /// `"model"` or `"pattern"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Model => "model",
            Source::Pattern => "pattern",
        }
    }
}

/// The result of analysing one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Entities in text order.
    pub entities: Vec<Entity>,
    /// Number of tokens the text was cut into.
    pub tokens: usize,
    /// Number of sentences.
    pub sentences: usize,
}

/// A named-entity recognizer: a loaded model and the pipeline around it.
///
/// ```
/// use onoma::{Label, Recognizer};
///
/// let ner = Recognizer::default();
/// let text = "Angela Merkel visited Paris on Monday.";
/// for e in ner.extract(text) {
///     assert_eq!(&text[e.start..e.end], e.text);
///     println!("{} {} {:.2}", e.label, e.text, e.score);
/// }
/// assert!(ner.extract(text).iter().any(|e| e.label == Label::Gpe.as_str() && e.text == "Paris"));
/// ```
///
/// Cloning is cheap: clones share the model and the patterns.
#[derive(Debug, Clone)]
pub struct Recognizer {
    model: Arc<Model>,
    /// Where MONEY, DATE and TIME stand in the model's labels, for clean-up and amounts.
    known: KnownLabels,
    patterns: Option<Arc<Patterns>>,
}

#[cfg(feature = "builtin-model")]
impl Default for Recognizer {
    /// The recognizer with the built-in English model (the `builtin-model` feature, on by
    /// default).
    fn default() -> Self {
        Recognizer::from_bytes(DEFAULT_MODEL).expect("the built-in model is valid")
    }
}

impl Recognizer {
    /// Loads a model from the bytes of a model file.
    ///
    /// ```
    /// let err = onoma::Recognizer::from_bytes(b"this is not a model file at all, clearly").unwrap_err();
    /// assert_eq!(err.to_string(), "not an Onoma model: wrong magic number");
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Model::from_bytes(bytes).map(Recognizer::from_model)
    }

    /// Loads a model file from disk.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Self, ModelError> {
        let bytes = std::fs::read(path).map_err(|e| ModelError::Io(e.to_string()))?;
        Recognizer::from_bytes(&bytes)
    }

    /// Wraps an already loaded model.
    pub fn from_model(model: Model) -> Self {
        Recognizer {
            known: KnownLabels::of(model.labels()),
            model: Arc::new(model),
            patterns: None,
        }
    }

    /// This recognizer with `patterns` matched on every text and merged with the model's
    /// entities (replacing any patterns it had). See [`Patterns`] for the format.
    pub fn with_patterns(self, patterns: Patterns) -> Self {
        Recognizer {
            patterns: (!patterns.is_empty()).then(|| Arc::new(patterns)),
            ..self
        }
    }

    /// This recognizer without patterns.
    pub fn without_patterns(self) -> Self {
        Recognizer {
            patterns: None,
            ..self
        }
    }

    /// The patterns in use, if any.
    pub fn patterns(&self) -> Option<&Patterns> {
        self.patterns.as_deref()
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Every label this recognizer can output: the model's, then those only patterns give.
    pub fn labels(&self) -> Vec<String> {
        let model = self.model.labels().iter();
        let mut labels: Vec<String> = model.map(|l| l.name.clone()).collect();
        for label in self.patterns.iter().flat_map(|p| p.labels()) {
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
        labels
    }

    /// The entities in `text`, with byte offsets.
    pub fn extract(&self, text: &str) -> Vec<Entity> {
        self.analyze(text).entities
    }

    /// Runs [`Recognizer::extract`] on each text.
    pub fn extract_batch<S: AsRef<str>>(&self, texts: &[S]) -> Vec<Vec<Entity>> {
        texts.iter().map(|t| self.extract(t.as_ref())).collect()
    }

    /// The entities in `text`, with token and sentence counts. The whole text is one
    /// document: a name written in lower case elsewhere in it, or capitalised inside a
    /// sentence, informs how each mention is read, and so do the tags its words got in
    /// earlier sentences.
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_share(text, 0, 1)
    }

    /// The entities of share `share` of `shares` (counted from 0) of `text`, cut at
    /// sentence ends into shares of about equal length, with the token and sentence
    /// counts of that share. The shares together give the entities of the whole text, so
    /// that several threads or workers can each take one: every share is read with the
    /// whole text around it (the other mentions of a name and how it is written
    /// elsewhere). The tags given earlier in the text inform a share only from the few
    /// sentences before it that it also tags, which is all that can differ from
    /// [`analyze`](Self::analyze) (see `docs/benchmarks.md`, "Shares of one text").
    ///
    /// ```
    /// let ner = onoma::Recognizer::default();
    /// let text = "Ada Lovelace met Charles Babbage in London. Lovelace wrote notes in 1843.";
    /// let whole = ner.analyze(text).entities;
    /// let shared = [ner.analyze_share(text, 0, 2), ner.analyze_share(text, 1, 2)];
    /// assert_eq!(shared.iter().map(|a| a.sentences).sum::<usize>(), 2);
    /// let mut entities: Vec<_> = shared.into_iter().flat_map(|a| a.entities).collect();
    /// entities.sort_by_key(|e| e.start);
    /// assert_eq!(entities, whole);
    /// ```
    ///
    /// # Panics
    /// If `share >= shares`.
    pub fn analyze_share(&self, text: &str, share: usize, shares: usize) -> Analysis {
        assert!(share < shares, "share {share} of {shares}");
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let part = share_of(text, &tokens, &sentences, share, shares);
        let words = tokens.iter().map(|t| t.text(text));
        let doc = Document::new(words, &sentences, self.lexicons(), self.word_classes());
        let mut history = TagHistory::default();
        self.analyze_part(text, (&tokens, &sentences), &doc, part, &mut history)
    }

    /// The lexicons the model looks words up in.
    pub(crate) fn lexicons(&self) -> Lexicons<'_> {
        let lexicons = &self.model.lexicons;
        (&lexicons.learned, &lexicons.public_lists)
    }

    /// The model's word classes.
    pub(crate) fn word_classes(&self) -> &WordClusters {
        &self.model.lexicons.word_classes
    }

    /// The entities of the sentences `part` of `text`, cut into `tokens` and `sentences`
    /// (ranges of token indices) and prepared as `doc`, tagged after the [`WARM_UP`]
    /// sentences before them, with the tags of earlier sentences in `history`.
    pub(crate) fn analyze_part(
        &self,
        text: &str,
        (tokens, sentences): (&[Token], &[Range<usize>]),
        doc: &Document,
        part: Range<usize>,
        history: &mut TagHistory,
    ) -> Analysis {
        let spans = self.tag_sentences(doc, sentences, part.clone(), history);
        let sentences = &sentences[part];
        let mut entities = Vec::new();
        for (range, spans) in sentences.iter().zip(spans) {
            let sentence = &tokens[range.clone()];
            let spans = tidy(text, sentence, spans, &self.known);
            let spans = add_amounts_and_times(text, sentence, spans, &self.known);
            for span in spans {
                let bytes = snap_to_graphemes(
                    text,
                    sentence[span.tokens.start].start,
                    sentence[span.tokens.end - 1].end,
                );
                if bytes.is_empty() {
                    continue; // only symbols, or the tail of a cluster that starts before it
                }
                let (start, end) = (bytes.start, bytes.end);
                entities.push(Entity {
                    start,
                    end,
                    label: self.model.labels().name(span.label).to_string(),
                    text: text[start..end].to_string(),
                    score: span.confidence,
                    source: Source::Model,
                    id: None,
                });
            }
        }
        if let Some(patterns) = &self.patterns {
            entities = patterns.apply(text, tokens, sentences, entities);
        }
        Analysis {
            entities,
            tokens: sentences.iter().map(Range::len).sum(),
            sentences: sentences.len(),
        }
    }

    /// Decoded spans of the sentences `part` of `doc`, whose sentences are the word
    /// ranges `sentences`, tagged after the [`WARM_UP`] sentences before them; each
    /// sentence's tags are added to `history`, which informs the next.
    fn tag_sentences(
        &self,
        doc: &Document,
        sentences: &[Range<usize>],
        part: Range<usize>,
        history: &mut TagHistory,
    ) -> Vec<Vec<Span>> {
        let mut keys = Vec::new();
        let mut scores = Vec::new();
        let mut words = WordScores::default();
        let warm = part.start.saturating_sub(WARM_UP)..part.start;
        let skip = warm.len();
        sentences[warm.start..part.end]
            .iter()
            .map(|range| {
                keys.clear();
                doc.sentence_features(range.clone(), history, &mut keys);
                let slots = doc.key_slots(range.clone());
                self.model
                    .score_sentence(&keys, (&mut words, &slots), &mut scores);
                let spans = decode(
                    self.model.transitions(),
                    &scores,
                    &doc.quote_mates(range.clone()),
                );
                let tags = tags_of(
                    range.len(),
                    spans.iter().map(|s| (s.tokens.clone(), s.label)),
                );
                history.record(&doc.history_words(range.clone()), &tags);
                spans
            })
            .skip(skip)
            .collect()
    }
}

/// The sentences (indices into `sentences`) of share `share` of `shares` of `text`. The
/// `k`-th cut is the `k / shares` fraction of the text's bytes; a share ends before the
/// sentence that reaches its cut, and the next share begins with that sentence.
fn share_of(
    text: &str,
    tokens: &[Token],
    sentences: &[Range<usize>],
    share: usize,
    shares: usize,
) -> Range<usize> {
    let end_of = |k: usize| {
        if k >= shares {
            return sentences.len();
        }
        let cut = (text.len() as u128 * k as u128 / shares as u128) as usize;
        sentences.partition_point(|s| tokens[s.end - 1].end < cut)
    };
    let start = if share == 0 { 0 } else { end_of(share) };
    start..end_of(share + 1).max(start)
}

/// An entity found in pre-tokenized text, as token indices within its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSpan {
    /// Token indices within the sentence.
    pub tokens: std::ops::Range<usize>,
    /// The entity type: one of the model's labels.
    pub label: String,
    /// Probability of exactly this span and label, in `[0, 1]`.
    pub score: f32,
}

impl Recognizer {
    /// Tags an already tokenized document, given as its sentences of words. Returns the
    /// entities of each sentence as token ranges.
    ///
    /// ```
    /// let ner = onoma::Recognizer::default();
    /// let doc = vec![vec!["Mr.", "Smith", "went", "to", "Washington", "."]];
    /// let spans = ner.tag_tokens(&doc);
    /// let found: Vec<_> = spans[0].iter().map(|s| (s.tokens.clone(), s.label.as_str())).collect();
    /// assert!(found.contains(&(1..2, "PERSON")));
    /// assert!(found.contains(&(4..5, "GPE")));
    /// ```
    pub fn tag_tokens<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<TokenSpan>> {
        let mut ranges = Vec::with_capacity(sentences.len());
        let mut n = 0;
        for s in sentences {
            ranges.push(n..n + s.len());
            n += s.len();
        }
        let words = sentences.iter().flatten().map(AsRef::as_ref);
        let doc = Document::new(words, &ranges, self.lexicons(), self.word_classes());
        let mut history = TagHistory::default();
        self.tag_sentences(&doc, &ranges, 0..ranges.len(), &mut history)
            .into_iter()
            .map(|spans| {
                spans
                    .into_iter()
                    .map(|s| TokenSpan {
                        tokens: s.tokens,
                        label: self.model.labels().name(s.label).to_string(),
                        score: s.confidence,
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(all(test, feature = "train"))]
mod tests {
    use super::*;
    use crate::clusters::WordClusters;
    use crate::features::Template;
    use crate::gazetteer::Gazetteer;
    use crate::hash::fingerprint;
    use crate::label::{Label, LabelSet};
    use crate::model::Lexicons;
    use crate::tags::{tag, tag_count, Part};

    /// A model that tags nothing, except a capitalised word last seen outside any entity
    /// earlier in the document, which it tags as an organisation: only the tag history
    /// tells the three mentions of "Acme" apart.
    #[test]
    fn earlier_sentences_inform_later_ones() {
        let empty = Gazetteer::default();
        let clusters = WordClusters::default();
        let sentence = 0..1;
        let one = std::slice::from_ref(&sentence);
        let acme = Document::new(["Acme"], one, (&empty, &empty), &clusters).history_words(0..1);
        let mut history = TagHistory::default();
        history.record(&acme, &[0]);
        let seen_outside = history.sentence_keys(&acme)[0][1];
        let bias = Template::Bias.key(&[]);
        let org = tag(Label::Org.index(), Part::Unit) as u16;
        let n_tags = tag_count(18);
        let model = Model::from_parts(
            Vec::new(),
            LabelSet::ontonotes(),
            1.0,
            (vec![0.0; n_tags * n_tags], vec![0.0; n_tags]),
            Lexicons::default(),
            vec![
                (fingerprint(bias), vec![(0, 1.0)]),
                (fingerprint(seen_outside), vec![(org, 5.0)]),
            ],
        );
        let text = "Acme rose. Acme fell. Acme";
        let found: Vec<_> = Recognizer::from_model(model)
            .extract(text)
            .into_iter()
            .map(|e| (e.start, e.label))
            .collect();
        assert_eq!(found, [(11, "ORG".to_string())]);
    }
}
