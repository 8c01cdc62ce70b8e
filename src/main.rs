//! Entry point: parse the command line, run, and turn the outcome into an exit code.

use clap::Parser;
use intervisie_kiosk::cli::{Cli, run};
use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                // Our own news at info; winit's complaints about virtual displays are noise.
                .unwrap_or_else(|_| {
                    tracing_subscriber::EnvFilter::new("warn,intervisie_kiosk=info,winit=error")
                }),
        )
        .without_time()
        .with_target(false)
        .init();
    match run(Cli::parse()) {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
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
