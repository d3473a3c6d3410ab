//! Training (cargo feature `train`): an averaged structured perceptron and a CRF over the
//! same features and constrained Viterbi decoding that run at prediction time. Several
//! runs of each, every one visiting the sentences in its own order, are averaged: any
//! single run lands a few tenths of a point of F1 above or below the others by the luck
//! of its order, and the average is better than each of them. The two averages are then
//! mixed into one linear model, in the share dev prefers.
//!
//! The shipped model is trained twice: first on train alone, choosing every setting on dev
//! ([`train`]), then on train and dev together, making the same choices from the
//! [`Recipe`] the first training wrote ([`train_with_recipe`]): dev adds a seventh to the
//! data, and nothing is chosen on test.
//!
//! Deterministic: sentences are visited in orders drawn from fixed seeds, features
//! are numbered in corpus order, and every reduction runs in a fixed order, so the same
//! data and settings give the same model file byte for byte.

use crate::clusters::WordClusters;
use crate::decode::{decode, spans_of, tags_of, viterbi, N_TAGS};
use crate::eval::{CorpusDoc, Scorer};
use crate::features::{norm_hash, Document, HistoryWord, TagHistory, FROM_HISTORY, PER_TOKEN};
use crate::gazetteer::{phrase_key, Gazetteer, GazetteerBuilder, MAX_WORDS};
use crate::model::Model;
use std::collections::HashMap;

mod augment;
mod clustering;
mod crf;
mod dateline;
mod ensemble;
mod perceptron;
mod raw_text;
mod recipe;
mod run;
mod weights;

pub use recipe::{Mix, Recipe};
use run::Example;

/// Training settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Passes over the training data; the best pass on the dev set is kept.
    pub epochs: usize,
    /// Seed of the sentence order of the first run; run `k` uses `seed + 2k`.
    pub seed: u64,
    /// Independent perceptron runs, each in its own sentence order; the perceptron is
    /// the average of their best epochs, which is steadier than any one of them.
    pub runs: usize,
    /// Independent CRF runs, averaged the same way and mixed with the perceptron; 0
    /// trains the perceptron alone.
    pub crf_runs: usize,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    /// Largest number of non-zero weights kept in the model (the smallest go first).
    pub max_weights: usize,
    /// Share of each training sentence's features hidden at each visit (feature dropout).
    pub dropout: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            seed: 20261128,
            runs: 4,
            crf_runs: 2,
            min_count: 2,
            max_weights: 850_000,
            dropout: 0.2,
        }
    }
}

/// A sentence ready for evaluation: feature keys and gold spans.
struct DevSentence {
    /// `PER_TOKEN` keys per token, those from the tag history as for an empty one.
    keys: Vec<u64>,
    gold: Vec<(std::ops::Range<usize>, crate::Label)>,
    /// Index of the document and of the sentence within it.
    doc: usize,
    sentence: usize,
    words: Vec<HistoryWord>,
}

impl DevSentence {
    /// The keys with those of the tag history taken from `history`.
    fn keys_with(&self, history: &TagHistory) -> Vec<u64> {
        let mut keys = self.keys.clone();
        for (token, h) in keys
            .chunks_mut(PER_TOKEN)
            .zip(history.sentence_keys(&self.words))
        {
            token[PER_TOKEN - FROM_HISTORY..].copy_from_slice(&h);
        }
        keys
    }
}

/// Runs `model` over `sentences` in document order, each sentence seeing the tags of the
/// earlier ones, and hands `visit` each sentence with its scores and best tags.
fn tag_in_order(
    model: &Model,
    sentences: &[DevSentence],
    mut visit: impl FnMut(&DevSentence, &[f32], &[usize]),
) {
    let mut history = TagHistory::default();
    let mut scores = Vec::new();
    for s in sentences {
        if s.sentence == 0 {
            history = TagHistory::default();
        }
        model.score(&s.keys_with(&history), PER_TOKEN, &mut scores);
        let tags = viterbi(&model.transitions, &model.start, &scores);
        visit(s, &scores, &tags);
        history.record(&s.words, &tags);
    }
}

