//! Training: an averaged structured perceptron over the same features and constrained
//! Viterbi decoding that run at prediction time (cargo feature `train`). Several runs,
//! each visiting the sentences in its own order, are averaged into one model: any single
//! run lands a few tenths of a point of F1 above or below the others by the luck of its
//! order, and the average is better than each of them.
//!
//! Deterministic: sentences are visited in orders drawn from fixed seeds, features
//! are numbered in corpus order, and every reduction runs in a fixed order, so the same
//! data and settings give the same model file byte for byte.

use crate::clusters::WordClusters;
use crate::decode::{decode, forbid_invalid, spans_of, tag, viterbi, Part, N_TAGS};
use crate::eval::{CorpusDoc, Scorer};
use crate::features::{norm_hash, Document, PER_TOKEN};
use crate::gazetteer::{phrase_key, Gazetteer, GazetteerBuilder, MAX_WORDS};
use crate::model::{fingerprint, FeatureWeights, Model};
use std::collections::HashMap;

mod augment;
mod clustering;
mod dateline;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the training data; the best pass on the dev set is kept.
    pub epochs: usize,
    /// Seed of the sentence order of the first run; run `k` uses `seed + 2k`.
    pub seed: u64,
    /// Independent runs, each in its own sentence order; the model is the average of
    /// their best epochs, which is steadier than any one of them.
    pub runs: usize,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    /// Largest number of non-zero weights kept in the model (the smallest go first).
    pub max_weights: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 8,
            seed: 20261128,
            runs: 4,
            min_count: 2,
            max_weights: 850_000,
        }
    }
}

/// A sentence turned into feature ids and gold tags.
struct Example {
    /// `PER_TOKEN` ids per token; `u32::MAX` for features outside the model.
    features: Vec<u32>,
    gold: Vec<usize>,
}

/// A sentence ready for evaluation: feature keys and gold spans.
struct DevSentence {
    keys: Vec<u64>,
    gold: Vec<(std::ops::Range<usize>, crate::Label)>,
}

fn gold_tags(len: usize, spans: &[(std::ops::Range<usize>, crate::Label)]) -> Vec<usize> {
    let mut tags = vec![0; len];
    for (r, l) in spans {
        if r.len() == 1 {
            tags[r.start] = tag(*l, Part::Unit);
        } else {
            tags[r.start] = tag(*l, Part::Begin);
            tags[r.start + 1..r.end - 1].fill(tag(*l, Part::Inside));
            tags[r.end - 1] = tag(*l, Part::Last);
        }
    }
    tags
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
            document.sentence_features(range, &mut keys);
            out.push(DevSentence {
                keys,
                gold: s.entities.clone(),
            });
        }
    }
    out
}

/// Averaged perceptron parameters: current weights plus the running sums that give the
/// average without touching every weight at every step.
struct Perceptron {
    weights: Vec<f32>,
    sums: Vec<f64>,
    transitions: Vec<f32>,
    transition_sums: Vec<f64>,
    start: Vec<f32>,
    start_sums: Vec<f64>,
    step: f64,
}

impl Perceptron {
    fn new(n_features: usize) -> Self {
        Perceptron {
            weights: vec![0.0; n_features * N_TAGS],
            sums: vec![0.0; n_features * N_TAGS],
            transitions: vec![0.0; N_TAGS * N_TAGS],
            transition_sums: vec![0.0; N_TAGS * N_TAGS],
            start: vec![0.0; N_TAGS],
            start_sums: vec![0.0; N_TAGS],
            step: 1.0,
        }
    }

    fn scores(&self, ex: &Example, out: &mut Vec<f32>) {
        out.clear();
        for token in ex.features.chunks(PER_TOKEN) {
            let mut row = [0f32; N_TAGS];
            for &f in token.iter().filter(|&&f| f != u32::MAX) {
                let w = &self.weights[f as usize * N_TAGS..(f as usize + 1) * N_TAGS];
                row.iter_mut().zip(w).for_each(|(r, w)| *r += w);
            }
            out.extend_from_slice(&row);
        }
    }

