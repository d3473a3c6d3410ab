//! The averaged structured perceptron: one training run over featurized sentences, and
//! the dense weights it leaves, which runs are averaged in and models are cut from.

use super::{evaluate, DevSentence, PublicLexicons, Rng, TrainConfig};
use crate::decode::{forbid_invalid, viterbi, N_TAGS};
use crate::features::{HistoryWord, TagHistory, FROM_HISTORY, PER_TOKEN};
use crate::gazetteer::Gazetteer;
use crate::model::{fingerprint, FeatureWeights, Model};
use std::collections::HashMap;

/// A sentence turned into feature ids and gold tags.
pub(super) struct Example {
    /// `PER_TOKEN` ids per token; `u32::MAX` for features outside the model. The last
    /// `FROM_HISTORY` of each token are filled in from the tag history when decoding.
    pub(super) features: Vec<u32>,
    pub(super) gold: Vec<usize>,
    /// Index of the training document and of the sentence within it.
    pub(super) doc: usize,
    pub(super) sentence: usize,
    /// Whether this is the corpus sentence itself rather than a recased or datelined copy.
    pub(super) original: bool,
    pub(super) words: Vec<HistoryWord>,
}

/// The tags the first visit of a run gave each corpus sentence, before learning from it:
/// the tag history of later sentences of the same document. Taking them from the first
/// visit keeps them about as wrong as the tags of unseen text, so that the model learns
/// to trust the history only as far as it deserves.
struct FirstTags {
    /// Per document, its corpus sentences as example indices in sentence order.
    by_doc: Vec<Vec<usize>>,
    tags: Vec<Option<Vec<usize>>>,
}

impl FirstTags {
    fn new(examples: &[Example]) -> Self {
        let docs = examples.iter().map(|e| e.doc + 1).max().unwrap_or(0);
        let mut by_doc = vec![Vec::new(); docs];
        for (i, e) in examples.iter().enumerate().filter(|(_, e)| e.original) {
            by_doc[e.doc].push(i);
        }
        FirstTags {
            by_doc,
            tags: vec![None; examples.len()],
        }
    }

    /// The tag history `ex` sees: the first tags of the sentences before it.
    fn history(&self, examples: &[Example], ex: &Example) -> TagHistory {
        let mut history = TagHistory::default();
        for &j in &self.by_doc[ex.doc] {
            if examples[j].sentence >= ex.sentence {
                break;
            }
            if let Some(tags) = &self.tags[j] {
                history.record(&examples[j].words, tags);
            }
        }
        history
    }
}

