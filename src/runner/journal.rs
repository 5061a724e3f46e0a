//! Results written as they come: each request's outcome is appended to a journal (one JSON line)
//! the moment it is known, so a run of any length holds only counters in memory. At the end the
//! journal is streamed into the run's RON file and into the reports.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::kept::{KeptReader, ResponseLog};
use crate::model::{KeptExchange, RequestOutcome, ResponseKept, RunResult};
use crate::storage::atomic::AtomicFile;
use crate::storage::{StoreError, runs};

/// Counts of a run so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests with an outcome (sent, or failed before sending).
    pub requests: u64,
    pub passed: u64,
    pub failed: u64,
    /// Requests that got no response (transport, variables, policy, bad data row).
    pub errors: u64,
    pub assertions: u64,
    pub assertions_failed: u64,
    /// Test cases as JUnit counts them: each assertion, or one per request without any.
    pub cases: u64,
    /// Sum of the requests' times.
    pub total_ms: u64,
    /// Tests a script skipped (counted in `assertions`, not failed).
    pub assertions_skipped: u64,
    /// Scripts run, and those that stopped on an error (newman's summary rows).
    pub pre_request_scripts: u64,
    pub pre_request_scripts_failed: u64,
    pub test_scripts: u64,
    pub test_scripts_failed: u64,
}

impl Tally {
    pub fn add(&mut self, o: &RequestOutcome) {
        self.requests += 1;
        if o.passed() {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        if o.error.is_some() {
            self.errors += 1;
        }
        self.assertions += o.assertions.len() as u64;
        self.cases += o.assertions.len().max(1) as u64;
        self.assertions_failed += o.assertions.iter().filter(|a| !a.passed).count() as u64;
        self.assertions_skipped += o.assertions.iter().filter(|a| a.skipped).count() as u64;
        self.pre_request_scripts += u64::from(o.scripts.pre_request);
        self.pre_request_scripts_failed += u64::from(o.scripts.pre_request_failed);
        self.test_scripts += u64::from(o.scripts.test);
        self.test_scripts_failed += u64::from(o.scripts.test_failed);
        self.total_ms = self.total_ms.saturating_add(o.time_ms);
    }

    pub fn of(run: &RunResult) -> Self {
        let mut t = Self::default();
        for o in &run.results {
            t.add(o);
        }
        t
    }

    /// Every request answered and every assertion held.
    pub fn all_passed(&self) -> bool {
        self.failed == 0
    }
}

/// The outcomes of a run, on disk, in a temp file without a name: it goes with the process
/// however that ends (a killed run leaves nothing behind).
pub struct Journal {
    file: File,
    writer: Option<BufWriter<File>>,
    /// The first write error; later appends are skipped and [`Self::finish`] reports it.
    error: Option<io::Error>,
    /// The responses the run keeps, when it keeps them (see [`super::kept`]).
    responses: Option<ResponseLog>,
}

impl Journal {
    /// A new journal in `dir` (the system's temporary folder when `None`).
    pub fn create(dir: Option<&Path>) -> io::Result<Self> {
        let file = match dir {
            Some(dir) => tempfile::tempfile_in(dir)?,
            None => tempfile::tempfile()?,
        };
        let writer = BufWriter::with_capacity(64 * 1024, file.try_clone()?);
        Ok(Self { file, writer: Some(writer), error: None, responses: None })
    }

    /// Starts keeping responses beside the outcomes; a reader of them for the window.
    pub fn keep_responses(&mut self) -> io::Result<KeptReader> {
        let log = ResponseLog::create()?;
        let reader = log.reader()?;
        self.responses = Some(log);
        Ok(reader)
    }

    /// Keeps one request's exchange (when the journal keeps responses): where it went.
    pub fn keep(&mut self, kept: &KeptExchange, passed: bool) -> ResponseKept {
        self.responses.as_mut().map_or(ResponseKept::No, |log| log.keep(kept, passed))
    }