    fn update(&mut self, ex: &Example, predicted: &[usize]) {
        let step = self.step;
        let bump = |w: &mut [f32], s: &mut [f64], i: usize, d: f32| {
            w[i] += d;
            s[i] += step * f64::from(d);
        };
        for (i, (&g, &p)) in ex.gold.iter().zip(predicted).enumerate() {
            if g != p {
                for &f in ex.features[i * PER_TOKEN..(i + 1) * PER_TOKEN]
                    .iter()
                    .filter(|&&f| f != u32::MAX)
                {
                    bump(
                        &mut self.weights,
                        &mut self.sums,
                        f as usize * N_TAGS + g,
                        1.0,
                    );
                    bump(
                        &mut self.weights,
                        &mut self.sums,
                        f as usize * N_TAGS + p,
                        -1.0,
                    );
                }
            }
            let (gp, pp) = if i == 0 {
                (None, None)
            } else {
                (Some(ex.gold[i - 1]), Some(predicted[i - 1]))
            };
            if (gp, g) != (pp, p) {
                match (gp, pp) {
                    (Some(a), Some(b)) => {
                        bump(
                            &mut self.transitions,
                            &mut self.transition_sums,
                            a * N_TAGS + g,
                            1.0,
                        );
                        bump(
                            &mut self.transitions,
                            &mut self.transition_sums,
                            b * N_TAGS + p,
                            -1.0,
                        );
                    }
                    _ => {
                        bump(&mut self.start, &mut self.start_sums, g, 1.0);
                        bump(&mut self.start, &mut self.start_sums, p, -1.0);
                    }
                }
            }
        }
    }

    fn average(w: &[f32], sums: &[f64], step: f64) -> Vec<f32> {
        w.iter()
            .zip(sums)
            .map(|(&w, &s)| (f64::from(w) - s / step) as f32)
            .collect()
    }

    /// The weights averaged over every step so far.
    fn averaged(&self) -> Weights {
        Weights {
            features: Self::average(&self.weights, &self.sums, self.step),
            transitions: Self::average(&self.transitions, &self.transition_sums, self.step),
            start: Self::average(&self.start, &self.start_sums, self.step),
        }
    }
}

/// Dense weights of a trained tagger: per feature id and tag, per tag pair, per first tag.
struct Weights {
    features: Vec<f32>,
    transitions: Vec<f32>,
    start: Vec<f32>,
}

impl Weights {
    /// The element-wise sum of two sets of weights over the same features.
    fn plus(mut self, other: &Weights) -> Weights {
        let add = |a: &mut Vec<f32>, b: &[f32]| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        add(&mut self.features, &other.features);
        add(&mut self.transitions, &other.transitions);
        add(&mut self.start, &other.start);
        self
    }

    /// Every weight multiplied by `factor`.
    fn scaled(mut self, factor: f32) -> Weights {
        for w in self
            .features
            .iter_mut()
            .chain(&mut self.transitions)
            .chain(&mut self.start)
        {
            *w *= factor;
        }
        self
    }

    /// The weights as a model, keeping the `max_weights` largest.
    fn to_model(
        &self,
        keys: &[u64],
        max_weights: usize,
        (gazetteer, public): (&Gazetteer, &PublicLexicons),
    ) -> Model {
        let avg = &self.features;
        let mut magnitudes: Vec<f32> = avg.iter().map(|w| w.abs()).filter(|&w| w > 0.0).collect();
        let threshold = if magnitudes.len() > max_weights {
            let k = magnitudes.len() - max_weights;
            *magnitudes.select_nth_unstable_by(k, f32::total_cmp).1
        } else {
            f32::MIN_POSITIVE
        };
        let mut merged: HashMap<u32, [f32; N_TAGS]> = HashMap::new();
        for (f, &key) in keys.iter().enumerate() {
            let row = &avg[f * N_TAGS..(f + 1) * N_TAGS];
            if row.iter().any(|w| w.abs() >= threshold) {
                let slot = merged.entry(fingerprint(key)).or_insert([0.0; N_TAGS]);
                for (t, &w) in row.iter().enumerate() {
                    if w.abs() >= threshold {
                        slot[t] += w;
                    }
                }
            }
        }
        let features: Vec<FeatureWeights> = merged
            .into_iter()
            .map(|(key, row)| {
                let weights = row
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| **w != 0.0)
                    .map(|(t, &w)| (t as u8, w))
                    .collect();
                (key, weights)
            })
            .collect();
        Model::from_parts(
            Vec::new(),
            1.0,
            (self.transitions.clone(), self.start.clone()),
            (
                gazetteer.clone(),
                public.lists.clone(),
                public.classes.clone(),
            ),
            features,
        )
    }
}

/// Exact-match span scores of `model` on featurized sentences.
fn evaluate(model: &Model, sentences: &[DevSentence]) -> Scorer {
    let mut scorer = Scorer::default();
    let mut scores = Vec::new();
    for s in sentences {
        model.score(&s.keys, PER_TOKEN, &mut scores);
        let tags = viterbi(&model.transitions, &model.start, &scores);
        scorer.add(&s.gold, &spans_of(&tags));
    }
    scorer
}

