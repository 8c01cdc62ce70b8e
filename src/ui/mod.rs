//! The kiosk screen: the Slint window, the adapters that fill its globals from the kiosk's state,
//! and the choice of backend and renderer.

slint::include_modules!();

pub mod clock;
pub mod controller;
mod home;
mod meeting;
mod models;
mod setup;
mod summary;

use crate::app::kiosk::Kiosk;
use anyhow::{Context as _, Result};
use clock::SystemClock;
use controller::Controller;

/// How to draw: FemtoVG (OpenGL) where a GPU is available, else the software renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Renderer {
    /// FemtoVG, falling back to software when OpenGL is not available.
    Auto,
    Femtovg,
    Software,
}

impl Renderer {
    fn slint_name(self) -> &'static str {
        match self {
            Renderer::Auto | Renderer::Femtovg => "femtovg",
            Renderer::Software => "software",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ScreenOptions {
    pub fullscreen: bool,
    pub renderer: Renderer,
    pub size: Option<(u32, u32)>,
}

/// There is no display to open a window on; another renderer would not help.
#[derive(Debug)]
pub struct NoDisplay;

impl std::fmt::Display for NoDisplay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "cannot open the screen: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)",
        )
    }
}

impl std::error::Error for NoDisplay {}

/// Opens the window and runs until it is closed.
pub fn run(kiosk: Kiosk, options: &ScreenOptions) -> Result<()> {
    // Said plainly here, because winit's own words for it come after a renderer's name and
    // would send IT looking at the graphics driver.
    if ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .all(|name| std::env::var_os(name).is_none_or(|v| v.is_empty()))
    {
        return Err(NoDisplay.into());
    }
    slint::BackendSelector::new()
        .backend_name("winit".into())
        .renderer_name(options.renderer.slint_name().into())
        .select()
        .with_context(|| {
            format!(
                "cannot open the screen with the {} renderer",
                options.renderer.slint_name()
            )
        })?;
    let window = AppWindow::new().context("cannot open the screen")?;
    if let Some((w, h)) = options.size {
        window
            .window()
            .set_size(slint::LogicalSize::new(w as f32, h as f32));
    }
    window.window().set_fullscreen(options.fullscreen);
    let _controller = Controller::attach(&window, kiosk, Box::new(SystemClock::new()));
    window
        .run()
        .context("cannot open the screen (is there a display?)")?;
    Ok(())
}
