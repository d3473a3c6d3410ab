//! Training of onoma-ner models, and the corpus readers and scorer it needs: an averaged structured perceptron and a CRF over the
//! same features and constrained Viterbi decoding that run at prediction time. Several
//! runs of each, every one visiting the sentences in its own order, are averaged: any
//! single run lands a few tenths of a point of F1 above or below the others by the luck
//! of its order, and the average is better than each of them. The two averages are then
//! mixed into one linear model, in the share dev prefers.
//!
//! Deterministic: sentences are visited in orders drawn from fixed seeds, features
//! are numbered in corpus order, and every reduction runs in a fixed order, so the same
//! data and settings give the same model file byte for byte.

use crate::eval::{CorpusDoc, Scorer};
use onoma::training::{
    decode, norm_hash, phrase_key, spans_of, tag_count, tags_of, viterbi, Document, Gazetteer,
    GazetteerBuilder, HistoryWord, TagHistory, WordClusters, FROM_HISTORY, MAX_WORDS, NO_FEATURE,
    PER_TOKEN,
};
use onoma::{LabelSet, Model};
use std::collections::HashMap;

pub mod corpus;
pub mod eval;

mod augment;
mod clustering;
mod crf;
mod dateline;
mod ensemble;
mod perceptron;
mod raw_text;
mod run;
mod weights;

use run::Example;
use weights::Weights;

/// Training settings.
#[derive(Debug, Clone)]
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
    /// Reads every MONEY span of the corpus with the currency sign before it inside
    /// ("$ 95", not "95"), so that the model learns the guidelines' convention where the
    /// corpus mixes two. Nothing changes for a label set without MONEY.
    pub sign_inside_money: bool,
    /// Reads the corpus as the recognizer reads running text: its words written out and
    /// cut again into tokens and sentences (see `raw_text`), so that the model learns
    /// from the sentences it will meet.
    pub as_running_text: bool,
    /// Also learns from Title Case and ALL CAPS copies of some sentences (see `augment`),
    /// so that headlines and shouted text keep their names.
    pub headline_copies: bool,
    /// Also learns from lower-case copies of some whole documents (see `augment`), so
    /// that text typed without capitals keeps its names.
    pub lower_case_copies: bool,
    /// Also learns from copies of some sentences read alone, as documents of one sentence
    /// (see `augment`), so that a sentence typed with no context keeps its names.
    pub sentences_alone: bool,
    /// Also learns from copies of some first sentences behind a news dateline made of
    /// the document's own place names (see `dateline`). Applies where the labels have a
    /// place label (GPE, else LOC) and ORG.
    pub datelines: bool,
    /// The model's name, in its metadata.
    pub name: String,
    /// What the model was trained on, in its metadata.
    pub trained_on: String,
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
            sign_inside_money: false,
            as_running_text: true,
            headline_copies: true,
            lower_case_copies: true,
            sentences_alone: false,
            datelines: true,
            name: "onoma-model".into(),
            trained_on: String::new(),
        }
    }
}

/// A sentence ready for evaluation: feature keys and gold spans.
struct DevSentence {
    /// `PER_TOKEN` keys per token, those from the tag history as for an empty one.
    keys: Vec<u64>,
    /// Gold spans, labels by number in the model's label set.
    gold: Vec<(std::ops::Range<usize>, usize)>,
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
        let transitions = model.transitions();
        let tags = viterbi(transitions.scores(), transitions.start(), &scores);
        visit(s, &scores, &tags);
        history.record(&s.words, &tags);
    }
}

/// What every training run reads.
struct RunInputs<'a> {
    /// The featurized training sentences.
    examples: &'a [Example],
    /// Feature id of every key the tag history can give.
    history_ids: &'a HashMap<u64, u32>,
    /// The dev sentences each run chooses its epoch on.
    dev: &'a [DevSentence],
    /// The key of each feature id.
    keys: &'a [u64],
    /// The labels the model tags.
    labels: &'a LabelSet,
    /// The lexicons stored in every model cut from the weights.
    lexicons: (&'a Gazetteer, &'a PublicLexicons),
}

impl RunInputs<'_> {
    /// Number of tags of the label set.
    fn n_tags(&self) -> usize {
        tag_count(self.labels.len())
    }

    /// `weights` as a model, cut to `config.max_weights`.
    fn model(&self, weights: &Weights, config: &TrainConfig) -> Model {
        weights.to_model(self.keys, config.max_weights, self.labels, self.lexicons)
    }
}

