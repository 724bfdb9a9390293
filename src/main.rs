//! `egovwatch`: one binary, one subcommand per job. It wires the crates together and holds no
//! business logic of its own.

mod cli;
mod demo;
mod eu_benchmark;
mod gaps;
mod monitoring;
mod progress;
mod registry_io;
mod report;
mod synth;

use clap::Parser;

/// jemalloc instead of glibc's allocator: under many concurrent requests glibc's per-thread
/// arenas keep freed memory, and the server sat at three to four times its live heap
/// (bench/README.md, "Load"). Its settings are compiled in from `.cargo/config.toml`.
/// Windows (MSVC) keeps the system allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("EGOVWATCH_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("warn,egovwatch=info,egovwatch_web=info")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = cli::Cli::parse();
    // A command that prints stops quietly when its reader goes away (`compare | head`), as
    // other command-line tools do. The server keeps the runtime's default: a client that
    // hangs up is an error on that connection, not the end of the process.
    if !cli.command.serves() {
        sigpipe::reset();
    }
    match cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", say(&e));
            std::process::ExitCode::FAILURE
        }
    }
}

/// The error as the user reads it: a lost race with another writer in the locale's language
/// (it is what a user may meet in daily work and must act on), anything else as it is.
fn say(e: &anyhow::Error) -> String {
    use egovwatch_store::StoreError;
    let store = e.downcast_ref::<StoreError>().or(match e.downcast_ref() {
        Some(egovwatch_app::Error::Store(s)) => Some(s),
        _ => None,
    });
    match store {
        Some(StoreError::Conflict(c)) => {
            let lang = egovwatch_i18n::lang_from_locale(|v| std::env::var(v).ok());
            egovwatch_i18n::conflict(&egovwatch_i18n::Tr::new(lang), c)
        }
        _ => format!("{e:#}"),
    }
}
