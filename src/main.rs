//! Entry point: parse the command line, run, and turn the outcome into an exit code.

use clap::Parser;
use intervisie_kiosk::cli::{Cli, run};
use std::process::ExitCode;

fn main() -> ExitCode {
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
