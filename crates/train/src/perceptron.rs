//! The averaged structured perceptron: on a mistaken sentence, the weights of the gold
//! tags go up and those of the predicted tags down, and the model is the average of the
//! weights over every step.

use super::run::{dense_scores, masked, Learner, ABSENT};
use super::weights::Weights;
use super::{RunInputs, TrainConfig};
use onoma::training::viterbi;
use onoma::training::PER_TOKEN;

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
    /// Sentences tagged wrong so far in this epoch.
    wrong: usize,
    n_tags: usize,
}

impl Perceptron {
    fn new(n_features: usize, n_tags: usize) -> Self {
        Perceptron {
            weights: vec![0.0; n_features * n_tags],
            sums: vec![0.0; n_features * n_tags],
            transitions: vec![0.0; n_tags * n_tags],
            transition_sums: vec![0.0; n_tags * n_tags],
            start: vec![0.0; n_tags],
            start_sums: vec![0.0; n_tags],
            step: 1.0,
            wrong: 0,
            n_tags,
        }
    }

    fn update(&mut self, features: &[u32], gold: &[usize], predicted: &[usize]) {
        let (step, n_tags) = (self.step, self.n_tags);
        let bump = |w: &mut [f32], s: &mut [f64], i: usize, d: f32| {
            w[i] += d;
            s[i] += step * f64::from(d);
        };
        for (i, (&g, &p)) in gold.iter().zip(predicted).enumerate() {
            if g != p {
                for &f in features[i * PER_TOKEN..(i + 1) * PER_TOKEN]
                    .iter()
                    .filter(|&&f| f != ABSENT)
                {
                    bump(
                        &mut self.weights,
                        &mut self.sums,
                        f as usize * n_tags + g,
                        1.0,
                    );
                    bump(
                        &mut self.weights,
                        &mut self.sums,
                        f as usize * n_tags + p,
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
                            a * n_tags + g,
                            1.0,
                        );
                        bump(
                            &mut self.transitions,
                            &mut self.transition_sums,
                            b * n_tags + p,
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
        Weights::from_parts(
            Self::average(&self.weights, &self.sums, self.step),
            Self::average(&self.transitions, &self.transition_sums, self.step),
            Self::average(&self.start, &self.start_sums, self.step),
        )
    }
}

impl Learner for Perceptron {
    fn learn(&mut self, features: &[u32], gold: &[usize], want_tags: bool) -> Option<Vec<usize>> {
        let mut scores = Vec::new();
        dense_scores(&self.weights, self.n_tags, features, &mut scores);
        let (transitions, start) = masked(&self.transitions, &self.start);
        let predicted = viterbi(&transitions, &start, &scores);
        if predicted != gold {
            self.wrong += 1;
            self.update(features, gold, &predicted);
        }
        self.step += 1.0;
        want_tags.then_some(predicted)
    }

    fn end_epoch(&mut self) -> (Weights, String) {
        let how = format!("{} sentences wrong in training", self.wrong);
        self.wrong = 0;
        (self.averaged(), how)
    }
}

/// One run of the averaged perceptron (see [`super::run::train_run`]).
pub(super) fn train_run(
    inputs: &RunInputs,
    config: &TrainConfig,
    run: usize,
    log: &mut dyn FnMut(&str),
) -> (f64, usize, Weights) {
    let learner = Perceptron::new(inputs.keys.len(), inputs.n_tags());
    super::run::train_run(learner, inputs, config, run, log)
}
