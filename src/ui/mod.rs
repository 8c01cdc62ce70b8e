//! The kiosk screen: the Slint window, the adapters that fill its globals from the kiosk's state,
//! and the choice of backend and renderer.

mod buttons;
pub mod controller;
pub mod gl_probe;
mod history;
pub mod home;
pub mod keys;
mod mailbox;
mod meeting;
mod models;
mod resume;
mod setup;
mod sink;
mod summary;
mod window;

pub use window::*;

use crate::app::kiosk::Kiosk;
use crate::config::screen::{Backend, Renderer};
use crate::time_source::SystemClock;
use anyhow::{Context as _, Result};
use controller::Controller;

/// Slint's name for a renderer.
fn slint_renderer_name(renderer: Renderer) -> &'static str {
    match renderer {
        Renderer::Auto | Renderer::Femtovg => "femtovg",
        Renderer::Software => "software",
    }
}

#[derive(Clone, Debug)]
pub struct ScreenOptions {
    pub fullscreen: bool,
    pub renderer: Renderer,
    pub backend: Backend,
    pub size: Option<(u32, u32)>,
    /// A meeting to start at once (`run --method`), instead of the home page.
    pub start: Option<crate::app::setup::Setup>,
}

/// Whether this build can draw on the bare display.
pub const HAS_LINUXKMS: bool = cfg!(feature = "kms");

fn has_desktop() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// The backend `choice` comes to here: Slint's name for it, or why there is none.
pub fn backend_name(choice: Backend, desktop: bool, has_kms: bool) -> Result<&'static str> {
    match choice {
        Backend::Winit | Backend::Auto if desktop => Ok("winit"),
        Backend::Linuxkms | Backend::Auto if has_kms => Ok("linuxkms"),
        Backend::Linuxkms => anyhow::bail!(
            "this build cannot draw on the bare display: it was built without the `kms` feature"
        ),
        Backend::Winit | Backend::Auto => Err(NoDisplay.into()),
    }
}

/// There is no display to open a window on; another renderer would not help.
#[derive(Debug)]
pub struct NoDisplay;

impl std::fmt::Display for NoDisplay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if HAS_LINUXKMS {
            "cannot open the screen: no display (neither DISPLAY nor WAYLAND_DISPLAY is set)"
        } else {
            "cannot open the screen: no display (neither DISPLAY nor WAYLAND_DISPLAY is set, and \
             this build has no bare-display backend; build with --features kms)"
        })
    }
}

impl std::error::Error for NoDisplay {}

/// On the bare display, `auto` and `femtovg` are settled before the screen opens, by trying
/// OpenGL in a child process (see `gl_probe`): a driver that crashes must not take the kiosk
/// with it. On a desktop the window finds out for itself (`watch_rendering`).
pub fn settle_renderer(options: &mut ScreenOptions) {
    if options.renderer == Renderer::Software {
        return;
    }
    let Ok("linuxkms") = backend_name(options.backend, has_desktop(), HAS_LINUXKMS) else {
        return;
    };
    let choice = gl_probe::choose(
        options.renderer,
        &gl_probe::run_child("linuxkms"),
        gl_probe::write_execute_allowed(),
    );
    if choice.warn {
        tracing::warn!("{}", choice.message);
    } else {
        tracing::info!("{}", choice.message);
    }
    options.renderer = choice.renderer;
}