    pub fn append(&mut self, outcome: &RequestOutcome) {
        if self.error.is_some() {
            return;
        }
        let Some(w) = self.writer.as_mut() else { return };
        let written = serde_json::to_writer(&mut *w, outcome)
            .map_err(io::Error::other)
            .and_then(|()| w.write_all(b"\n"));
        if let Err(e) = written {
            self.error = Some(e);
        }
    }

    /// Flushes; after this the journal can be read.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The outcomes in order, read one at a time. A line that does not parse is an error item.
    /// Each call reads from the start with its own position, so readers never disturb each other.
    pub fn outcomes(&self) -> io::Result<impl Iterator<Item = io::Result<RequestOutcome>> + use<>> {
        let reader = BufReader::with_capacity(64 * 1024, ReadFrom { file: self.file.try_clone()?, at: 0 });
        Ok(reader.lines().map(|line| line.and_then(|l| serde_json::from_str(&l).map_err(io::Error::other))))
    }

    /// Every outcome in memory (for a run small enough to show whole).
    pub fn read_all(&self) -> io::Result<Vec<RequestOutcome>> {
        self.outcomes()?.collect()
    }

    /// Writes the run's file under `ws_dir/runs/` (see [`runs::run_path`]): `run` gives every
    /// field but the results, which are streamed from the journal. Atomic: a failure leaves no
    /// partial file. The kept responses are written first, beside it
    /// ([`runs::responses_path`]), so that no result points into a file that is not there.
    pub fn save_run(&self, ws_dir: &Path, run: &RunResult) -> Result<PathBuf, StoreError> {
        let path = runs::run_path(ws_dir, run);
        let dir = path.parent().unwrap_or(ws_dir).to_owned();
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::write(&dir, e))?;
        if let Some(log) = self.responses.as_ref().filter(|l| !l.is_empty()) {
            let responses = runs::responses_path(ws_dir, run);
            log.copy_to(&responses).map_err(|e| StoreError::write(&responses, e))?;
        }
        let write = || -> io::Result<()> {
            let mut file = AtomicFile::create(&path, false)?;
            let mut w = BufWriter::with_capacity(64 * 1024, &mut file);
            write_run_ron(&mut w, run, self.outcomes()?)?;
            w.flush()?;
            drop(w);
            file.commit()
        };
        write().map_err(|e| StoreError::write(&path, e))?;
        Ok(path)
    }
}

/// Reads a file from its own position (positioned reads leave the file's shared offset, which
/// the journal's writer uses, alone).
pub(super) struct ReadFrom {
    file: File,
    at: u64,
}

impl ReadFrom {
    /// Reads `file` from its start.
    pub(super) fn new(file: File) -> Self {
        Self { file, at: 0 }
    }
}

impl io::Read for ReadFrom {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(&self.file, buf, self.at)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(&self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Writes `run` as its RON document with `outcomes` as its results, item by item; the text is
/// the same as [`crate::storage::document::to_text`] of the whole run.
pub fn write_run_ron(
    w: &mut impl Write,
    run: &RunResult,
    outcomes: impl Iterator<Item = io::Result<RequestOutcome>>,
) -> io::Result<()> {
    let mut head = run.clone();
    head.results.clear();
    let text = crate::storage::document::to_text(&head).map_err(io::Error::other)?;
    const EMPTY: &str = "\n        results: [],\n";
    let Some(at) = text.find(EMPTY) else {
        return Err(io::Error::other("the run's file layout is not the one expected"));
    };
    w.write_all(&text.as_bytes()[..at])?;
    let mut any = false;
    for outcome in outcomes {
        let outcome = outcome?;
        if !any {
            w.write_all(b"\n        results: [")?;
            any = true;
        }
        let item = crate::storage::document::to_pretty(&outcome).map_err(io::Error::other)?;
        w.write_all(b"\n")?;
        for (i, line) in item.lines().enumerate() {
            if i > 0 {
                w.write_all(b"\n")?;
            }
            w.write_all(b"            ")?;
            w.write_all(line.as_bytes())?;
        }
        w.write_all(b",")?;
    }
    if any {
        w.write_all(b"\n        ],\n")?;
    } else {
        w.write_all(EMPTY.as_bytes())?;
    }
    w.write_all(&text.as_bytes()[at + EMPTY.len()..])
}
