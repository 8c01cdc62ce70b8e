//! The store on real files: encryption at rest, resume, history, every way of wiping (also cut
//! short at each step), migrations, damaged files, a full disk and the PIN back-off.

mod common;

use common::{Meeting, count_in_files, readable_with_any_key, start_time};
use intervisie_kiosk::app::summary::outcomes;
use intervisie_kiosk::domain::engine::{Action, Engine};
use intervisie_kiosk::domain::event::Rating;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::domain::progress::Counted;
use intervisie_kiosk::store::key::Key;
use intervisie_kiosk::store::wipe_step::ALL_STEPS;
use intervisie_kiosk::store::worker::{self, Command, PinAnswer, Report, StoreOptions};
use intervisie_kiosk::store::{
    EndedMeeting, Keep, Notice, Paths, SessionRecord, Store, StoreError, WipeOutcome, connect,
    inspect, pin, schema,
};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

fn record(m: &Meeting, question: &str) -> SessionRecord {
    SessionRecord {
        started_at: start_time(),
        snapshot: m.engine.snapshot(m.now.mono),
        questions: vec![question.to_string()],
        asked: vec![true],
        reviewed: vec![false],
        draft: None,
        evaluation: None,
    }
}

/// A meeting run to its end, with `question` as its case question.
fn finished(question: &str, ended_days_ago: i64) -> EndedMeeting {
    let mut m = Meeting::started(&["vijf-stappen"], 6, 60, true);
    for _ in 0..4 {
        m.wait(90_000);
        m.press(Action::Next);
    }
    m.wait(30_000);
    m.press(Action::EndMeeting);
    let mut record = record(&m, question);
    record.evaluation = Some(4);
    EndedMeeting {
        phases: outcomes(&m.engine, m.now.mono),
        ended_at: chrono::Local::now().naive_local() - chrono::Duration::days(ended_days_ago),
        length: m.engine.meeting_elapsed(m.now.mono),
        record,
    }
}

fn open(dir: &Path) -> Store {
    Store::open(dir).unwrap().0
}

fn keep_session(store: &mut Store, question: &str, ended_days_ago: i64) -> i64 {
    let ending = finished(question, ended_days_ago);
    let id = store.begin(&ending.record).unwrap();
    store.finish(&ending).unwrap();
    id
}

#[test]
fn a_running_meeting_is_kept_encrypted_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let question = "Hoe zeg ik nee tegen mijn teamleider";
    let mut m = Meeting::started(&["incident"], 6, 60, true);
    let (mut store, notices) = Store::open(dir.path()).unwrap();
    assert!(notices.is_empty());
    store.begin(&record(&m, question)).unwrap();
    let mut events = Vec::new();
    for _ in 0..4 {
        m.wait(30_000);
        events.extend(m.press(Action::Next));
    }
    store.append_events(&events).unwrap();
    let saved = record(&m, question);
    store.save(&saved).unwrap();
    // Everything on disk is encrypted: not the question, not even the method's id.
    assert_eq!(count_in_files(dir.path(), question.as_bytes()), 0);
    assert_eq!(count_in_files(dir.path(), b"incident"), 0);
    assert_eq!(count_in_files(dir.path(), b"SQLite format 3"), 0);
    for file in ["sessions.db", "sessions.db-wal", "sessions.key", "lock"] {
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(dir.path().join(file))
                .unwrap()
                .permissions(),
        );
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
    drop(store);

    let store = open(dir.path());
    let running = store
        .running()
        .unwrap()
        .expect("the meeting is still running");
    assert_eq!(running.record, saved);
    let engine = Engine::restore(&Library::built_in(), &running.record.snapshot, m.now.mono)
        .expect("it can be rebuilt");
    assert_eq!(engine.current(), m.engine.current());
    assert!(engine.is_paused(), "a resumed meeting waits for the group");
    assert_eq!(store.status().unwrap().running, Some(running.id));
}

#[test]
fn the_history_lists_ended_meetings_with_their_phases_and_overruns() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let first = keep_session(&mut store, "eerste", 2);
    let second = keep_session(&mut store, "tweede", 1);
    let history = store.history().unwrap();
    assert_eq!(
        history.iter().map(|s| s.id).collect::<Vec<_>>(),
        [second, first]
    );
    let s = &history[0];
    assert_eq!(s.methods, ["vijf-stappen"]);
    assert_eq!(s.members, 6);
    assert_eq!(s.evaluation, Some(4));
    assert!(s.length.unwrap() > 0);
    assert!(s.phases.len() > 5);
    assert!(
        s.phases.iter().any(|p| p.skipped),
        "ended early: later phases were skipped"
    );
    let overruns = store.overruns().unwrap();
    assert!(!overruns.is_empty());
    for o in &overruns {
        assert_eq!(o.method_id, "vijf-stappen");
        assert_eq!(o.sessions, 2, "{o:?}");
    }
}

