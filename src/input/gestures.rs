//! Two push buttons turned into gestures: timestamped edges in, short presses, long presses and
//! holds of both out. Pure and time-injected, so real switch behaviour (bounce, stuck contacts,
//! late deliveries) is tested without hardware.
//!
//! An edge counts only once the button's level has stayed put for the debounce time, measured
//! from the last edge; that filters bounce. Edges are taken in order of their own timestamps,
//! each one debounce time after it happened, so edges that reach the event loop a little out of
//! order (two interrupt threads racing) are sorted first. A gesture never fires from a level
//! that did not settle.

use crate::domain::method::Ms;
use crate::domain::time::Instant;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Button {
    Next,
    Pause,
}

impl Button {
    pub const ALL: [Button; 2] = [Button::Next, Button::Pause];

    fn index(self) -> usize {
        match self {
            Button::Next => 0,
            Button::Pause => 1,
        }
    }

    fn other(self) -> Button {
        match self {
            Button::Next => Button::Pause,
            Button::Pause => Button::Next,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Button::Next => "next",
            Button::Pause => "pause",
        }
    }
}

/// One change of a button's level, as the interrupt saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub button: Button,
    pub pressed: bool,
    pub at: Instant,
}

/// What the buttons mean, before the page decides what to do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gesture {
    /// Next, short press.
    Next,
    /// Next, held for the long-press time.
    Back,
    /// Pause, short press.
    TogglePause,
    /// Pause, held for the long-press time.
    AddMinute,
    /// Both held for the end-case time.
    EndCasePrompt,
    /// Both held for the wipe time.
    WipePrompt,
    /// A button was already down when the program started; it is ignored until released.
    HeldAtStart(Button),
    /// A button has been down so long that it must be stuck; it is ignored until released,
    /// and the other button works on its own.
    Stuck(Button),
    /// A stuck (or held-at-start) button came up and works again.
    Freed(Button),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// How long a level must stay put before it counts.
    pub debounce: Ms,
    /// Holding one button this long is a long press.
    pub long_press: Ms,
    /// Holding both this long asks to end the case.
    pub end_case_hold: Ms,
    /// Holding both this long asks to wipe.
    pub wipe_hold: Ms,
    /// Holding one button this long means it is stuck.
    pub stuck: Ms,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            debounce: 20,
            long_press: 1_000,
            end_case_hold: 3_000,
            wipe_hold: 10_000,
            stuck: 30_000,
        }
    }
}

/// Which hold of both buttons is under way, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BothHeld {
    pub since: Instant,
    pub end_case_at: Instant,
    pub wipe_at: Instant,
}

#[derive(Clone, Copy, Debug)]
struct Contact {
    /// The level of the last edge seen, and when it came.
    raw: bool,
    raw_at: Instant,
    /// The settled level, and when it began (the edge that started it, not when it settled).
    pressed: bool,
    since: Instant,
    /// Down at start-up or stuck: ignored until it comes up.
    ignored: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Idle,
    /// One button down; `long` once its long press fired.
    One {
        button: Button,
        long: bool,
    },
    /// Both down, counted from the second press.
    Both {
        since: Instant,
        end_case: bool,
        wipe: bool,
    },
    /// After a hold of both, or a press that made no sense: nothing until both are up.
    Spent,
}

pub struct Gestures {
    timing: Timing,
    contacts: [Contact; 2],
    /// Edges not yet applied, kept sorted by time.
    pending: Vec<Edge>,
    mode: Mode,
    /// Edges up to here are taken; a later edge that claims an earlier time is moved here.
    decided: Instant,
}

impl Gestures {
    /// `held` is each button's level read at start-up (Next, Pause).
    pub fn new(timing: Timing, held: [bool; 2], now: Instant) -> (Gestures, Vec<Gesture>) {
        let contact = |pressed: bool| Contact {
            raw: pressed,
            raw_at: now,
            pressed,
            since: now,
            ignored: pressed,
        };
        let gestures = Gestures {
            timing,
            contacts: [contact(held[0]), contact(held[1])],
            pending: Vec::new(),
            mode: Mode::Idle,
            decided: now,
        };
        let out = Button::ALL
            .into_iter()
            .filter(|b| held[b.index()])
            .map(Gesture::HeldAtStart)
            .collect();
        (gestures, out)
    }

    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// Takes an edge. Nothing is decided until [`Gestures::advance`].
    pub fn edge(&mut self, mut edge: Edge) {
        // Too late to be sorted in: treat it as happening now, rather than rewrite the past.
        if edge.at < self.decided {
            edge.at = self.decided;
        }
        let at = self.pending.partition_point(|e| e.at <= edge.at);
        self.pending.insert(at, edge);
    }