/// Number of parts the training documents are split into, so that each part's lexicon
/// features come from a lexicon built on the other parts.
const FOLDS: usize = 10;

/// A lexicon of the names in the documents accepted by `include`, labelled with numbers
/// below `n_labels`.
fn build_gazetteer(
    docs: &[CorpusDoc],
    n_labels: usize,
    include: impl Fn(usize) -> bool,
) -> Gazetteer {
    let mut builder = GazetteerBuilder::new(n_labels);
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
            .map(|(r, l)| (r.start, r.end, *l))
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
    let labels = model.labels();
    let named = |spans: &[(std::ops::Range<usize>, usize)]| -> Vec<_> {
        spans
            .iter()
            .map(|(r, l)| (r.clone(), labels.name(*l)))
            .collect()
    };
    let mut scorer = Scorer::default();
    tag_in_order(model, sentences, |s, _, tags| {
        scorer.add(&named(&s.gold), &named(&spans_of(tags)))
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
        if model.set_temperature(t).is_err() {
            continue; // exp(transition / t) would overflow
        }
        let model: &Model = model;
        let mut loss = 0.0;
        tag_in_order(model, sentences, |s, scores, _| {
            // The spans as decoded, quotation marks not mended (no mates given): the
            // mending moves a handful of spans in the whole of dev.
            for span in decode(model.transitions(), scores, &[]) {
                let right = s.gold.contains(&(span.tokens.clone(), span.label));
                let p = f64::from(span.confidence);
                loss += if right { (1.0 - p).powi(2) } else { p * p };
            }
        });
        if loss < best.0 {
            best = (loss, t);
        }
    }
    if model.set_temperature(best.1).is_err() {
        model
            .set_temperature(1.0)
            .expect("no temperature of the grid was accepted, nor 1");
        return 1.0;
    }
    best.1
}

/// What training reads besides the corpus, all of it stored in the model; the default is
/// none at all.
#[derive(Default)]
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
/// phrase's value, and `frequency.tsv` (`word<TAB>band`, bands 1–3) setting the bits from
/// [`FREQUENCY_SHIFT`] on of single words.
fn load_public_lists(dir: &std::path::Path) -> Result<Gazetteer, String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let key = |phrase: &str| -> Option<u32> {
        let words: Vec<u64> = onoma::tokenize(phrase)
            .iter()
            .map(|t| norm_hash(t.text(phrase)))
            .collect();
        (words.len() <= MAX_WORDS).then(|| phrase_key(&words))
    };
    let mut entries: HashMap<u32, u16> = HashMap::new();
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
        let band: u16 = band
            .parse()
            .ok()
            .filter(|b| (1..=3).contains(b))
            .ok_or("frequency.tsv: bad band")?;
        if let Some(k) = key(word) {
            *entries.entry(k).or_insert(0) |= band << FREQUENCY_SHIFT;
        }
    }
    Ok(Gazetteer::from_entries(entries))
}

/// The public lists, in bit order.
pub const PUBLIC_LISTS: [&str; 8] = [
    "country",
    "place",
    "language",
    "first_name",
    "last_name",
    "org_suffix",
    "brand",
    "company",
];

/// Where a public-list value's two bits of word frequency band start, above the lists'.
const FREQUENCY_SHIFT: usize = 14;
const _: () = assert!(PUBLIC_LISTS.len() <= FREQUENCY_SHIFT);

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

