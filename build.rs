//! Compiles the Slint UI into Rust, with the Dutch translation bundled into the binary.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        // Element queries in the UI tests need debug info in the generated code.
        .with_debug_info(std::env::var("PROFILE").as_deref() != Ok("release"))
        .with_bundled_translations(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/translations"))
        // One translation per English string, whichever component shows it.
        .with_default_translation_context(slint_build::DefaultTranslationContext::None);
    slint_build::compile_with_config("ui/app-window.slint", config).expect("the UI compiles");
}
