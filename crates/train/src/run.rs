//! One training run, whatever learns in it: the sentences in an order drawn from the
//! run's seed, the tag history each sentence sees, feature dropout, and the best epoch on
//! dev.

use super::weights::Weights;
use super::{evaluate, Rng, RunInputs, TrainConfig};
use onoma::training::forbid_invalid;
use onoma::training::{HistoryWord, TagHistory, BIAS_SLOT, FROM_HISTORY, PER_TOKEN};
use std::collections::HashMap;

/// The id of a feature slot that holds nothing the weights know: a key too rare to keep,
/// [`NO_FEATURE`](onoma::training::NO_FEATURE), or one that dropout hid.
pub(super) const ABSENT: u32 = u32::MAX;

/// A sentence turned into feature ids and gold tags.
pub(super) struct Example {
    /// `PER_TOKEN` ids per token; [`ABSENT`] for features outside the model. The last
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

/// What a run trains: the averaged perceptron or the CRF.
pub(super) trait Learner {
    /// Learns from one sentence given as feature ids and gold tags; when `want_tags`,
    /// returns the tags it predicted for the sentence before learning from it.
    fn learn(&mut self, features: &[u32], gold: &[usize], want_tags: bool) -> Option<Vec<usize>>;

    /// The weights at the end of an epoch, and a word on how the epoch went.
    fn end_epoch(&mut self) -> (Weights, String);
}

/// One run of `learner` over `inputs.examples` in an order drawn from the seed of `run`;
/// returns the dev F1, number and weights of its best epoch.
pub(super) fn train_run(
    mut learner: impl Learner,
    inputs: &RunInputs,
    config: &TrainConfig,
    run: usize,
    log: &mut dyn FnMut(&str),
) -> (f64, usize, Weights) {
    let examples = inputs.examples;
    // The generator only takes odd seeds; `+ 2k` keeps the runs apart.
    let mut rng = Rng((config.seed + 2 * run as u64) | 1);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut best: Option<(f64, usize, Weights)> = None;
    let mut first = FirstTags::new(examples);
    let mut dropout = Dropout::new(config, run);
    for epoch in 1..=config.epochs {
        rng.shuffle(&mut order);
        for &i in &order {
            let ex = &examples[i];
            let mut features = with_history(ex, &first.history(examples, ex), inputs.history_ids);
            dropout.apply(&mut features);
            let want_tags = ex.original && first.tags[i].is_none();
            if let Some(tags) = learner.learn(&features, &ex.gold, want_tags) {
                first.tags[i] = Some(tags);
            }
        }
        let (weights, how) = learner.end_epoch();
        let model = inputs.model(&weights, config);
        let f1 = evaluate(&model, inputs.dev).overall().f1();
        log(&format!("run {run} epoch {epoch}: {how}, dev F1 {f1:.4}"));
        if best.as_ref().is_none_or(|b| f1 > b.0) {
            best = Some((f1, epoch, weights));
        }
    }
    best.expect("at least one epoch")
}

/// Tag scores of each token (`n_tags` per token) of a sentence given as feature ids,
/// under dense weights (`feature * n_tags + tag`).
pub(super) fn dense_scores(weights: &[f32], n_tags: usize, features: &[u32], out: &mut Vec<f32>) {
    out.clear();
    for token in features.chunks(PER_TOKEN) {
        let start = out.len();
        out.resize(start + n_tags, 0.0);
        let row = &mut out[start..];
        for &f in token.iter().filter(|&&f| f != ABSENT) {
            let w = &weights[f as usize * n_tags..(f as usize + 1) * n_tags];
            row.iter_mut().zip(w).for_each(|(r, w)| *r += w);
        }
    }
}

/// Transition and start scores with the forbidden ones masked, for decoding in training.
pub(super) fn masked(transitions: &[f32], start: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let (mut transitions, mut start) = (transitions.to_vec(), start.to_vec());
    forbid_invalid(&mut transitions, &mut start);
    (transitions, start)
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
            for (slot, f) in token.iter_mut().enumerate() {
                if slot != BIAS_SLOT && self.rng.next() & 0xffff_ffff < self.below {
                    *f = ABSENT;
                }
            }
        }
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
        let gone = half.iter().filter(|&&f| f == ABSENT).count();
        let droppable = 200 * (PER_TOKEN - 1);
        assert!((droppable * 45 / 100..droppable * 55 / 100).contains(&gone));
        assert!(half.chunks(PER_TOKEN).all(|t| t[BIAS_SLOT] != ABSENT));
        // The same run drops the same features; another run others.
        assert_eq!(dropped(0.5, 0), half);
        assert_ne!(dropped(0.5, 1), half);
    }
}
