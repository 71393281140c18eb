//! escalator: a terminal editor for the LivePerson Agent Escalation integrations of
//! Conversation Builder bots. The engine (this library) never touches the terminal; the TUI
//! and the headless command line are clients of it.

pub mod agent_transfer;
pub mod assets;
pub mod bot;
pub mod cli;
pub mod delay;
pub mod dialogs;
pub mod generate;
pub mod ids;
pub mod integration;
pub mod journal;
pub mod naming;
pub mod script;
pub mod shown;
pub mod sidecar;
pub mod simulate;
pub mod template;
pub mod transfer;
pub mod tui;
pub mod validate;
