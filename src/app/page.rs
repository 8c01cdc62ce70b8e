//! The kiosk's pages, and what a person can want on them whatever the tap, key or button.

use crate::domain::engine::{Action, Engine, MeetingStatus};
use crate::domain::plan::Section;
use crate::domain::text::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Home,
    /// A meeting was interrupted (a power cut): continue it or end it.
    Resume,
    Settings,
    Setup,
    /// Welcome, ground rules and choosing the case.
    Opening,
    /// Past meetings: planned against actual, and how each method's phases tend to run.
    History,
    /// The PIN that IT set, asked before settings or history open.
    Pin,
    /// Typing the case question as a case begins.
    CaseQuestion,
    Running,
    Summary,
}

/// What a person wants, from a tap, a key or a push button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    Wake,
    OpenSettings,
    CloseSettings,
    SetLanguage(Lang),
    ChooseMethod(String),
    CycleMethod {
        forward: bool,
    },
    SetCaseCount(usize),
    SelectCaseSlot(usize),
    ChangeMembers(i8),
    ChangeLength(i32),
    UseEndTime(bool),
    StartMeeting,
    CancelSetup,
    Meeting(Action),
    AskEnd,
    ConfirmEndMeeting,
    ConfirmEndCase,
    CancelEnd,
    SetCaseQuestion(String),
    /// The question page is done: what was typed is kept.
    FinishCaseQuestion,
    /// The question page is skipped: what was typed is dropped.
    SkipCaseQuestion,
    Evaluate(u8),
    Finish,
    Forget,
    CloseWipePrompt,
    /// Continue the interrupted meeting (paused).
    ResumeMeeting,
    /// End the interrupted meeting instead.
    EndInterrupted,
    DismissStoreNotice,
    /// Wipe every session (asked on the settings page, or by the headless runner).
    WipeAll,
    OpenHistory,
    CloseHistory,
    SelectHistory(usize),
    PinDigit(u8),
    PinBackspace,
    PinSubmit,
    PinCancel,
    ChangeDefaultMembers(i8),
    ChangeDefaultLength(i32),
    SetLed(bool),
    SetBuzzer(bool),
    SetRetention(u32),
    /// "Wipe everything" on the settings page: asks first.
    AskWipeAll,
    CancelWipeAll,
}

/// The page a meeting shows: set-up until it starts, the opening, a case's question page while
/// one is due (before the case's clock starts, and again after it was rephrased), the running
/// phase, and the summary once it has finished.
pub fn of_meeting(engine: &Engine, question_due: bool) -> Page {
    match engine.status() {
        MeetingStatus::Finished => Page::Summary,
        MeetingStatus::NotStarted => Page::Setup,
        MeetingStatus::Running if question_due => Page::CaseQuestion,
        MeetingStatus::Running => match engine.plan().phases[engine.current()].section {
            Section::Opening => Page::Opening,
            _ => Page::Running,
        },
    }
}
