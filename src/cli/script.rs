//! The scripts `simulate` replays: one `SECONDS ACTION` per line, `#` for comments.

use crate::domain::engine::Action;
use crate::domain::method::{Ms, SECOND};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub line: usize,
    /// Meeting time since the start of the script.
    pub at: Ms,
    pub action: Action,
}

/// The latest moment a script may name: a meeting is at most 8 hours, so 30 days leaves room
/// for any pause while keeping every clock far from overflowing.
pub const LONGEST_SCRIPT_SECONDS: f64 = 30.0 * 24.0 * 3600.0;

/// Parses a whole script; on failure returns one message per bad line, with its number.
pub fn parse(name: &str, text: &str) -> Result<Vec<Step>, Vec<String>> {
    let mut steps: Vec<Step> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let mut words = content.split_whitespace();
        let (Some(seconds), Some(action), None) = (words.next(), words.next(), words.next()) else {
            errors.push(format!(
                "{name}:{line}: expected `SECONDS ACTION`, got `{content}`"
            ));
            continue;
        };
        let at = match seconds.parse::<f64>() {
            Ok(s) if s > LONGEST_SCRIPT_SECONDS => {
                errors.push(format!(
                    "{name}:{line}: `{seconds}` s is later than a script may go ({LONGEST_SCRIPT_SECONDS} s, 30 days)"
                ));
                continue;
            }
            Ok(s) if s.is_finite() && s >= 0.0 => (s * SECOND as f64).round() as Ms,
            _ => {
                errors.push(format!(
                    "{name}:{line}: `{seconds}` is not a number of seconds (0 or more)"
                ));
                continue;
            }
        };
        let action = match action.parse::<Action>() {
            Ok(a) => a,
            Err(reason) => {
                errors.push(format!("{name}:{line}: {reason}"));
                continue;
            }
        };
        if let Some(previous) = steps.last()
            && at < previous.at
        {
            errors.push(format!(
                "{name}:{line}: time goes backwards ({seconds} s comes after line {} at {} s)",
                previous.line,
                previous.at as f64 / SECOND as f64
            ));
            continue;
        }
        steps.push(Step { line, at, action });
    }
    if errors.is_empty() {
        Ok(steps)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::Rating;

    #[test]
    fn parses_steps_and_skips_comments() {
        let steps = parse(
            "s",
            "# a meeting\n0 start\n\n300.5 next  # early\n310 rate-warm\n",
        )
        .unwrap();
        assert_eq!(
            steps,
            vec![
                Step {
                    line: 2,
                    at: 0,
                    action: Action::Start
                },
                Step {
                    line: 4,
                    at: 300_500,
                    action: Action::Next
                },
                Step {
                    line: 5,
                    at: 310_000,
                    action: Action::Rate(Rating::Warm)
                },
            ]
        );
    }

    /// Issue 15, 5: `1e13 next` panicked in the clock's arithmetic instead of being reported.
    #[test]
    fn a_time_too_late_is_reported_not_run() {
        for huge in ["1e13", "1e300", "9223372036854775807", "2592001"] {
            let errors = parse("s.txt", &format!("0 start\n{huge} next\n")).unwrap_err();
            assert_eq!(errors.len(), 1);
            assert!(
                errors[0].starts_with(&format!(
                    "s.txt:2: `{huge}` s is later than a script may go"
                )),
                "{}",
                errors[0]
            );
        }
        assert!(parse("s.txt", "0 start\n2592000 next\n").is_ok());
    }

    #[test]
    fn reports_every_bad_line_with_its_number() {
        let errors = parse(
            "s.txt",
            "0 start\nten next\n20 jump\n30\n40 next\n35 back\n",
        )
        .unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors[0].starts_with("s.txt:2: `ten` is not a number"));
        assert!(errors[1].starts_with("s.txt:3: unknown action `jump`"));
        assert!(errors[2].starts_with("s.txt:4: expected `SECONDS ACTION`"));
        assert!(
            errors[3].starts_with("s.txt:6: time goes backwards"),
            "{}",
            errors[3]
        );
    }
}
