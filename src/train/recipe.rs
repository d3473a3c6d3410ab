//! The choices training makes on dev, written down. Training on train alone chooses the
//! epoch each run keeps, the temperatures that put the perceptron and the CRF on one
//! scale, the CRF's share of the mix and the confidence temperature, all on the held-out
//! dev set. The shipped model is then trained on train and dev together, where nothing is
//! held out to choose on, so it makes the same choices from this record instead.

use super::TrainConfig;
use serde::{Deserialize, Serialize};

/// How the averaged perceptron and the averaged CRF are mixed into one linear model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mix {
    /// Temperature that calibrates the perceptron alone; its weights are divided by it.
    pub perceptron_temperature: f32,
    /// Temperature that calibrates the CRF alone; its weights are divided by it.
    pub crf_temperature: f32,
    /// Share of the CRF in the mix, in [0, 1].
    pub crf_share: f32,
}

/// Everything a training on train and dev together needs to repeat a training on train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recipe {
    /// The settings of the training that made the choices (its `runs` and `crf_runs`
    /// are the lengths of the epoch lists below).
    pub settings: TrainConfig,
    /// Epoch kept by each perceptron run, in run order.
    pub perceptron_epochs: Vec<usize>,
    /// Epoch kept by each CRF run, in run order (empty: the perceptron alone).
    pub crf_epochs: Vec<usize>,
    /// How the two are mixed; `None` without CRF runs.
    pub mix: Option<Mix>,
    /// Confidence temperature of the mixed model.
    pub temperature: f32,
    /// Dev F1 (sentences as read, our scorer) of the model trained on train alone.
    pub dev_f1: f64,
}

impl Recipe {
    /// The recipe as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a recipe always serializes") + "\n"
    }

    /// Reads a recipe written by [`Recipe::to_json`], checking that it can be followed.
    pub fn from_json(text: &str) -> Result<Recipe, String> {
        let recipe: Recipe = serde_json::from_str(text).map_err(|e| format!("recipe: {e}"))?;
        recipe.check()?;
        Ok(recipe)
    }

    fn check(&self) -> Result<(), String> {
        let positive = |t: f32| t.is_finite() && t > 0.0;
        if self.perceptron_epochs.is_empty() {
            return Err("recipe: no perceptron runs".into());
        }
        let epochs = self.perceptron_epochs.iter().chain(&self.crf_epochs);
        if epochs.clone().any(|&e| e == 0 || e > self.settings.epochs) {
            return Err(format!(
                "recipe: every kept epoch must lie in 1..={}",
                self.settings.epochs
            ));
        }
        match (&self.mix, self.crf_epochs.is_empty()) {
            (None, true) => {}
            (Some(m), false)
                if positive(m.perceptron_temperature)
                    && positive(m.crf_temperature)
                    && (0.0..=1.0).contains(&m.crf_share) => {}
            (Some(_), false) => return Err("recipe: bad temperature or CRF share".into()),
            _ => return Err("recipe: a mix needs CRF runs, and CRF runs a mix".into()),
        }
        if !positive(self.temperature) {
            return Err("recipe: bad temperature".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe() -> Recipe {
        Recipe {
            settings: TrainConfig::default(),
            perceptron_epochs: vec![7, 8, 9, 10],
            crf_epochs: vec![10, 9],
            mix: Some(Mix {
                perceptron_temperature: 11.5,
                crf_temperature: 1.5,
                crf_share: 0.65,
            }),
            temperature: 1.0,
            dev_f1: 0.871,
        }
    }

    #[test]
    fn a_recipe_reads_back_as_written() {
        let r = recipe();
        assert_eq!(Recipe::from_json(&r.to_json()).unwrap(), r);
    }

    #[test]
    fn recipes_that_cannot_be_followed_are_refused() {
        let broken: [fn(&mut Recipe); 5] = [
            |r| r.perceptron_epochs.clear(),
            |r| r.crf_epochs[0] = r.settings.epochs + 1,
            |r| r.mix = None,
            |r| r.mix.as_mut().unwrap().crf_share = 1.5,
            |r| r.temperature = f32::NAN,
        ];
        for breaks in broken {
            let mut r = recipe();
            breaks(&mut r);
            assert!(Recipe::from_json(&r.to_json()).is_err(), "{r:?}");
        }
        assert!(Recipe::from_json("{}").is_err());
    }
}
