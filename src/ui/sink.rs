//! Where the page adapters send what a person did: intents, key presses and wake-ups, with a
//! look at the kiosk for the few callbacks that need one. The controller is the one sink; the
//! adapters hold it weakly, so a closed window frees it.

use crate::app::kiosk::Kiosk;
use crate::app::page::Intent;
use std::cell::Ref;
use std::rc::{Rc, Weak};

pub trait Sink {
    /// Carries out `intent`; true when something changed.
    fn intent(self: Rc<Self>, intent: Intent) -> bool;
    /// A key press, by the text of Slint's key event.
    fn key(self: Rc<Self>, text: &str) -> bool;
    /// A tap on the dimmed screen.
    fn wake(self: Rc<Self>);
    fn kiosk(&self) -> Ref<'_, Kiosk>;
}

/// A weak handle on the sink, for the adapters' callbacks.
#[derive(Clone)]
pub struct Link(Weak<dyn Sink>);

impl Link {
    pub fn new(sink: Weak<dyn Sink>) -> Link {
        Link(sink)
    }

    /// Runs `f` with the sink, unless it is gone.
    pub fn with<R>(&self, f: impl FnOnce(Rc<dyn Sink>) -> R) -> Option<R> {
        self.0.upgrade().map(f)
    }

    /// A callback that sends `intent` each time it is called.
    pub fn send(&self, intent: Intent) -> impl FnMut() + 'static {
        let link = self.clone();
        move || {
            link.with(|sink| sink.intent(intent.clone()));
        }
    }

    /// A callback that sends the intent `make` builds from the callback's argument.
    pub fn send_with<A>(&self, make: impl Fn(A) -> Intent + 'static) -> impl FnMut(A) + 'static {
        let link = self.clone();
        move |argument| {
            link.with(|sink| sink.intent(make(argument)));
        }
    }
}
