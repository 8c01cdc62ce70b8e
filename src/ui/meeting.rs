//! Fills the pages of a running meeting (opening, case question, running) from the engine's view.

use super::keys::is_text;
use super::models::SyncedModel;
use super::sink::Link;
use super::window::{
    AppWindow, CaseQuestionAdapter, CountdownState, IconName, MeetingAdapter, OpeningAdapter,
    PhaseStatus, RatingChoice, TimelineItem,
};
use crate::app::kiosk::{Kiosk, QuestionAsk};
use crate::app::page::Intent;
use crate::config::RoundDirection;
use crate::domain::engine::Action;
use crate::domain::engine::Progress;
use crate::domain::event::Rating;
use crate::domain::method::{Actor, Ms};
use crate::domain::text::Lang;
use crate::domain::time::Now;
use crate::domain::view::{NextUp, TimerState, TurnView};
use crate::format::{countdown, duration, phrases, schedule_delta, whole_minutes};
use slint::{ComponentHandle, SharedString};

#[derive(Default)]
pub struct MeetingModels {
    pub countdown: SyncedModel<SharedString>,
    pub rules: SyncedModel<SharedString>,
    pub timeline: SyncedModel<TimelineItem>,
    pub ground_rules: SyncedModel<SharedString>,
}

impl MeetingModels {
    pub fn attach(&self, window: &AppWindow) {
        let meeting = window.global::<MeetingAdapter>();
        meeting.set_countdown(self.countdown.rc());
        meeting.set_rules(self.rules.rc());
        meeting.set_timeline(self.timeline.rc());
        window
            .global::<OpeningAdapter>()
            .set_ground_rules(self.ground_rules.rc());
    }
}

pub fn actor_icon(actor: Actor, direction: RoundDirection) -> IconName {
    match actor {
        Actor::Inbrenger => IconName::Person,
        Actor::Group => IconName::Group,
        Actor::Round if direction == RoundDirection::Anticlockwise => IconName::RoundAnticlockwise,
        Actor::Round => IconName::Round,
        Actor::Silent => IconName::Silent,
        Actor::Facilitator => IconName::Facilitator,
    }
}

fn countdown_state(state: TimerState) -> CountdownState {
    match state {
        TimerState::NearEnd => CountdownState::NearEnd,
        TimerState::OverTime => CountdownState::OverTime,
        TimerState::Paused => CountdownState::Paused,
        TimerState::NotStarted | TimerState::Running | TimerState::Finished => {
            CountdownState::Running
        }
    }
}

