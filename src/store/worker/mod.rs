//! The store thread: the screen sends what happened and never waits; writes reach the disk
//! within moments, and what the store has to say comes back as reports.

mod wipes;

use super::connection::Notice;
use super::error::StoreError;
use super::handle::Store;
use super::pin;
use super::record::{EndedMeeting, Overrun, PastSession, SessionRecord};
use super::sessions::RunningSession;
use super::wipe::Keep;
use crate::domain::event::Event;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often retention is checked while the kiosk runs.
pub const RETENTION_CHECK: Duration = Duration::from_secs(3600);

/// Something to keep, sent from the screen (or the headless runner).
#[derive(Debug)]
pub enum Command {
    /// A meeting started.
    Begin(Box<SessionRecord>, Vec<Event>),
    /// The meeting changed, or time passed.
    Save(Box<SessionRecord>, Vec<Event>),
    /// The meeting ended.
    Finish(Box<EndedMeeting>, Vec<Event>),
    /// The meeting left the screen (the summary was closed): retention 0 wipes now.
    Close,
    /// An interrupted meeting that can no longer be resumed is marked as ended.
    Abandon,
    /// Forget the current (just ended) session.
    Forget,
    /// Wipe every session.
    WipeAll,
    SetSetting(String, String),
    LoadHistory,
    CheckPin(String),
    /// Caps the database's size, so writes fail as on a full disk (tests and diagnosis).
    LimitPages(u32),
    /// Replies once everything sent before it is on disk (true) or has failed (false).
    Flush(Sender<bool>),
}

#[derive(Clone, Debug)]
pub enum Report {
    /// The store is open: a meeting to resume, the saved settings, and what happened on the way.
    Opened {
        running: Option<Box<RunningSession>>,
        settings: Vec<(String, String)>,
        notices: Vec<Notice>,
        pin_set: bool,
    },
    /// Sessions cannot be kept; the kiosk runs from memory.
    Unavailable(String),
    /// A write failed; the meeting goes on in memory and the write is tried again.
    WriteFailed {
        disk_full: bool,
    },
    /// Writes succeed again after a failure.
    Recovered,
    Wiped(Keep),
    /// A wipe found no room on the disk and destroyed the key in place: nothing kept can be
    /// read, but sessions cannot be kept until there is room for a new store (then `Recovered`).
    WipedWithoutRoom,
    /// A wipe could not be done: nothing of it was done, and it is tried again until it is.
    WipeFailed {
        keep: Keep,
        reason: String,
        disk_full: bool,
    },
    History {
        sessions: Vec<PastSession>,
        overruns: Vec<Overrun>,
    },
    Pin(PinAnswer),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinAnswer {
    Right,
    Wrong {
        wait: Duration,
    },
    /// Too many wrong attempts: try again after `wait`.
    Locked {
        wait: Duration,
    },
    /// No PIN is set.
    NotSet,
}

/// The store thread, as the kiosk holds it: commands go in, and dropping it waits until the
/// thread has closed the database.
pub struct StoreHandle {
    /// `None` only while dropping: closing the channel is what ends the thread.
    tx: Option<Sender<Command>>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for StoreHandle {
    /// Waits for the store thread to close its connection: a process that left `main` while
    /// SQLCipher was still closing crashed in its exit handlers now and then.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the store thread panicked");
        }
    }
}

impl StoreHandle {
    pub fn send(&self, command: Command) {
        let sent = self.tx.as_ref().is_some_and(|tx| tx.send(command).is_ok());
        if !sent {
            tracing::error!("the store thread has stopped; this change is not kept");
        }
    }

    /// Waits until every command sent so far has been carried out; says whether all of it is
    /// on disk.
    pub fn flush(&self) -> bool {
        let (tx, rx) = mpsc::channel();
        self.send(Command::Flush(tx));
        rx.recv().unwrap_or(false)
    }
}

/// What the store thread needs to know from the configuration.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub dir: PathBuf,
    /// Days to keep ended sessions; 0 wipes at the end of every meeting.
    pub retention_days: u32,
    /// How soon a failed wipe is tried again (`WIPE_RETRY`; shorter in tests).
    pub wipe_retry: Duration,
}

