//! What lives around an export on the user's disk: the journal of unsaved edits, the settings
//! kept beside the export, the bots escalator ships, the user's folders.
//!
//! It builds on the bot and the export and imports nothing from the layers above it (runtime,
//! rules, cli, tui).

pub mod account;
pub mod config;
pub mod journal;
pub mod shipped;
pub mod sidecar;