/// Trains a model of the labels `labels` on `train` (gold labels by number in `labels`):
/// read as the recognizer reads raw text, with headline-cased copies of some sentences
/// and dateline copies of some first sentences, as `config` asks. `config.runs`
/// perceptron runs and `config.crf_runs` CRF runs each keep their best epoch on `dev`;
/// the runs of each kind are averaged and the two averages mixed in the share that scores
/// best on `dev`; the confidence temperature is chosen on `dev` too. `public` (see
/// [`load_public_lexicons`]) is stored in the model and used as features. `log`
/// receives one line of progress per epoch.
pub fn train(
    train: &[CorpusDoc],
    dev: &[CorpusDoc],
    labels: &LabelSet,
    public: &PublicLexicons,
    config: &TrainConfig,
    mut log: impl FnMut(&str) + Send,
) -> Model {
    let money = labels
        .index_of("MONEY")
        .filter(|_| config.sign_inside_money);
    let read = |doc: &CorpusDoc| {
        let mut doc = if config.as_running_text {
            raw_text::as_read(doc)
        } else {
            doc.clone()
        };
        if let Some(money) = money {
            eval::put_sign_inside_money(&mut doc, money);
        }
        doc
    };
    let original_train = train;
    let train: Vec<CorpusDoc> = train.iter().map(read).collect();
    let dev: Vec<CorpusDoc> = dev.iter().map(read).collect();
    let (train, dev) = (&train[..], &dev[..]);
    let count = |docs: &[CorpusDoc]| -> (usize, usize) {
        let sentences = docs.iter().flat_map(|d| &d.sentences);
        (
            sentences.clone().count(),
            sentences.map(|s| s.entities.len()).sum(),
        )
    };
    if config.as_running_text {
        log(&format!(
            "read as raw text: train (sentences, entities) {:?} -> {:?}",
            count(original_train),
            count(train)
        ));
    }
    let gazetteer = build_gazetteer(train, labels.len(), |_| true);
    let folds: Vec<Gazetteer> = (0..FOLDS)
        .map(|k| build_gazetteer(train, labels.len(), |i| i % FOLDS != k))
        .collect();
    let fold = |i: usize| &folds[i % FOLDS];
    let mut train_sents = featurize(train, fold, public, |_, _| true);
    if config.headline_copies {
        let recased = augment::recased(train);
        train_sents.extend(featurize(&recased, fold, public, augment::is_recased));
    }
    if config.lower_case_copies {
        let lower = augment::lower_cased(train);
        train_sents.extend(featurize(&lower, fold, public, |d, _| {
            augment::is_lower_cased(d)
        }));
    }
    if config.sentences_alone {
        for copies in (0..).map_while(|round| augment::alone(train, round)) {
            train_sents.extend(featurize(&copies, fold, public, |_, _| true));
        }
    }
    match dateline::DatelineLabels::of(labels).filter(|_| config.datelines) {
        Some(dateline_labels) => {
            let datelined = dateline::datelined(train, dateline_labels);
            train_sents.extend(featurize(&datelined, fold, public, |_, sentence| {
                sentence == 0
            }));
        }
        None if config.datelines => log("no datelines: the labels have no GPE or LOC, or no ORG"),
        None => {}
    }
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
                    if k == NO_FEATURE || counts[&k] < config.min_count {
                        return run::ABSENT;
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
    let history_ids: HashMap<u64, u32> = TagHistory::all_keys(tag_count(labels.len()))
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

    let lexicons = (&gazetteer, public);
    let inputs = RunInputs {
        examples: &examples,
        history_ids: &history_ids,
        dev: &dev_sents,
        keys: &keys,
        labels,
        lexicons,
    };
    let (perceptron, mut kept_epochs) = ensemble::soup(
        perceptron::train_run,
        config.runs,
        &inputs,
        config,
        &mut log,
    );
    let (weights, crf_share) = if config.crf_runs == 0 {
        (perceptron, 0.0)
    } else {
        let (crf, crf_epochs) =
            ensemble::soup(crf::train_run, config.crf_runs, &inputs, config, &mut log);
        kept_epochs.extend(crf_epochs);
        ensemble::mix(&perceptron, &crf, &inputs, config, &mut log)
    };
    let mut model = inputs.model(&weights, config);
    let f1 = evaluate(&model, &dev_sents).overall().f1();
    let temperature = calibrate(&mut model, &dev_sents);
    log(&format!(
        "model (crf share {crf_share}): dev F1 {f1:.4}, temperature {temperature}"
    ));
    model.metadata = vec![
        ("name".into(), config.name.clone()),
        ("version".into(), env!("CARGO_PKG_VERSION").into()),
        ("trained_on".into(), config.trained_on.clone()),
        ("epochs".into(), kept_epochs.join(",")),
        ("dropout".into(), config.dropout.to_string()),
        ("crf_share".into(), crf_share.to_string()),
        ("dev_f1_sentences_as_read".into(), format!("{f1:.4}")),
    ];
    model
}
