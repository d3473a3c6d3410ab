//! The dense weights a training run leaves: what runs are averaged and mixed in, and what
//! models are cut from.

use super::PublicLexicons;
use onoma::training::Gazetteer;
use onoma::training::{fingerprint, FeatureWeights, Lexicons};
use onoma::{LabelSet, Model};
use std::collections::HashMap;

/// Dense weights of a trained tagger: per feature id and tag, per tag pair, per first tag.
pub(super) struct Weights {
    features: Vec<f32>,
    transitions: Vec<f32>,
    start: Vec<f32>,
}

impl Weights {
    /// Weights from their three parts, laid out as [`Weights`] describes.
    pub(super) fn from_parts(features: Vec<f32>, transitions: Vec<f32>, start: Vec<f32>) -> Self {
        Weights {
            features,
            transitions,
            start,
        }
    }

    /// Number of non-zero feature weights.
    pub(super) fn nonzero(&self) -> usize {
        self.features.iter().filter(|w| **w != 0.0).count()
    }

    /// `a` times `fa` plus `b` times `fb`, element by element.
    pub(super) fn mix(a: &Weights, fa: f32, b: &Weights, fb: f32) -> Weights {
        let mix = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(x, y)| fa * x + fb * y).collect();
        Weights {
            features: mix(&a.features, &b.features),
            transitions: mix(&a.transitions, &b.transitions),
            start: mix(&a.start, &b.start),
        }
    }

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

    /// The weights as a model of the labels `labels`, keeping the `max_weights` largest.
    pub(super) fn to_model(
        &self,
        keys: &[u64],
        max_weights: usize,
        labels: &LabelSet,
        (gazetteer, public): (&Gazetteer, &PublicLexicons),
    ) -> Model {
        let avg = &self.features;
        let n_tags = self.start.len();
        let mut magnitudes: Vec<f32> = avg.iter().map(|w| w.abs()).filter(|&w| w > 0.0).collect();
        let threshold = if magnitudes.len() > max_weights {
            let k = magnitudes.len() - max_weights;
            *magnitudes.select_nth_unstable_by(k, f32::total_cmp).1
        } else {
            f32::MIN_POSITIVE
        };
        let mut merged: HashMap<u32, Vec<f32>> = HashMap::new();
        for (f, &key) in keys.iter().enumerate() {
            let row = &avg[f * n_tags..(f + 1) * n_tags];
            if row.iter().any(|w| w.abs() >= threshold) {
                let slot = merged
                    .entry(fingerprint(key))
                    .or_insert_with(|| vec![0.0; n_tags]);
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
                    .map(|(t, &w)| (t as u16, w))
                    .collect();
                (key, weights)
            })
            .collect();
        Model::from_parts(
            Vec::new(),
            labels.clone(),
            1.0,
            (self.transitions.clone(), self.start.clone()),
            Lexicons {
                learned: gazetteer.clone(),
                public_lists: public.lists.clone(),
                word_classes: public.classes.clone(),
            },
            features,
        )
    }
}
