//! Checking again only what an edit touched, and what depends on it: the touched integrations
//! and Agent Transfer interactions; the integrations that share a name or a Response Data
//! Variable with one before or after the edit, or whose naming pattern it changed; those that
//! read a renamed variable's result; those run by a touched interaction; and the references of
//! the Integration interactions that run any of them. A keystroke then costs the same on a
//! bot of ten integrations or ten thousand.

use super::names::{NameStats, Shape, shape};
use super::{BotFacts, Report, bot, validate_integration, validate_transfer};
use crate::bot::BotDocument;
use crate::bot::agent_transfer::AgentTransfer;
use crate::bot::edit::Touched;
use crate::bot::integration::Integration;
use crate::bot::keys;
use crate::bot::read::Interaction;

/// What [`recheck`] found besides the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Followed {
    /// Whether an integration's name changed (what lists of them show).
    pub renamed: bool,
}

/// Checks again what `touched` changed in `doc`, keeping `integrations`, `transfers`,
/// `facts` and `report` as a check from scratch would leave them. `None` when the edit
/// changed more than this follows (items came or went, a dialog or the links between
/// interactions changed): then nothing was changed and the caller checks everything.
pub fn recheck(
    doc: &BotDocument,
    touched: &Touched,
    integrations: &mut [Integration],
    transfers: &mut [AgentTransfer],
    facts: &mut BotFacts,
    report: &mut Report,
) -> Option<Followed> {
    if touched.reshaped
        || !touched.dialogs.is_empty()
        || report.integrations.len() != integrations.len()
        || report.transfers.len() != transfers.len()
    {
        return None;
    }
    // Read everything touched first: nothing changes unless all of it can be followed.
    let read = touched
        .integrations
        .iter()
        .map(|&i| {
            doc.integration(i).filter(|new| {
                integrations
                    .get(i)
                    .is_some_and(|old| old.index == i && old.id == new.id)
            })
        })
        .collect::<Option<Vec<Integration>>>()?;
    let interactions = touched
        .interactions
        .iter()
        .map(|&at| {
            let new = doc.interaction(at)?;
            let old = facts.index.all().get(at)?;
            followed(old, &new).then_some(new)
        })
        .collect::<Option<Vec<Interaction>>>()?;

    let mut again = Again::default();
    for new in read {
        let old = std::mem::replace(&mut integrations[new.index], new);
        let new = &integrations[old.index];
        again.renamed(facts, &old, new, integrations);
    }
    for new in interactions {
        let old = facts.index.all()[new.index].clone();
        for i in [&old, &new] {
            again.run_by(facts, integrations, i);
        }
        again.interactions.push(new.index);
        facts.index.replace(new);
    }
    let followed = Followed {
        renamed: again.renamed,
    };
    again.check(doc, integrations, transfers, facts, report);
    Some(followed)
}

/// Whether an interaction read again after an edit differs from `old` only in what the
/// recheck follows: its delay and what it runs, not its place in its dialog or its kind.
fn followed(old: &Interaction, new: &Interaction) -> bool {
    old.index == new.index
        && old.id == new.id
        && old.kind == new.kind
        && old.prev == new.prev
        && old.next == new.next
        && old.dialog_id == new.dialog_id
        && old.patterns == new.patterns
        && old.user_input_required == new.user_input_required
        && (old.kind == keys::IT_API_INTEGRATION || old.kind == keys::IT_ESCALATION)
}

/// What is to be checked again.
#[derive(Default)]
struct Again {
    /// Whether an integration became an escalation or stopped being one: the bot's rules
    /// that ask whether it escalates at all are read again.
    kinds: bool,
    /// Whether an integration's name changed.
    renamed: bool,
    integrations: Vec<usize>,
    /// Interactions whose Agent Transfer or reference is to be checked again.
    interactions: Vec<usize>,
}

impl Again {
    /// `old` became `new`: the stats learn its names, and whatever shares them, fits a
    /// pattern it changed or reads its result is checked again.
    fn renamed(
        &mut self,
        facts: &mut BotFacts,
        old: &Integration,
        new: &Integration,
        all: &[Integration],
    ) {
        self.integrations.push(new.index);
        if old.name != new.name {
            self.renamed = true;
            self.names(
                &mut facts.name_stats,
                new.index,
                &old.name,
                &new.name,
                all,
                |i| &i.name,
            );
            // The Integration interactions that run it by id name it too.
            for key in [&old.name, &new.name, &new.id] {
                if !key.is_empty() {
                    self.interactions
                        .extend(facts.index.runners_of(key).iter().copied());
                }
            }
        }
        if old.response_data_variable != new.response_data_variable {
            self.names(
                &mut facts.variable_stats,
                new.index,
                &old.response_data_variable,
                &new.response_data_variable,
                all,
                |i| &i.response_data_variable,
            );
            facts.move_variable(
                new.index,
                &old.response_data_variable,
                &new.response_data_variable,
            );
        }
        if old.custom_data != new.custom_data {
            facts.custom_data_changed(new.index, old, new);
        }
        // Custom data that reads a variable's result names the integration it belongs to.
        if old.name != new.name || old.response_data_variable != new.response_data_variable {
            for variable in [&old.response_data_variable, &new.response_data_variable] {
                self.integrations.extend(facts.readers_of(variable, all));
            }
        }
        self.kinds |= old.kind != new.kind;
        if old.kind != new.kind || old.id != new.id {
            self.interactions
                .extend(facts.index.runners_of(&new.id).iter().copied());
        }
    }

