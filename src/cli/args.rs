//! The command line as it is typed: the commands, their options and what each means.

use crate::app::setup::{Length, Setup};
use crate::config::Config;
use crate::config::screen::{Backend, Renderer};
use crate::domain::library::Library;
use crate::domain::text::Lang;
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "intervisie-kiosk",
    version,
    about = "A room appliance that guides a group through an intervisie meeting."
)]
pub struct Cli {
    /// Configuration file (default: /etc/intervisie-kiosk/config.toml when it exists).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Language of the output: nl or en (default: from the config, else nl).
    #[arg(long, global = true, value_name = "nl|en")]
    pub lang: Option<Lang>,

    /// Full screen (default: from the config, else a window).
    #[arg(long, global = true)]
    pub fullscreen: bool,

    /// How to draw the screen (default: from the config, else auto).
    #[arg(long, global = true, value_enum)]
    pub renderer: Option<Renderer>,

    /// Where to draw: auto (a window on a desktop, else the bare display), winit or linuxkms
    /// (default: from the config, else auto).
    #[arg(long, global = true, value_enum)]
    pub backend: Option<Backend>,

    /// Where sessions are kept (default: the config's data_dir, $STATE_DIRECTORY under systemd,
    /// /var/lib/intervisie-kiosk when writable, else ~/.local/share/intervisie-kiosk).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Window size in pixels, e.g. 800x480 (ignored in full screen).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub window_size: Option<(u32, u32)>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List, show and check intervisie methods.
    #[command(subcommand)]
    Methods(MethodsCommand),
    /// Print the budgeted schedule of a meeting with clock times.
    Plan(PlanArgs),
    /// Replay a script of timed actions and print what the screen would show after each.
    Simulate(SimulateArgs),
    /// The GPIO push buttons, for checking the wiring.
    #[command(subcommand)]
    Buttons(ButtonsCommand),
    /// The kiosk: with a window (the default without a command), or --headless.
    Run(RunArgs),
    /// Facts about the kept sessions (no content): data directory, schema, counts, the running
    /// meeting, the last wipe.
    Status {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Wipe kept sessions for good by destroying their key. Stop the kiosk first.
    Wipe {
        /// Every session (settings stay).
        #[arg(long)]
        all: bool,
        /// Do it without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Check what the kiosk needs here (display, input, buttons, data directory, config, clock)
    /// and say what to fix. Run by root where the package is installed, it checks as the
    /// service runs: as its user, inside its sandbox.
    Doctor {
        /// Check as the user running this command, outside the service's sandbox.
        #[arg(long)]
        here: bool,
    },
    /// Tries OpenGL for one frame and says what drew it (the screen runs this in a child
    /// process before it opens; see `ui::gl_probe`).
    #[command(hide = true)]
    ProbeOpengl,
    /// Set the PIN (4 to 8 digits, read from standard input) for history, settings and wiping.
    SetPin {
        /// Remove the PIN instead.
        #[arg(long)]
        clear: bool,
    },
    /// Take the settings put on the SD card's boot partition (the config's options plus a
    /// `pin` line): check them, write them to the config without the PIN, keep the PIN only as
    /// a hash, and erase FILE. When anything in FILE is wrong nothing changes, and the errors are
    /// also written beside it, in intervisie-kiosk-error.txt. Run at boot by
    /// intervisie-kiosk-card.service.
    ImportConfig {
        /// The plain settings, e.g. /boot/firmware/intervisie-kiosk.toml.
        file: PathBuf,
        /// The config file to write.
        #[arg(long, default_value = crate::config::SYSTEM_CONFIG)]
        to: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Without a window: one action a line on standard input (next, back, pause, resume,
    /// add-minute, ..., question TEXT, rate N, finish, forget), one JSON view a line out.
    #[arg(long)]
    pub headless: bool,
    /// Method of each case: starts a meeting at once (with a window: unless one is resumed;
    /// headless: when there is none to resume).
    #[arg(long = "method", value_name = "ID")]
    pub methods: Vec<String>,
    /// Group size (3 to 12; default from the config).
    #[arg(long)]
    pub members: Option<u8>,
    /// Meeting length in minutes (default from the config).
    #[arg(long)]
    pub minutes: Option<u32>,
}

impl RunArgs {
    /// The meeting `--method` asks for, with the config's defaults for what is not given; an
    /// error names a method the library does not have.
    pub fn setup(&self, config: &Config, library: &Library) -> Result<Option<Setup>> {
        let Some(first) = self.methods.first() else {
            return Ok(None);
        };
        if let Some(unknown) = self.methods.iter().find(|id| library.get(id).is_none()) {
            anyhow::bail!(
                "unknown method `{unknown}` (known: {})",
                library.ids().join(", ")
            );
        }
        let mut setup = Setup::new(
            first,
            self.members.unwrap_or(config.default_members),
            self.minutes.unwrap_or(config.default_minutes),
        );
        setup.cases = self.methods.clone();
        setup.length = Length::Minutes(setup.minutes);
        Ok(Some(setup))
    }
}

#[derive(Subcommand, Debug)]
pub enum ButtonsCommand {
    /// Print every press and gesture as it happens, and light the LED; Ctrl-C ends it.
    Test {
        /// Stop after this many seconds.
        #[arg(long)]
        seconds: Option<u64>,
    },
}

#[derive(Subcommand, Debug)]
pub enum MethodsCommand {
    /// One line per method: id, name, phases, default length.
    List {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// The phases of one method, budgeted for a group and a length.
    Show {
        /// Method id, e.g. `incident`.
        id: String,
        /// Group size (3 to 12; default from the config).
        #[arg(long)]
        members: Option<u8>,
        /// Length of the case in minutes (default: the method's default).
        #[arg(long)]
        minutes: Option<u32>,
        /// Rounds of the repeatable block, for methods that have one.
        #[arg(long)]
        rounds: Option<u8>,
    },
    /// Validate the method files (*.toml) in a directory; exits non-zero listing every error.
    Check { dir: PathBuf },
}

/// What a meeting is: its cases, the group and the target.
#[derive(Args, Debug, Clone)]
pub struct MeetingArgs {
    /// Method of each case; repeat for a second case (e.g. --method vijf-stappen --method vijf-stappen).
    #[arg(long = "method", value_name = "ID", required = true)]
    pub methods: Vec<String>,
    /// Group size (3 to 12; default from the config).
    #[arg(long)]
    pub members: Option<u8>,
    /// Meeting length in minutes (default from the config).
    #[arg(long, conflicts_with = "end")]
    pub minutes: Option<u32>,
    /// End time of the meeting, HH:MM.
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub end: Option<chrono::NaiveTime>,
    /// Start time, HH:MM (default: now).
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub start: Option<chrono::NaiveTime>,
    /// Rounds of the repeatable block (Socratic method), for every case that has one.
    #[arg(long)]
    pub rounds: Option<u8>,
    /// Keep every budget as planned, even when the meeting runs over.
    #[arg(long)]
    pub no_rebudget: bool,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub meeting: MeetingArgs,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    pub meeting: MeetingArgs,
    /// Script file (`-` for standard input): lines of `SECONDS ACTION`.
    pub script: PathBuf,
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let (w, h) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{s}` is not a size like 800x480"))?;
    match (w.parse(), h.parse()) {
        (Ok(w), Ok(h)) if (200..=8000).contains(&w) && (200..=8000).contains(&h) => Ok((w, h)),
        _ => Err(format!("`{s}` is not a size like 800x480")),
    }
}

fn parse_clock(s: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| format!("`{s}` is not a time like 14:30"))
}
