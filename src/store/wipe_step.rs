//! The steps of a wipe, named so that a test can stop one dead after any of them.

/// The steps of a wipe, in order; a test may stop after any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum WipeStep {
    MarkerWritten,
    KeptCopied,
    OldKeyDestroyed,
    OldDatabaseRemoved,
    NewDatabaseInPlace,
}

pub const ALL_STEPS: [WipeStep; 5] = [
    WipeStep::MarkerWritten,
    WipeStep::KeptCopied,
    WipeStep::OldKeyDestroyed,
    WipeStep::OldDatabaseRemoved,
    WipeStep::NewDatabaseInPlace,
];
