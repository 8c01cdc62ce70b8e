//! Whether OpenGL works on the bare display, tried before the screen opens.
//!
//! A graphics driver can kill the process that uses it. Mesa's llvmpipe (OpenGL on the CPU)
//! compiles each new shader into memory that is written and then run, which the service's
//! `MemoryDenyWriteExecute=yes` forbids: the kiosk dies with SIGSEGV at the first frame that
//! needs a new shader, seconds after it started, and systemd restarts it into the same crash.
//! So two things are asked before FemtoVG is chosen: does a child process draw a frame (a driver
//! that crashes takes only the child), and, where OpenGL runs on the CPU, may this process make
//! such memory at all. Otherwise the kiosk draws with its software renderer.

use crate::config::screen::Renderer;
use std::io::Read as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What the child found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// OpenGL drew a frame; `GL_RENDERER` says by what.
    Drew(String),
    /// It did not: why, in words for the log.
    Failed(String),
}

/// The renderer to draw with after the probe, and what to tell the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub renderer: Renderer,
    pub message: String,
    /// A warning rather than news: OpenGL was expected and is broken.
    pub warn: bool,
}

/// OpenGL drawn by the CPU rather than a GPU: as slow as, and far hungrier than, the software
/// renderer.
pub fn is_software_gl(name: &str) -> bool {
    let lower = name.to_lowercase();
    ["llvmpipe", "softpipe", "swiftshader", "software"]
        .iter()
        .any(|s| lower.contains(s))
}

/// Whether this process may map memory that is both written and run, as a JIT compiler does.
/// Under systemd's `MemoryDenyWriteExecute=yes` the kernel refuses it (a seccomp filter).
pub fn write_execute_allowed() -> bool {
    let page = 4096;
    // SAFETY: an anonymous private mapping of one page, not used and unmapped at once.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        if p == libc::MAP_FAILED {
            return false;
        }
        libc::munmap(p, page);
        true
    }
}

/// `requested` is `Auto` or `Femtovg`: whether to draw with FemtoVG after what the probe found,
/// and whether memory may be written and then run here. A broken OpenGL never stops the screen,
/// even when FemtoVG was asked for by name.
pub fn choose(requested: Renderer, probe: &Probe, write_execute: bool) -> Choice {
    let cpu_without_jit = Probe::Failed(
        "it runs on the CPU, and compiling its shaders needs memory that is written and then \
         run, which the service forbids (MemoryDenyWriteExecute)"
            .into(),
    );
    let probe = match probe {
        Probe::Drew(name) if is_software_gl(name) && !write_execute => &cpu_without_jit,
        other => other,
    };
    match probe {
        Probe::Drew(name) if requested == Renderer::Auto && is_software_gl(name) => Choice {
            renderer: Renderer::Software,
            message: format!(
                "OpenGL renderer: {name}, drawn by the CPU; the software renderer is cheaper"
            ),
            warn: false,
        },
        Probe::Drew(name) => Choice {
            renderer: Renderer::Femtovg,
            message: format!("OpenGL renderer: {name}; drawing with FemtoVG"),
            warn: false,
        },
        Probe::Failed(why) => Choice {
            renderer: Renderer::Software,
            message: format!(
                "OpenGL does not work here ({why}); drawing with the software renderer"
            ),
            warn: requested == Renderer::Femtovg,
        },
    }
}

/// How long the child may take for one frame (a Pi takes well under a second; an emulated
/// machine several).
const PATIENCE: Duration = Duration::from_secs(20);
const DREW: &str = "opengl-drew: ";

