//! A linear-chain CRF over the same features, tags and constraints as the perceptron,
//! trained on the log-likelihood of the gold tags with AdaGrad steps. Where the
//! perceptron only moves the weights of the gold and the predicted tag of a mistaken
//! sentence, the CRF moves every tag by how much probability it got, so it also learns
//! from sentences it already tags right and ends with other errors; mixed with the
//! perceptron it scores better than either (README, "Model").
//!
//! Its gradient touches all tags of every active feature, which would leave every
//! weight non-zero; an L1 penalty (applied lazily, when a feature is next seen) keeps
//! about 1.1 million, so that cutting to the model's size costs nothing.

use super::run::{dense_scores, masked, Learner, ABSENT};
use super::weights::Weights;
use super::{RunInputs, TrainConfig};
use onoma::training::PER_TOKEN;
use onoma::training::{moves, viterbi, ForwardBackward};
use std::collections::HashMap;

/// AdaGrad's base step size.
const LEARNING_RATE: f32 = 0.1;
/// L1 penalty per step, scaled like the step itself. 5e-5 kept half as many weights and
/// lost 0.8 points on dev; 3e-6 kept twice as many and learned more slowly.
const L1: f32 = 1e-5;
/// Keeps AdaGrad's first step finite.
const DELTA: f32 = 1e-6;

/// CRF parameters and AdaGrad's running sums of squared gradients.
struct Crf {
    /// Feature weights, `feature * n_tags + tag`, and their sums of squared gradients.
    w: Vec<f32>,
    g: Vec<f32>,
    /// Step up to which each feature row has received its L1 shrinkage.
    last: Vec<u32>,
    /// Transition scores (`prev * n_tags + next`) and first-tag scores, with their sums.
    trans: Vec<f32>,
    trans_g: Vec<f32>,
    start: Vec<f32>,
    start_g: Vec<f32>,
    /// Sentences learned from so far.
    step: u32,
    /// Log-likelihood of the gold tags summed over this epoch.
    log_likelihood: f64,
    n_tags: usize,
}

impl Crf {
    fn new(n_features: usize, n_tags: usize) -> Self {
        Crf {
            w: vec![0.0; n_features * n_tags],
            g: vec![0.0; n_features * n_tags],
            last: vec![0; n_features],
            trans: vec![0.0; n_tags * n_tags],
            trans_g: vec![0.0; n_tags * n_tags],
            start: vec![0.0; n_tags],
            start_g: vec![0.0; n_tags],
            step: 0,
            log_likelihood: 0.0,
            n_tags,
        }
    }

    /// Applies the L1 shrinkage row `f` missed since it was last touched.
    fn catch_up(&mut self, f: usize) {
        let n_tags = self.n_tags;
        let missed = (self.step - self.last[f]) as f32;
        if missed > 0.0 {
            for t in 0..n_tags {
                let i = f * n_tags + t;
                if self.w[i] != 0.0 {
                    let shrink = L1 * missed * LEARNING_RATE / (self.g[i] + DELTA).sqrt();
                    self.w[i] = self.w[i].signum() * (self.w[i].abs() - shrink).max(0.0);
                }
            }
        }
        self.last[f] = self.step;
    }

    /// Tag scores of each token (`n_tags` per token), bringing the rows it reads up to
    /// date with the L1 penalty first.
    fn scores(&mut self, features: &[u32], out: &mut Vec<f32>) {
        for &f in features.iter().filter(|&&f| f != ABSENT) {
            self.catch_up(f as usize);
        }
        dense_scores(&self.w, self.n_tags, features, out);
    }

    /// Transition and start scores with the forbidden ones masked.
    fn masked(&self) -> (Vec<f32>, Vec<f32>) {
        masked(&self.trans, &self.start)
    }