#[test]
fn the_history_keeps_what_each_phase_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut m = Meeting::started(&["socratisch"], 6, 90, true);
    while m.view().phase_id != "waarderen" {
        m.press(Action::Next);
    }
    for rating in [Rating::Warm, Rating::Warm, Rating::Cold] {
        m.press(Action::Rate(rating));
    }
    m.press(Action::EndMeeting);
    let ending = EndedMeeting {
        phases: outcomes(&m.engine, m.now.mono),
        ended_at: chrono::Local::now().naive_local(),
        length: m.engine.meeting_elapsed(m.now.mono),
        record: record(&m, "vraag"),
    };
    store.begin(&ending.record).unwrap();
    store.finish(&ending).unwrap();
    drop(store);

    let history = open(dir.path()).history().unwrap();
    let phases = &history[0].phases;
    let rated: Vec<_> = phases.iter().filter_map(|p| p.counted.ratings).collect();
    assert_eq!(rated.len(), 2, "both rating rounds, the second untouched");
    assert_eq!((rated[0].warm, rated[0].neutral, rated[0].cold), (2, 0, 1));
    assert_eq!(rated[1].total(), 0);
    let plain = phases.iter().find(|p| p.phase_id == "toelichting").unwrap();
    assert_eq!(
        plain.counted,
        Counted::default(),
        "nothing where nothing counts"
    );
    assert_eq!(phases, &ending.phases);
}

/// Wipes in `dir` with `keep` and checks what a wipe promises.
fn check_wipe(
    keep_for: impl Fn(i64, i64) -> Keep,
    gone: &[&str],
    kept: &[&str],
    stop: Option<intervisie_kiosk::store::WipeStep>,
) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let old = keep_session(&mut store, "oude casus over Jan", 40);
    let new = keep_session(&mut store, "nieuwe casus over Piet", 1);
    store.set_setting("language", "en").unwrap();
    let paths = Paths::new(dir.path());
    let old_key = std::fs::read(&paths.key).unwrap();
    let old_db = std::fs::read(&paths.db).unwrap();
    let keep = keep_for(old, new);
    match stop {
        None => drop(store.wipe(keep).unwrap()),
        Some(step) => {
            let e = store.wipe_until(keep, Some(step)).err().expect("stopped");
            assert!(matches!(e, StoreError::Interrupted(s) if s == step));
            let (store, notices) = Store::open(dir.path()).unwrap();
            assert_eq!(notices, [Notice::WipeFinished], "after {step:?}");
            drop(store);
        }
    }
    // The old key is nowhere, and the new one differs.
    assert_eq!(count_in_files(dir.path(), &old_key), 0);
    assert!(!paths.wipe_marker.exists() && !paths.next_key.exists() && !paths.next_db.exists());
    // A copy of the old database (as from an image of the card) cannot be read with what is left.
    let copy = dir.path().join("old-copy.db");
    std::fs::write(&copy, &old_db).unwrap();
    let new_key = Key::read(&paths.key).unwrap();
    let c = connect(&copy, &new_key).unwrap();
    assert!(
        c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r
            .get::<_, i64>(0))
            .is_err()
    );
    drop(c);
    std::fs::remove_file(&copy).unwrap();
    // The store works, keeps what it should, and the settings survived.
    let store = open(dir.path());
    let questions: Vec<String> = store
        .history()
        .unwrap()
        .iter()
        .map(|s| store.record(s.id).unwrap().unwrap().questions[0].clone())
        .collect();
    assert_eq!(questions, kept, "after {stop:?}");
    assert_eq!(store.setting("language").unwrap().as_deref(), Some("en"));
    assert!(store.status().unwrap().last_wipe.is_some());
    drop(store);
    // Nothing readable of what was wiped; what was kept is there (encrypted, so look inside).
    for text in gone.iter().chain(kept) {
        assert_eq!(count_in_files(dir.path(), text.as_bytes()), 0, "{text}");
    }
}

