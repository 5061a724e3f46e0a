//! The `localpost` binary: the desktop app, or a subcommand on the data folder.

use std::process::ExitCode;

use clap::Parser as _;
use localpost::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(code) = cli::run(&cli) {
        return code;
    }
    println!("Localpost would open its window on the data folder {}", cli.data_dir().display());
    ExitCode::SUCCESS
}
