//! intervisie-kiosk: a room appliance that guides a group through an intervisie meeting.

pub mod domain;