pub fn push(window: &AppWindow, kiosk: &Kiosk, models: &MeetingModels, now: Now) {
    let Some(session) = kiosk.session() else {
        return;
    };
    let lang = kiosk.lang();
    let engine = &session.engine;
    let v = engine.view(now);
    let meeting = window.global::<MeetingAdapter>();

    let method_name = v
        .method_id
        .as_deref()
        .and_then(|id| kiosk.library().get(id))
        .map(|m| m.name.get(lang).to_string());
    let part = match &method_name {
        Some(name) => format!("{} · {name}", v.section_label.get(lang)),
        None => v.section_label.get(lang).to_string(),
    };
    meeting.set_part(part.into());
    meeting.set_title(v.title.get(lang).into());
    meeting.set_actor(v.actor.label().get(lang).into());
    meeting.set_actor_icon(actor_icon(v.actor, kiosk.config().round_direction));
    meeting.set_instruction(v.instruction.get(lang).into());
    let note = match (v.mechanics.inbrenger_outside, v.mechanics.inbrenger_silent) {
        (true, true) => phrases::INBRENGER_OUTSIDE_SILENT.text(lang),
        (true, false) => phrases::INBRENGER_OUTSIDE.text(lang),
        (false, true) => phrases::INBRENGER_SILENT.text(lang),
        (false, false) => "",
    };
    meeting.set_inbrenger_note(note.into());
    models
        .rules
        .sync(v.rules.iter().map(|r| r.get(lang).into()).collect());

    // In a round the big countdown is the turn's; the phase's total goes beside it.
    let (remaining, state) = match &v.turn {
        Some(t) => (t.remaining, t.state),
        None => (v.remaining, v.state),
    };
    let text = countdown(remaining);
    models
        .countdown
        .sync(text.chars().map(|c| c.to_string().into()).collect());
    let countdown_label = if remaining < 0 {
        phrases::OVER_TIME.with(lang, &[&&text[1..]])
    } else {
        phrases::TIME_LEFT.with(lang, &[&text])
    };
    meeting.set_countdown_label(countdown_label.into());
    meeting.set_timer_state(countdown_state(state));
    meeting.set_paused(v.paused);
    meeting.set_paused_for(duration(v.paused_for.unwrap_or(0)).into());
    meeting.set_pulse(remaining < 0 && (-remaining / 1000) % 2 == 1);
    meeting.set_is_round(v.turn.is_some());
    if let Some(t) = &v.turn {
        meeting.set_turn(phrases::TURN_OF.with(lang, &[&t.number, &t.count]).into());
        meeting.set_turn_figures(format!("{}/{}", t.number, t.count).into());
        let phase_left = countdown(v.remaining);
        meeting.set_phase_remaining(phrases::PHASE_LEFT.with(lang, &[&phase_left]).into());
        let order = round_order(lang, kiosk.config().round_direction, v.case.is_some(), t);
        meeting.set_round_order(order.into());
    }
    meeting.set_next_up(next_up(lang, &v.next).into());
    let end = v.projected_end_clock.format("%H:%M");
    meeting.set_projected_end(phrases::ENDS_AT.with(lang, &[&end]).into());
    meeting.set_schedule_delta(schedule_delta(lang, v.behind).into());
    meeting.set_behind(v.behind >= 60_000);

    let progress = engine.progress();
    let weights: Vec<Ms> = progress
        .iter()
        .map(|p| match p.status {
            Progress::Done | Progress::Skipped => p.spent,
            _ => p.total_budget().max(p.spent),
        })
        .collect();
    let total = weights.iter().sum::<Ms>().max(1) as f32;
    let plan = engine.plan();
    models.timeline.sync(
        progress
            .iter()
            .enumerate()
            .map(|(i, p)| TimelineItem {
                weight: weights[i] as f32 / total,
                status: match (i == v.phase_index, p.status) {
                    (true, _) => PhaseStatus::Current,
                    (_, Progress::Done) => PhaseStatus::Done,
                    (_, Progress::Skipped) => PhaseStatus::Skipped,
                    _ => PhaseStatus::Pending,
                },
                starts_part: i == 0 || plan.phases[i - 1].section != plan.phases[i].section,
                label: plan.phases[i].phase.title.get(lang).into(),
            })
            .collect(),
    );
    meeting.set_timeline_progress(if v.budget > 0 {
        (v.elapsed as f32 / v.budget as f32).clamp(0.0, 1.0)
    } else {
        1.0
    });
    let phase_number = v.phase_index + 1;
    meeting.set_timeline_label(
        phrases::PHASE_OF
            .with(lang, &[&phase_number, &v.phases])
            .into(),
    );
    meeting.set_rating(v.mechanics.rating);
    meeting.set_undoable(v.undoable);
    meeting.set_warm(v.ratings.warm as i32);
    meeting.set_neutral(v.ratings.neutral as i32);
    meeting.set_cold(v.ratings.cold as i32);
    meeting.set_questions(
        v.questions
            .map(|q| phrases::QUESTIONS_OF.with(lang, &[&q.asked, &q.limit]))
            .unwrap_or_default()
            .into(),
    );
    let question = v
        .case
        .and_then(|c| session.questions.get(c))
        .cloned()
        .unwrap_or_default();
    meeting.set_case_question(question.clone().into());

    let opening = window.global::<OpeningAdapter>();
    opening.set_room_name(kiosk.config().room_name.clone().into());
    models.ground_rules.sync(
        kiosk
            .library()
            .frame()
            .ground_rules
            .iter()
            .map(|r| r.get(lang).into())
            .collect(),
    );

    let case_question = window.global::<CaseQuestionAdapter>();
    if let (Some((_, ask)), Some(draft)) = (session.question_due(), session.draft.as_ref()) {
        case_question.set_case_label(v.section_label.get(lang).into());
        case_question.set_method_name(method_name.unwrap_or_default().into());
        case_question.set_again(ask == QuestionAsk::Again);
        case_question.set_sentence_start(starts_a_sentence(draft));
        case_question.set_text(draft.into());
    }
}