/// Which epoch of its run a training run keeps.
#[derive(Clone, Copy)]
enum KeepEpoch<'a> {
    /// The one of `TrainConfig::epochs` that scores best on these dev sentences.
    BestOnDev(&'a [DevSentence]),
    /// The one given for each run, in run order (from a [`Recipe`]).
    Fixed(&'a [usize]),
}

/// What every training run reads.
#[derive(Clone, Copy)]
struct RunInputs<'a> {
    /// The featurized training sentences.
    examples: &'a [Example],
    /// Feature id of every key the tag history can give.
    history_ids: &'a HashMap<u64, u32>,
    /// How each run picks its epoch.
    keep: KeepEpoch<'a>,
    /// The key of each feature id.
    keys: &'a [u64],
    /// The lexicons stored in every model cut from the weights.
    lexicons: (&'a Gazetteer, &'a PublicLexicons),
}

/// Number of parts the training documents are split into, so that each part's lexicon
/// features come from a lexicon built on the other parts.
const FOLDS: usize = 10;

/// A lexicon of the names in the documents accepted by `include`.
fn build_gazetteer(docs: &[CorpusDoc], include: impl Fn(usize) -> bool) -> Gazetteer {
    let mut builder = GazetteerBuilder::default();
    let norms =
        |s: &crate::eval::Sentence| -> Vec<u64> { s.words.iter().map(|w| norm_hash(w)).collect() };
    let kept = || {
        docs.iter()
            .enumerate()
            .filter(|(i, _)| include(*i))
            .flat_map(|(_, d)| &d.sentences)
    };
    for s in kept() {
        let spans: Vec<_> = s
            .entities
            .iter()
            .map(|(r, l)| (r.start, r.end, l.index()))
            .collect();
        builder.add_entities(&norms(s), &spans);
    }
    for s in kept() {
        builder.count_occurrences(&norms(s));
    }
    builder.build()
}

/// Feature keys of the sentences of every document accepted by `keep(document,
/// sentence)`, with their gold spans; document `i` looks names up in `lexicon(i)`.
fn featurize<'g>(
    docs: &[CorpusDoc],
    lexicon: impl Fn(usize) -> &'g Gazetteer,
    public: &PublicLexicons,
    keep: impl Fn(usize, usize) -> bool,
) -> Vec<DevSentence> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let mut ranges = Vec::new();
        let mut n = 0;
        for s in &doc.sentences {
            ranges.push(n..n + s.words.len());
            n += s.words.len();
        }
        let words = doc
            .sentences
            .iter()
            .flat_map(|s| s.words.iter().map(String::as_str));
        let document = Document::new(words, &ranges, (lexicon(d), &public.lists), &public.classes);
        for (k, (s, range)) in doc.sentences.iter().zip(ranges).enumerate() {
            if !keep(d, k) {
                continue;
            }
            let mut keys = Vec::with_capacity(range.len() * PER_TOKEN);
            document.sentence_features(range.clone(), &TagHistory::default(), &mut keys);
            out.push(DevSentence {
                keys,
                gold: s.entities.clone(),
                doc: d,
                sentence: k,
                words: document.history_words(range),
            });
        }
    }
    out
}

/// Exact-match span scores of `model` on featurized sentences.
fn evaluate(model: &Model, sentences: &[DevSentence]) -> Scorer {
    let mut scorer = Scorer::default();
    tag_in_order(model, sentences, |s, _, tags| {
        scorer.add(&s.gold, &spans_of(tags))
    });
    scorer
}