#[test]
fn every_way_of_wiping_leaves_nothing_readable() {
    check_wipe(
        |_, _| Keep::NoSessions,
        &["oude casus over Jan", "nieuwe casus over Piet"],
        &[],
        None,
    );
    check_wipe(
        |old, _| Keep::AllSessionsBut { id: old },
        &["oude casus over Jan"],
        &["nieuwe casus over Piet"],
        None,
    );
    check_wipe(
        |_, _| Keep::SessionsSince {
            since: chrono::Local::now().naive_local() - chrono::Duration::days(30),
        },
        &["oude casus over Jan"],
        &["nieuwe casus over Piet"],
        None,
    );
}

#[test]
fn a_wipe_cut_short_at_any_step_finishes_at_the_next_start() {
    for step in ALL_STEPS {
        check_wipe(
            |old, _| Keep::AllSessionsBut { id: old },
            &["oude casus over Jan"],
            &["nieuwe casus over Piet"],
            Some(step),
        );
        check_wipe(
            |_, _| Keep::NoSessions,
            &["oude casus over Jan", "nieuwe casus over Piet"],
            &[],
            Some(step),
        );
    }
}

#[test]
fn forgetting_keeps_the_other_sessions_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let old = keep_session(&mut store, "oud", 3);
    let new = keep_session(&mut store, "nieuw", 1);
    let before = store.history().unwrap();
    let store = store.wipe(Keep::AllSessionsBut { id: new }).unwrap();
    let after = store.history().unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0],
        before.iter().find(|s| s.id == old).unwrap().clone()
    );
}

#[test]
fn databases_from_every_earlier_schema_version_are_brought_up_to_date() {
    for version in 0..schema::VERSION {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(dir.path());
        let key = Key::create(&paths.key).unwrap();
        {
            let mut conn = connect(&paths.db, &key).unwrap();
            schema::migrate_to(&mut conn, version).unwrap();
            if version >= 1 {
                conn.execute(
                    "INSERT INTO sessions (started_at, ended_at, methods, members, target_ms, state, record, evaluation)
                     VALUES ('2026-11-01T10:00:00', '2026-11-01T11:30:00', '[\"balint\"]', 7, 5400000, 'finished', '{}', 5)",
                    [],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO phases VALUES (1, 0, 'casus', 'balint', 600000, 720000, 0, 0)",
                    [],
                )
                .unwrap();
            }
        }
        let mut store = open(dir.path());
        assert_eq!(store.status().unwrap().schema_version, schema::VERSION);
        let history = store.history().unwrap();
        if version >= 1 {
            assert_eq!(history.len(), 1, "from version {version}");
            assert_eq!(history[0].methods, ["balint"]);
            assert_eq!(history[0].evaluation, Some(5));
            assert_eq!(history[0].length, None, "not known before version 2");
            assert_eq!(store.overruns().unwrap()[0].average, 120_000);
        }
        store.set_setting("language", "en").unwrap();
    }
}

#[test]
fn a_database_from_a_newer_program_is_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    let paths = Paths::new(dir.path());
    {
        let key = Key::read(&paths.key).unwrap();
        let conn = connect(&paths.db, &key).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let e = Store::open(dir.path()).err().expect("refused");
    assert!(e.to_string().contains("newer than this program"), "{e}");
    assert!(paths.db.exists() && paths.key.exists());
}

/// Scrambles the database's first page (its header) and drops its WAL: unreadable with any key.
fn damage_database(paths: &Paths) {
    let mut bytes = std::fs::read(&paths.db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b ^= 0x5a;
    }
    std::fs::write(&paths.db, bytes).unwrap();
    let _ = std::fs::remove_file(paths.dir.join("sessions.db-wal"));
}

#[test]
fn a_damaged_database_is_moved_aside_and_the_kiosk_starts_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    keep_session(&mut store, "x", 1);
    drop(store);
    let paths = Paths::new(dir.path());
    damage_database(&paths);
    let (store, notices) = Store::open(dir.path()).unwrap();
    let [Notice::MovedAside(aside)] = notices.as_slice() else {
        panic!("{notices:?}");
    };
    assert!(aside.join("sessions.db").exists() && aside.join("sessions.key").exists());
    assert!(store.history().unwrap().is_empty());
}

