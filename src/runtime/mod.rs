//! What an escalation does when it runs: the interaction delay it needs, the transfer request
//! body, the transform scripts run on a sample result, the simulated timeline.
//!
//! It builds on the bot and the workspace and imports nothing from the layers above it (rules,
//! cli, tui).

pub mod delay;
pub mod script;
pub mod simulate;
pub mod transfer;