/// Picks the temperature that minimises the Brier score (mean squared error) of span
/// confidences on `sentences`: a span's confidence should be the chance that it is right.
/// Log loss would let the few confidently wrong spans decide, and the tag history makes
/// those more common (a wrong tag repeats through a document): it chose a temperature
/// that left every band of confidence too timid.
fn calibrate(model: &mut Model, sentences: &[DevSentence]) -> f32 {
    let mut best = (f64::INFINITY, 1.0);
    // From 1 to 60 in steps of about 10 %, to the nearest half.
    let mut grid: Vec<f32> = (0..=43)
        .map(|k| (1.1f32.powi(k) * 2.0).round() / 2.0)
        .collect();
    grid.dedup();
    for t in grid {
        model.set_temperature(t);
        let model: &Model = model;
        let mut loss = 0.0;
        tag_in_order(model, sentences, |s, scores, _| {
            for span in decode(model, scores) {
                let right = s.gold.contains(&(span.tokens.clone(), span.label));
                let p = f64::from(span.confidence);
                loss += if right { (1.0 - p).powi(2) } else { p * p };
            }
        });
        if loss < best.0 {
            best = (loss, t);
        }
    }
    model.set_temperature(best.1);
    best.1
}

/// What training reads besides the corpus, all of it stored in the model.
pub struct PublicLexicons {
    /// Names from public lists, with word frequency bands.
    pub lists: Gazetteer,
    /// Word classes from clustered word vectors.
    pub classes: WordClusters,
}

/// The public lexicons, from the files in `dir` written by `scripts/build-lexicons.py`.
/// Missing files are an error.
pub fn load_public_lexicons(dir: &std::path::Path) -> Result<PublicLexicons, String> {
    Ok(PublicLexicons {
        lists: load_public_lists(dir)?,
        classes: clustering::load_word_clusters(&dir.join("embeddings.tsv"))?,
    })
}

/// One name per line in each list of [`PUBLIC_LISTS`], each list setting one bit of a
/// phrase's value, and `frequency.tsv` (`word<TAB>band`, bands 1–3) setting the top two
/// bits of single words.
fn load_public_lists(dir: &std::path::Path) -> Result<Gazetteer, String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let key = |phrase: &str| -> Option<u32> {
        let words: Vec<u64> = crate::tokenize(phrase)
            .iter()
            .map(|t| norm_hash(t.text(phrase)))
            .collect();
        (words.len() <= MAX_WORDS).then(|| phrase_key(&words))
    };
    let mut entries: HashMap<u32, u8> = HashMap::new();
    for (bit, name) in PUBLIC_LISTS.iter().enumerate() {
        for line in read(&format!("{name}.txt"))?.lines().map(str::trim) {
            if let Some(k) = key(line).filter(|_| !line.is_empty()) {
                *entries.entry(k).or_insert(0) |= 1 << bit;
            }
        }
    }
    for line in read("frequency.tsv")?.lines() {
        let (word, band) = line
            .split_once('\t')
            .ok_or("frequency.tsv: expected word<TAB>band")?;
        let band: u8 = band
            .parse()
            .ok()
            .filter(|b| (1..=3).contains(b))
            .ok_or("frequency.tsv: bad band")?;
        if let Some(k) = key(word) {
            *entries.entry(k).or_insert(0) |= band << 6;
        }
    }
    Ok(Gazetteer::from_entries(entries))
}

/// The public lists, in bit order.
pub const PUBLIC_LISTS: [&str; 6] = [
    "country",
    "place",
    "language",
    "first_name",
    "last_name",
    "org_suffix",
];

/// Deterministic xorshift generator for the sentence order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Training documents ready for the learners: featurized sentences, their feature
/// numbering and the lexicon of names stored in the model.
struct Prepared {
    examples: Vec<Example>,
    history_ids: HashMap<u64, u32>,
    keys: Vec<u64>,
    gazetteer: Gazetteer,
    /// `dev` featurized with the lexicon of all of `train`.
    dev: Vec<DevSentence>,
}

