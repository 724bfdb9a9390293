//! `egovwatch`: one binary, one subcommand per job. It wires the crates together and holds no
//! business logic of its own.

mod cli;
mod demo;
mod gaps;
mod monitoring;
mod registry_io;
mod report;
mod synth;

use clap::Parser;

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
    match cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
