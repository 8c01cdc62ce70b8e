//! The command line: what IT and developers can do without the screen.

mod args;
mod as_service;
mod buttons;
mod card;
mod context;
mod doctor;
mod headless;
pub use headless::intent_for;
mod methods;
mod plan;
pub mod script;
mod simulate;
mod store;

pub use args::Cli;

use crate::app::kiosk::Kiosk;
use crate::config::screen::{Backend, Renderer};
use crate::ui::ScreenOptions;
use anyhow::Result;
use args::{ButtonsCommand, Command, MethodsCommand};
use context::{Context, store_options};

/// Runs the command line; the returned code is the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    // Before the config is read: the card's settings may be what mends a broken one.
    if let Some(Command::ImportConfig { file, to }) = &cli.command {
        return card::import(file, to, cli.data_dir.as_deref());
    }
    let ctx = Context::load(&cli)?;
    let Some(command) = &cli.command else {
        return screen(&cli, ctx, None);
    };
    let dir = || store_options(&cli, &ctx).dir;
    match command {
        Command::Methods(MethodsCommand::List { json }) => methods::list(&ctx, *json),
        Command::Methods(MethodsCommand::Show {
            id,
            members,
            minutes,
            rounds,
        }) => methods::show(&ctx, id, *members, *minutes, *rounds),
        Command::Methods(MethodsCommand::Check { dir }) => methods::check(dir),
        Command::Plan(args) => plan::run(&ctx, args),
        Command::Simulate(args) => simulate::run(&ctx, args),
        Command::Buttons(ButtonsCommand::Test { seconds }) => buttons::test(&ctx, *seconds),
        Command::Run(args) if args.headless => {
            let options = store_options(&cli, &ctx);
            headless::run(ctx, args, options)
        }
        Command::Run(args) => {
            let start = args.setup(&ctx.config, &ctx.library)?;
            screen(&cli, ctx, start)
        }
        Command::Status { json } => store::status(&ctx, &dir(), *json),
        Command::Wipe { all, yes } => store::wipe(&dir(), *all, *yes),
        Command::SetPin { clear } => store::set_pin(&dir(), *clear),
        Command::ImportConfig { .. } => unreachable!("taken before the config is read"),
        Command::Doctor { here: false } if as_service::available() => {
            println!(
                "checking as the service runs: user intervisie-kiosk, inside the sandbox of {} \
                 (doctor --here checks as yourself)",
                as_service::INSTALLED_UNIT
            );
            use std::io::Write as _;
            std::io::stdout().flush()?;
            let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
            args.push("--here".into());
            as_service::rerun(&args)
        }
        Command::Doctor { .. } => doctor::run(&ctx, &dir()),
        Command::ProbeOpengl => crate::ui::gl_probe::child(match cli.backend {
            Some(Backend::Winit) => "winit",
            _ => "linuxkms",
        }),
    }
}

/// Opens the kiosk screen. If FemtoVG cannot get OpenGL, starts again with the software renderer.
fn screen(cli: &Cli, ctx: Context, start: Option<crate::app::setup::Setup>) -> Result<i32> {
    let mut options = ScreenOptions {
        fullscreen: cli.fullscreen || ctx.config.fullscreen,
        renderer: cli.renderer.unwrap_or(ctx.config.renderer),
        backend: cli.backend.unwrap_or(ctx.config.backend),
        size: cli.window_size,
        start,
    };
    if ctx.config.rotation != 0 && std::env::var_os("SLINT_KMS_ROTATION").is_none() {
        // SAFETY: no other thread runs yet (the store thread and Slint's start later), so
        // nothing reads the environment while it changes.
        unsafe { std::env::set_var("SLINT_KMS_ROTATION", ctx.config.rotation.to_string()) };
    }
    crate::ui::settle_renderer(&mut options);
    let store = store_options(cli, &ctx);
    let mut config = ctx.config;
    config.language = ctx.lang;
    let kiosk = Kiosk::new(ctx.library, config);
    match crate::ui::run(kiosk, &options, Some(store)) {
        Ok(()) => Ok(0),
        Err(e) if options.renderer == Renderer::Auto && !e.is::<crate::ui::NoDisplay>() => {
            if e.is::<crate::ui::SoftwareOpenGl>() {
                tracing::info!("{e:#}; the software renderer is cheaper, starting again with it");
            } else {
                tracing::warn!(
                    "FemtoVG is not available ({e:#}); starting again with the software renderer"
                );
            }
            use std::os::unix::process::CommandExt;
            let error = std::process::Command::new(std::env::current_exe()?)
                .args(std::env::args_os().skip(1))
                .args(["--renderer", "software"])
                .exec();
            Err(error.into())
        }
        Err(e) => Err(e),
    }
}