/// Opens the window and runs until it is closed.
pub fn run(
    kiosk: Kiosk,
    options: &ScreenOptions,
    store: Option<crate::store::worker::StoreOptions>,
) -> Result<()> {
    // Said plainly here, because winit's own words for a missing display come after a
    // renderer's name and would send IT looking at the graphics driver.
    let backend = backend_name(options.backend, has_desktop(), HAS_LINUXKMS)?;
    slint::BackendSelector::new()
        .backend_name(backend.into())
        .renderer_name(slint_renderer_name(options.renderer).into())
        .select()
        .with_context(|| {
            format!(
                "cannot open the screen ({backend}) with the {} renderer",
                slint_renderer_name(options.renderer)
            )
        })?;
    tracing::info!(
        "screen: {backend} with the {} renderer",
        slint_renderer_name(options.renderer)
    );
    if backend == "linuxkms" {
        crate::device_files::log_input_access();
    }
    let window = AppWindow::new().context("cannot open the screen")?;
    if let Some((w, h)) = options.size {
        window
            .window()
            .set_size(slint::LogicalSize::new(w as f32, h as f32));
    }
    window.window().set_fullscreen(options.fullscreen);
    let gl_is_software = watch_rendering(&window, options.renderer);
    let clock = SystemClock::new();
    let mono = clock.mono();
    let buttons = kiosk.config().buttons.clone();
    let backlight = crate::backlight::from_config(kiosk.config());
    let controller = Controller::attach(&window, kiosk, Box::new(clock));
    match backlight {
        Ok(Some(light)) => controller.attach_backlight(Box::new(light)),
        Ok(None) => tracing::info!("no backlight to dim: the picture is darkened instead"),
        Err(e) => tracing::warn!("backlight not used, the picture is darkened instead: {e}"),
    }
    mailbox::register(&controller);
    if let Some(setup) = options.start.clone() {
        controller.start_meeting(setup);
    }
    if let Some(options) = store {
        let handle = crate::store::worker::spawn(options, |report| {
            // Fails only when the event loop has ended; nothing to tell then.
            let _ = slint::invoke_from_event_loop(move || {
                mailbox::with_controller(|c| c.store_report(report))
            });
        });
        controller.attach_store(handle);
    }
    mailbox::start_buttons(&controller, &buttons, mono);
    let _systemd = tell_systemd(format!(
        "showing the screen: {backend} with the {} renderer",
        slint_renderer_name(options.renderer)
    ));
    window
        .run()
        .context("cannot open the screen (is there a display?)")?;
    if let Some(name) = gl_is_software.borrow_mut().take() {
        return Err(SoftwareOpenGl(name).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_follows_the_choice_and_what_is_there() {
        let name = |c, desktop, kms| backend_name(c, desktop, kms).map_err(|e| e.to_string());
        assert_eq!(name(Backend::Auto, true, true), Ok("winit"));
        assert_eq!(name(Backend::Auto, false, true), Ok("linuxkms"));
        assert!(
            name(Backend::Auto, false, false)
                .unwrap_err()
                .contains("no display")
        );
        assert_eq!(name(Backend::Linuxkms, true, true), Ok("linuxkms"));
        assert!(
            name(Backend::Linuxkms, true, false)
                .unwrap_err()
                .contains("kms")
        );
        assert!(
            name(Backend::Winit, false, true)
                .unwrap_err()
                .contains("no display")
        );
    }
}

/// Under systemd: "ready" once the event loop runs, then watchdog pings from the event loop
/// itself. The returned timer must live as long as the window.
fn tell_systemd(status: String) -> Option<slint::Timer> {
    let notifier = std::rc::Rc::new(crate::service::Notifier::from_env());
    if !notifier.is_active() {
        return None;
    }
    let ready = notifier.clone();
    slint::Timer::single_shot(std::time::Duration::ZERO, move || ready.ready(&status));
    let every = notifier.ping_every()?;
    tracing::info!("watchdog: pinging systemd every {} ms", every.as_millis());
    let timer = slint::Timer::default();
    timer.start(slint::TimerMode::Repeated, every, move || notifier.ping());
    Some(timer)
}

/// OpenGL is there but drawn by the CPU (Mesa's llvmpipe on a machine without a GPU): FemtoVG
/// then costs many times what the software renderer does for the same screen.
#[derive(Debug)]
pub struct SoftwareOpenGl(pub String);

impl std::fmt::Display for SoftwareOpenGl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OpenGL is drawn in software here ({})", self.0)
    }
}

impl std::error::Error for SoftwareOpenGl {}

/// Logs the first frame (for start-up measurements) and, with the `auto` renderer, stops
/// the event loop when OpenGL turns out to be software, so the caller can start again with
/// the software renderer. Returns where that finding is left.
fn watch_rendering(
    window: &AppWindow,
    renderer: Renderer,
) -> std::rc::Rc<std::cell::RefCell<Option<String>>> {
    let found = std::rc::Rc::new(std::cell::RefCell::new(None));
    let slot = found.clone();
    let started = std::time::Instant::now();
    let mut first_frame = true;
    let weak = window.as_weak();
    let result = window
        .window()
        .set_rendering_notifier(move |state, api| match state {
            slint::RenderingState::RenderingSetup if renderer == Renderer::Auto => {
                if let Some(name) = gl_probe::gl_renderer_name(api) {
                    tracing::debug!("OpenGL renderer: {name}");
                    if gl_probe::is_software_gl(&name) {
                        *slot.borrow_mut() = Some(name);
                        if let Some(window) = weak.upgrade() {
                            let _ = window.window().hide();
                        }
                        let _ = slint::quit_event_loop();
                    }
                }
            }
            slint::RenderingState::AfterRendering if first_frame => {
                first_frame = false;
                tracing::info!("first frame after {} ms", started.elapsed().as_millis());
            }
            _ => {}
        });
    if let Err(e) = result {
        // The software renderer has no notifier; nothing to watch there.
        tracing::debug!("no rendering notifier: {e}");
    }
    found
}