/// The feature ids of `ex` with those of `history` filled in.
fn with_history(ex: &Example, history: &TagHistory, ids: &HashMap<u64, u32>) -> Vec<u32> {
    let mut features = ex.features.clone();
    for (token, h) in features
        .chunks_mut(PER_TOKEN)
        .zip(history.sentence_keys(&ex.words))
    {
        for (slot, key) in token[PER_TOKEN - FROM_HISTORY..].iter_mut().zip(h) {
            *slot = ids[&key];
        }
    }
    features
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

    fn scores(&self, features: &[u32], out: &mut Vec<f32>) {
        out.clear();
        for token in features.chunks(PER_TOKEN) {
            let mut row = [0f32; N_TAGS];
            for &f in token.iter().filter(|&&f| f != u32::MAX) {
                let w = &self.weights[f as usize * N_TAGS..(f as usize + 1) * N_TAGS];
                row.iter_mut().zip(w).for_each(|(r, w)| *r += w);
            }
            out.extend_from_slice(&row);
        }
    }

    fn update(&mut self, features: &[u32], gold: &[usize], predicted: &[usize]) {
        let step = self.step;
        let bump = |w: &mut [f32], s: &mut [f64], i: usize, d: f32| {
            w[i] += d;
            s[i] += step * f64::from(d);
        };
        for (i, (&g, &p)) in gold.iter().zip(predicted).enumerate() {
            if g != p {
                for &f in features[i * PER_TOKEN..(i + 1) * PER_TOKEN]
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
                (Some(gold[i - 1]), Some(predicted[i - 1]))
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
pub(super) struct Weights {
    features: Vec<f32>,
    transitions: Vec<f32>,
    start: Vec<f32>,
}

impl Weights {
    /// The element-wise sum of two sets of weights over the same features.
    pub(super) fn plus(mut self, other: &Weights) -> Weights {
        let add = |a: &mut Vec<f32>, b: &[f32]| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        add(&mut self.features, &other.features);
        add(&mut self.transitions, &other.transitions);
        add(&mut self.start, &other.start);
        self
    }

    /// Every weight multiplied by `factor`.
    pub(super) fn scaled(mut self, factor: f32) -> Weights {
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
    pub(super) fn to_model(
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

/// One run of the averaged perceptron over `examples` in an order drawn from the seed
/// of `run`; returns the dev F1, number and averaged weights of its best epoch.
/// `history_ids` numbers every key the tag history can give.
pub(super) fn train_run(
    (examples, history_ids): (&[Example], &HashMap<u64, u32>),
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
    let mut first = FirstTags::new(examples);
    let mut dropout = Dropout::new(config, run);
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        let mut wrong = 0;
        for &i in &order {
            let ex = &examples[i];
            let mut features = with_history(ex, &first.history(examples, ex), history_ids);
            dropout.apply(&mut features);
            p.scores(&features, &mut scores);
            let (transitions, start) = p.masked();
            let predicted = viterbi(&transitions, &start, &scores);
            if ex.original && first.tags[i].is_none() {
                first.tags[i] = Some(predicted.clone());
            }
            if predicted != ex.gold {
                wrong += 1;
                p.update(&features, &ex.gold, &predicted);
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

/// Feature dropout: each visit of a sentence hides a random share of its features (all
/// but the bias) from both the prediction and the update. The weights of a word can then
/// not carry a decision alone, and the context, shape and class features that still hold
/// for unseen names learn more.
struct Dropout {
    /// A feature is dropped when the low 32 bits of the next random number fall below.
    below: u64,
    rng: Rng,
}

impl Dropout {
    fn new(config: &TrainConfig, run: usize) -> Self {
        Dropout {
            below: (config.dropout.clamp(0.0, 1.0) * f64::from(u32::MAX)) as u64,
            // Apart from the stream that orders the sentences, and odd as `Rng` needs.
            rng: Rng((config.seed ^ 0x9e37_79b9_7f4a_7c15).wrapping_add(2 * run as u64) | 1),
        }
    }

    fn apply(&mut self, features: &mut [u32]) {
        if self.below == 0 {
            return;
        }
        for token in features.chunks_mut(PER_TOKEN) {
            // Slot 0 is the bias (template 0 of `Document::sentence_features`).
            for f in &mut token[1..] {
                if self.rng.next() & 0xffff_ffff < self.below {
                    *f = u32::MAX;
                }
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dropped(rate: f64, run: usize) -> Vec<u32> {
        let config = TrainConfig {
            dropout: rate,
            ..TrainConfig::default()
        };
        let mut features: Vec<u32> = (0..(PER_TOKEN * 200) as u32).collect();
        Dropout::new(&config, run).apply(&mut features);
        features
    }

    #[test]
    fn dropout_hides_a_share_of_features_but_never_the_bias() {
        let all: Vec<u32> = (0..(PER_TOKEN * 200) as u32).collect();
        assert_eq!(dropped(0.0, 0), all);
        let half = dropped(0.5, 0);
        let gone = half.iter().filter(|&&f| f == u32::MAX).count();
        let droppable = 200 * (PER_TOKEN - 1);
        assert!((droppable * 45 / 100..droppable * 55 / 100).contains(&gone));
        assert!(half.chunks(PER_TOKEN).all(|t| t[0] != u32::MAX));
        // The same run drops the same features; another run others.
        assert_eq!(dropped(0.5, 0), half);
        assert_ne!(dropped(0.5, 1), half);
    }
}
