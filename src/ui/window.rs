//! The Slint window and its globals, as generated from `ui/app-window.slint` at build time.

slint::include_modules!();
