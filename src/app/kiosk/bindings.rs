//! What a key or a push-button gesture means, given what is on screen: pure maps from the
//! kiosk's situation to an intent. The kiosk then carries the intent out. A presenter clicker
//! has only next (PageDown or Right), back (PageUp or Left) and blank (`b` or `.`), and two push
//! buttons only next and pause: with those alone a whole meeting runs, from the home page to
//! the summary and back, as with the push buttons.

use crate::app::page::{Intent, Page};
use crate::domain::engine::Action;
use crate::domain::event::Rating;
use crate::domain::text::Lang;
use crate::input::gestures::{Button, Gesture};
use crate::input::keys::KeyCommand;

/// What the maps need to know of the kiosk.
#[derive(Clone, Copy, Debug)]
pub struct Situation {
    pub page: Page,
    /// Both buttons were held: the wipe prompt counts down.
    pub wipe_prompt: bool,
    /// "Wipe everything?" is asked on the settings page.
    pub confirming_wipe: bool,
    /// "End the meeting?" is asked.
    pub confirming_end: bool,
    /// That question came from holding both buttons.
    pub end_by_buttons: bool,
    /// A case is under way (not the opening).
    pub in_case: bool,
    pub history_selected: usize,
    pub lang: Lang,
}

impl Situation {
    fn in_meeting(&self) -> bool {
        matches!(
            self.page,
            Page::Opening | Page::Running | Page::CaseQuestion
        )
    }
}

/// What a key means now, if anything.
pub fn key_intent(now: &Situation, key: KeyCommand) -> Option<Intent> {
    use KeyCommand as K;
    if now.wipe_prompt {
        return Some(Intent::CloseWipePrompt);
    }
    if now.confirming_wipe {
        return match key {
            K::Escape | K::Back => Some(Intent::CancelWipeAll),
            _ => None,
        };
    }
    if now.confirming_end {
        return match key {
            K::Enter => Some(Intent::ConfirmEndMeeting),
            K::Escape | K::PauseResume | K::Back => Some(Intent::CancelEnd),
            _ => None,
        };
    }
    Some(match (now.page, key) {
        (Page::Home, K::Other | K::Enter | K::Next | K::PauseResume | K::Digit(_)) => Intent::Wake,
        (Page::Resume, K::Enter | K::Next | K::PauseResume) => Intent::ResumeMeeting,
        (Page::Resume, K::Escape) => Intent::EndInterrupted,
        (Page::Settings, K::Escape | K::Enter | K::PauseResume) => Intent::CloseSettings,
        (Page::History, K::Escape | K::Enter | K::PauseResume) => Intent::CloseHistory,
        (Page::History, K::Down | K::Next) => {
            Intent::SelectHistory(now.history_selected.saturating_add(1))
        }
        (Page::History, K::Up | K::Back) => {
            Intent::SelectHistory(now.history_selected.saturating_sub(1))
        }
        (Page::Pin, K::Digit(d)) => Intent::PinDigit(d),
        (Page::Pin, K::Back) => Intent::PinBackspace,
        (Page::Pin, K::Escape) => Intent::PinCancel,
        (Page::Pin, K::Enter) => Intent::PinSubmit,
        (Page::Settings, K::Next | K::Back) => Intent::SetLanguage(match now.lang {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }),
        // As the push buttons: next starts, blank picks the next method, back goes home.
        (Page::Setup, K::Next | K::Enter) => Intent::StartMeeting,
        (Page::Setup, K::PauseResume) => Intent::CycleMethod { forward: true },
        (Page::Setup, K::Back | K::Escape) => Intent::CancelSetup,
        (Page::Setup, K::Up) => Intent::ChangeMembers(1),
        (Page::Setup, K::Down) => Intent::ChangeMembers(-1),
        (Page::Setup, K::More) => Intent::ChangeLength(1),
        (Page::Setup, K::Less) => Intent::ChangeLength(-1),
        (Page::Setup, K::Digit(n @ 1..=2)) => Intent::SetCaseCount(usize::from(n)),
        // The clock waits for the question: next keeps what was typed, blank or Escape skips
        // and drops it (asked again: the question stays as it was), back goes back.
        (Page::CaseQuestion, K::Next | K::Enter) => Intent::FinishCaseQuestion,
        (Page::CaseQuestion, K::Escape | K::PauseResume) => Intent::SkipCaseQuestion,
        (Page::CaseQuestion, K::Back) => Intent::Meeting(Action::Back),
        (Page::Opening | Page::Running, K::Next | K::Enter) => Intent::Meeting(Action::Next),
        (Page::Opening | Page::Running, K::Back) => Intent::Meeting(Action::Back),
        (Page::Opening | Page::Running, K::PauseResume) => Intent::Meeting(Action::TogglePause),
        (Page::Opening | Page::Running, K::More) => Intent::Meeting(Action::AddMinute),
        (Page::Opening | Page::Running, K::Less) => Intent::Meeting(Action::RemoveMinute),
        (Page::Opening | Page::Running, K::Escape) => Intent::AskEnd,
        // A keyboard by the facilitator: 1 2 3 rate warm, neutral, cold; up counts a
        // question; down takes the last rating or question back.
        (Page::Running, K::Digit(n @ 1..=3)) => Intent::Meeting(Action::Rate(match n {
            1 => Rating::Warm,
            2 => Rating::Neutral,
            _ => Rating::Cold,
        })),
        (Page::Running, K::Up) => Intent::Meeting(Action::CountQuestion),
        (Page::Running, K::Down) => Intent::Meeting(Action::Undo),
        (Page::Summary, K::Digit(n @ 1..=5)) => Intent::Evaluate(n),
        (Page::Summary, K::Next | K::Enter) => Intent::Finish,
        _ => return None,
    })
}

