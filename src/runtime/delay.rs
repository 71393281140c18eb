//! The interaction delay a transfer needs: one message's worth of time for every statement
//! the bot sends before it, so the messages arrive before the conversation moves.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::bot::BotDocument;
use crate::bot::edit::Edit;
use crate::bot::integration::Integration;
use crate::bot::read::Interaction;
use crate::workspace::sidecar::Sidecar;

pub use crate::bot::interaction_delay::{MAX_DELAY_MS, parse_ms};
pub use crate::workspace::sidecar::PER_MESSAGE_MS;

/// The delay `messages` statements need at `per` ms each, uncapped.
pub fn needed_ms(messages: u32, per: u64) -> u64 {
    u64::from(messages).saturating_mul(per)
}

/// The delay to recommend and write for `messages` statements: what they need, at most
/// [`MAX_DELAY_MS`].
pub fn recommended_ms(messages: u32, per: u64) -> u64 {
    needed_ms(messages, per).min(MAX_DELAY_MS)
}

/// What to do when the statements before a transfer need more than [`MAX_DELAY_MS`].
pub const OVER_THE_LIMIT_FIX: &str = "send fewer statements before the transfer, or move the last one into Message to User, which travels in the transfer body";

/// Where a message count comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CountSource {
    /// Counted in the dialog, back from the Integration interaction.
    Dialog,
    /// Entered by hand (no interaction runs the integration yet).
    HandEntered,
}

/// The delay computation for one Integration interaction (or the hand-entered count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DelayPlan {
    pub messages: u32,
    pub per_message_ms: u64,
    pub recommended_ms: u64,
    /// The delay the interaction has now (`None`: no interaction, or none set).
    pub configured_ms: Option<u64>,
    #[serde(skip)]
    pub source: CountSource,
    /// The Integration interaction and its dialog, when one runs the integration.
    #[serde(skip)]
    pub interaction: Option<(usize, String, String)>,
}

impl DelayPlan {
    /// "3 messages × 2000 ms = 6000 ms", and "…, at most 10000 ms" past the limit.
    pub fn formula(&self) -> String {
        let noun = if self.messages == 1 {
            "message"
        } else {
            "messages"
        };
        let needed = needed_ms(self.messages, self.per_message_ms);
        let mut text = format!(
            "{} {noun} × {} ms = {needed} ms",
            self.messages, self.per_message_ms
        );
        if needed > self.recommended_ms {
            text.push_str(&format!(", at most {} ms", self.recommended_ms));
        }
        text
    }

    /// Whether the statements before it need more than Conversation Builder's longest delay.
    pub fn over_the_limit(&self) -> bool {
        needed_ms(self.messages, self.per_message_ms) > MAX_DELAY_MS
    }

    /// Whether the interaction waits less than recommended.
    pub fn is_short(&self) -> bool {
        self.interaction.is_some() && self.configured_ms.unwrap_or(0) < self.recommended_ms
    }
}

/// The interactions of a bot, read and indexed once for many delay computations.
#[derive(Debug, Default)]
pub struct InteractionIndex {
    all: Vec<Interaction>,
    /// Position in `all` by interaction id.
    by_id: HashMap<String, usize>,
    /// Integration interactions (positions in `all`) by the responder id (or, without one,
    /// name) they run.
    runners: HashMap<String, Vec<usize>>,
    dialog_names: HashMap<String, String>,
}

impl InteractionIndex {
    /// Reads the document's interactions and indexes them.
    pub fn new(doc: &BotDocument) -> InteractionIndex {
        InteractionIndex::of(doc, doc.interactions())
    }

    /// Indexes `all`, the document's interactions.
    pub fn of(doc: &BotDocument, all: Vec<Interaction>) -> InteractionIndex {
        InteractionIndex::with_dialogs(all, &doc.dialogs())
    }