/// Issue 15, 2: a damaged database set aside kept its key beside it, so every case question in
/// it stayed readable after any wipe, in a directory others could list. Now the copy is the
/// owner's only, and the next wipe destroys it.
#[test]
fn a_damaged_copy_set_aside_is_private_and_gone_after_a_wipe() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    keep_session(&mut store, "geheimevraag", 1);
    drop(store);
    let paths = Paths::new(dir.path());
    // Readable, with the key beside it: the copy that is set aside still holds the question.
    let aside = paths.aside("20261201-120000");
    std::fs::create_dir(&aside).unwrap();
    for file in [&paths.db, &paths.key] {
        std::fs::copy(file, aside.join(file.file_name().unwrap())).unwrap();
    }
    assert!(readable_with_any_key(dir.path(), "geheimevraag") > 0);
    damage_database(&paths);
    let (store, notices) = Store::open(dir.path()).unwrap();
    let [Notice::MovedAside(moved)] = notices.as_slice() else {
        panic!("{notices:?}");
    };
    let mode = std::fs::metadata(moved).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{mode:o}");

    let store = store.wipe(Keep::NoSessions).unwrap();
    assert!(
        paths.set_aside().unwrap().is_empty(),
        "no copy outlives the wipe"
    );
    assert_eq!(readable_with_any_key(dir.path(), "geheimevraag"), 0);
    assert!(store.history().unwrap().is_empty());
}

/// Issue 15, 6: a key file of the wrong length deleted the database. Damage that is not a wipe's
/// sets the database aside with it, as any damage does; a key a wipe zeroed still means wiped.
#[test]
fn a_damaged_key_sets_the_database_aside_and_a_zeroed_one_means_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    keep_session(&mut store, "x", 1);
    drop(store);
    let paths = Paths::new(dir.path());
    let mut key = std::fs::read(&paths.key).unwrap();
    key.truncate(63);
    std::fs::write(&paths.key, &key).unwrap();
    let (store, notices) = Store::open(dir.path()).unwrap();
    let [Notice::MovedAside(aside)] = notices.as_slice() else {
        panic!("{notices:?}");
    };
    assert!(aside.join("sessions.db").exists(), "set aside, not deleted");
    assert_eq!(std::fs::read(aside.join("sessions.key")).unwrap(), key);
    assert!(store.history().unwrap().is_empty());
    drop(store);

    std::fs::write(&paths.key, [0u8; 64]).unwrap();
    let (_, notices) = Store::open(dir.path()).unwrap();
    assert_eq!(notices, [Notice::WipeFinished], "a wipe done in place");
}

#[test]
fn a_database_without_its_key_is_treated_as_wiped() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    keep_session(&mut store, "x", 1);
    drop(store);
    std::fs::remove_file(dir.path().join("sessions.key")).unwrap();
    let (store, notices) = Store::open(dir.path()).unwrap();
    assert_eq!(notices, [Notice::KeyLost]);
    assert!(store.history().unwrap().is_empty());
}

#[test]
fn a_full_disk_fails_the_write_and_loses_nothing_already_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let m = Meeting::started(&["incident"], 6, 60, true);
    store.begin(&record(&m, "kort")).unwrap();
    let pages: u32 = 40;
    store.limit_pages(pages).unwrap();
    let big = "x".repeat(400_000);
    let e = store.save(&record(&m, &big)).unwrap_err();
    assert!(matches!(e, StoreError::DiskFull), "{e}");
    assert_eq!(store.running().unwrap().unwrap().record.questions, ["kort"]);
    store.limit_pages(100_000).unwrap();
    store.save(&record(&m, &big)).unwrap();
}

#[test]
fn only_one_program_owns_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let _store = open(dir.path());
    let e = Store::open(dir.path()).err().expect("busy");
    assert!(matches!(e, StoreError::Busy { .. }));
    assert!(e.to_string().contains("systemctl stop"), "{e}");
}

#[test]
fn a_data_directory_that_cannot_be_made_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "").unwrap();
    let e = Store::open(&file.join("data")).err().expect("fails");
    assert!(e.to_string().contains("plain-file"), "{e}");
}