    /// Token marginals and expected transition counts under `scores` (the forward–backward
    /// of prediction time, in `f64`), with the log-likelihood of `gold`.
    fn marginals(&self, scores: &[f32], gold: &[usize]) -> (Vec<f64>, Vec<f64>, f64) {
        let n_tags = self.n_tags;
        let n = scores.len() / n_tags;
        let moves = moves(n_tags);
        let (trans, start) = self.masked();
        let et: Vec<f64> = trans.iter().map(|&t| f64::from(t).exp()).collect();
        let mut emit = vec![0f64; n * n_tags];
        let mut log_scale = 0f64;
        for i in 0..n {
            let row = &scores[i * n_tags..(i + 1) * n_tags];
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            log_scale += f64::from(max);
            for (e, &s) in emit[i * n_tags..].iter_mut().zip(row) {
                *e = f64::from(s - max).exp();
            }
        }
        let exp_start: Vec<f64> = start.iter().map(|&s| f64::from(s).exp()).collect();
        let ForwardBackward { alpha, beta, scale } =
            ForwardBackward::new(&et, &exp_start, &emit, true);
        let mut marg = vec![0f64; n * n_tags];
        for i in 0..n {
            for y in 0..n_tags {
                marg[i * n_tags + y] = alpha[i * n_tags + y] * beta[i * n_tags + y];
            }
        }
        let mut pair = vec![0f64; n_tags * n_tags];
        for i in 1..n {
            for y in 0..n_tags {
                let right = emit[i * n_tags + y] * beta[i * n_tags + y] / scale[i];
                if right == 0.0 {
                    continue;
                }
                for &p in &moves.before[y] {
                    pair[p * n_tags + y] +=
                        alpha[(i - 1) * n_tags + p] * et[p * n_tags + y] * right;
                }
            }
        }
        // log Z = sum of log scales + the emission maxima taken out.
        let log_z: f64 = scale.iter().map(|s| s.ln()).sum::<f64>() + log_scale;
        let mut gold_score = f64::from(start[gold[0]]);
        for i in 0..n {
            gold_score += f64::from(scores[i * n_tags + gold[i]]);
            if i > 0 {
                gold_score += f64::from(trans[gold[i - 1] * n_tags + gold[i]]);
            }
        }
        (marg, pair, gold_score - log_z)
    }

    /// One AdaGrad step on the negative log-likelihood of `gold`; returns that
    /// log-likelihood before the step.
    fn step_on(&mut self, features: &[u32], gold: &[usize], scores: &[f32]) -> f64 {
        let n_tags = self.n_tags;
        let (marg, pair, ll) = self.marginals(scores, gold);
        if !ll.is_finite() {
            return 0.0;
        }
        self.step += 1;
        let n = gold.len();
        // Each feature's gradient row, at `rows[f] * n_tags` of `grads`.
        let mut rows: HashMap<u32, usize> = HashMap::new();
        let mut grads: Vec<f32> = Vec::new();
        let mut grad = vec![0f32; n_tags];
        for i in 0..n {
            for (t, gr) in grad.iter_mut().enumerate() {
                *gr = marg[i * n_tags + t] as f32;
            }
            grad[gold[i]] -= 1.0;
            for &f in features[i * PER_TOKEN..(i + 1) * PER_TOKEN]
                .iter()
                .filter(|&&f| f != ABSENT)
            {
                let row = *rows.entry(f).or_insert_with(|| {
                    grads.resize(grads.len() + n_tags, 0.0);
                    grads.len() / n_tags - 1
                });
                let r = &mut grads[row * n_tags..(row + 1) * n_tags];
                r.iter_mut().zip(&grad).for_each(|(r, g)| *r += g);
            }
        }
        // Every row here was brought up to the previous step by `scores`; this step's
        // shrinkage comes with its gradient below.
        for (f, row) in rows {
            let (f, grad) = (f as usize, &grads[row * n_tags..(row + 1) * n_tags]);
            for (t, &gr) in grad.iter().enumerate() {
                if gr.abs() < 1e-7 && self.w[f * n_tags + t] == 0.0 {
                    continue;
                }
                let i = f * n_tags + t;
                self.g[i] += gr * gr;
                let rate = LEARNING_RATE / (self.g[i] + DELTA).sqrt();
                let w = self.w[i] - rate * gr;
                self.w[i] = w.signum() * (w.abs() - L1 * rate).max(0.0);
            }
            self.last[f] = self.step;
        }
        let mut tgrad = pair;
        for i in 1..n {
            tgrad[gold[i - 1] * n_tags + gold[i]] -= 1.0;
        }
        for (i, gr) in tgrad.iter().enumerate() {
            let gr = *gr as f32;
            if gr != 0.0 {
                self.trans_g[i] += gr * gr;
                self.trans[i] -= LEARNING_RATE * gr / (self.trans_g[i] + DELTA).sqrt();
            }
        }
        // The first tag's gradient: its marginal, less the gold one.
        let mut sgrad = marg[..n_tags].to_vec();
        sgrad[gold[0]] -= 1.0;
        for (i, gr) in sgrad.iter().enumerate() {
            let gr = *gr as f32;
            if gr != 0.0 {
                self.start_g[i] += gr * gr;
                self.start[i] -= LEARNING_RATE * gr / (self.start_g[i] + DELTA).sqrt();
            }
        }
        ll
    }

    /// The current weights, every row brought up to date with the L1 penalty.
    fn weights(&mut self) -> Weights {
        for f in 0..self.last.len() {
            self.catch_up(f);
        }
        Weights::from_parts(self.w.clone(), self.trans.clone(), self.start.clone())
    }
}

impl Learner for Crf {
    fn learn(&mut self, features: &[u32], gold: &[usize], want_tags: bool) -> Option<Vec<usize>> {
        let mut scores = Vec::new();
        self.scores(features, &mut scores);
        let tags = want_tags.then(|| {
            let (transitions, start) = self.masked();
            viterbi(&transitions, &start, &scores)
        });
        self.log_likelihood += self.step_on(features, gold, &scores);
        tags
    }