impl Prepared {
    /// `train` (and `dev`, for choosing) cut into sentences as the recognizer cuts raw text
    /// (see `raw_text`), with headline-cased copies of some training sentences and
    /// dateline copies of some first sentences, all featurized.
    fn new(
        train: &[CorpusDoc],
        dev: &[CorpusDoc],
        public: &PublicLexicons,
        config: &TrainConfig,
        log: &mut dyn FnMut(&str),
    ) -> Prepared {
        // The model learns from, and chooses its epochs on, the sentences it will meet.
        let original_train = train;
        let train: Vec<CorpusDoc> = train.iter().map(raw_text::as_read).collect();
        let dev: Vec<CorpusDoc> = dev.iter().map(raw_text::as_read).collect();
        let (train, dev) = (&train[..], &dev[..]);
        let count = |docs: &[CorpusDoc]| -> (usize, usize) {
            let sentences = docs.iter().flat_map(|d| &d.sentences);
            (
                sentences.clone().count(),
                sentences.map(|s| s.entities.len()).sum(),
            )
        };
        log(&format!(
            "read as raw text: train (sentences, entities) {:?} -> {:?}",
            count(original_train),
            count(train)
        ));
        let gazetteer = build_gazetteer(train, |_| true);
        let folds: Vec<Gazetteer> = (0..FOLDS)
            .map(|k| build_gazetteer(train, |i| i % FOLDS != k))
            .collect();
        let mut train_sents = featurize(train, |i| &folds[i % FOLDS], public, |_, _| true);
        let recased = augment::recased(train);
        train_sents.extend(featurize(
            &recased,
            |i| &folds[i % FOLDS],
            public,
            augment::is_recased,
        ));
        drop(recased);
        let datelined = dateline::datelined(train);
        train_sents.extend(featurize(
            &datelined,
            |i| &folds[i % FOLDS],
            public,
            |_, sentence| sentence == 0,
        ));
        drop(datelined);
        let dev_sents = featurize(dev, |_| &gazetteer, public, |_, _| true);
        drop(folds);
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for s in &train_sents {
            for &k in &s.keys {
                *counts.entry(k).or_insert(0) += 1;
            }
        }
        let mut ids: HashMap<u64, u32> = HashMap::new();
        let mut keys = Vec::new();
        let mut number = |k: u64, keys: &mut Vec<u64>| {
            *ids.entry(k).or_insert_with(|| {
                keys.push(k);
                keys.len() as u32 - 1
            })
        };
        let originals = train.iter().map(|d| d.sentences.len()).sum::<usize>();
        let examples: Vec<Example> = train_sents
            .into_iter()
            .enumerate()
            .map(|(i, s)| Example {
                features: s
                    .keys
                    .iter()
                    .map(|&k| {
                        if counts[&k] < config.min_count {
                            return u32::MAX;
                        }
                        number(k, &mut keys)
                    })
                    .collect(),
                gold: tags_of(s.keys.len() / PER_TOKEN, s.gold),
                doc: s.doc,
                sentence: s.sentence,
                original: i < originals,
                words: s.words,
            })
            .collect();
        drop(counts);
        let history_ids: HashMap<u64, u32> = TagHistory::all_keys(N_TAGS)
            .into_iter()
            .map(|k| (k, number(k, &mut keys)))
            .collect();
        log(&format!(
            "{} training sentences, {} dev sentences, {} features, {} names, {} word classes",
            examples.len(),
            dev_sents.len(),
            keys.len(),
            gazetteer.len(),
            public.classes.len()
        ));
        Prepared {
            examples,
            history_ids,
            keys,
            gazetteer,
            dev: dev_sents,
        }
    }

    /// What the runs read, each keeping its epoch as `keep` says.
    fn inputs<'a>(&'a self, public: &'a PublicLexicons, keep: KeepEpoch<'a>) -> RunInputs<'a> {
        RunInputs {
            examples: &self.examples,
            history_ids: &self.history_ids,
            keep,
            keys: &self.keys,
            lexicons: (&self.gazetteer, public),
        }
    }
}