/// Runs a store thread until its first report; returns its handle and the report channel.
fn spawn(dir: &Path, retention_days: u32) -> (worker::StoreHandle, mpsc::Receiver<Report>) {
    // The previous thread may still be letting go of the lock.
    for _ in 0..100 {
        if Store::open(dir).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    start_worker(dir, retention_days)
}

/// The store thread on `dir`, whatever state `dir` is in.
fn start_worker(dir: &Path, retention_days: u32) -> (worker::StoreHandle, mpsc::Receiver<Report>) {
    let (tx, rx) = mpsc::channel();
    let handle = worker::spawn(
        StoreOptions {
            dir: dir.to_path_buf(),
            retention_days,
            wipe_retry: Duration::from_millis(200),
        },
        move |r| {
            let _ = tx.send(r);
        },
    );
    (handle, rx)
}

fn pin_answer(handle: &worker::StoreHandle, rx: &mpsc::Receiver<Report>, pin: &str) -> PinAnswer {
    handle.send(Command::CheckPin(pin.into()));
    loop {
        if let Report::Pin(answer) = rx.recv_timeout(Duration::from_secs(30)).unwrap() {
            return answer;
        }
    }
}

#[test]
fn wrong_pins_back_off_and_a_restart_does_not_reset_it() {
    let dir = tempfile::tempdir().unwrap();
    pin::store(&Paths::new(dir.path()).pin, "4321").unwrap();
    let (handle, rx) = spawn(dir.path(), 30);
    assert_eq!(pin_answer(&handle, &rx, "4321"), PinAnswer::Right);
    assert!(
        matches!(pin_answer(&handle, &rx, "1111"), PinAnswer::Wrong { wait } if wait.is_zero())
    );
    assert!(
        matches!(pin_answer(&handle, &rx, "1112"), PinAnswer::Wrong { wait } if wait.is_zero())
    );
    assert!(
        matches!(pin_answer(&handle, &rx, "1113"), PinAnswer::Wrong { wait } if wait.as_secs() == 30)
    );
    // Even the right PIN waits now.
    assert!(matches!(
        pin_answer(&handle, &rx, "4321"),
        PinAnswer::Locked { .. }
    ));
    handle.flush();
    drop(handle);
    let (handle, rx) = spawn(dir.path(), 30);
    assert!(
        matches!(pin_answer(&handle, &rx, "4321"), PinAnswer::Locked { wait } if wait.as_secs() > 20)
    );
}

#[test]
fn retention_wipes_old_sessions_at_start_and_zero_days_after_every_meeting() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(dir.path());
        keep_session(&mut store, "oud", 40);
        keep_session(&mut store, "recent", 2);
    }
    let (handle, rx) = spawn(dir.path(), 30);
    assert!(matches!(rx.recv().unwrap(), Report::Opened { .. }));
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        Report::Wiped(Keep::SessionsSince { .. })
    ));
    handle.send(Command::LoadHistory);
    let Report::History { sessions, .. } = rx.recv_timeout(Duration::from_secs(30)).unwrap() else {
        panic!("history expected");
    };
    assert_eq!(sessions.len(), 1);
    // With 0 days, closing a meeting's summary wipes it.
    handle.send(Command::SetSetting("retention_days".into(), "0".into()));
    let ending = finished("vandaag", 0);
    handle.send(Command::Begin(Box::new(ending.record.clone()), Vec::new()));
    handle.send(Command::Finish(Box::new(ending), Vec::new()));
    handle.send(Command::Close);
    handle.send(Command::LoadHistory);
    loop {
        if let Report::History { sessions, .. } = rx.recv_timeout(Duration::from_secs(30)).unwrap()
        {
            assert!(sessions.is_empty());
            break;
        }
    }
}

/// Puts a directory where the wipe's marker writes its temporary file, so the marker cannot be
/// written, as on a full disk.
fn block_the_marker(paths: &Paths) -> std::path::PathBuf {
    let blocker = paths.wipe_marker.with_extension("tmp");
    std::fs::create_dir_all(blocker.join("in-the-way")).unwrap();
    blocker
}

