//! The config's choices of how the screen is driven: the backend (a window or the bare display)
//! and the renderer. The screen itself (`ui`) turns them into Slint's names.

/// How to draw: FemtoVG (OpenGL) where a GPU is available, else the software renderer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Renderer {
    /// FemtoVG, falling back to software when OpenGL is not available.
    Auto,
    Femtovg,
    Software,
}

/// Where the screen goes: a window (winit, on X11 or Wayland) or the bare display (linuxkms).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// A window when a desktop is running, else the bare display (in builds that have it).
    Auto,
    Winit,
    Linuxkms,
}