/// Starts the store thread. `report` is called on that thread.
pub fn spawn(options: StoreOptions, report: impl Fn(Report) + Send + 'static) -> StoreHandle {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("store".into())
        .spawn(move || Worker::open(options, Box::new(report)).run(rx))
        .expect("a thread can be started");
    StoreHandle {
        tx: Some(tx),
        thread: Some(thread),
    }
}

struct Worker {
    store: Option<Store>,
    options: StoreOptions,
    report: Box<dyn Fn(Report) + Send>,
    /// Events not yet written because a write failed.
    pending_events: Vec<Event>,
    /// A meeting whose start could not be written yet.
    pending_begin: bool,
    failing: bool,
    pin_failures: u32,
    pin_locked_until: Option<Instant>,
    /// A wipe that failed, tried again every `wipe_retry` until it is done.
    wipe_wanted: Option<Keep>,
    last_wipe_try: Instant,
    /// Tries of the wanted wipe that failed in a row: only the first is logged as an error.
    wipe_failures: u32,
    /// A wipe destroyed the key in place for want of room: the store is opened again (which
    /// finishes that wipe) as soon as there is room, tried every `wipe_retry`.
    reopen_wanted: bool,
    /// The settings chosen on the screen, carried over such a wipe in memory.
    settings_to_restore: Vec<(String, String)>,
}

/// How often a failed wipe is tried again when nothing else happens.
pub const WIPE_RETRY: Duration = Duration::from_secs(30);

impl Worker {
    fn open(options: StoreOptions, report: Box<dyn Fn(Report) + Send>) -> Worker {
        let mut worker = Worker {
            store: None,
            options,
            report,
            pending_events: Vec::new(),
            pending_begin: false,
            failing: false,
            pin_failures: 0,
            pin_locked_until: None,
            wipe_wanted: None,
            last_wipe_try: Instant::now(),
            wipe_failures: 0,
            reopen_wanted: false,
            settings_to_restore: Vec::new(),
        };
        match Store::open(&worker.options.dir) {
            Ok((store, notices)) => {
                for notice in &notices {
                    tracing::warn!("store: {notice:?}");
                }
                let settings = store.settings().unwrap_or_default();
                if let Some(days) = settings
                    .iter()
                    .find(|(k, _)| k == "retention_days")
                    .and_then(|(_, v)| v.parse().ok())
                {
                    worker.options.retention_days = days;
                }
                worker.pin_failures = store
                    .meta("pin_failures")
                    .ok()
                    .flatten()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                // A restart does not reset the wait; it starts it again.
                let wait = pin::wait_after(worker.pin_failures);
                if !wait.is_zero() {
                    worker.pin_locked_until = Some(Instant::now() + wait);
                }
                let running = store.running().unwrap_or_else(|e| {
                    tracing::error!("the running session cannot be read: {e}");
                    None
                });
                tracing::info!(
                    "store open in {} ({} ended sessions{})",
                    store.paths().dir.display(),
                    store.finished_count().unwrap_or(0),
                    if running.is_some() {
                        ", one to resume"
                    } else {
                        ""
                    }
                );
                (worker.report)(Report::Opened {
                    running: running.map(Box::new),
                    settings,
                    notices,
                    pin_set: pin::is_set(&store.paths().pin),
                });
                worker.store = Some(store);
                worker.apply_retention(false);
            }
            Err(e) => {
                tracing::error!("sessions will not be kept: {e}");
                (worker.report)(Report::Unavailable(e.to_string()));
            }
        }
        worker
    }