/// Issue 20, 1: a wipe whose marker could not be written (a full disk) wiped nothing, and a
/// restart forgot it. Now the key is destroyed where it lies, which needs no room: the wipe is
/// done at once, and the settings chosen on the screen survive it.
#[test]
fn a_wipe_that_cannot_write_its_marker_destroys_the_key_in_place() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(dir.path());
        keep_session(&mut store, "geheimevraag", 1);
        store.set_setting("language", "en").unwrap();
    }
    assert!(readable_with_any_key(dir.path(), "geheimevraag") > 0);
    let blocker = block_the_marker(&Paths::new(dir.path()));
    let (handle, rx) = spawn(dir.path(), 30);
    assert!(matches!(rx.recv().unwrap(), Report::Opened { .. }));
    handle.send(Command::WipeAll);
    assert!(handle.flush());
    let report = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(
        matches!(report, Report::Wiped(Keep::NoSessions)),
        "{report:?}"
    );
    assert_eq!(readable_with_any_key(dir.path(), "geheimevraag"), 0);
    assert_eq!(count_in_files(dir.path(), b"geheimevraag"), 0);
    drop(handle);
    std::fs::remove_dir_all(&blocker).unwrap();
    let (handle, rx) = spawn(dir.path(), 30);
    let Report::Opened { settings, .. } = rx.recv().unwrap() else {
        panic!("opened expected");
    };
    assert!(
        settings.contains(&("language".into(), "en".into())),
        "{settings:?}"
    );
    handle.send(Command::LoadHistory);
    let Report::History { sessions, .. } = rx.recv_timeout(Duration::from_secs(30)).unwrap() else {
        panic!("history expected");
    };
    assert!(sessions.is_empty());
}

/// Issue 20, 2-3 where no small disk can be mounted: the marker and the new key cannot be
/// written (directories in their way), as on a full disk. The key is destroyed in place, the
/// files stay, a restart that still has no room changes nothing and the wipe stays pending,
/// and the first open with room finishes it before anything else.
#[test]
fn a_wipe_without_room_stays_pending_across_restarts_and_finishes_with_room() {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths::new(dir.path());
    let mut store = open(dir.path());
    keep_session(&mut store, "geheimevraag", 1);
    block_the_marker(&paths);
    std::fs::create_dir_all(paths.next_key.join("in-the-way")).unwrap();
    let outcome = store.wipe_or_destroy_key(Keep::NoSessions).unwrap();
    assert!(matches!(outcome, WipeOutcome::KeyDestroyed { .. }));
    assert_eq!(readable_with_any_key(dir.path(), "geheimevraag"), 0);
    assert!(Key::is_destroyed(&paths.key), "the pending wipe is on disk");
    assert!(paths.db.exists(), "the files go once there is room");

    let e = Store::open(dir.path())
        .err()
        .expect("no room for a new key yet");
    assert!(e.to_string().contains("next.key"), "{e}");
    assert!(Key::is_destroyed(&paths.key), "still pending");
    assert!(inspect(dir.path()).is_err(), "nothing to read");

    std::fs::remove_dir_all(&paths.next_key).unwrap();
    let (store, notices) = Store::open(dir.path()).unwrap();
    assert_eq!(notices, [Notice::WipeFinished]);
    assert!(store.history().unwrap().is_empty());
    assert!(store.status().unwrap().last_wipe.is_some());
    assert!(!Key::is_destroyed(&paths.key));
    assert_eq!(readable_with_any_key(dir.path(), "geheimevraag"), 0);
}

/// Retention's quiet clean-up never costs a running meeting: without room it waits.
#[test]
fn retention_without_room_keeps_a_running_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    keep_session(&mut store, "oud", 40);
    let m = Meeting::started(&["incident"], 6, 60, true);
    store.begin(&record(&m, "loopt nog")).unwrap();
    block_the_marker(&Paths::new(dir.path()));
    let since = start_time();
    assert!(
        store
            .wipe_or_destroy_key(Keep::SessionsSince { since })
            .is_err()
    );
    let (store, _) = Store::open(dir.path()).unwrap();
    assert!(store.running().unwrap().is_some());
}

