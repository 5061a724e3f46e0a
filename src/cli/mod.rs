//! The command line: `localpost` opens the app; subcommands work on the data folder from a
//! terminal or a script.

mod doctor;
mod export;
mod import;
mod ls;
pub mod out;
mod policy;
mod run;
mod send;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use self::out::{errln, outln};
use crate::storage;

/// `localpost --version`: the version, the git commit it was built from and the build date.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("LOCALPOST_COMMIT"),
    ", built ",
    env!("LOCALPOST_BUILD_DATE"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "localpost",
    version = VERSION,
    about = "A local-only API client. No account, no sync: your work stays in plain files on this computer."
)]
pub struct Cli {
    /// The data folder (default: the platform's data directory, e.g. ~/.local/share/localpost).
    #[arg(long, global = true, env = storage::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Start-up benchmark: exit after the first frame that shows the collection tree, printing
    /// `first_frame_ms=N`.
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,

    /// Start-up benchmark: like `--exit-after-first-frame`, but waits for the frame that shows
    /// the fully read workspace (every folder and request).
    #[arg(long, hide = true)]
    pub exit_after_full_load: bool,

    /// A file to import (a Postman, Insomnia, HAR, OpenAPI or cURL file, or a Localpost
    /// bundle): the window opens on its import preview.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the workspace tree: workspaces, collections, folders, requests and environments.
    Ls(ls::LsArgs),
    /// Check the data folder: every file parses, ids are unique, orders are consistent.
    Doctor,
    /// The organization policy: show the one in effect, or check a file before installing it.
    #[command(subcommand)]
    Policy(policy::PolicyCommand),
    /// Send a saved request and print the response (status, headers, body).
    Send(send::SendArgs),
    /// Run a collection or folder (or a Postman collection file with --import): assertions,
    /// captures, iterations, data files; reports for CI. Exit status 0 only when all passed.
    Run(run::RunArgs),
    /// Import files (a Localpost bundle, Postman, Insomnia, HAR, OpenAPI, cURL): preview, then write.
    Import(import::ImportArgs),
    /// Export a backup bundle, or a Postman collection or environment.
    Export(export::ExportArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to standard output.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output: `localpost man | man -l -`.
    #[command(hide = true)]
    Man,
    /// Developer tools (benchmarks and tests).
    #[command(hide = true, subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Write a generated sample workspace into the data folder.
    Sample {
        #[arg(long, default_value_t = 20)]
        collections: usize,
        #[arg(long, default_value_t = 500)]
        folders: usize,
        #[arg(long, default_value_t = 10_000)]
        requests: usize,
        #[arg(long, default_value = "Sample")]
        name: String,
    },
}

impl Cli {
    /// The data folder in effect: `--data-dir`, then `LOCALPOST_DATA_DIR`, then the default.
    /// An organization policy's fixed `data_dir` wins over both.
    pub fn data_dir(&self) -> PathBuf {
        crate::policy::EffectivePolicy::load_machine().data_dir().unwrap_or_else(|| self.user_data_dir())
    }

    /// The data folder the user asked for, before the policy has its say.
    pub fn user_data_dir(&self) -> PathBuf {
        self.data_dir.clone().unwrap_or_else(storage::default_data_dir)
    }
}

/// Opens the data folder for a command, creating it as the app's first start does (one
/// workspace, "My Workspace"), and says on standard error what a crash left that opening put
/// right.
pub(crate) fn open_store(data_dir: &std::path::Path) -> anyhow::Result<storage::Opened> {
    let opened = storage::Store::open(data_dir)?;
    report_repairs(&opened.report);
    Ok(opened)
}

/// Tells the user what opening the data folder put right (an interrupted import finished or
/// undone, leftover temp files removed).
pub(crate) fn report_repairs(report: &storage::LoadReport) {
    for repair in &report.repairs {
        errln!("localpost: {repair}");
    }
}

/// Runs a subcommand; `None` means no subcommand was given (the caller opens the app).
pub fn run(cli: &Cli) -> Option<ExitCode> {
    let command = cli.command.as_ref()?;
    // The machine's policy, read once: the data folder it may fix and every check below.
    let policy = std::sync::Arc::new(crate::policy::EffectivePolicy::load_machine());
    let data_dir = policy.data_dir().unwrap_or_else(|| cli.user_data_dir());
    let result = match command {
        Command::Ls(args) => ls::run(&data_dir, args),
        Command::Doctor => doctor::run(&data_dir),
        Command::Policy(command) => policy::run(command),
        Command::Send(args) => send::run(&data_dir, args, &policy),
        Command::Run(args) => run::run(&data_dir, args, &policy),
        Command::Import(args) => import::run(&data_dir, args, &policy),
        Command::Export(args) => export::run(&data_dir, args, &policy),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "localpost", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
            .render(&mut std::io::stdout())
            .map(|()| ExitCode::SUCCESS)
            .map_err(anyhow::Error::from),
        Command::Dev(DevCommand::Sample { collections, folders, requests, name }) => {
            let spec = storage::sample::SampleSpec {
                collections: *collections,
                folders: *folders,
                requests: *requests,
            };
            storage::sample::generate(&data_dir, name, spec)
                .map(|_| {
                    outln!("wrote {requests} requests into {}", data_dir.display());
                    ExitCode::SUCCESS
                })
                .map_err(anyhow::Error::from)
        }
    };
    Some(result.unwrap_or_else(|e| {
        if out::is_broken_pipe(&e) {
            // The reader stopped reading (`| head`): a quiet end, as ripgrep and Unix tools do.
            return ExitCode::SUCCESS;
        }
        errln!("localpost: {e:#}");
        ExitCode::FAILURE
    }))
}
