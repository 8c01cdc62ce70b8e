//! Compiles the Slint UI into Rust, with the Dutch translation bundled into the binary.

fn main() {
    // Read when the script runs, not when it is compiled: a checkout in another directory may
    // reuse a build script compiled elsewhere from the same shared target directory.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let config = slint_build::CompilerConfiguration::new()
        // Element queries in the UI tests need debug info in the generated code.
        .with_debug_info(std::env::var("PROFILE").as_deref() != Ok("release"))
        .with_bundled_translations(format!("{manifest_dir}/ui/translations"))
        // One translation per English string, whichever component shows it.
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    slint_build::compile_with_config("ui/app-window.slint", config).expect("the UI compiles");
}
