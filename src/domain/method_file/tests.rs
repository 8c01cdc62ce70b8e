//! Method files as people write them, good and bad, and what each error says.

use super::*;

const GOOD: &str = r#"
id = "test"
name = { nl = "Test", en = "Test" }
summary = { nl = "Voor tests.", en = "For tests." }
experience = "new"
trust = "basic"
group_size = { min = 3, max = 8 }

[[phases]]
id = "vraag"
actor = "inbrenger"
minutes = { min = 3, default = 5, max = 8 }
title = { nl = "Vraag", en = "Question" }
instruction = { nl = "Stel de vraag.", en = "Ask the question." }

[[phases]]
id = "ronde"
actor = "round"
minutes_per_turn = { min = 1, default = 2, max = 3 }
title = { nl = "Ronde", en = "Round" }
instruction = { nl = "Om de beurt.", en = "In turn." }
rules = [{ nl = "Kort", en = "Short" }]
mechanics = { question_limit = 3, rating = true }
"#;

fn errors(source: &str) -> Vec<String> {
    parse_method("m.toml", source)
        .expect_err("should be rejected")
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn one_error(source: &str) -> String {
    let e = errors(source);
    assert_eq!(e.len(), 1, "expected one error, got {e:#?}");
    e[0].clone()
}

#[test]
fn a_good_file_parses() {
    let m = parse_method("m.toml", GOOD).unwrap();
    assert_eq!(m.id, "test");
    assert_eq!(m.phases.len(), 2);
    assert_eq!(m.phases[1].actor, Actor::Round);
    assert_eq!(
        m.phases[1].minutes,
        Bounds::new(MINUTE, 2 * MINUTE, 3 * MINUTE)
    );
    assert_eq!(m.phases[1].mechanics.question_limit, Some(3));
    assert!(m.phases[1].mechanics.rating);
    assert_eq!(m.phases[1].turns(6), 5);
    assert_eq!(m.default_length(6), 5 * MINUTE + 5 * 2 * MINUTE);
}

#[test]
fn unknown_field_names_file_and_line() {
    let bad = GOOD.replace("trust = \"basic\"", "trust = \"basic\"\ncolour = \"red\"");
    let e = one_error(&bad);
    assert!(e.starts_with("m.toml:7: "), "{e}");
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn missing_translation_is_reported() {
    let bad = GOOD.replace(
        "title = { nl = \"Vraag\", en = \"Question\" }",
        "title = { nl = \"Vraag\" }",
    );
    let e = one_error(&bad);
    assert!(e.starts_with("m.toml:13"), "{e}");
    assert!(e.contains("missing field `en`"), "{e}");
}

#[test]
fn empty_translation_names_the_field() {
    let bad = GOOD.replace("en = \"Ask the question.\"", "en = \"\"");
    let e = one_error(&bad);
    assert_eq!(
        e,
        "m.toml:14: phases.vraag.instruction: the English (en) text is empty"
    );
}

#[test]
fn short_name_defaults_to_the_name_and_must_fit_a_tile() {
    let method = parse_method("m.toml", GOOD).unwrap();
    assert_eq!(method.short_name, method.name);
    let short = GOOD.replace(
        "name = { nl = \"Test\", en = \"Test\" }",
        "name = { nl = \"Test\", en = \"Test\" }\nshort_name = { nl = \"T\", en = \"Tee\" }",
    );
    let method = parse_method("m.toml", &short).unwrap();
    assert_eq!(method.short_name.get(Lang::En), "Tee");
    let long = GOOD.replace(
        "name = { nl = \"Test\", en = \"Test\" }",
        "name = { nl = \"Test\", en = \"Test\" }\nshort_name = { nl = \"Een veel te lange naam\", en = \"T\" }",
    );
    assert_eq!(
        one_error(&long),
        "m.toml:4: short_name: `Een veel te lange naam` has 22 characters; a tile holds at most 14"
    );
}

#[test]
fn minutes_out_of_order() {
    let bad = GOOD.replace(
        "minutes = { min = 3, default = 5, max = 8 }",
        "minutes = { min = 6, default = 5, max = 8 }",
    );
    let e = one_error(&bad);
    assert_eq!(
        e,
        "m.toml:12: phases.vraag.minutes: minutes out of order: need min <= default <= max, got min 6 default 5 max 8"
    );
}

#[test]
fn no_phases() {
    let head = GOOD.split("[[phases]]").next().unwrap();
    let e = one_error(&format!("{head}phases = []\n"));
    assert_eq!(e, "m.toml:9: phases: has no phases");
}

#[test]
fn duplicate_phase_ids() {
    let bad = GOOD.replace("id = \"ronde\"", "id = \"vraag\"");
    let e = one_error(&bad);
    assert_eq!(e, "m.toml:17: phases.id: duplicate phase id `vraag`");
}

#[test]
fn unknown_actor() {
    let bad = GOOD.replace("actor = \"inbrenger\"", "actor = \"audience\"");
    let e = one_error(&bad);
    assert!(
        e.starts_with("m.toml:11: phases.vraag.actor: unknown actor `audience`"),
        "{e}"
    );
}

#[test]
fn unknown_mechanic() {
    let bad = GOOD.replace("rating = true", "rating = true, talking_stick = true");
    let e = one_error(&bad);
    assert!(
        e.starts_with("m.toml:23: phases.ronde.mechanics.talking_stick: unknown mechanic"),
        "{e}"
    );
}

#[test]
fn the_question_is_asked_again_after_a_rephrasing_phase_but_not_after_the_last() {
    let rephrasing = GOOD.replace(
        "instruction = { nl = \"Stel de vraag.\", en = \"Ask the question.\" }",
        "instruction = { nl = \"Stel de vraag.\", en = \"Ask the question.\" }\nmechanics = { rephrases_question = true }",
    );
    let m = parse_method("m.toml", &rephrasing).unwrap();
    assert!(m.phases[0].mechanics.rephrases_question);
    assert!(!m.phases[1].mechanics.rephrases_question);

    let last = GOOD.replace("rating = true", "rating = true, rephrases_question = true");
    let e = one_error(&last);
    assert!(
        e.starts_with("m.toml:23: phases.ronde.mechanics.rephrases_question: the case question is asked again after this phase, so it cannot be the last one"),
        "{e}"
    );
}

#[test]
fn round_needs_minutes_per_turn() {
    let bad = GOOD.replace("minutes_per_turn =", "minutes =");
    let e = one_error(&bad);
    assert!(
        e.contains("phases.ronde.minutes: a round is timed per turn"),
        "{e}"
    );
}

#[test]
fn syntax_error_has_a_line() {
    let bad = GOOD.replace("trust = \"basic\"", "trust = basic");
    let e = one_error(&bad);
    assert!(e.starts_with("m.toml:6: "), "{e}");
    assert!(!e.contains('\n'), "one line: {e}");
}

#[test]
fn several_problems_are_all_reported() {
    let bad = GOOD
        .replace("actor = \"inbrenger\"", "actor = \"audience\"")
        .replace("question_limit = 3", "question_limit = 0");
    assert_eq!(errors(&bad).len(), 2);
}

#[test]
fn repeat_block_must_name_phases_in_order() {
    let with = |first: &str, last: &str| {
        format!(
            "{GOOD}\n[repeat]\nfirst = \"{first}\"\nlast = \"{last}\"\nrounds = {{ min = 1, default = 2, max = 3 }}\n"
        )
    };
    let m = parse_method("m.toml", &with("vraag", "ronde")).unwrap();
    assert_eq!(m.expanded(2).len(), 4);
    assert!(one_error(&with("ronde", "vraag")).contains("repeat.last"));
    assert!(one_error(&with("vraag", "nope")).contains("no phase with id `nope`"));
}