/// Trains a model on `train` and makes every choice on `dev`: `config.runs` perceptron
/// runs and `config.crf_runs` CRF runs, each keeping its best epoch on `dev`, the runs of
/// each kind averaged and the two averages mixed in the share that scores best on `dev`;
/// the confidence temperature is chosen on `dev` too. Returns the model and the
/// [`Recipe`] of those choices, which [`train_with_recipe`] repeats on more data.
/// `public` (see [`load_public_lexicons`]) is stored in the model and used as features.
/// `log` receives one line of progress per epoch.
pub fn train(
    train: &[CorpusDoc],
    dev: &[CorpusDoc],
    public: &PublicLexicons,
    config: &TrainConfig,
    mut log: impl FnMut(&str) + Send,
) -> (Model, Recipe) {
    let prepared = Prepared::new(train, dev, public, config, &mut log);
    let inputs = prepared.inputs(public, KeepEpoch::BestOnDev(&prepared.dev));
    let (perceptron, perceptron_epochs) = ensemble::soup(
        perceptron::train_run,
        config.runs,
        &inputs,
        config,
        &mut log,
    );
    let (weights, crf_epochs, mix) = if config.crf_runs == 0 {
        (perceptron, Vec::new(), None)
    } else {
        let (crf, crf_epochs) =
            ensemble::soup(crf::train_run, config.crf_runs, &inputs, config, &mut log);
        let mix = ensemble::choose_mix(&perceptron, &crf, &inputs, &prepared.dev, config, &mut log);
        (mix.apply(&perceptron, &crf), crf_epochs, Some(mix))
    };
    let mut model = weights.to_model(&prepared.keys, config.max_weights, inputs.lexicons);
    let dev_f1 = evaluate(&model, &prepared.dev).overall().f1();
    let temperature = calibrate(&mut model, &prepared.dev);
    log(&format!(
        "model ({mix:?}): dev F1 {dev_f1:.4}, temperature {temperature}"
    ));
    let recipe = Recipe {
        settings: TrainConfig {
            runs: config.runs,
            crf_runs: config.crf_runs,
            ..config.clone()
        },
        perceptron_epochs,
        crf_epochs,
        mix,
        temperature,
        dev_f1,
    };
    describe(&mut model, "OntoNotes 5.0 English train", &recipe);
    model
        .metadata
        .push(("dev_f1_sentences_as_read".into(), format!("{dev_f1:.4}")));
    (model, recipe)
}

/// Trains a model on `docs` (train and dev together) making the choices `recipe` holds,
/// from a [`train`] on train alone: each run keeps the epoch its namesake kept, and the
/// averages are mixed and given a temperature as they were. Runs, seeds, dropout and
/// weight budget are the recipe's too, so the only difference is the added data.
pub fn train_with_recipe(
    docs: &[CorpusDoc],
    public: &PublicLexicons,
    recipe: &Recipe,
    mut log: impl FnMut(&str) + Send,
) -> Model {
    let config = &recipe.settings;
    let prepared = Prepared::new(docs, &[], public, config, &mut log);
    let inputs = |epochs| prepared.inputs(public, KeepEpoch::Fixed(epochs));
    let (perceptron, _) = ensemble::soup(
        perceptron::train_run,
        recipe.perceptron_epochs.len(),
        &inputs(&recipe.perceptron_epochs),
        config,
        &mut log,
    );
    let weights = match recipe.mix {
        None => perceptron,
        Some(mix) => {
            let (crf, _) = ensemble::soup(
                crf::train_run,
                recipe.crf_epochs.len(),
                &inputs(&recipe.crf_epochs),
                config,
                &mut log,
            );
            mix.apply(&perceptron, &crf)
        }
    };
    let lexicons = (&prepared.gazetteer, public);
    let mut model = weights.to_model(&prepared.keys, config.max_weights, lexicons);
    model.set_temperature(recipe.temperature);
    describe(&mut model, "OntoNotes 5.0 English train + dev", recipe);
    model.metadata.push((
        "recipe_dev_f1_train_only".into(),
        format!("{:.4}", recipe.dev_f1),
    ));
    model
}