/// The running meeting's buttons and the case question's keyboard.
pub fn connect(window: &AppWindow, link: &Link) {
    let meeting = window.global::<MeetingAdapter>();
    meeting.on_next(link.send(Intent::Meeting(Action::Next)));
    meeting.on_back(link.send(Intent::Meeting(Action::Back)));
    meeting.on_toggle_pause(link.send(Intent::Meeting(Action::TogglePause)));
    meeting.on_add_minute(link.send(Intent::Meeting(Action::AddMinute)));
    meeting.on_remove_minute(link.send(Intent::Meeting(Action::RemoveMinute)));
    meeting.on_skip_turn(link.send(Intent::Meeting(Action::SkipTurn)));
    meeting.on_count_question(link.send(Intent::Meeting(Action::CountQuestion)));
    meeting.on_undo(link.send(Intent::Meeting(Action::Undo)));
    meeting.on_ask_end(link.send(Intent::AskEnd));
    meeting.on_rate(link.send_with(|rating| {
        Intent::Meeting(Action::Rate(match rating {
            RatingChoice::Warm => Rating::Warm,
            RatingChoice::Neutral => Rating::Neutral,
            RatingChoice::Cold => Rating::Cold,
        }))
    }));

    let question = window.global::<CaseQuestionAdapter>();
    question.on_edited(link.send_with(|text: SharedString| Intent::SetCaseQuestion(text.into())));
    let typing = link.clone();
    question.on_typed(move |typed| {
        typing.with(|sink| {
            let current = current_question(&sink.kiosk());
            sink.intent(Intent::SetCaseQuestion(current + typed.as_str()));
        });
    });
    let erasing = link.clone();
    question.on_backspace(move || {
        erasing.with(|sink| {
            let mut current = current_question(&sink.kiosk());
            current.pop();
            sink.intent(Intent::SetCaseQuestion(current));
        });
    });
    question.on_done(link.send(Intent::FinishCaseQuestion));
    question.on_skip(link.send(Intent::SkipCaseQuestion));
    let starting = link.clone();
    question.on_start_typing(move |typed| {
        if !is_text(&typed) {
            return false;
        }
        starting
            .with(|sink| {
                let current = current_question(&sink.kiosk());
                sink.intent(Intent::SetCaseQuestion(current + typed.as_str()))
            })
            .unwrap_or(false)
    });
}

/// Whether the next letter typed after `text` begins a sentence.
fn starts_a_sentence(text: &str) -> bool {
    let trimmed = text.trim_end();
    trimmed.is_empty() || (trimmed.len() < text.len() && trimmed.ends_with(['.', '?', '!']))
}

/// Who starts a round and which way it goes: in a case from beside the inbrenger, in the
/// opening and closing from the facilitator.
fn round_order(lang: Lang, direction: RoundDirection, in_case: bool, turn: &TurnView) -> String {
    let order = match (in_case, direction) {
        (true, RoundDirection::Clockwise) => phrases::ROUND_LEFT_OF_INBRENGER,
        (true, RoundDirection::Anticlockwise) => phrases::ROUND_RIGHT_OF_INBRENGER,
        (false, RoundDirection::Clockwise) => phrases::ROUND_FACILITATOR_CLOCKWISE,
        (false, RoundDirection::Anticlockwise) => phrases::ROUND_FACILITATOR_ANTICLOCKWISE,
    };
    if in_case && turn.inbrenger_turn {
        phrases::ROUND_INBRENGER_LAST.with(lang, &[&order.text(lang)])
    } else {
        order.text(lang).to_string()
    }
}

/// Where next leads, in words for the next button.
fn next_up(lang: Lang, next: &NextUp) -> String {
    match next {
        NextUp::Turn(number) => phrases::NEXT_TURN.with(lang, &[number]),
        NextUp::Phase { title, budget } => {
            let minutes = whole_minutes(*budget);
            phrases::NEXT_PHASE.with(lang, &[&title.get(lang), &minutes])
        }
        NextUp::End => phrases::NEXT_END.text(lang).to_string(),
    }
}

/// What the question page holds now.
fn current_question(kiosk: &Kiosk) -> String {
    kiosk
        .session()
        .and_then(|session| session.draft.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capital_is_offered_where_a_sentence_starts() {
        assert!(starts_a_sentence(""));
        assert!(starts_a_sentence("Hoe nu? "));
        assert!(starts_a_sentence("Ik weet het niet. "));
        assert!(!starts_a_sentence("Hoe"));
        assert!(!starts_a_sentence("Hoe "));
        assert!(
            !starts_a_sentence("bijv."),
            "no space yet: maybe an abbreviation"
        );
    }
}