    /// Decides everything up to `now` and returns the gestures, in order.
    pub fn advance(&mut self, now: Instant) -> Vec<Gesture> {
        let mut out = Vec::new();
        while let Some((at, step)) = self.next_step() {
            if at > now {
                break;
            }
            match step {
                Step::Edge => {
                    let edge = self.pending.remove(0);
                    self.decided = self.decided.max(edge.at);
                    let c = &mut self.contacts[edge.button.index()];
                    c.raw = edge.pressed;
                    c.raw_at = edge.at;
                }
                Step::Settle(button) => {
                    let c = &mut self.contacts[button.index()];
                    let held_for = c.raw_at - c.since;
                    c.pressed = c.raw;
                    c.since = c.raw_at;
                    self.settled(button, held_for, &mut out);
                }
                Step::Timer => self.timers(at, &mut out),
            }
        }
        self.decided = self.decided.max(now - self.timing.debounce);
        out
    }

    /// When [`Gestures::advance`] should next be called, if nothing else happens first.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.next_step().map(|(at, _)| at)
    }

    /// Whether both buttons are being held, and when the prompts will come.
    pub fn both_held(&self) -> Option<BothHeld> {
        match self.mode {
            Mode::Both { since, .. } => Some(BothHeld {
                since,
                end_case_at: since + self.timing.end_case_hold + self.timing.debounce,
                wipe_at: since + self.timing.wipe_hold + self.timing.debounce,
            }),
            _ => None,
        }
    }

    /// The settled level of a button (true while pressed), ignoring nothing.
    pub fn is_pressed(&self, button: Button) -> bool {
        self.contacts[button.index()].pressed
    }

    fn next_step(&self) -> Option<(Instant, Step)> {
        let mut best: Option<(Instant, Step)> = None;
        let mut consider = |at: Instant, step: Step| {
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, step));
            }
        };
        if let Some(edge) = self.pending.first() {
            consider(edge.at + self.timing.debounce, Step::Edge);
        }
        for button in Button::ALL {
            let c = &self.contacts[button.index()];
            if c.raw != c.pressed {
                let settles = c.raw_at + self.timing.debounce;
                // An edge before the settling time restarts it; it is handled first.
                if self
                    .pending
                    .iter()
                    .all(|e| e.button != button || e.at > settles)
                {
                    consider(settles, Step::Settle(button));
                }
            }
        }
        if let Some(at) = self.timer_due() {
            consider(at, Step::Timer);
        }
        best
    }

    /// The next time something happens to a held button. Holds are judged one debounce time
    /// late, when every edge up to the hold's end has been taken: a release just before the
    /// second is a short press, even though it is known only after the second.
    fn timer_due(&self) -> Option<Instant> {
        let t = &self.timing;
        let after = |hold: Ms| hold + t.debounce;
        let mut due: Vec<Instant> = Vec::new();
        match self.mode {
            Mode::One { button, long } => {
                let c = &self.contacts[button.index()];
                if !long {
                    due.push(c.since + after(t.long_press));
                }
                due.push(c.since + after(t.stuck));
            }
            Mode::Both {
                since,
                end_case,
                wipe,
            } => {
                if !end_case {
                    due.push(since + after(t.end_case_hold));
                } else if !wipe {
                    due.push(since + after(t.wipe_hold));
                }
                due.push(since + after(t.stuck));
            }
            Mode::Idle | Mode::Spent => {}
        }
        // A button that is down but not part of a gesture can still get stuck.
        for button in Button::ALL {
            let c = &self.contacts[button.index()];
            if c.pressed && !c.ignored && !matches!(self.mode, Mode::One { .. } | Mode::Both { .. })
            {
                due.push(c.since + after(t.stuck));
            }
        }
        due.into_iter().min()
    }

    fn timers(&mut self, now: Instant, out: &mut Vec<Gesture>) {
        let t = self.timing;
        let after = |hold: Ms| hold + t.debounce;
        match self.mode {
            Mode::One { button, long } => {
                let since = self.contacts[button.index()].since;
                if !long && now >= since + after(t.long_press) {
                    out.push(match button {
                        Button::Next => Gesture::Back,
                        Button::Pause => Gesture::AddMinute,
                    });
                    self.mode = Mode::One { button, long: true };
                }
                if now >= since + after(t.stuck) {
                    self.contacts[button.index()].ignored = true;
                    out.push(Gesture::Stuck(button));
                    self.mode = Mode::Idle;
                }
            }
            Mode::Both {
                since,
                end_case,
                wipe,
            } => {
                if !end_case && now >= since + after(t.end_case_hold) {
                    out.push(Gesture::EndCasePrompt);
                    self.mode = Mode::Both {
                        since,
                        end_case: true,
                        wipe,
                    };
                } else if end_case && !wipe && now >= since + after(t.wipe_hold) {
                    out.push(Gesture::WipePrompt);
                    self.mode = Mode::Both {
                        since,
                        end_case,
                        wipe: true,
                    };
                }
                // Something leaning on both buttons is not a person asking for anything.
                if now >= since + after(t.stuck) {
                    for button in Button::ALL {
                        self.contacts[button.index()].ignored = true;
                        out.push(Gesture::Stuck(button));
                    }
                    self.mode = Mode::Spent;
                }
            }
            Mode::Idle | Mode::Spent => {}
        }
        if !matches!(self.mode, Mode::One { .. } | Mode::Both { .. }) {
            for button in Button::ALL {
                let c = &mut self.contacts[button.index()];
                if c.pressed && !c.ignored && now >= c.since + after(t.stuck) {
                    c.ignored = true;
                    out.push(Gesture::Stuck(button));
                }
            }
        }
    }

    /// A button's level has settled to something new.
    /// `held_for` is how long the previous level lasted.
    fn settled(&mut self, button: Button, held_for: Ms, out: &mut Vec<Gesture>) {
        let c = self.contacts[button.index()];
        if c.ignored {
            if !c.pressed {
                self.contacts[button.index()].ignored = false;
                out.push(Gesture::Freed(button));
                if self.mode == Mode::Spent && !self.any_pressed() {
                    self.mode = Mode::Idle;
                }
            }
            return;
        }
        let other = self.contacts[button.other().index()];
        let other_counts = other.pressed && !other.ignored;
        self.mode = match (self.mode, c.pressed) {
            (Mode::Idle, true) => {
                if other_counts {
                    // The other was down but not part of a gesture (it came up as spent).
                    Mode::Spent
                } else {
                    Mode::One {
                        button,
                        long: false,
                    }
                }
            }
            (Mode::One { button: held, long }, true) if held != button => {
                if long {
                    // The long press already did something; a chord now would surprise.
                    Mode::Spent
                } else {
                    Mode::Both {
                        since: c.since,
                        end_case: false,
                        wipe: false,
                    }
                }
            }
            (Mode::One { button: held, long }, false) if held == button => {
                if !long {
                    out.push(match (button, held_for >= self.timing.long_press) {
                        (Button::Next, false) => Gesture::Next,
                        (Button::Next, true) => Gesture::Back,
                        (Button::Pause, false) => Gesture::TogglePause,
                        (Button::Pause, true) => Gesture::AddMinute,
                    });
                }
                Mode::Idle
            }
            (Mode::Both { .. }, false) => {
                if other_counts {
                    Mode::Spent
                } else {
                    Mode::Idle
                }
            }
            (Mode::Spent, false) if !self.any_counted_pressed() => Mode::Idle,
            (mode, _) => mode,
        };
    }

    fn any_pressed(&self) -> bool {
        self.contacts.iter().any(|c| c.pressed)
    }

    fn any_counted_pressed(&self) -> bool {
        self.contacts.iter().any(|c| c.pressed && !c.ignored)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Edge,
    Settle(Button),
    Timer,
}