/// The model's metadata: what it was trained on and how.
fn describe(model: &mut Model, trained_on: &str, recipe: &Recipe) {
    let epochs: Vec<String> = (recipe.perceptron_epochs.iter())
        .chain(&recipe.crf_epochs)
        .map(usize::to_string)
        .collect();
    let crf_share = recipe.mix.map_or(0.0, |m| m.crf_share);
    model.metadata = vec![
        ("name".into(), "onoma-en".into()),
        ("version".into(), env!("CARGO_PKG_VERSION").into()),
        ("trained_on".into(), trained_on.into()),
        ("epochs".into(), epochs.join(",")),
        ("dropout".into(), recipe.settings.dropout.to_string()),
        ("crf_share".into(), crf_share.to_string()),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::parse_corpus;

    /// A small corpus of `n` documents in the shared format, each with a few names.
    fn corpus(n: usize) -> Vec<CorpusDoc> {
        let people = [
            "Ada Lovelace",
            "Alan Turing",
            "Grace Hopper",
            "Linus Torvalds",
        ];
        let places = ["Paris", "London", "Nairobi", "Lima", "Osaka"];
        let mut text = String::new();
        for d in 0..n {
            text += &format!("# doc nw/test/{d}\n");
            for s in 0..4 {
                let person = people[(d + s) % people.len()];
                let place = places[(d * 3 + s) % places.len()];
                for (i, word) in person.split(' ').enumerate() {
                    let tag = if i == 0 { "B-PERSON" } else { "I-PERSON" };
                    text += &format!("{word}\tNNP\t{tag}\n");
                }
                for word in ["flew", "to"] {
                    text += &format!("{word}\tVB\tO\n");
                }
                text += &format!("{place}\tNNP\tB-GPE\n.\t.\tO\n\n");
            }
        }
        parse_corpus(&text).unwrap()
    }

    fn without_metadata(mut model: Model) -> Vec<u8> {
        model.metadata.clear();
        model.to_bytes()
    }

    #[test]
    fn a_recipe_repeats_the_training_that_wrote_it() {
        let public = PublicLexicons {
            lists: Gazetteer::from_entries([]),
            classes: WordClusters::from_entries([]),
        };
        let config = TrainConfig {
            epochs: 3,
            runs: 2,
            crf_runs: 1,
            ..TrainConfig::default()
        };
        let (train_docs, dev_docs) = (corpus(12), corpus(3));
        let (chosen, recipe) = train(&train_docs, &dev_docs, &public, &config, |_| {});
        assert_eq!(recipe.perceptron_epochs.len(), 2);
        assert_eq!(recipe.crf_epochs.len(), 1);
        assert!(recipe.mix.is_some());
        // On the same data, the recipe gives the same model: every choice was repeated.
        let repeated = train_with_recipe(&train_docs, &public, &recipe, |_| {});
        assert_eq!(without_metadata(repeated), without_metadata(chosen.clone()));
        // More data (here, dev) gives another model with the same choices.
        let both: Vec<CorpusDoc> = train_docs.iter().chain(&dev_docs).cloned().collect();
        let more = train_with_recipe(&both, &public, &recipe, |_| {});
        assert_ne!(without_metadata(more.clone()), without_metadata(chosen));
        let meta = |key: &str| {
            more.metadata
                .iter()
                .find(|(k, _)| k == key)
                .unwrap()
                .1
                .clone()
        };
        assert_eq!(meta("trained_on"), "OntoNotes 5.0 English train + dev");
        assert_eq!(meta("epochs").split(',').count(), 3);
    }
}