/// A wipe that can neither write its marker nor overwrite the key (here the key's place taken
/// by a directory, as an I/O error would) has wiped nothing: it is reported as failed, not as
/// done, and tried again until it is.
#[test]
fn a_wipe_that_cannot_begin_is_reported_failed_and_tried_again_until_done() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = open(dir.path());
        keep_session(&mut store, "geheim", 1);
    }
    let paths = Paths::new(dir.path());
    let blocker = block_the_marker(&paths);
    let (handle, rx) = spawn(dir.path(), 30);
    assert!(matches!(rx.recv().unwrap(), Report::Opened { .. }));
    // Read at opening; from here on the key's place is taken.
    let key_aside = dir.path().join("aside.key");
    std::fs::rename(&paths.key, &key_aside).unwrap();
    std::fs::create_dir_all(paths.key.join("in-the-way")).unwrap();
    handle.send(Command::WipeAll);
    assert!(!handle.flush(), "the store could not be opened again");
    let report = loop {
        match rx.recv_timeout(Duration::from_secs(30)).unwrap() {
            Report::Unavailable(_) => continue,
            other => break other,
        }
    };
    assert!(
        matches!(
            &report,
            Report::WipeFailed {
                keep: Keep::NoSessions,
                ..
            }
        ),
        "{report:?}"
    );
    // Tried again (every 200 ms here) while it fails: a few tries go by.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(
        readable_with_any_key(dir.path(), "geheim"),
        1,
        "nothing was wiped, and nothing claims it was"
    );
    std::fs::remove_dir_all(&paths.key).unwrap();
    std::fs::rename(&key_aside, &paths.key).unwrap();
    std::fs::remove_dir_all(&blocker).unwrap();
    loop {
        match rx.recv_timeout(Duration::from_secs(30)).unwrap() {
            Report::WipeFailed { .. } | Report::Unavailable(_) => continue,
            Report::Wiped(Keep::NoSessions) => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    drop(handle);
    let (store, _) = Store::open(dir.path()).unwrap();
    assert!(store.history().unwrap().is_empty());
}

/// CPU ticks used so far by every thread of this process named `store`.
fn store_thread_ticks() -> u64 {
    let mut ticks = 0;
    for task in std::fs::read_dir("/proc/self/task").unwrap() {
        let stat = std::fs::read_to_string(task.unwrap().path().join("stat")).unwrap_or_default();
        // "tid (comm) state ... utime stime": fields 14 and 15, counted after the name.
        let Some((name, rest)) = stat.split_once(") ") else {
            continue;
        };
        if !name.ends_with("(store") {
            continue;
        }
        let fields: Vec<&str> = rest.split_whitespace().collect();
        ticks += fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
    }
    ticks
}

/// A wipe asked for while the store cannot be opened is tried again every retry interval, not
/// in a loop: before, a retry that could not open the store left the thread's wait at zero.
#[test]
fn a_wipe_retried_on_a_store_that_cannot_open_waits_between_tries() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "in the way").unwrap();
    let (handle, rx) = start_worker(&not_a_dir, 30);
    assert!(matches!(rx.recv().unwrap(), Report::Unavailable(_)));
    handle.send(Command::WipeAll);
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        Report::WipeFailed { .. }
    ));
    std::thread::sleep(Duration::from_millis(300));
    let before = store_thread_ticks();
    std::thread::sleep(Duration::from_secs(1));
    let used = store_thread_ticks() - before;
    // A spinning thread uses about 100 ticks a second; one that waits, next to none.
    assert!(used < 30, "the store thread used {used} ticks in a second");
}

#[test]
fn the_store_thread_keeps_the_meeting_in_memory_while_the_disk_is_full_and_catches_up() {
    let dir = tempfile::tempdir().unwrap();
    let (handle, rx) = spawn(dir.path(), 30);
    assert!(matches!(rx.recv().unwrap(), Report::Opened { .. }));
    let mut m = Meeting::started(&["incident"], 6, 60, true);
    handle.send(Command::Begin(Box::new(record(&m, "kort")), Vec::new()));
    assert!(handle.flush());
    handle.send(Command::LimitPages(30));
    let mut events = Vec::new();
    for _ in 0..3 {
        m.wait(10_000);
        events.extend(m.press(Action::Next));
    }
    let held_back = events.len() as u32;
    assert!(held_back >= 3);
    let big = "x".repeat(300_000);
    handle.send(Command::Save(Box::new(record(&m, &big)), events));
    assert!(!handle.flush(), "not on disk");
    let report = rx.recv_timeout(Duration::from_secs(30)).unwrap();
    assert!(
        matches!(report, Report::WriteFailed { disk_full: true }),
        "{report:?}"
    );
    // Room again: the next save writes the record and the events that were held back.
    handle.send(Command::LimitPages(1_000_000));
    m.wait(1_000);
    let latest = record(&m, "kort");
    handle.send(Command::Save(Box::new(latest.clone()), Vec::new()));
    assert!(handle.flush());
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(30)).unwrap(),
        Report::Recovered
    ));
    drop(handle);
    for _ in 0..100 {
        if let Ok((store, _)) = Store::open(dir.path()) {
            assert_eq!(store.running().unwrap().unwrap().record, latest);
            let id = store.current().unwrap();
            assert_eq!(store.event_count(id).unwrap(), held_back, "no event lost");
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the store stayed busy");
}
