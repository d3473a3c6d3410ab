//! `onoma train --labels FILE`: a description and a colour for labels of the model, one
//! JSON object a line: `{"label": "PER", "description": "People", "colour": "#c0392b"}`.
//! Both fields are optional; a colour is `#rgb` or `#rrggbb`.

use onoma::LabelSet;
use serde_json::Value;
use std::path::Path;

/// `labels` with the descriptions and colours that the file at `path` gives them. A label
/// the file names but `labels` lacks, a malformed line or colour is an error naming the
/// line.
pub fn describe(labels: LabelSet, path: &Path) -> Result<LabelSet, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut infos: Vec<_> = labels.iter().cloned().collect();
    for (n, line) in text.lines().enumerate() {
        let at = |e: String| format!("{}: line {}: {e}", path.display(), n + 1);
        if line.trim().is_empty() {
            continue;
        }
        let record: Value = serde_json::from_str(line).map_err(|e| at(e.to_string()))?;
        let field = |key: &str| match &record[key] {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(at(format!("\"{key}\" is not a string"))),
        };
        let name = field("label")?.ok_or_else(|| at("no \"label\"".into()))?;
        let info = infos
            .iter_mut()
            .find(|l| l.name == name)
            .ok_or_else(|| at(format!("the training data has no label {name:?}")))?;
        if let Some(description) = field("description")? {
            info.description = description;
        }
        if let Some(colour) = field("colour")? {
            if !is_hex_colour(&colour) {
                return Err(at(format!("colour {colour:?}: expected #rgb or #rrggbb")));
            }
            info.colour = colour;
        }
    }
    LabelSet::new(infos)
}

/// `#rgb` or `#rrggbb`.
fn is_hex_colour(colour: &str) -> bool {
    colour
        .strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_three_or_six_hex_digits() {
        assert!(is_hex_colour("#c0392b") && is_hex_colour("#FFF"));
        for bad in ["c0392b", "#c0392", "#ggg", "red", "#fff;x"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }
}
