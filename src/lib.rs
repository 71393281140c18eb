//! escalator: a terminal editor for the LivePerson Agent Escalation integrations of
//! Conversation Builder bots. The engine (every folder but `cli` and `tui`) never touches the
//! terminal; the TUI and the headless command line are its two faces.
//!
//! The folders are layers, each importing only from its own and those before it:
//! [`export`] < [`bot`] < [`workspace`] < [`runtime`] < [`rules`] < [`cli`], [`tui`].

pub mod bot;
pub mod cli;
pub mod export;
pub mod rules;
pub mod runtime;
pub mod tui;
pub mod workspace;