/// Starts this program as `probe-opengl` on `backend` and waits for what it finds.
pub fn run_child(backend: &str) -> Probe {
    let program = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => return Probe::Failed(format!("cannot find this program: {e}")),
    };
    let child = Command::new(program)
        .args(["--backend", backend, "probe-opengl"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        // Drivers talk on standard error; it is kept for when the probe fails, not logged.
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Probe::Failed(format!("cannot start the probe: {e}")),
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > PATIENCE => {
                let _ = child.kill();
                let _ = child.wait();
                return Probe::Failed(format!("no frame within {} s", PATIENCE.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Probe::Failed(format!("cannot wait for the probe: {e}")),
        }
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    outcome(status, &out, &err)
}

/// The probe's finding from how the child ended and what it said.
fn outcome(status: std::process::ExitStatus, out: &str, err: &str) -> Probe {
    use std::os::unix::process::ExitStatusExt;
    let drew = out.lines().find_map(|l| l.strip_prefix(DREW));
    let last_words = err.lines().map(str::trim).rfind(|l| !l.is_empty());
    match (status.success(), drew, status.signal()) {
        (true, Some(name), _) => Probe::Drew(name.trim().to_string()),
        (_, _, Some(signal)) => Probe::Failed(format!(
            "the driver crashed the probe with signal {signal}{}",
            if signal == 11 {
                " (SIGSEGV; Mesa's llvmpipe does this under MemoryDenyWriteExecute)"
            } else {
                ""
            }
        )),
        (_, _, None) => Probe::Failed(match last_words {
            Some(line) => format!("{line} (exit {})", status.code().unwrap_or(-1)),
            None => format!("the probe ended with exit {}", status.code().unwrap_or(-1)),
        }),
    }
}

// Not only a cleared screen: shapes that need shaders, as the kiosk's pages do. (No text: a
// Pi may have no fonts, and the kiosk's own font is embedded in its pages, not here.)
slint::slint! {
    export component ProbeWindow inherits Window {
        background: black;
        Rectangle {
            x: 10px; y: 10px; width: 40px; height: 40px;
            border-radius: 8px;
            background: @linear-gradient(90deg, #111 0%, #222 100%);
            drop-shadow-blur: 4px;
            drop-shadow-color: #000;
        }
    }
}

/// The child's side: one frame with FemtoVG on `backend`, then say what drew it. Exits 0 only
/// when a frame was drawn.
pub fn child(backend: &str) -> anyhow::Result<i32> {
    use slint::ComponentHandle as _;
    slint::BackendSelector::new()
        .backend_name(backend.into())
        .renderer_name("femtovg".into())
        .select()?;
    let window = ProbeWindow::new()?;
    let drew = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = drew.clone();
    let mut name = None;
    window
        .window()
        .set_rendering_notifier(move |state, api| match state {
            slint::RenderingState::RenderingSetup => {
                name = gl_renderer_name(api);
            }
            slint::RenderingState::AfterRendering => {
                println!("{DREW}{}", name.as_deref().unwrap_or("unknown"));
                seen.set(true);
                let _ = slint::quit_event_loop();
            }
            _ => {}
        })?;
    let give_up = slint::Timer::default();
    give_up.start(slint::TimerMode::SingleShot, PATIENCE, || {
        let _ = slint::quit_event_loop();
    });
    window.run()?;
    Ok(if drew.get() { 0 } else { 1 })
}

/// `GL_RENDERER` of the current OpenGL context, if the window draws with OpenGL.
pub fn gl_renderer_name(api: &slint::GraphicsAPI<'_>) -> Option<String> {
    let slint::GraphicsAPI::NativeOpenGL { get_proc_address } = api else {
        return None;
    };
    const GL_RENDERER: u32 = 0x1F01;
    let get_string = get_proc_address(c"glGetString");
    if get_string.is_null() {
        return None;
    }
    // SAFETY: glGetString has this signature in every OpenGL version, the context is current
    // during the notifier (Slint's promise), and the returned string is static per context.
    unsafe {
        let get_string: extern "C" fn(u32) -> *const std::ffi::c_char =
            std::mem::transmute(get_string);
        let name = get_string(GL_RENDERER);
        (!name.is_null()).then(|| {
            std::ffi::CStr::from_ptr(name)
                .to_string_lossy()
                .into_owned()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    #[test]
    fn a_gpu_is_used_and_cpu_drawn_opengl_only_when_asked_for_by_name() {
        let gpu = Probe::Drew("V3D 4.2".into());
        let cpu = Probe::Drew("llvmpipe (LLVM 15.0.6, 256 bits)".into());
        assert_eq!(
            choose(Renderer::Auto, &gpu, true).renderer,
            Renderer::Femtovg
        );
        assert_eq!(
            choose(Renderer::Femtovg, &gpu, true).renderer,
            Renderer::Femtovg
        );
        assert_eq!(
            choose(Renderer::Auto, &cpu, true).renderer,
            Renderer::Software
        );
        assert_eq!(
            choose(Renderer::Femtovg, &cpu, true).renderer,
            Renderer::Femtovg
        );
    }

    #[test]
    fn opengl_on_the_cpu_is_never_chosen_where_its_shaders_cannot_be_compiled() {
        // The crash loop seen under the shipped unit: llvmpipe drew the probe's first frame,
        // then killed the kiosk at the first new shader.
        let cpu = Probe::Drew("llvmpipe (LLVM 15.0.6, 256 bits)".into());
        let asked = choose(Renderer::Femtovg, &cpu, false);
        assert_eq!(asked.renderer, Renderer::Software);
        assert!(asked.warn && asked.message.contains("MemoryDenyWriteExecute"));
        assert_eq!(
            choose(Renderer::Auto, &cpu, false).renderer,
            Renderer::Software
        );
        // A GPU compiles for itself, not into the process's memory.
        let gpu = Probe::Drew("V3D 4.2".into());
        assert_eq!(
            choose(Renderer::Auto, &gpu, false).renderer,
            Renderer::Femtovg
        );
    }

    #[test]
    fn outside_a_sandbox_memory_may_be_written_and_run() {
        assert!(write_execute_allowed());
    }

    #[test]
    fn a_broken_opengl_falls_back_and_warns_only_when_it_was_asked_for() {
        let broken = Probe::Failed("no EGL display".into());
        let auto = choose(Renderer::Auto, &broken, true);
        assert_eq!(auto.renderer, Renderer::Software);
        assert!(!auto.warn);
        let asked = choose(Renderer::Femtovg, &broken, true);
        assert_eq!(asked.renderer, Renderer::Software);
        assert!(asked.warn && asked.message.contains("no EGL display"));
    }

    #[test]
    fn how_the_child_ended_becomes_the_finding() {
        let ok = std::process::ExitStatus::from_raw(0);
        let segv = std::process::ExitStatus::from_raw(11);
        let exit1 = std::process::ExitStatus::from_raw(1 << 8);
        assert_eq!(
            outcome(ok, "opengl-drew: V3D 4.2\n", ""),
            Probe::Drew("V3D 4.2".into())
        );
        let Probe::Failed(why) = outcome(segv, "", "MESA-LOADER: noise\n") else {
            panic!("a crash is a failure");
        };
        assert!(why.contains("signal 11") && why.contains("MemoryDenyWriteExecute"));
        assert_eq!(
            outcome(exit1, "", "error: cannot open the display\n\n"),
            Probe::Failed("error: cannot open the display (exit 1)".into())
        );
        assert!(
            matches!(outcome(ok, "", ""), Probe::Failed(_)),
            "no frame, no success"
        );
    }
}