/// Picks the temperature that minimises the log loss of span confidences on `sentences`:
/// a span's confidence should be the chance that it is right.
fn calibrate(model: &mut Model, sentences: &[DevSentence]) -> f32 {
    let mut best = (f64::INFINITY, 1.0);
    let mut scores = Vec::new();
    for t in [
        1.0f32, 2.0, 4.0, 6.0, 8.0, 11.0, 16.0, 22.0, 32.0, 45.0, 64.0,
    ] {
        model.set_temperature(t);
        let mut loss = 0.0;
        for s in sentences {
            model.score(&s.keys, PER_TOKEN, &mut scores);
            for span in decode(model, &scores) {
                let right = s.gold.contains(&(span.tokens.clone(), span.label));
                let p = f64::from(span.confidence).clamp(1e-6, 1.0 - 1e-6);
                loss -= if right { p.ln() } else { (1.0 - p).ln() };
            }
        }
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

/// Trains a model on `train` and on headline-cased copies of some of its sentences,
/// choosing the epoch and the confidence temperature on `dev`.
/// `public` (see [`load_public_lexicons`]) is stored in the model and used as features.
/// `log` receives one line of progress per epoch.
pub fn train(
    train: &[CorpusDoc],
    dev: &[CorpusDoc],
    public: &PublicLexicons,
    config: &TrainConfig,
    mut log: impl FnMut(&str),
) -> Model {
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
    let examples: Vec<Example> = train_sents
        .iter()
        .map(|s| Example {
            features: s
                .keys
                .iter()
                .map(|&k| {
                    if counts[&k] < config.min_count {
                        return u32::MAX;
                    }
                    *ids.entry(k).or_insert_with(|| {
                        keys.push(k);
                        keys.len() as u32 - 1
                    })
                })
                .collect(),
            gold: gold_tags(s.keys.len() / PER_TOKEN, &s.gold),
        })
        .collect();
    drop(counts);
    log(&format!(
        "{} training sentences, {} dev sentences, {} features, {} names, {} word classes",
        examples.len(),
        dev_sents.len(),
        keys.len(),
        gazetteer.len(),
        public.classes.len()
    ));

    let lexicons = (&gazetteer, public);
    let mut soup: Option<Weights> = None;
    let mut kept_epochs = Vec::new();
    for run in 0..config.runs {
        let (f1, epoch, weights) = train_run(
            &examples, &dev_sents, &keys, lexicons, config, run, &mut log,
        );
        log(&format!("run {run}: kept epoch {epoch} (dev F1 {f1:.4})"));
        kept_epochs.push(epoch.to_string());
        soup = Some(match soup {
            None => weights,
            Some(sum) => sum.plus(&weights),
        });
    }
    let soup = soup
        .expect("at least one run")
        .scaled(1.0 / config.runs as f32);
    let mut model = soup.to_model(&keys, config.max_weights, lexicons);
    let f1 = evaluate(&model, &dev_sents).overall().f1();
    let temperature = calibrate(&mut model, &dev_sents);
    log(&format!(
        "average of {} runs: dev F1 {f1:.4}, temperature {temperature}",
        config.runs
    ));
    model.metadata = vec![
        ("name".into(), "onoma-en".into()),
        ("version".into(), env!("CARGO_PKG_VERSION").into()),
        ("trained_on".into(), "OntoNotes 5.0 English train".into()),
        ("epochs".into(), kept_epochs.join(",")),
        ("dev_f1_gold_tokens".into(), format!("{f1:.4}")),
    ];
    model
}

/// One run of the averaged perceptron over `examples` in an order drawn from the seed
/// of `run`; returns the dev F1, number and averaged weights of its best epoch.
fn train_run(
    examples: &[Example],
    dev_sents: &[DevSentence],
    keys: &[u64],
    lexicons: (&Gazetteer, &PublicLexicons),
    config: &TrainConfig,
    run: usize,
    log: &mut impl FnMut(&str),
) -> (f64, usize, Weights) {
    let mut p = Perceptron::new(keys.len());
    // The generator only takes odd seeds; `+ 2k` keeps the runs apart.
    let mut rng = Rng((config.seed + 2 * run as u64) | 1);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut scores = Vec::new();
    let mut best: Option<(f64, usize, Weights)> = None;
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        let mut wrong = 0;
        for &i in &order {
            let ex = &examples[i];
            p.scores(ex, &mut scores);
            let (transitions, start) = p.masked();
            let predicted = viterbi(&transitions, &start, &scores);
            if predicted != ex.gold {
                wrong += 1;
                p.update(ex, &predicted);
            }
            p.step += 1.0;
        }
        let weights = p.averaged();
        let model = weights.to_model(keys, config.max_weights, lexicons);
        let f1 = evaluate(&model, dev_sents).overall().f1();
        log(&format!(
            "run {run} epoch {epoch}: {wrong} sentences wrong in training, dev F1 {f1:.4}"
        ));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, epoch, weights));
        }
    }
    best.expect("at least one epoch")
}

impl Perceptron {
    /// Transition and start scores with the forbidden ones masked, for decoding during
    /// training.
    fn masked(&self) -> (Vec<f32>, Vec<f32>) {
        let mut transitions = self.transitions.clone();
        let mut start = self.start.clone();
        forbid_invalid(&mut transitions, &mut start);
        (transitions, start)
    }
}
