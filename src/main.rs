//! Entry point: parse the command line, run, and turn the outcome into an exit code.

use clap::Parser;
use intervisie_kiosk::cli::{Cli, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    init_logging();
    match run(Cli::parse()) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to the journal (with priorities) when systemd connected standard error to it, else to
/// standard error.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        // Our own news at info; winit's complaints about virtual displays are noise.
        .unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new("warn,intervisie_kiosk=info,winit=error")
        });
    if stderr_is_the_journal() {
        match tracing_journald::layer() {
            Ok(journal) => {
                tracing_subscriber::registry()
                    .with(filter)
                    .with(journal.with_syslog_identifier("intervisie-kiosk".into()))
                    .init();
                return;
            }
            Err(e) => eprintln!("cannot log to the journal ({e}); logging to standard error"),
        }
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .without_time()
        .with_target(false)
        // Colour codes only for a person at a terminal, not in files and pipes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// systemd sets `JOURNAL_STREAM` to the device and inode of the journal stream it connected.
fn stderr_is_the_journal() -> bool {
    use std::os::unix::fs::MetadataExt;
    let Some((dev, ino)) = std::env::var("JOURNAL_STREAM").ok().and_then(|s| {
        s.split_once(':')
            .map(|(d, i)| (d.to_string(), i.to_string()))
    }) else {
        return false;
    };
    std::fs::metadata("/proc/self/fd/2")
        .is_ok_and(|m| dev.parse() == Ok(m.dev()) && ino.parse() == Ok(m.ino()))
}

/// `intervisie-kiosk methods list | head` closes our standard output early; `println!` then
/// panics. Like other command-line tools, stop quietly instead of printing a panic.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}