/// What a push-button gesture means: mostly an intent, and a few things only buttons do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ButtonMeaning {
    Intent(Intent),
    /// A button is held down (at start-up, or stuck) and is ignored until it comes up.
    Held(Button),
    /// A held button came up.
    Freed,
    /// Both buttons were held for the wipe time: the wipe counts down.
    WipePrompt,
    /// Both buttons were held for the end time: ask to end, and let next end the case.
    AskEndByButtons,
}

/// What a gesture means now, if anything. Two buttons must run a whole meeting: next starts it
/// and moves on, pause pauses, and on the set-up page picks the next method.
pub fn button_meaning(now: &Situation, gesture: Gesture) -> Option<ButtonMeaning> {
    use Gesture as G;
    match gesture {
        G::HeldAtStart(button) | G::Stuck(button) => return Some(ButtonMeaning::Held(button)),
        G::Freed(_) => return Some(ButtonMeaning::Freed),
        G::WipePrompt => return Some(ButtonMeaning::WipePrompt),
        _ => {}
    }
    if now.wipe_prompt {
        // Any press closes it; the end-case hold that came before it is forgotten too.
        return Some(ButtonMeaning::Intent(Intent::CloseWipePrompt));
    }
    if now.confirming_end {
        let intent = match gesture {
            G::Next if now.end_by_buttons && now.in_case => Intent::ConfirmEndCase,
            G::Next => Intent::ConfirmEndMeeting,
            G::TogglePause | G::Back => Intent::CancelEnd,
            _ => return None,
        };
        return Some(ButtonMeaning::Intent(intent));
    }
    let meeting = now.in_meeting();
    let intent = match (now.page, gesture) {
        (Page::Home, G::Next | G::TogglePause) => Intent::Wake,
        (Page::Resume, G::Next) => Intent::ResumeMeeting,
        (Page::Settings, G::Next | G::TogglePause) => Intent::CloseSettings,
        (Page::Setup, G::Next) => Intent::StartMeeting,
        (Page::Setup, G::TogglePause) => Intent::CycleMethod { forward: true },
        (Page::Setup, G::Back) => Intent::CancelSetup,
        (Page::CaseQuestion, G::Next) => Intent::FinishCaseQuestion,
        (Page::CaseQuestion, G::TogglePause) => Intent::SkipCaseQuestion,
        (_, G::Next) if meeting => Intent::Meeting(Action::Next),
        (_, G::Back) if meeting => Intent::Meeting(Action::Back),
        (_, G::TogglePause) if meeting => Intent::Meeting(Action::TogglePause),
        (_, G::AddMinute) if meeting => Intent::Meeting(Action::AddMinute),
        (_, G::EndCasePrompt) if meeting => return Some(ButtonMeaning::AskEndByButtons),
        (Page::Summary, G::Next) => Intent::Finish,
        _ => return None,
    };
    Some(ButtonMeaning::Intent(intent))
}