    /// Indexes `all`, the interactions of a bot whose dialogs are `dialogs`.
    pub fn with_dialogs(
        all: Vec<Interaction>,
        dialogs: &[crate::bot::read::Dialog],
    ) -> InteractionIndex {
        let mut runners: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, i) in all.iter().enumerate() {
            if i.kind != crate::bot::keys::IT_API_INTEGRATION {
                continue;
            }
            let key = if i.responder_id.is_empty() {
                &i.responder_name
            } else {
                &i.responder_id
            };
            runners.entry(key.clone()).or_default().push(at);
        }
        InteractionIndex {
            by_id: all
                .iter()
                .enumerate()
                .map(|(at, i)| (i.id.clone(), at))
                .collect(),
            runners,
            dialog_names: dialogs
                .iter()
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect(),
            all,
        }
    }

    /// Puts `interaction` (read again after an edit) in place of the one at its place, which
    /// had the same id; `false`, changing nothing, when there is none such.
    pub fn replace(&mut self, interaction: Interaction) -> bool {
        let at = interaction.index;
        if self.all.get(at).is_none_or(|old| old.id != interaction.id) {
            return false;
        }
        let key = |i: &Interaction| {
            (i.kind == crate::bot::keys::IT_API_INTEGRATION).then(|| {
                if i.responder_id.is_empty() {
                    i.responder_name.clone()
                } else {
                    i.responder_id.clone()
                }
            })
        };
        let (old, new) = (key(&self.all[at]), key(&interaction));
        if old != new {
            if let Some(old) = old
                && let Some(runners) = self.runners.get_mut(&old)
            {
                runners.retain(|&r| r != at);
            }
            if let Some(new) = new {
                let runners = self.runners.entry(new).or_default();
                let place = runners.partition_point(|&r| r < at);
                runners.insert(place, at);
            }
        }
        self.all[at] = interaction;
        true
    }

    /// The Integration interactions (places in `conversationMessage[]`) that run an
    /// integration with this id, or with this name and no id.
    pub fn runners_of(&self, key: &str) -> &[usize] {
        self.runners.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every interaction, in `conversationMessage[]` order.
    /// How many dialogs the bot has.
    pub fn dialog_count(&self) -> usize {
        self.dialog_names.len()
    }

    /// The name of the dialog with `id`, when there is one.
    pub fn dialog_name(&self, id: &str) -> Option<&str> {
        self.dialog_names.get(id).map(String::as_str)
    }

    pub fn all(&self) -> &[Interaction] {
        &self.all
    }

    /// How many statements the bot sends before `start`: walking back along
    /// `prevMessageId` to the last interaction that waits for the user.
    pub fn messages_before(&self, start: &Interaction) -> u32 {
        count_back(start, |id| self.by_id.get(id).map(|&at| &self.all[at]))
    }

    /// The Integration interactions that run `integration`, in document order.
    fn running(&self, integration: &Integration) -> Vec<&Interaction> {
        let mut found: Vec<usize> = Vec::new();
        for key in [integration.id.as_str(), integration.name.as_str()] {
            for &at in self.runners.get(key).into_iter().flatten() {
                if self.all[at].runs(integration) && !found.contains(&at) {
                    found.push(at);
                }
            }
        }
        found.sort_unstable();
        found.into_iter().map(|at| &self.all[at]).collect()
    }

    /// The delay plans of an integration (see [`plans`]).
    pub fn plans(&self, integration: &Integration, sidecar: &Sidecar) -> Vec<DelayPlan> {
        let per = sidecar.per_message_ms();
        let mut plans: Vec<DelayPlan> = self
            .running(integration)
            .into_iter()
            .map(|i| {
                let messages = self.messages_before(i);
                let dialog = self
                    .dialog_names
                    .get(&i.dialog_id)
                    .cloned()
                    .unwrap_or_else(|| i.dialog_id.clone());
                DelayPlan {
                    messages,
                    per_message_ms: per,
                    recommended_ms: recommended_ms(messages, per),
                    configured_ms: i.delay_ms,
                    source: CountSource::Dialog,
                    interaction: Some((i.index, i.name.clone(), dialog)),
                }
            })
            .collect();
        if plans.is_empty() {
            let messages = sidecar
                .message_counts
                .get(&integration.name)
                .copied()
                .unwrap_or(0);
            plans.push(DelayPlan {
                messages,
                per_message_ms: per,
                recommended_ms: recommended_ms(messages, per),
                configured_ms: None,
                source: CountSource::HandEntered,
                interaction: None,
            });
        }
        plans
    }
}

/// How many statements the bot sends before `start`: walking back along `prevMessageId`
/// to the last interaction that waits for the user.
pub fn messages_before(interactions: &[Interaction], start: &Interaction) -> u32 {
    let by_id: HashMap<&str, &Interaction> =
        interactions.iter().map(|i| (i.id.as_str(), i)).collect();
    count_back(start, |id| by_id.get(id).copied())
}

/// The walk behind [`messages_before`], over any lookup of interactions by id.
fn count_back<'a>(start: &'a Interaction, find: impl Fn(&str) -> Option<&'a Interaction>) -> u32 {
    let mut seen = HashSet::new();
    let mut count = 0;
    let mut current = start.prev.as_str();
    while let Some(step) = find(current) {
        if !seen.insert(current) || step.waits_for_user() {
            break;
        }
        if step.is_statement() {
            count += 1;
        }
        current = step.prev.as_str();
    }
    count
}

/// The delay plans of an integration: one per Integration interaction that runs it, or one
/// from the hand-entered count when none does.
pub fn plans(doc: &BotDocument, integration: &Integration, sidecar: &Sidecar) -> Vec<DelayPlan> {
    InteractionIndex::new(doc).plans(integration, sidecar)
}
/// One Integration interaction whose delay the recommended one would change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayChange {
    /// Its place in `conversationMessage[]`.
    pub interaction: usize,
    pub name: String,
    /// Its delay now (`None`: none set, or unreadable).
    pub before: Option<u64>,
    /// The recommended delay: the statements before it × the milliseconds per message.
    pub after: u64,
}

/// The recommended interaction delay of every Integration interaction that runs the
/// integration at `index` and waits otherwise, at `per_message_ms` per statement before it.
pub fn recommended_delays(
    doc: &BotDocument,
    index: usize,
    per_message_ms: u64,
) -> Vec<DelayChange> {
    let Some(integration) = doc.integration(index) else {
        return vec![];
    };
    let interactions = doc.interactions();
    interactions
        .iter()
        .filter(|i| i.runs(&integration))
        .filter_map(|i| {
            let recommended = recommended_ms(messages_before(&interactions, i), per_message_ms);
            (i.delay_ms != Some(recommended)).then(|| DelayChange {
                interaction: i.index,
                name: i.name.clone(),
                before: i.delay_ms,
                after: recommended,
            })
        })
        .collect()
}

/// The edit that writes `changes` (as strings of milliseconds, as the exports write them).
pub fn delays_edit(changes: &[DelayChange]) -> Edit {
    Edit::Delays(changes.iter().map(|c| (c.interaction, c.after)).collect())
}
