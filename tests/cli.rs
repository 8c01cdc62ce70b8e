//! The real binary, run as IT or a developer would.

mod common;

use common::run_with_input;
use std::path::Path;
use std::process::{Command, Output};

fn kiosk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .args(args)
        // A system config on the test machine must not change what the tests see.
        .args(["--config", empty_config()])
        .output()
        .expect("runs")
}

fn empty_config() -> &'static str {
    static PATH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("intervisie-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("empty.toml");
        std::fs::write(&path, "# defaults\n").unwrap();
        path.display().to_string()
    })
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn methods_list_in_dutch_and_english() {
    let nl = kiosk(&["methods", "list"]);
    assert!(nl.status.success());
    let out = stdout(&nl);
    for name in [
        "Incidentmethode",
        "Roddelmethode",
        "Vijfstappenmethode",
        "Socratische methode",
        "Balintmethode",
    ] {
        assert!(out.contains(name), "{name} missing in:\n{out}");
    }
    let en = stdout(&kiosk(&["methods", "list", "--lang", "en"]));
    for name in [
        "Incident method",
        "Gossip method",
        "Five-step method",
        "Socratic method",
        "Balint method",
    ] {
        assert!(en.contains(name), "{name} missing in:\n{en}");
    }
}

#[test]
fn methods_list_json() {
    let out = kiosk(&["methods", "list", "--json", "--lang", "en"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["incident", "vijf-stappen", "socratisch", "roddel", "balint"]
    );
    assert_eq!(list[0]["name"], "Incident method");
    assert!(list[0]["default_minutes"].as_f64().unwrap() > 30.0);
}

fn minutes_of(clock: &str) -> u32 {
    let (h, m) = clock.split_once(':').unwrap();
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

#[test]
fn plan_clock_times_add_up() {
    let out = kiosk(&[
        "plan",
        "--method",
        "incident",
        "--members",
        "6",
        "--minutes",
        "90",
        "--start",
        "14:00",
    ]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    let rows: Vec<(u32, u32, u32)> = text
        .lines()
        .filter(|l| l.len() > 12 && l.as_bytes()[2] == b':' && l.as_bytes()[11] == b':')
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (
                minutes_of(cols[0]),
                minutes_of(cols[1]),
                cols[2].parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 13, "{text}");
    assert_eq!(rows[0].0, 14 * 60);
    assert_eq!(rows.last().unwrap().1, 15 * 60 + 30);
    for pair in rows.windows(2) {
        assert_eq!(pair[0].1, pair[1].0, "phases must follow on: {text}");
    }
    for (start, end, minutes) in &rows {
        assert_eq!(end - start, *minutes, "{text}");
    }
    assert_eq!(rows.iter().map(|r| r.2).sum::<u32>(), 90);
}

#[test]
fn plan_says_when_it_cannot_fit() {
    let out = kiosk(&[
        "plan",
        "--method",
        "balint",
        "--members",
        "12",
        "--minutes",
        "45",
        "--start",
        "14:00",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("Past niet: 45 minuten is te kort"),
        "{}",
        stderr(&out)
    );
    let out = kiosk(&["plan", "--method", "nope", "--minutes", "45"]);
    assert!(
        stderr(&out).contains("unknown method `nope`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn plan_to_an_end_time() {
    let out = kiosk(&[
        "plan",
        "--method",
        "vijf-stappen",
        "--method",
        "vijf-stappen",
        "--end",
        "16:00",
        "--start",
        "14:30",
        "--json",
    ]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(plan["end"], "16:00");
    assert_eq!(plan["total_minutes"], 90.0);
    assert_eq!(plan["fits"], true);
}

#[test]
fn simulate_replays_a_script() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("meeting.txt");
    std::fs::write(
        &script,
        "0 start\n60 pause\n120 resume\n130 next\n5400 end-meeting\n",
    )
    .unwrap();
    let out = kiosk(&[
        "simulate",
        "--method",
        "incident",
        "--members",
        "6",
        "--minutes",
        "90",
        script.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for field in [
        "t",
        "case",
        "phase",
        "phase_index",
        "phases",
        "state",
        "remaining_s",
        "turn",
        "turns",
        "turn_remaining_s",
        "paused",
        "projected_end_s",
        "behind_s",
    ] {
        assert!(lines[0].get(field).is_some(), "missing {field}");
    }
    assert_eq!(lines[1]["state"], "paused");
    assert_eq!(lines[1]["paused"], true);
    assert_eq!(lines[3]["phase_index"], 1);
    assert_eq!(lines[4]["state"], "finished");
    assert_eq!(lines[4]["behind_s"], 0.0);
}

#[test]
fn simulate_reports_bad_lines_with_their_number() {
    let out = run_with_input(
        Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk")).args([
            "--config",
            empty_config(),
            "simulate",
            "--method",
            "incident",
            "-",
        ]),
        "0 start\n10 fly\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("-:2: unknown action `fly`"),
        "{}",
        stderr(&out)
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn methods_check_names_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let good = include_str!("../assets/methods/roddel.toml");
    write(
        dir.path(),
        "good.toml",
        &good.replace("id = \"roddel\"", "id = \"mijn-roddel\""),
    );
    write(
        dir.path(),
        "broken.toml",
        &good.replace("actor = \"group\"", "actor = \"crowd\""),
    );
    let out = kiosk(&["methods", "check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let error = text.lines().next().unwrap();
    let broken = dir.path().join("broken.toml");
    let line = good.lines().position(|l| l == "actor = \"group\"").unwrap() + 1;
    assert_eq!(
        error,
        format!(
            "{}:{line}: phases.roddelen.actor: unknown actor `crowd` (expected one of: inbrenger, group, round, silent, facilitator)",
            broken.display()
        )
    );
    assert!(text.contains("1 of 2 method file(s) have errors"), "{text}");
}

#[test]
fn extra_methods_load_and_a_bad_one_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let methods = dir.path().join("methods");
    std::fs::create_dir(&methods).unwrap();
    let five = include_str!("../assets/methods/vijf-stappen.toml");
    write(
        &methods,
        "a.toml",
        &five.replace("Vijfstappenmethode", "Onze vijf stappen"),
    );
    write(
        &methods,
        "b.toml",
        &five
            .replace("id = \"vijf-stappen\"", "id = \"kort\"")
            .replace("max = 20", "max = 2"),
    );
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("methods_dir = \"{}\"\n", methods.display()),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .args(["--config", config.to_str().unwrap(), "methods", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("Onze vijf stappen"), "override by id: {text}");
    assert!(!text.contains("Vijfstappenmethode"));
    assert!(!text.contains("kort "), "the broken file is skipped");
    let warning = stderr(&out);
    assert!(
        warning.contains("skipped a method file") && warning.contains("b.toml:"),
        "{warning}"
    );
}

#[test]
fn a_broken_config_names_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "room_name = \"Kamer 1\"\ndefault_members = 2\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .args(["--config", config.to_str().unwrap(), "methods", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!(
            "{}:2: default_members: must be 3 to 12, got 2",
            config.display()
        )),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_a_display_the_screen_says_why_it_cannot_open() {
    let out = Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .args(["--config", empty_config(), "--renderer", "software"])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("cannot open the screen"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn buttons_test_off_a_pi_says_why_there_is_nothing_to_test() {
    let out = Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .args([
            "--config",
            empty_config(),
            "buttons",
            "test",
            "--seconds",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("no buttons to test: "), "{err}");
    // Without the gpio feature, or with it on a machine that is not a Pi.
    assert!(
        err.contains("no GPIO support") || err.contains("not a Raspberry Pi"),
        "{err}"
    );
}

#[test]
fn starting_the_screen_with_an_unknown_method_says_which_are_known() {
    for args in [
        &["run", "--method", "nope"][..],
        &[
            "run",
            "--headless",
            "--method",
            "incident",
            "--method",
            "nope",
        ][..],
    ] {
        let out = kiosk(args);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("unknown method `nope` (known: incident,"),
            "{}",
            stderr(&out)
        );
    }
}
