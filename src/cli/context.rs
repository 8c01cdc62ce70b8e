//! What every command starts from: the config, the method library and the language, and where
//! the sessions are kept.

use super::args::Cli;
use crate::config::Config;
use crate::domain::library::Library;
use crate::domain::text::Lang;
use crate::methods_dir::read_method_files;
use crate::store::dir::data_dir;
use crate::store::worker::StoreOptions;
use anyhow::{Result, bail};

/// What every command needs: the config and the method library.
pub struct Context {
    pub config: Config,
    pub library: Library,
    pub lang: Lang,
}

impl Context {
    pub fn load(cli: &Cli) -> Result<Context> {
        let config = match Config::load(cli.config.as_deref()) {
            Ok(config) => config,
            Err(errors) => {
                for e in &errors {
                    eprintln!("error: {e}");
                }
                bail!("the configuration has {} error(s)", errors.len());
            }
        };
        let mut library = Library::built_in();
        if let Some(dir) = &config.methods_dir {
            let (files, read_errors) = read_method_files(dir);
            let (with_extra, errors) = library.with_extra(files);
            library = with_extra;
            for e in read_errors.iter().chain(&errors) {
                tracing::warn!("skipped a method file: {e}");
            }
        }
        let lang = cli.lang.unwrap_or(config.language);
        Ok(Context {
            config,
            library,
            lang,
        })
    }
}

/// Where the store is kept, and for how long.
pub fn store_options(cli: &Cli, ctx: &Context) -> StoreOptions {
    StoreOptions {
        dir: data_dir(cli.data_dir.as_deref().or(ctx.config.data_dir.as_deref())),
        retention_days: ctx.config.retention_days,
        wipe_retry: crate::store::worker::WIPE_RETRY,
    }
}
