//! The toolkit's key events, mapped onto what they mean (`input::keys::KeyCommand`).

use crate::input::keys::KeyCommand;
use slint::platform::Key as SlintKey;

fn is(text: &str, key: SlintKey) -> bool {
    let mut buf = [0u8; 4];
    text == char::from(key).encode_utf8(&mut buf)
}

/// Maps the text of a Slint key event.
pub fn map_key(text: &str) -> KeyCommand {
    if is(text, SlintKey::RightArrow) || is(text, SlintKey::PageDown) {
        KeyCommand::Next
    } else if is(text, SlintKey::Return) || text == "\r" {
        KeyCommand::Enter
    } else if is(text, SlintKey::LeftArrow) || is(text, SlintKey::PageUp) {
        KeyCommand::Back
    } else if is(text, SlintKey::Escape) {
        KeyCommand::Escape
    } else if is(text, SlintKey::UpArrow) {
        KeyCommand::Up
    } else if is(text, SlintKey::DownArrow) {
        KeyCommand::Down
    } else {
        match text {
            " " | "b" | "B" | "." => KeyCommand::PauseResume,
            "+" | "=" => KeyCommand::More,
            "-" | "_" => KeyCommand::Less,
            _ => match text.chars().collect::<Vec<_>>()[..] {
                [c @ '0'..='9'] => KeyCommand::Digit(c as u8 - b'0'),
                _ => KeyCommand::Other,
            },
        }
    }
}

/// Whether a key event's text is something typed (a letter, a digit, a space), not a key that
/// Slint names with a control or private-use character (arrows, Shift, Tab, Escape, ...).
pub fn is_text(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() && !('\u{e000}'..='\u{f8ff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: SlintKey) -> String {
        char::from(k).to_string()
    }

    #[test]
    fn clicker_and_keyboard_keys() {
        assert_eq!(map_key(&key(SlintKey::RightArrow)), KeyCommand::Next);
        assert_eq!(map_key(&key(SlintKey::PageDown)), KeyCommand::Next);
        assert_eq!(map_key(&key(SlintKey::Return)), KeyCommand::Enter);
        assert_eq!(map_key(&key(SlintKey::LeftArrow)), KeyCommand::Back);
        assert_eq!(map_key(&key(SlintKey::PageUp)), KeyCommand::Back);
        assert_eq!(map_key(&key(SlintKey::Escape)), KeyCommand::Escape);
        for pause in [" ", "b", "B", "."] {
            assert_eq!(map_key(pause), KeyCommand::PauseResume);
        }
        assert_eq!(map_key("+"), KeyCommand::More);
        assert_eq!(map_key("-"), KeyCommand::Less);
        assert_eq!(map_key("3"), KeyCommand::Digit(3));
        assert_eq!(map_key("0"), KeyCommand::Digit(0), "a PIN may contain 0");
        assert_eq!(map_key("x"), KeyCommand::Other);
    }

    #[test]
    fn only_characters_are_typed_text() {
        for typed in ["x", "é", "ë", "B", "?", " ", "7"] {
            assert!(is_text(typed), "{typed:?}");
        }
        for special in [
            SlintKey::RightArrow,
            SlintKey::PageDown,
            SlintKey::Shift,
            SlintKey::Tab,
            SlintKey::Escape,
            SlintKey::Backspace,
            SlintKey::Return,
        ] {
            assert!(!is_text(&key(special)), "{special:?}");
        }
        assert!(!is_text(""));
    }
}
