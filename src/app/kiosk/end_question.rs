//! "End the meeting?", asked before a meeting (or a case) ends: by a tap, a key, or by holding
//! both push buttons, which then answer it too (next ends the case, pause goes on).

#[derive(Clone, Copy, Debug, Default)]
pub struct EndQuestion {
    asked: bool,
    by_buttons: bool,
}

impl EndQuestion {
    pub fn is_asked(self) -> bool {
        self.asked
    }

    /// Asked by holding both buttons.
    pub fn by_buttons(self) -> bool {
        self.asked && self.by_buttons
    }

    pub fn ask(&mut self, by_buttons: bool) {
        self.asked = true;
        self.by_buttons = by_buttons;
    }

    pub fn close(&mut self) {
        self.asked = false;
    }
}
