//! The kiosk's configuration file: read into a raw struct as written, then validated into a
//! `Config` with errors that name the file, the line, the option and the reason.

pub mod buttons;
pub mod card;
pub mod screen;

use crate::domain::diagnostic::{Diagnostics, FileError};
use crate::domain::plan::{DEFAULT_MEMBERS, MAX_MEETING_MINUTES, MAX_MEMBERS, MIN_MEMBERS};
use crate::domain::text::Lang;
use crate::input::wiring::Buttons;
use screen::{Backend, Renderer};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Where IT puts the configuration on the appliance.
pub const SYSTEM_CONFIG: &str = "/etc/intervisie-kiosk/config.toml";
pub const DEFAULT_MINUTES: u32 = 90;
pub const MIN_MEETING_MINUTES: u32 = 15;
/// Ended sessions are kept this many days by default: long enough to learn from a month of
/// meetings, short enough that little is kept.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;
pub const MAX_RETENTION_DAYS: u32 = 3660;

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub room_name: String,
    pub language: Lang,
    pub default_members: u8,
    pub default_minutes: u32,
    pub methods_dir: Option<PathBuf>,
    pub rebudget: bool,
    /// Which way a round goes around the circle, and so who starts it.
    pub round_direction: RoundDirection,
    pub fullscreen: bool,
    pub renderer: Renderer,
    pub backend: Backend,
    /// Clockwise rotation of the picture on the bare display (linuxkms), for a screen mounted
    /// in portrait or upside down.
    pub rotation: u16,
    pub buttons: Buttons,
    /// Days to keep ended sessions; 0 wipes each at the end of its meeting.
    pub retention_days: u32,
    /// Where sessions are kept (default: see `store::dir`).
    pub data_dir: Option<PathBuf>,
    /// Minutes without a touch or press (and without a running countdown) before the screen
    /// dims; 0 never dims.
    pub dim_after_minutes: u32,
    /// The backlight's level while dimmed, in percent of its maximum.
    pub dim_brightness: u8,
    /// The backlight's level otherwise (set at start and on waking), in percent of its maximum.
    pub brightness: u8,
    /// Which backlight to dim.
    pub backlight: BacklightChoice,
    /// The file this came from, if any.
    pub source: Option<PathBuf>,
}

/// Which way the turns of a round go. Clockwise, the person on the inbrenger's left starts (the
/// facilitator starts a round of the opening or closing); anticlockwise, the one on the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundDirection {
    Clockwise,
    Anticlockwise,
}

/// Which backlight dims the screen: the first in `/sys/class/backlight`, none (the picture is
/// darkened instead), or a named one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BacklightChoice {
    Auto,
    None,
    Path(PathBuf),
}

pub const DEFAULT_DIM_AFTER_MINUTES: u32 = 15;
pub const MAX_DIM_AFTER_MINUTES: u32 = 24 * 60;
pub const DEFAULT_DIM_BRIGHTNESS: u8 = 10;

