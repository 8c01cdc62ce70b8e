//! Every piece of text the screen and the command line say from Rust, Dutch first, English
//! second, in one place. Text written in the `.slint` files is translated through the `.po`
//! file instead; both have a test that no string lacks its Dutch. `{}` takes the next argument,
//! `{N}` the Nth, so a translation can put them in its own order.

use crate::domain::text::Lang;
use std::fmt::Display;

/// One phrase in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub nl: &'static str,
    pub en: &'static str,
}

impl Phrase {
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.nl,
            Lang::En => self.en,
        }
    }

    /// The phrase with its placeholders filled from `args`.
    pub fn with(self, lang: Lang, args: &[&dyn Display]) -> String {
        fill(self.text(lang), args)
    }
}

/// A template cut into its text and its placeholders: each piece of text, then the argument
/// that follows it (`None` after the last).
fn pieces(template: &str) -> Vec<(&str, Option<usize>)> {
    let mut pieces = Vec::new();
    let mut next = 0;
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let inside = &rest[open + 1..close];
        let index = if inside.is_empty() {
            next += 1;
            next - 1
        } else {
            inside.parse().unwrap_or(usize::MAX)
        };
        pieces.push((&rest[..open], Some(index)));
        rest = &rest[close + 1..];
    }
    pieces.push((rest, None));
    pieces
}

fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    for (text, index) in pieces(template) {
        out.push_str(text);
        if let Some(index) = index {
            out.push_str(&args[index].to_string());
        }
    }
    out
}

/// The placeholders of a template, as argument indices, in the order they appear.
pub fn placeholders(template: &str) -> Vec<usize> {
    pieces(template)
        .into_iter()
        .filter_map(|(_, index)| index)
        .collect()
}