    fn end_epoch(&mut self) -> (Weights, String) {
        let weights = self.weights();
        let how = format!(
            "log-likelihood {:.0}, {} non-zero weights",
            self.log_likelihood,
            weights.nonzero()
        );
        self.log_likelihood = 0.0;
        (weights, how)
    }
}

/// One CRF run (see [`super::run::train_run`]), labelled "crf" in the log.
pub(super) fn train_run(
    inputs: &RunInputs,
    config: &TrainConfig,
    run: usize,
    log: &mut dyn FnMut(&str),
) -> (f64, usize, Weights) {
    let mut log_crf = |msg: &str| log(&format!("crf {msg}"));
    super::run::train_run(
        Crf::new(inputs.keys.len(), inputs.n_tags()),
        inputs,
        config,
        run,
        &mut log_crf,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rng;
    use onoma::training::can_end;

    /// The tags of the OntoNotes label set.
    const N_TAGS: usize = onoma::training::tag_count(18);

    /// Scores, transitions and start scores drawn from a fixed generator.
    fn lattice(n: usize) -> (Crf, Vec<f32>) {
        let mut crf = Crf::new(1, N_TAGS);
        let mut rng = Rng(12345);
        let mut draw = || (rng.next() % 2000) as f32 / 1000.0 - 1.0;
        crf.trans.iter_mut().for_each(|t| *t = draw());
        crf.start.iter_mut().for_each(|t| *t = draw());
        let scores = (0..n * N_TAGS).map(|_| 3.0 * draw()).collect();
        (crf, scores)
    }

    #[test]
    fn marginals_match_brute_force_enumeration() {
        let n = 3;
        let (crf, scores) = lattice(n);
        let (trans, start) = crf.masked();
        let gold = vec![0, 0, 0];
        let (marg, pair, ll) = crf.marginals(&scores, &gold);
        let mut z = 0f64;
        let mut expect = vec![0f64; n * N_TAGS];
        let mut expect_pair = vec![0f64; N_TAGS * N_TAGS];
        let mut gold_score = 0f64;
        for a in 0..N_TAGS {
            for b in 0..N_TAGS {
                for c in 0..N_TAGS {
                    if !can_end(c) {
                        continue;
                    }
                    let s = start[a]
                        + scores[a]
                        + trans[a * N_TAGS + b]
                        + scores[N_TAGS + b]
                        + trans[b * N_TAGS + c]
                        + scores[2 * N_TAGS + c];
                    let p = f64::from(s).exp();
                    if (a, b, c) == (0, 0, 0) {
                        gold_score = f64::from(s);
                    }
                    z += p;
                    expect[a] += p;
                    expect[N_TAGS + b] += p;
                    expect[2 * N_TAGS + c] += p;
                    expect_pair[a * N_TAGS + b] += p;
                    expect_pair[b * N_TAGS + c] += p;
                }
            }
        }
        assert!(
            (ll - (gold_score - z.ln())).abs() < 1e-3,
            "{ll} vs {}",
            gold_score - z.ln()
        );
        for (m, e) in marg.iter().zip(&expect) {
            assert!((m - e / z).abs() < 1e-4, "{m} vs {}", e / z);
        }
        for (m, e) in pair.iter().zip(&expect_pair) {
            assert!((m - e / z).abs() < 1e-4, "{m} vs {}", e / z);
        }
    }

    #[test]
    fn learning_raises_the_likelihood_until_the_gold_tags_win() {
        // Three tokens, each with a feature of its own and a shared bias; gold "U-PERSON O U-GPE".
        let person =
            onoma::training::tag(onoma::Label::Person.index(), onoma::training::Part::Unit);
        let gpe = onoma::training::tag(onoma::Label::Gpe.index(), onoma::training::Part::Unit);
        let outside = (0..N_TAGS)
            .find(|&t| onoma::training::tag_label(t).is_none())
            .unwrap();
        let gold = vec![person, outside, gpe];
        let mut features = vec![ABSENT; 3 * PER_TOKEN];
        for (i, token) in features.chunks_mut(PER_TOKEN).enumerate() {
            token[0] = 0;
            token[1] = 1 + i as u32;
        }
        let mut crf = Crf::new(4, N_TAGS);
        let mut scores = Vec::new();
        crf.scores(&features, &mut scores);
        let first = crf.step_on(&features, &gold, &scores);
        let mut last = first;
        for _ in 0..30 {
            crf.scores(&features, &mut scores);
            last = crf.step_on(&features, &gold, &scores);
        }
        assert!(last > first + 1.0, "log-likelihood {first} -> {last}");
        crf.scores(&features, &mut scores);
        let (transitions, start) = crf.masked();
        assert_eq!(viterbi(&transitions, &start, &scores), gold);
    }
}
