//! Fitting phase durations to a time target: every phase is scaled by the same factor within its
//! own bounds, then rounded to whole quanta (minutes) so the schedule stays readable.

use super::method::{Bounds, Ms};

/// The total that `fit` will reach for `target`: the target itself when the bounds allow it,
/// otherwise the nearest total they do allow.
pub fn reachable_total(bounds: &[Bounds], target: Ms) -> Ms {
    let lo: Ms = bounds.iter().map(|b| b.min).sum();
    let hi: Ms = bounds.iter().map(|b| b.max).sum();
    target.clamp(lo, hi)
}

/// Durations within `bounds` that add up to exactly `reachable_total(bounds, target)`.
///
/// Each duration is a multiple of `quantum` where its bounds allow; at most one takes the odd
/// remainder when the total itself is not a whole number of quanta.
pub fn fit(bounds: &[Bounds], target: Ms, quantum: Ms) -> Vec<Ms> {
    assert!(quantum > 0, "quantum must be positive");
    let goal = reachable_total(bounds, target);
    let scaled = scale(bounds, goal);

    let mut budgets: Vec<Ms> = bounds
        .iter()
        .zip(&scaled)
        .map(|(b, &raw)| (((raw / quantum as f64).floor() as Ms) * quantum).clamp(b.min, b.max))
        .collect();
    // The phases that lost most to rounding get the spare quanta first (largest remainder).
    let mut order: Vec<usize> = (0..bounds.len()).collect();
    order.sort_by(|&a, &b| {
        let frac = |i: usize| scaled[i] - budgets[i] as f64;
        frac(b).total_cmp(&frac(a)).then(a.cmp(&b))
    });

    let mut rest = goal - budgets.iter().sum::<Ms>();
    while rest > 0 {
        let before = rest;
        for &i in &order {
            let step = quantum.min(bounds[i].max - budgets[i]).min(rest);
            budgets[i] += step;
            rest -= step;
            if rest == 0 {
                break;
            }
        }
        assert!(rest < before, "fit: no room although goal <= sum of maxima");
    }
    while rest < 0 {
        let before = rest;
        for &i in order.iter().rev() {
            let step = quantum.min(budgets[i] - bounds[i].min).min(-rest);
            budgets[i] -= step;
            rest += step;
            if rest == 0 {
                break;
            }
        }
        assert!(
            rest > before,
            "fit: nothing to take although goal >= sum of minima"
        );
    }
    budgets
}

/// The continuous solution: one factor `f` so that the clamped `default * f` add up to `goal`.
fn scale(bounds: &[Bounds], goal: Ms) -> Vec<f64> {
    let at = |f: f64| -> Vec<f64> {
        bounds
            .iter()
            .map(|b| (b.default as f64 * f).clamp(b.min as f64, b.max as f64))
            .collect()
    };
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let mut low = 0.0_f64;
    let mut high = bounds
        .iter()
        .filter(|b| b.default > 0)
        .map(|b| b.max as f64 / b.default as f64)
        .fold(1.0, f64::max);
    // The sum is monotone in f, so bisection converges; 100 halvings reach f64 precision.
    for _ in 0..100 {
        let mid = (low + high) / 2.0;
        if sum(&at(mid)) < goal as f64 {
            low = mid;
        } else {
            high = mid;
        }
    }
    at(high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::method::{MINUTE, SECOND};
    use proptest::prelude::*;

    fn minutes(min: i64, default: i64, max: i64) -> Bounds {
        Bounds::new(min * MINUTE, default * MINUTE, max * MINUTE)
    }

    #[test]
    fn defaults_when_the_target_is_their_sum() {
        let b = [minutes(3, 5, 8), minutes(10, 15, 20), minutes(5, 10, 15)];
        assert_eq!(
            fit(&b, 30 * MINUTE, MINUTE),
            vec![5 * MINUTE, 15 * MINUTE, 10 * MINUTE]
        );
    }

    #[test]
    fn scales_down_proportionally_in_whole_minutes() {
        let b = [minutes(2, 10, 20), minutes(2, 20, 40)];
        assert_eq!(fit(&b, 15 * MINUTE, MINUTE), vec![5 * MINUTE, 10 * MINUTE]);
    }

    #[test]
    fn a_phase_at_its_bound_leaves_the_rest_to_the_others() {
        let b = [minutes(5, 5, 5), minutes(10, 15, 30)];
        assert_eq!(fit(&b, 35 * MINUTE, MINUTE), vec![5 * MINUTE, 30 * MINUTE]);
    }

    #[test]
    fn too_short_gives_every_minimum() {
        let b = [minutes(3, 5, 8), minutes(10, 15, 20)];
        assert_eq!(reachable_total(&b, 5 * MINUTE), 13 * MINUTE);
        assert_eq!(fit(&b, 5 * MINUTE, MINUTE), vec![3 * MINUTE, 10 * MINUTE]);
    }

    #[test]
    fn too_long_gives_every_maximum() {
        let b = [minutes(3, 5, 8), minutes(10, 15, 20)];
        assert_eq!(fit(&b, 90 * MINUTE, MINUTE), vec![8 * MINUTE, 20 * MINUTE]);
    }

    #[test]
    fn an_odd_target_puts_the_seconds_in_one_phase() {
        let b = [minutes(1, 5, 10), minutes(1, 5, 10), minutes(1, 5, 10)];
        let got = fit(&b, 12 * MINUTE + 23 * SECOND, MINUTE);
        assert_eq!(got.iter().sum::<Ms>(), 12 * MINUTE + 23 * SECOND);
        assert_eq!(got.iter().filter(|&&ms| ms % MINUTE != 0).count(), 1);
    }

    #[test]
    fn empty_fits_nothing() {
        assert_eq!(fit(&[], 10 * MINUTE, MINUTE), Vec::<Ms>::new());
    }

    fn any_bounds() -> impl Strategy<Value = Bounds> {
        (0i64..600_000, 0i64..1_200_000, 0i64..1_200_000)
            .prop_map(|(min, d, m)| Bounds::new(min, min + d, min + d + m))
    }

    proptest! {
        #[test]
        fn always_within_bounds_and_exact(
            bounds in prop::collection::vec(any_bounds(), 0..25),
            target in 0i64..20_000_000,
            quantum in prop::sample::select(vec![1i64, 1_000, 30_000, 60_000]),
        ) {
            let got = fit(&bounds, target, quantum);
            prop_assert_eq!(got.len(), bounds.len());
            prop_assert_eq!(got.iter().sum::<Ms>(), reachable_total(&bounds, target));
            for (b, ms) in bounds.iter().zip(&got) {
                prop_assert!(b.min <= *ms && *ms <= b.max, "{ms} outside {b:?}");
            }
        }
    }
}
