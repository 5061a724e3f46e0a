//! The spill file of a [`super::log::LiveLog`]: a thread that appends old log entries to an
//! unnamed temporary file (one JSON line each, so a huge message stays one record) and reads
//! pages of them back, or scans them for a search, when the log asks. The file has no name on
//! disk: the system deletes it when the thread ends (the tab closes, or the log is cleared).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use super::log::{LogEntry, LogFilter};

enum SpillAsk {
    Append(Vec<LogEntry>),
    ReadPage { page: usize, first: usize, count: usize },
    Scan { generation: u64, filter: LogFilter, upto: usize },
}

/// What the spill thread answers.
pub enum SpillReply {
    Page {
        page: usize,
        entries: Result<Vec<LogEntry>, String>,
    },
    /// The indices (below `upto` of the ask) of entries the filter lets through.
    Scan {
        generation: u64,
        matches: Result<Vec<usize>, String>,
    },
    /// Appending failed: entries spilled from now on are lost (the log says so).
    Failed(String),
}

/// The log's side of the spill thread.
pub struct Spill {
    asks: Sender<SpillAsk>,
    replies: Receiver<SpillReply>,
}

impl Spill {
    /// Creates the file and starts the thread; `repaint` is called after each answer.
    pub fn start(repaint: Option<Arc<dyn Fn() + Send + Sync>>) -> Result<Self, String> {
        let file = tempfile::tempfile().map_err(|e| format!("cannot create a temporary file: {e}"))?;
        let (asks, asked) = channel();
        let (answer, replies) = channel();
        std::thread::Builder::new()
            .name("ws-log-spill".into())
            .spawn(move || run(file, &asked, &answer, repaint.as_deref()))
            .map_err(|e| format!("cannot start the spill thread: {e}"))?;
        Ok(Self { asks, replies })
    }

    pub fn append(&self, entries: Vec<LogEntry>) -> Result<(), String> {
        self.ask(SpillAsk::Append(entries))
    }

    pub fn read_page(&self, page: usize, first: usize, count: usize) -> Result<(), String> {
        self.ask(SpillAsk::ReadPage { page, first, count })
    }

    pub fn scan(&self, generation: u64, filter: LogFilter, upto: usize) -> Result<(), String> {
        self.ask(SpillAsk::Scan { generation, filter, upto })
    }

    fn ask(&self, ask: SpillAsk) -> Result<(), String> {
        self.asks.send(ask).map_err(|_| "the spill thread has stopped".to_owned())
    }

    /// The answers that arrived, without waiting.
    pub fn replies(&self) -> Vec<SpillReply> {
        let mut out = Vec::new();
        loop {
            match self.replies.try_recv() {
                Ok(reply) => out.push(reply),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if out.is_empty() {
                        out.push(SpillReply::Failed("the spill thread has stopped".into()));
                    }
                    break;
                }
            }
        }
        out
    }
}

/// The file and where each entry starts in it.
struct SpillFile {
    writer: BufWriter<File>,
    offsets: Vec<u64>,
    end: u64,
    failed: bool,
}

fn run(
    file: File,
    asked: &Receiver<SpillAsk>,
    answer: &Sender<SpillReply>,
    repaint: Option<&(dyn Fn() + Send + Sync)>,
) {
    let mut spill = SpillFile { writer: BufWriter::new(file), offsets: Vec::new(), end: 0, failed: false };
    while let Ok(ask) = asked.recv() {
        let reply = match ask {
            SpillAsk::Append(entries) => match spill.append(&entries) {
                Err(e) if !spill.failed => {
                    spill.failed = true;
                    SpillReply::Failed(format!("older messages could not be written to disk: {e}"))
                }
                _ => continue,
            },
            SpillAsk::ReadPage { page, first, count } => {
                SpillReply::Page { page, entries: spill.read(first, count).map_err(|e| read_failed(&e)) }
            }
            SpillAsk::Scan { generation, filter, upto } => SpillReply::Scan {
                generation,
                matches: spill.scan(&filter, upto).map_err(|e| read_failed(&e)),
            },
        };
        if answer.send(reply).is_err() {
            return;
        }
        if let Some(repaint) = repaint {
            repaint();
        }
    }
}

fn read_failed(e: &std::io::Error) -> String {
    format!("older messages could not be read back from disk: {e}")
}

impl SpillFile {
    fn append(&mut self, entries: &[LogEntry]) -> std::io::Result<()> {
        for entry in entries {
            let line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
            self.writer.write_all(&line)?;
            self.writer.write_all(b"\n")?;
            self.offsets.push(self.end);
            self.end += line.len() as u64 + 1;
        }
        Ok(())
    }

    /// A reader positioned at entry `first` (everything appended is flushed first).
    fn reader_at(&mut self, first: usize) -> std::io::Result<BufReader<File>> {
        self.writer.flush()?;
        let mut file = self.writer.get_ref().try_clone()?;
        let at = self.offsets.get(first).copied().unwrap_or(self.end);
        file.seek(SeekFrom::Start(at))?;
        Ok(BufReader::new(file))
    }

    fn read(&mut self, first: usize, count: usize) -> std::io::Result<Vec<LogEntry>> {
        let count = count.min(self.offsets.len().saturating_sub(first));
        let mut reader = self.reader_at(first)?;
        let mut out = Vec::with_capacity(count);
        let mut line = String::new();
        for _ in 0..count {
            line.clear();
            reader.read_line(&mut line)?;
            out.push(serde_json::from_str(&line).map_err(std::io::Error::other)?);
        }
        // The writer appends at the end; the cloned handle shares its position.
        self.writer.get_mut().seek(SeekFrom::Start(self.end))?;
        Ok(out)
    }

    fn scan(&mut self, filter: &LogFilter, upto: usize) -> std::io::Result<Vec<usize>> {
        let upto = upto.min(self.offsets.len());
        let mut reader = self.reader_at(0)?;
        let mut out = Vec::new();
        let mut line = String::new();
        for index in 0..upto {
            line.clear();
            reader.read_line(&mut line)?;
            let entry: LogEntry = serde_json::from_str(&line).map_err(std::io::Error::other)?;
            if entry.matches(filter) {
                out.push(index);
            }
        }
        self.writer.get_mut().seek(SeekFrom::Start(self.end))?;
        Ok(out)
    }
}