    /// One name of the integration at `at` went from `old` to `new` in `stats`.
    fn names(
        &mut self,
        stats: &mut NameStats,
        at: usize,
        old: &str,
        new: &str,
        all: &[Integration],
        name_of: impl Fn(&Integration) -> &String,
    ) {
        let verdicts = |stats: &NameStats| SHAPES.map(|s| stats.shared_style_for(s));
        let before = verdicts(stats);
        self.integrations
            .extend(stats.owners_of(old).iter().copied());
        stats.remove(at, old);
        stats.add(at, new);
        self.integrations
            .extend(stats.owners_of(new).iter().copied());
        let after = verdicts(stats);
        // A pattern the others shared may be shared no longer, or the other way round.
        let changed: Vec<Shape> = SHAPES
            .iter()
            .zip(before.iter().zip(&after))
            .filter(|(_, (b, a))| b != a)
            .map(|(s, _)| *s)
            .collect();
        if !changed.is_empty() {
            for i in all {
                if changed.contains(&shape(name_of(i))) {
                    self.integrations.push(i.index);
                }
            }
        }
    }

    /// The integration `interaction` runs (by id, or by name without one) is checked again,
    /// with the interaction's own reference.
    fn run_by(&mut self, facts: &mut BotFacts, all: &[Integration], interaction: &Interaction) {
        if interaction.kind != keys::IT_API_INTEGRATION {
            return;
        }
        self.interactions.push(interaction.index);
        if interaction.responder_id.is_empty() {
            self.integrations.extend(
                facts
                    .name_stats
                    .owners_of(&interaction.responder_name)
                    .iter()
                    .copied(),
            );
        } else {
            // Every integration with the id counts the interaction in its delay rules.
            let runs = facts.integrations_with_id(&interaction.responder_id, all);
            self.integrations.extend_from_slice(runs);
        }
    }

    /// Checks again what was found.
    fn check(
        mut self,
        doc: &BotDocument,
        integrations: &[Integration],
        transfers: &mut [AgentTransfer],
        facts: &mut BotFacts,
        report: &mut Report,
    ) {
        for found in [&mut self.integrations, &mut self.interactions] {
            found.sort_unstable();
            found.dedup();
        }
        for &i in &self.integrations {
            if let (Some(integration), Some(slot)) =
                (integrations.get(i), report.integrations.get_mut(i))
            {
                *slot = validate_integration(facts, integrations, integration);
            }
        }
        let mut bot_changed = false;
        for &at in &self.interactions {
            if let Some(t) = transfers.iter().position(|t| t.index == at)
                && let Some(read) = doc.agent_transfer_at(at)
            {
                report.transfers[t] = validate_transfer(facts, &read);
                transfers[t] = read;
            }
            let runs = facts
                .index
                .all()
                .get(at)
                .map(|i| i.responder_id.clone())
                .and_then(|id| facts.integration_with_id(&id, integrations));
            let reference = facts
                .index
                .all()
                .get(at)
                .and_then(|i| bot::reference_of(facts, integrations, i, runs));
            let place = report.references.partition_point(|(p, _)| *p < at);
            let there = report.references.get(place).filter(|(p, _)| *p == at);
            if there.map(|(_, d)| d) == reference.as_ref() {
                continue;
            }
            bot_changed = true;
            match (reference, there.is_some()) {
                (Some(d), true) => report.references[place].1 = d,
                (Some(d), false) => report.references.insert(place, (at, d)),
                (None, _) => {
                    report.references.remove(place);
                }
            }
        }
        if self.kinds {
            let whole = bot::whole_bot_rules(facts, integrations);
            bot_changed |= whole != report.whole;
            report.whole = whole;
        }
        if bot_changed {
            report.bot_again();
        }
    }
}

/// Every shape a name can have: valid or not, fitting each style or not.
const SHAPES: [Shape; 32] = {
    let mut all = [(false, [false; 4]); 32];
    let mut n = 0;
    while n < 32 {
        all[n] = (
            n & 16 != 0,
            [n & 1 != 0, n & 2 != 0, n & 4 != 0, n & 8 != 0],
        );
        n += 1;
    }
    all
};