impl Default for Config {
    fn default() -> Self {
        Config {
            room_name: "Intervisie".to_string(),
            language: Lang::Nl,
            default_members: DEFAULT_MEMBERS,
            default_minutes: DEFAULT_MINUTES,
            methods_dir: None,
            rebudget: true,
            round_direction: RoundDirection::Clockwise,
            fullscreen: false,
            renderer: Renderer::Auto,
            backend: Backend::Auto,
            rotation: 0,
            buttons: Buttons::default(),
            retention_days: DEFAULT_RETENTION_DAYS,
            data_dir: None,
            dim_after_minutes: DEFAULT_DIM_AFTER_MINUTES,
            dim_brightness: DEFAULT_DIM_BRIGHTNESS,
            brightness: 100,
            backlight: BacklightChoice::Auto,
            source: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    room_name: Option<Spanned<String>>,
    language: Option<Spanned<String>>,
    default_members: Option<Spanned<i64>>,
    default_minutes: Option<Spanned<i64>>,
    methods_dir: Option<Spanned<String>>,
    rebudget: Option<bool>,
    round_direction: Option<Spanned<String>>,
    fullscreen: Option<bool>,
    renderer: Option<Spanned<String>>,
    backend: Option<Spanned<String>>,
    rotation: Option<Spanned<i64>>,
    buttons: Option<buttons::RawButtons>,
    retention_days: Option<Spanned<i64>>,
    data_dir: Option<Spanned<String>>,
    dim_after_minutes: Option<Spanned<i64>>,
    dim_brightness: Option<Spanned<i64>>,
    brightness: Option<Spanned<i64>>,
    backlight: Option<Spanned<String>>,
}

impl Config {
    /// Reads the configuration: `explicit` must exist; without it the system file is used when
    /// present, and built-in defaults otherwise.
    pub fn load(explicit: Option<&Path>) -> Result<Config, Vec<FileError>> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if Path::new(SYSTEM_CONFIG).exists() => PathBuf::from(SYSTEM_CONFIG),
            None => return Ok(Config::default()),
        };
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![FileError::whole_file(
                &name,
                format!("cannot read the config file: {e}"),
            )]
        })?;
        let mut config = Config::parse(&name, &text)?;
        config.source = Some(path);
        Ok(config)
    }

    /// Parses configuration text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Config, Vec<FileError>> {
        let mut check = Diagnostics::new(file, text);
        let raw: RawConfig = check.parse()?;
        let mut config = Config::default();
        if let Some(name) = raw.room_name {
            let trimmed = name.get_ref().trim();
            if trimmed.is_empty() || trimmed.chars().count() > 60 {
                check.error(name.span().start, "room_name", "must be 1 to 60 characters");
            } else {
                config.room_name = trimmed.to_string();
            }
        }
        if let Some(lang) = raw.language {
            match lang.get_ref().parse() {
                Ok(l) => config.language = l,
                Err(reason) => check.error(lang.span().start, "language", reason),
            }
        }
        if let Some(members) = raw.default_members {
            let allowed = format!("{MIN_MEMBERS} to {MAX_MEMBERS}");
            if let Some(m) = check.whole(
                &members,
                "default_members",
                MIN_MEMBERS..=MAX_MEMBERS,
                &allowed,
            ) {
                config.default_members = m;
            }
        }
        if let Some(minutes) = raw.default_minutes {
            let allowed = format!("{MIN_MEETING_MINUTES} to {MAX_MEETING_MINUTES}");
            let range = MIN_MEETING_MINUTES..=MAX_MEETING_MINUTES;
            if let Some(m) = check.whole(&minutes, "default_minutes", range, &allowed) {
                config.default_minutes = m;
            }
        }
        if let Some(dir) = raw.methods_dir {
            if dir.get_ref().trim().is_empty() {
                check.error(
                    dir.span().start,
                    "methods_dir",
                    "is empty; leave it out instead",
                );
            } else {
                config.methods_dir = Some(PathBuf::from(dir.get_ref()));
            }
        }
        if let Some(rebudget) = raw.rebudget {
            config.rebudget = rebudget;
        }
        if let Some(direction) = raw.round_direction {
            match direction.get_ref().as_str() {
                "clockwise" => config.round_direction = RoundDirection::Clockwise,
                "anticlockwise" => config.round_direction = RoundDirection::Anticlockwise,
                other => check.error(
                    direction.span().start,
                    "round_direction",
                    format!("unknown direction `{other}` (expected clockwise or anticlockwise)"),
                ),
            }
        }
        if let Some(fullscreen) = raw.fullscreen {
            config.fullscreen = fullscreen;
        }
        if let Some(renderer) = raw.renderer {
            match renderer.get_ref().as_str() {
                "auto" => config.renderer = Renderer::Auto,
                "femtovg" => config.renderer = Renderer::Femtovg,
                "software" => config.renderer = Renderer::Software,
                other => check.error(
                    renderer.span().start,
                    "renderer",
                    format!("unknown renderer `{other}` (expected auto, femtovg or software)"),
                ),
            }
        }
        if let Some(backend) = raw.backend {
            match backend.get_ref().as_str() {
                "auto" => config.backend = Backend::Auto,
                "winit" => config.backend = Backend::Winit,
                "linuxkms" => config.backend = Backend::Linuxkms,
                other => check.error(
                    backend.span().start,
                    "backend",
                    format!("unknown backend `{other}` (expected auto, winit or linuxkms)"),
                ),
            }
        }
        if let Some(rotation) = raw.rotation {
            match *rotation.get_ref() {
                r @ (0 | 90 | 180 | 270) => config.rotation = r as u16,
                other => check.error(
                    rotation.span().start,
                    "rotation",
                    format!("must be 0, 90, 180 or 270 (degrees clockwise), got {other}"),
                ),
            }
        }
        if let Some(days) = raw.retention_days {
            let allowed = format!("0 (wipe after every meeting) to {MAX_RETENTION_DAYS}");
            if let Some(d) = check.whole(&days, "retention_days", 0..=MAX_RETENTION_DAYS, &allowed)
            {
                config.retention_days = d;
            }
        }
        if let Some(dir) = raw.data_dir {
            if dir.get_ref().trim().is_empty() {
                check.error(
                    dir.span().start,
                    "data_dir",
                    "is empty; leave it out instead",
                );
            } else {
                config.data_dir = Some(PathBuf::from(dir.get_ref()));
            }
        }
        if let Some(minutes) = raw.dim_after_minutes {
            let allowed = format!("0 (never dim) to {MAX_DIM_AFTER_MINUTES}");
            let range = 0..=MAX_DIM_AFTER_MINUTES;
            if let Some(m) = check.whole(&minutes, "dim_after_minutes", range, &allowed) {
                config.dim_after_minutes = m;
            }
        }
        let percent = "(percent of full brightness)";
        if let Some(level) = raw.dim_brightness {
            let allowed = format!("0 to 100 {percent}");
            if let Some(l) = check.whole(&level, "dim_brightness", 0..=100, &allowed) {
                config.dim_brightness = l;
            }
        }
        if let Some(level) = raw.brightness {
            let allowed = format!("1 to 100 {percent}");
            if let Some(l) = check.whole(&level, "brightness", 1..=100, &allowed) {
                config.brightness = l;
            }
        }
        if let Some(backlight) = raw.backlight {
            match backlight.get_ref().trim() {
                "auto" => config.backlight = BacklightChoice::Auto,
                "none" => config.backlight = BacklightChoice::None,
                path if path.starts_with('/') => {
                    config.backlight = BacklightChoice::Path(PathBuf::from(path))
                }
                other => check.error(
                    backlight.span().start,
                    "backlight",
                    format!(
                        "must be \"auto\", \"none\" or a directory such as \
                         /sys/class/backlight/NAME, got `{other}`"
                    ),
                ),
            }
        }
        if let Some(raw) = raw.buttons {
            config.buttons = raw.validate(&mut check);
        }
        check.finish(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_and_rotation_are_read_and_checked() {
        let c = Config::parse("c.toml", "backend = \"linuxkms\"\nrotation = 90\n").unwrap();
        assert_eq!(c.backend, Backend::Linuxkms);
        assert_eq!(c.rotation, 90);
        let e = Config::parse("c.toml", "rotation = 45\nbackend = \"x11\"\n").unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e.iter().any(|e| e.reason.contains("0, 90, 180 or 270")));
        assert!(e.iter().any(|e| e.field.as_deref() == Some("backend")));
    }

    #[test]
    fn retention_and_data_dir_are_read_and_checked() {
        let c = Config::parse("c.toml", "round_direction = \"anticlockwise\"\n").unwrap();
        assert_eq!(c.round_direction, RoundDirection::Anticlockwise);
        let e = Config::parse("c.toml", "\nround_direction = \"left\"\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "c.toml:2: round_direction: unknown direction `left` (expected clockwise or anticlockwise)"
        );
        let c = Config::parse("c.toml", "retention_days = 0\ndata_dir = \"/srv/ik\"\n").unwrap();
        assert_eq!(c.retention_days, 0);
        assert_eq!(c.data_dir, Some(PathBuf::from("/srv/ik")));
        let e = Config::parse("c.toml", "\nretention_days = -3\n").unwrap_err();
        assert_eq!(e[0].line, Some(2));
        assert_eq!(e[0].field.as_deref(), Some("retention_days"));
    }

    #[test]
    fn dimming_options_are_read_and_checked() {
        let c = Config::parse(
            "c.toml",
            "dim_after_minutes = 0\ndim_brightness = 25\nbacklight = \"none\"\n",
        )
        .unwrap();
        assert_eq!(c.dim_after_minutes, 0);
        assert_eq!(c.dim_brightness, 25);
        assert_eq!(c.backlight, BacklightChoice::None);
        let c = Config::parse("c.toml", "backlight = \"/sys/class/backlight/10-0045\"\n").unwrap();
        assert_eq!(
            c.backlight,
            BacklightChoice::Path(PathBuf::from("/sys/class/backlight/10-0045"))
        );
        let e = Config::parse(
            "c.toml",
            "dim_after_minutes = -1\ndim_brightness = 101\nbacklight = \"bright\"\n",
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["dim_after_minutes", "dim_brightness", "backlight"]);
        assert_eq!(e[1].line, Some(2));
        assert!(e[2].reason.contains("/sys/class/backlight/NAME"));
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(Config::parse("c.toml", "").unwrap(), Config::default());
    }

    #[test]
    fn the_example_config_is_valid() {
        let text = include_str!("../../deploy/config.example.toml");
        let config = Config::parse("deploy/config.example.toml", text).unwrap();
        assert_eq!(config.language, Lang::Nl);
    }

    #[test]
    fn reads_every_option() {
        let c = Config::parse(
            "c.toml",
            "room_name = \"Kamer 2\"\nlanguage = \"en\"\ndefault_members = 8\ndefault_minutes = 120\nmethods_dir = \"/srv/m\"\nrebudget = false\n",
        )
        .unwrap();
        assert_eq!(c.room_name, "Kamer 2");
        assert_eq!(c.language, Lang::En);
        assert_eq!(c.default_members, 8);
        assert_eq!(c.default_minutes, 120);
        assert_eq!(c.methods_dir, Some(PathBuf::from("/srv/m")));
        assert!(!c.rebudget);
    }

    #[test]
    fn every_number_out_of_range_says_what_is_allowed() {
        let text = "default_minutes = 5\nretention_days = -1\ndim_after_minutes = 100000\n\
                    dim_brightness = 101\nbrightness = 0\n[buttons]\nlong_press_ms = 10\n";
        let errors: Vec<String> = Config::parse("c.toml", text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            errors,
            [
                "c.toml:1: default_minutes: must be 15 to 480, got 5".to_string(),
                format!(
                    "c.toml:2: retention_days: must be 0 (wipe after every meeting) to \
                     {MAX_RETENTION_DAYS}, got -1"
                ),
                format!(
                    "c.toml:3: dim_after_minutes: must be 0 (never dim) to \
                     {MAX_DIM_AFTER_MINUTES}, got 100000"
                ),
                "c.toml:4: dim_brightness: must be 0 to 100 (percent of full brightness), got 101"
                    .to_string(),
                "c.toml:5: brightness: must be 1 to 100 (percent of full brightness), got 0"
                    .to_string(),
                "c.toml:7: buttons.long_press_ms: must be 400 to 3000 ms, got 10".to_string(),
            ]
        );
    }

    #[test]
    fn bad_values_name_line_and_option() {
        let errors =
            Config::parse("c.toml", "language = \"de\"\n\ndefault_members = 40\n").unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "c.toml:1: language: unknown language `de` (expected `nl` or `en`)",
                "c.toml:3: default_members: must be 3 to 12, got 40",
            ]
        );
    }

    #[test]
    fn buttons_are_read_and_checked() {
        let c = Config::parse(
            "c.toml",
            "[buttons]\nnext_pin = 5\npause_pin = 6\nled_pin = 13\nbuzzer_pin = 19\nbuzzer = true\ndebounce_ms = 30\nlong_press_ms = 800\n",
        )
        .unwrap();
        assert_eq!(
            (
                c.buttons.next_pin,
                c.buttons.pause_pin,
                c.buttons.led_pin,
                c.buttons.buzzer_pin
            ),
            (5, 6, Some(13), Some(19))
        );
        assert!(c.buttons.buzzer);
        assert_eq!(c.buttons.timing.debounce, 30);
        assert_eq!(c.buttons.timing.long_press, 800);

        let errors = Config::parse(
            "c.toml",
            "[buttons]\nnext_pin = 40\nled_pin = 27\ndebounce_ms = 500\n",
        )
        .unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "c.toml:2: buttons.next_pin: must be a BCM pin number from 2 to 27, got 40",
                "c.toml:3: buttons.led_pin: pin 27 is already used by buttons.pause_pin",
                "c.toml:4: buttons.debounce_ms: must be 5 to 100 ms, got 500",
            ]
        );
    }

    /// Issue 15, 6: the clash was said on the line of the first pin, under the second's name.
    #[test]
    fn a_pin_used_twice_is_said_where_it_is_written_the_second_time() {
        let e = Config::parse("c.toml", "[buttons]\nnext_pin = 5\npause_pin = 5\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "c.toml:3: buttons.pause_pin: pin 5 is already used by buttons.next_pin"
        );
        let e = Config::parse("c.toml", "[buttons]\nnext_pin = 27\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "c.toml:2: buttons.next_pin: pin 27 is already used by buttons.pause_pin (its default)"
        );
    }

    #[test]
    fn unknown_option_is_an_error() {
        let e = Config::parse("c.toml", "room = \"x\"\n").unwrap_err();
        assert_eq!(e[0].line, Some(1));
        assert!(e[0].reason.contains("unknown field `room`"), "{}", e[0]);
    }

    #[test]
    fn explicit_missing_file_is_an_error() {
        let e = Config::load(Some(Path::new("/nonexistent/intervisie.toml"))).unwrap_err();
        assert!(
            e[0].to_string()
                .starts_with("/nonexistent/intervisie.toml: cannot read")
        );
    }
}
