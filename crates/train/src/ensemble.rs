//! Putting runs together: independent runs of one trainer share the cores and are
//! averaged, and the averaged perceptron and CRF are mixed in the share dev prefers.

use super::weights::Weights;
use super::{calibrate, evaluate, RunInputs, TrainConfig};

/// One training run: the dev F1, number and weights of its best epoch.
pub(super) type Trainer =
    fn(&RunInputs, &TrainConfig, usize, &mut dyn FnMut(&str)) -> (f64, usize, Weights);

/// The average of `runs` runs of `trainer`, with the epoch each run kept. Runs are
/// independent, so they share the cores; each keeps its own order and seed, and the
/// average is taken in run order, so the model does not depend on the threads.
pub(super) fn soup(
    trainer: Trainer,
    runs: usize,
    inputs: &RunInputs,
    config: &TrainConfig,
    log: &mut (dyn FnMut(&str) + Send),
) -> (Weights, Vec<String>) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.min(runs);
    let shared_log = std::sync::Mutex::new(log);
    let mut results: Vec<(usize, (f64, usize, Weights))> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                let shared_log = &shared_log;
                scope.spawn(move || {
                    let mut say = |msg: &str| (shared_log.lock().expect("log"))(msg);
                    (first..runs)
                        .step_by(threads)
                        .map(|run| (run, trainer(inputs, config, run, &mut say)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("training thread"))
            .collect()
    });
    let log = shared_log.into_inner().expect("log");
    results.sort_by_key(|(run, _)| *run);
    let mut sum: Option<Weights> = None;
    let mut kept_epochs = Vec::new();
    for (run, (f1, epoch, weights)) in results {
        log(&format!("run {run}: kept epoch {epoch} (dev F1 {f1:.4})"));
        kept_epochs.push(epoch.to_string());
        sum = Some(match sum {
            None => weights,
            Some(sum) => sum.plus(&weights),
        });
    }
    let average = sum.expect("at least one run").scaled(1.0 / runs as f32);
    (average, kept_epochs)
}

/// Shares of the CRF tried when mixing.
const CRF_SHARES: [f32; 7] = [0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0];

/// The mix of the perceptron and the CRF that scores best on dev, with the CRF's share.
/// Each is first divided by its own calibrated temperature, which puts both on the
/// scale of log-probabilities (the perceptron's weights are counts of mistakes).
pub(super) fn mix(
    perceptron: &Weights,
    crf: &Weights,
    inputs: &RunInputs,
    config: &TrainConfig,
    log: &mut dyn FnMut(&str),
) -> (Weights, f32) {
    let temperature = |weights: &Weights| {
        let mut model = inputs.model(weights, config);
        calibrate(&mut model, inputs.dev)
    };
    let (tp, tc) = (temperature(perceptron), temperature(crf));
    log(&format!("temperature: perceptron {tp}, crf {tc}"));
    let mixed =
        |share: f32| Weights::mix(perceptron, 1.0 / tp * (1.0 - share), crf, 1.0 / tc * share);
    let mut best: Option<(f64, f32)> = None;
    for share in CRF_SHARES {
        let model = inputs.model(&mixed(share), config);
        let f1 = evaluate(&model, inputs.dev).overall().f1();
        log(&format!("crf share {share}: dev F1 {f1:.4}"));
        if best.is_none_or(|b| f1 > b.0) {
            best = Some((f1, share));
        }
    }
    let share = best.expect("at least one share").1;
    (mixed(share), share)
}