macro_rules! phrases {
    ($($(#[$doc:meta])* $name:ident = $nl:literal / $en:literal;)*) => {
        $($(#[$doc])* pub const $name: Phrase = Phrase { nl: $nl, en: $en };)*
        /// Every phrase by name, for the test that each has its Dutch.
        pub const ALL: &[(&str, Phrase)] = &[$((stringify!($name), $name)),*];
    };
}

const fn p(nl: &'static str, en: &'static str) -> Phrase {
    Phrase { nl, en }
}

pub const WEEKDAYS: [Phrase; 7] = [
    p("maandag", "Monday"),
    p("dinsdag", "Tuesday"),
    p("woensdag", "Wednesday"),
    p("donderdag", "Thursday"),
    p("vrijdag", "Friday"),
    p("zaterdag", "Saturday"),
    p("zondag", "Sunday"),
];

pub const MONTHS: [Phrase; 12] = [
    p("januari", "January"),
    p("februari", "February"),
    p("maart", "March"),
    p("april", "April"),
    p("mei", "May"),
    p("juni", "June"),
    p("juli", "July"),
    p("augustus", "August"),
    p("september", "September"),
    p("oktober", "October"),
    p("november", "November"),
    p("december", "December"),
];

pub const WEEKDAYS_SHORT: [Phrase; 7] = [
    p("ma", "Mon"),
    p("di", "Tue"),
    p("wo", "Wed"),
    p("do", "Thu"),
    p("vr", "Fri"),
    p("za", "Sat"),
    p("zo", "Sun"),
];

pub const MONTHS_SHORT: [Phrase; 12] = [
    p("jan", "Jan"),
    p("feb", "Feb"),
    p("mrt", "Mar"),
    p("apr", "Apr"),
    p("mei", "May"),
    p("jun", "Jun"),
    p("jul", "Jul"),
    p("aug", "Aug"),
    p("sep", "Sep"),
    p("okt", "Oct"),
    p("nov", "Nov"),
    p("dec", "Dec"),
];

phrases! {
    // The push buttons and the store, on every page.
    BUTTON_NEXT = "volgende" / "next";
    BUTTON_PAUSE = "pauze" / "pause";
    BUTTON_HELD = "De knop {} wordt ingedrukt gehouden of zit vast. Hij doet niets tot hij loskomt; de andere knop werkt wel."
        / "The {} button is held down or stuck. It does nothing until it comes up; the other button still works.";
    BUTTONS_UNAVAILABLE = "De drukknoppen werken niet ({}). Aanraken en toetsen werken wel."
        / "The push buttons do not work ({}). Touch and keys still do.";
    STORE_UNAVAILABLE = "Sessies worden niet bewaard ({}). De bijeenkomst werkt wel; na een stroomstoring is hij weg."
        / "Sessions are not being kept ({}). The meeting works; after a power cut it is gone.";
    SAVING_FAILS = "Opslaan lukt niet{}. De bijeenkomst loopt door in het geheugen; opslaan wordt steeds opnieuw geprobeerd."
        / "Saving fails{}. The meeting goes on in memory; saving is tried again and again.";
    DISK_FULL = " (de schijf is vol)" / " (the disk is full)";
    STARTED_AFRESH = "De opgeslagen sessies waren niet leesbaar en zijn apart gezet; er is opnieuw begonnen. Tik om te sluiten."
        / "The saved sessions could not be read and were set aside; the kiosk started afresh. Tap to close.";
    WIPE_FINISHED = "Een onderbroken wisbeurt is afgemaakt. Tik om te sluiten."
        / "An interrupted wipe was finished. Tap to close.";
    WIPED = "Gewist. Tik om te sluiten." / "Wiped. Tap to close.";
    WIPED_WITHOUT_ROOM = "Gewist: de sleutel is vernietigd, niets van wat bewaard was is nog te lezen. De schijf is vol: er wordt niets bewaard tot er weer ruimte is."
        / "Wiped: the key is destroyed, nothing that was kept can be read. The disk is full: nothing is kept until there is room again.";
    WIPE_FAILING = "Wissen is niet gelukt{}: er is niets gewist. De kiosk probeert het opnieuw tot het lukt."
        / "The wipe did not work{}: nothing was wiped. The kiosk tries again until it does.";

    // Settings.
    KEEP_UNTIL_THE_END = "Na afloop" / "At the end";
    KEEP_A_YEAR = "1 jaar" / "1 year";
    KEEP_DAYS = "{} dagen" / "{} days";

    // The set-up page, and `plan` on the command line.
    SETUP_TOO_SHORT = "Past niet: met {} deelnemers duurt dit minstens {} minuten. Kies meer tijd, minder deelnemers of een kortere methode."
        / "Does not fit: with {} members this takes at least {} minutes. Choose more time, fewer members or a shorter method.";
    SETUP_TOO_LONG = "Deze bijeenkomst vult hoogstens {} minuten; ze eindigt dus eerder. Kies een tweede casus of minder tijd."
        / "This meeting fills at most {} minutes, so it ends early. Add a second case or choose less time.";
    END_TIME_PASSED = "Die eindtijd is al voorbij." / "That end time has already passed.";
    PLAN_UNKNOWN_METHOD = "De methode ‘{}’ is er niet (meer)." / "The method ‘{}’ is not there (any more).";
    PLAN_MEMBERS = "Een groep heeft {} tot {} leden." / "A group has {} to {} members.";
    PLAN_NO_CASES = "Kies minstens één casus." / "Choose at least one case.";
    PLAN_TOO_MANY_CASES = "Hoogstens {} casussen passen in één bijeenkomst." / "At most {} cases fit in one meeting.";
    PLAN_LENGTH = "Een bijeenkomst duurt 1 tot {} minuten." / "A meeting lasts 1 to {} minutes.";
    PLAN_TOO_SHORT = "Past niet: {0} minuten is te kort. Met {1} deelnemers duurt deze bijeenkomst minstens {2} minuten. Kies meer tijd, minder deelnemers of een kortere methode."
        / "Does not fit: {0} minutes is too short. With {1} members this meeting needs at least {2} minutes. Choose more time, fewer members or a shorter method.";
    PLAN_TOO_LONG = "Past niet: {} minuten is te lang. Deze bijeenkomst vult hoogstens {} minuten. Kies minder tijd of een tweede casus."
        / "Does not fit: {} minutes is too long. This meeting fills at most {} minutes. Choose less time or a second case.";

    // The meeting.
    TIME_LEFT = "nog {}" / "{} left";
    OVER_TIME = "{} over tijd" / "{} over time";
    TURN_OF = "Beurt {} van {}" / "Turn {} of {}";
    PHASE_LEFT = "fase nog {}" / "phase {} left";
    ENDS_AT = "einde {}" / "ends {}";
    PHASE_OF = "Fase {} van {}" / "Phase {} of {}";
    QUESTIONS_OF = "Vragen {} van {}" / "Questions {} of {}";
    /// Where the inbrenger is and what they do in a phase that says so.
    INBRENGER_OUTSIDE_SILENT = "Inbrenger zit buiten de kring en zwijgt" / "The case owner sits outside the circle, silent";
    INBRENGER_OUTSIDE = "Inbrenger zit buiten de kring" / "The case owner sits outside the circle";
    INBRENGER_SILENT = "Inbrenger luistert en zwijgt" / "The case owner listens, silent";
    /// Who starts a round and which way it goes.
    ROUND_LEFT_OF_INBRENGER = "Links van de inbrenger begint, dan met de klok mee" / "The one on the case owner's left starts, then clockwise";
    ROUND_RIGHT_OF_INBRENGER = "Rechts van de inbrenger begint, dan tegen de klok in" / "The one on the case owner's right starts, then anticlockwise";
    ROUND_FACILITATOR_CLOCKWISE = "De begeleider begint, dan met de klok mee" / "The facilitator starts, then clockwise";
    ROUND_FACILITATOR_ANTICLOCKWISE = "De begeleider begint, dan tegen de klok in" / "The facilitator starts, then anticlockwise";
    ROUND_INBRENGER_LAST = "{}; de inbrenger als laatste" / "{}; the case owner last";
    /// Where next leads: shown on the next button.
    NEXT_TURN = "Beurt {}" / "Turn {}";
    NEXT_PHASE = "{} · {} min" / "{} · {} min";
    NEXT_END = "Samenvatting" / "Summary";
    RATINGS_COUNTED = "warm {} · neutraal {} · koud {}" / "warm {} · neutral {} · cold {}";
    QUESTIONS_COUNTED = "{} vragen gesteld" / "{} questions asked";
    ON_SCHEDULE = "op schema" / "on schedule";
    MINUTES_BEHIND = "{} min achter op schema" / "{} min behind";
    MINUTES_AHEAD = "{} min vóór op schema" / "{} min ahead";

    // The summary, the history and the resume page.
    SUMMARY_TOTALS = "Gepland {} min · werkelijk {} min · waarvan {} min pauze"
        / "Planned {} min · actual {} min · of which {} min paused";
    MEMBERS = "{} deelnemers" / "{} members";
    HISTORY_TOTALS = "Gepland {} min, werkelijk {} min{}" / "Planned {} min, actual {} min{}";
    HISTORY_EVALUATION = " · evaluatie {}/5" / " · evaluation {}/5";
    HISTORY_UNFINISHED = "Gepland {} min · niet afgemaakt (onderbroken)"
        / "Planned {} min · not finished (interrupted)";
    OVERRUNS_TITLE = "{} gemiddeld, per fase (minuten t.o.v. plan)"
        / "{} on average, per phase (minutes against plan)";
    TURN = "beurt" / "turn";
    PHASE = "fase" / "phase";
    CANNOT_RESUME = "Deze bijeenkomst kan niet verder: {} Beëindig hem; wat er gebeurde blijft bewaard."
        / "This meeting cannot go on: {} End it; what happened is kept.";
    RESUME_PHASES_CHANGED = "de methoden zijn intussen veranderd." / "the methods changed in the meantime.";
    RESUME_OTHER_VERSION = "hij is bewaard door een andere versie van de kiosk." / "it was kept by another version of the kiosk.";

    // The PIN pad.
    PIN_FOR_HISTORY = "geschiedenis" / "history";
    PIN_FOR_SETTINGS = "instellingen" / "settings";
    PIN_WRONG = "Onjuiste PIN." / "Wrong PIN.";
    PIN_WRONG_WAIT = "Onjuiste PIN. Probeer het over {} opnieuw." / "Wrong PIN. Try again in {}.";
    SECONDS = "{} seconden" / "{} seconds";
    MINUTES = "{} minuten" / "{} minutes";

    // `plan`, `methods list` and `methods show` on the command line.
    MEMBERS_HEADING = "deelnemers" / "members";
    START = "begin" / "start";
    END = "eind" / "end";
    PART = "onderdeel" / "part";
    DONE_AT = "einde" / "ends";
    NAME = "naam" / "name";
    PHASES = "fasen" / "phases";
    LENGTH_FOR_MEMBERS = "duur ({} deelnemers)" / "length ({} members)";
    SUITS = "geschikt voor" / "suits";
    GROUP_SIZE = "groepsgrootte" / "group size";
    WHO = "wie" / "who";
    TURNS = "beurten" / "turns";
    MINUTES_HEADING = "minuten" / "minutes";
    TOTAL = "Totaal" / "Total";
    MEANT_FOR = "Let op: deze methode is bedoeld voor {} tot {} deelnemers, niet {}."
        / "Note: this method is meant for {} to {} members, not {}.";
    CASE_DOES_NOT_FIT = "Past niet: {0} minuten gevraagd, deze casus duurt met {2} deelnemers {1} minuten."
        / "Does not fit: {0} minutes asked, this case takes {1} minutes with {2} members.";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Phrases whose Dutch is the same as their English (a month, a word shared by both).
    const SAME_IN_BOTH: &[&str] = &[
        "april",
        "september",
        "november",
        "december",
        "jan",
        "feb",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "nov",
        "dec",
        // A phase and its minutes: "min" is the same word in both.
        "{} · {} min",
    ];

    fn every_phrase() -> Vec<(String, Phrase)> {
        let lists = [
            ("WEEKDAYS", &WEEKDAYS[..]),
            ("MONTHS", &MONTHS[..]),
            ("WEEKDAYS_SHORT", &WEEKDAYS_SHORT[..]),
            ("MONTHS_SHORT", &MONTHS_SHORT[..]),
        ];
        let mut all: Vec<(String, Phrase)> = ALL.iter().map(|(n, p)| (n.to_string(), *p)).collect();
        for (name, list) in lists {
            all.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{name}[{i}]"), *p)),
            );
        }
        all
    }

    #[test]
    fn every_phrase_has_its_dutch_with_the_same_placeholders() {
        for (name, phrase) in every_phrase() {
            assert!(!phrase.nl.trim().is_empty(), "{name} has no Dutch");
            assert!(!phrase.en.trim().is_empty(), "{name} has no English");
            let (mut nl, mut en) = (placeholders(phrase.nl), placeholders(phrase.en));
            nl.sort();
            en.sort();
            assert_eq!(
                nl, en,
                "{name}: the Dutch and English take different arguments"
            );
            let same = phrase.nl.eq_ignore_ascii_case(phrase.en);
            assert!(
                !same || SAME_IN_BOTH.contains(&phrase.nl.to_lowercase().as_str()),
                "{name} is not translated: {:?}",
                phrase.nl
            );
        }
    }

    #[test]
    fn placeholders_are_filled_in_order_or_by_number() {
        assert_eq!(TURN_OF.with(Lang::Nl, &[&2, &5]), "Beurt 2 van 5");
        assert_eq!(
            CASE_DOES_NOT_FIT.with(Lang::Nl, &[&60, &75, &6]),
            "Past niet: 60 minuten gevraagd, deze casus duurt met 6 deelnemers 75 minuten."
        );
        assert_eq!(
            CASE_DOES_NOT_FIT.with(Lang::En, &[&60, &75, &6]),
            "Does not fit: 60 minutes asked, this case takes 75 minutes with 6 members."
        );
        assert_eq!(WIPED.with(Lang::En, &[]), "Wiped. Tap to close.");
    }
}