    fn run(mut self, rx: Receiver<Command>) {
        let mut next_check = Instant::now() + RETENTION_CHECK;
        loop {
            let mut timeout = next_check.saturating_duration_since(Instant::now());
            if self.wipe_wanted.is_some() || self.reopen_wanted {
                let retry_at = self.last_wipe_try + self.options.wipe_retry;
                timeout = timeout.min(retry_at.saturating_duration_since(Instant::now()));
            }
            match rx.recv_timeout(timeout) {
                Ok(command) => {
                    self.retry_wipe();
                    self.handle(command);
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.retry_wipe();
                    if Instant::now() >= next_check {
                        self.apply_retention(false);
                        next_check = Instant::now() + RETENTION_CHECK;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Flush(reply) => {
                let _ = reply.send(self.store.is_some() && !self.failing);
            }
            Command::Begin(record, events) => {
                self.pending_begin = true;
                self.pending_events = events;
                self.write(|w, store| w.catch_up(store, &record));
            }
            Command::Save(record, events) => {
                self.pending_events.extend(events);
                self.write(|w, store| {
                    w.catch_up(store, &record)?;
                    store.save(&record)
                });
            }
            Command::Finish(ending, events) => {
                self.pending_events.extend(events);
                self.write(|w, store| {
                    w.catch_up(store, &ending.record)?;
                    store.finish(&ending)
                });
            }
            Command::Abandon => self.write(|_, store| store.abandon()),
            Command::LimitPages(pages) => {
                if let Some(store) = &self.store
                    && let Err(e) = store.limit_pages(pages)
                {
                    tracing::error!("cannot limit the database: {e}");
                }
            }
            Command::Close => {
                if self.options.retention_days == 0 {
                    self.apply_retention(true);
                }
            }
            Command::Forget => {
                if let Some(id) = self.store.as_ref().and_then(|s| s.current()) {
                    self.wipe(Keep::AllSessionsBut { id });
                }
            }
            Command::WipeAll => self.wipe(Keep::NoSessions),
            Command::SetSetting(name, value) => {
                if name == "retention_days"
                    && let Ok(days) = value.parse()
                {
                    self.options.retention_days = days;
                }
                self.write(|_, store| store.set_setting(&name, &value));
            }
            Command::LoadHistory => {
                if let Some(store) = &self.store {
                    match (store.history(), store.overruns()) {
                        (Ok(sessions), Ok(overruns)) => {
                            (self.report)(Report::History { sessions, overruns })
                        }
                        (Err(e), _) | (_, Err(e)) => {
                            tracing::error!("the history cannot be read: {e}")
                        }
                    }
                }
            }
            Command::CheckPin(candidate) => {
                let answer = self.check_pin(&candidate);
                (self.report)(Report::Pin(answer));
            }
        }
    }

    /// Writes what an earlier failure left behind, then lets `write` go on.
    fn catch_up(&mut self, store: &mut Store, record: &SessionRecord) -> Result<(), StoreError> {
        if self.pending_begin {
            store.begin(record)?;
            self.pending_begin = false;
        }
        if !self.pending_events.is_empty() {
            store.append_events(&self.pending_events)?;
            self.pending_events.clear();
        }
        Ok(())
    }

    fn write(&mut self, f: impl FnOnce(&mut Worker, &mut Store) -> Result<(), StoreError>) {
        let Some(mut store) = self.store.take() else {
            return;
        };
        let result = f(self, &mut store);
        self.store = Some(store);
        match result {
            Ok(()) if self.failing => {
                self.failing = false;
                tracing::info!("writing sessions works again");
                (self.report)(Report::Recovered);
            }
            Ok(()) => {}
            Err(e) => {
                let disk_full = matches!(e, StoreError::DiskFull);
                if !self.failing {
                    tracing::error!("a session could not be written (tried again later): {e}");
                }
                self.failing = true;
                (self.report)(Report::WriteFailed { disk_full });
            }
        }
    }

    fn check_pin(&mut self, candidate: &str) -> PinAnswer {
        let Some(store) = self.store.as_mut() else {
            return PinAnswer::Locked {
                wait: Duration::from_secs(60),
            };
        };
        let path = store.paths().pin.clone();
        if !pin::is_set(&path) {
            return PinAnswer::NotSet;
        }
        if let Some(until) = self.pin_locked_until {
            let wait = until.saturating_duration_since(Instant::now());
            if !wait.is_zero() {
                return PinAnswer::Locked { wait };
            }
        }
        let right = pin::verify(&path, candidate).unwrap_or_else(|e| {
            tracing::error!("{e}");
            false
        });
        if right {
            self.pin_failures = 0;
            self.pin_locked_until = None;
        } else {
            self.pin_failures += 1;
            let wait = pin::wait_after(self.pin_failures);
            self.pin_locked_until = (!wait.is_zero()).then(|| Instant::now() + wait);
            tracing::warn!("a wrong PIN ({} in a row)", self.pin_failures);
        }
        if let Some(store) = self.store.as_mut()
            && let Err(e) = store.set_meta("pin_failures", &self.pin_failures.to_string())
        {
            tracing::error!("the PIN attempts cannot be kept: {e}");
        }
        if right {
            PinAnswer::Right
        } else {
            PinAnswer::Wrong {
                wait: pin::wait_after(self.pin_failures),
            }
        }
    }
}
