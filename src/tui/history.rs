//! Undo and redo: every change to the bot (and to escalator's settings for it) as one step,
//! kept through saves, and whether what is open differs from what was saved, read from the
//! steps between the two rather than from a flag.

use crate::bot::BotDocument;
use crate::export::Changes;
use crate::workspace::sidecar::Sidecar;

use super::model::{EditTarget, Focus};

/// Where the selection and the focus were, to go back to with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub selected: usize,
    pub selected_transfer: Option<usize>,
    pub focus: Focus,
}

/// What typing in one field of one subject collects into one step, while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Typing {
    pub subject: (usize, Option<usize>),
    pub target: EditTarget,
}

/// One undoable change.
#[derive(Debug, Clone)]
pub struct Step {
    /// What it did, in words: "delete AgentEscalation".
    pub label: String,
    /// Putting these back goes to the other side of the step.
    pub changes: Changes,
    /// escalator's settings on the other side, when the step changed them.
    pub settings: Option<Sidecar>,
    /// Where the selection goes when the step is crossed.
    pub spot: Spot,
    /// The field being typed in while the step collects keystrokes.
    typing: Option<Typing>,
}

/// The most steps kept: the oldest go first.
const KEPT_STEPS: usize = 1000;

/// Steps past the saved state that are compared item by item; past it the bot counts as
/// changed (a long way from the save, the comparison would cost more than it tells).
const COMPARED_STEPS: usize = 256;

/// The steps done and undone, and where the saved state is among them.
#[derive(Debug, Clone, Default)]
pub struct History {
    done: Vec<Step>,
    undone: Vec<Step>,
    /// How many steps were done when the bot was last saved (or opened); `None` when that
    /// state can no longer be reached (steps were undone past it, then another was made).
    saved: Option<usize>,
    /// Whether the bot differs from the saved state, read after every step.
    differs: bool,
}

impl History {
    /// Records a change: a new step, or, while the same field is typed in, part of the last.
    pub fn record(&mut self, step: Step, typing: Option<Typing>, doc: &BotDocument) {
        if self.joins(typing)
            && let Some(last) = self.done.last_mut()
        {
            last.changes.absorb(step.changes);
            if last.settings.is_none() {
                last.settings = step.settings;
            }
        } else {
            if self.saved.is_some_and(|saved| saved > self.done.len()) {
                self.saved = None;
            }
            self.undone.clear();
            self.done.push(Step { typing, ..step });
            if self.done.len() > KEPT_STEPS {
                self.done.remove(0);
                // The saved state moves one step closer to the oldest, or out of reach.
                self.saved = self.saved.and_then(|s| s.checked_sub(1));
            }
        }
        self.compare(doc);
    }

    /// The steps made since `depth` steps were done become one, the first's.
    pub fn join_since(&mut self, depth: usize, doc: &BotDocument) {
        if self.done.len() <= depth + 1 {
            return;
        }
        let later: Vec<Step> = self.done.drain(depth + 1..).collect();
        if let Some(first) = self.done.last_mut() {
            for step in later {
                first.changes.absorb(step.changes);
                if first.settings.is_none() {
                    first.settings = step.settings;
                }
            }
        }
        if self.saved.is_some_and(|saved| saved > depth) {
            self.saved = None;
        }
        self.compare(doc);
    }

    /// Whether a change made while `typing` would be part of the last step.
    pub fn joins(&self, typing: Option<Typing>) -> bool {
        typing.is_some()
            && self.undone.is_empty()
            && self.done.last().is_some_and(|last| last.typing == typing)
    }

    /// Names the last step anew.
    pub fn relabel_last(&mut self, label: String) {
        if let Some(last) = self.done.last_mut() {
            last.label = label;
        }
    }

    /// The typing in a field ended: the next change is a step of its own. Typing that left
    /// the bot as it was (a character typed and taken out again) is no step at all.
    pub fn end_typing(&mut self, doc: &BotDocument) {
        let Some(last) = self.done.last_mut() else {
            return;
        };
        if last.typing.take().is_none() {
            return;
        }
        if last.settings.is_none() && doc.unchanged_after([&last.changes]) {
            self.done.pop();
            let len = self.done.len();
            self.saved = self.saved.map(|saved| saved.min(len));
            self.compare(doc);
        }
    }

    /// The last step done, taken to be undone.
    pub fn take_undo(&mut self, doc: &BotDocument) -> Option<Step> {
        self.end_typing(doc);
        self.done.pop()
    }

    /// The last step undone, taken to be done again.
    pub fn take_redo(&mut self) -> Option<Step> {
        self.undone.pop()
    }

    /// An undone step, as it is to be redone.
    pub fn undone(&mut self, step: Step, doc: &BotDocument) {
        self.undone.push(step);
        self.compare(doc);
    }

    /// A redone step, as it is to be undone again.
    pub fn redone(&mut self, step: Step, doc: &BotDocument) {
        self.done.push(step);
        self.compare(doc);
    }

    /// What is open now was saved (or read from disk).
    pub fn saved(&mut self) {
        if let Some(last) = self.done.last_mut() {
            last.typing = None;
        }
        self.saved = Some(self.done.len());
        self.differs = false;
    }

    /// The bot was read again from disk: the steps are of another text.
    pub fn clear(&mut self) {
        *self = History::default();
        self.saved = Some(0);
    }

    /// Whether the bot differs from what was saved.
    pub fn differs(&self) -> bool {
        self.differs
    }

    /// How many steps can be undone and redone.
    pub fn depth(&self) -> (usize, usize) {
        (self.done.len(), self.undone.len())
    }

    /// Reads whether the bot is the saved state: the steps between the two, put back one
    /// after the other, would change nothing.
    fn compare(&mut self, doc: &BotDocument) {
        let now = self.done.len();
        self.differs = match self.saved {
            None => true,
            Some(saved) if saved == now => false,
            Some(saved) if saved < now => {
                now - saved > COMPARED_STEPS
                    || !doc.unchanged_after(self.done[saved..].iter().rev().map(|s| &s.changes))
            }
            Some(saved) => {
                let ahead = saved - now;
                ahead > COMPARED_STEPS
                    || ahead > self.undone.len()
                    || !doc
                        .unchanged_after(self.undone.iter().rev().take(ahead).map(|s| &s.changes))
            }
        };
    }
}

impl Step {
    pub fn new(label: String, changes: Changes, settings: Option<Sidecar>, spot: Spot) -> Step {
        Step {
            label,
            changes,
            settings,
            spot,
            typing: None,
        }
    }
}
