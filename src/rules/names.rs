//! Integration Name and Response Data Variable Name. Spec: "Enter a name that's meaningful
//! ..., concise, and follows a consistent pattern."

use std::collections::HashMap;

use super::{BotFacts, Diagnostic, Severity};
use crate::bot::integration::Field;
use crate::bot::naming::{Style, is_identifier};

/// How the bot's integrations name things (names, or response data variables), counted once
/// and kept up to date as names change, so each integration's check is constant time.
#[derive(Debug, Default)]
pub struct NameStats {
    /// The integrations (places in `responder[]`) that use each name, ignoring case.
    owners: HashMap<String, Owners>,
    /// How many valid names there are, and how many fit each style.
    identifiers: usize,
    fits: [usize; 4],
}

/// The integrations that use a name: most names have one, kept without a list of its own.
#[derive(Debug)]
enum Owners {
    One(usize),
    Many(Vec<usize>),
}

impl Owners {
    fn as_slice(&self) -> &[usize] {
        match self {
            Owners::One(at) => std::slice::from_ref(at),
            Owners::Many(all) => all,
        }
    }
}

/// What the naming rules see of one name: whether it is valid, and the styles it fits.
pub(super) type Shape = (bool, [bool; 4]);

impl NameStats {
    /// The stats of `names`, each with the place of its integration.
    pub(super) fn of<'a>(names: impl Iterator<Item = (usize, &'a str)>) -> NameStats {
        let mut stats = NameStats::default();
        for (at, name) in names {
            stats.add(at, name);
        }
        stats
    }

    /// Counts the name `name` of the integration at `at`.
    pub(super) fn add(&mut self, at: usize, name: &str) {
        match self.owners.entry(name.to_ascii_lowercase()) {
            std::collections::hash_map::Entry::Vacant(free) => {
                free.insert(Owners::One(at));
            }
            std::collections::hash_map::Entry::Occupied(mut taken) => match taken.get_mut() {
                Owners::Many(all) => all.push(at),
                owners @ Owners::One(_) => *owners = Owners::Many(vec![owners.as_slice()[0], at]),
            },
        }
        let (valid, fits) = shape(name);
        if valid {
            self.identifiers += 1;
            for (count, fit) in self.fits.iter_mut().zip(fits) {
                *count += usize::from(fit);
            }
        }
    }

    /// No longer counts the name `name` of the integration at `at`.
    pub(super) fn remove(&mut self, at: usize, name: &str) {
        let key = name.to_ascii_lowercase();
        match self.owners.get_mut(&key) {
            Some(Owners::One(one)) if *one == at => {
                self.owners.remove(&key);
            }
            Some(owners @ Owners::Many(_)) => {
                if let Owners::Many(all) = owners {
                    all.retain(|&o| o != at);
                    if let [one] = all[..] {
                        *owners = Owners::One(one);
                    }
                }
            }
            _ => {}
        }
        let (valid, fits) = shape(name);
        if valid {
            self.identifiers -= 1;
            for (count, fit) in self.fits.iter_mut().zip(fits) {
                *count -= usize::from(fit);
            }
        }
    }

    /// The integrations that use `name`, ignoring case.
    pub(super) fn owners_of(&self, name: &str) -> &[usize] {
        self.owners
            .get(&name.to_ascii_lowercase())
            .map_or(&[], Owners::as_slice)
    }

    /// Whether more than one integration uses `name` (the one checked among them).
    fn taken_by_another(&self, name: &str) -> bool {
        self.owners_of(name).len() > 1
    }

    /// The one style every other valid name fits, when there are at least two of them.
    fn shared_style_without(&self, own: &str) -> Option<Style> {
        self.shared_style_for(shape(own))
    }

    /// [`NameStats::shared_style_without`] a name of this shape.
    pub(super) fn shared_style_for(&self, (own_valid, own_fits): Shape) -> Option<Style> {
        let others = self.identifiers.saturating_sub(usize::from(own_valid));
        if others < 2 {
            return None;
        }
        let fitting: Vec<Style> = Style::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.fits[*i].saturating_sub(usize::from(own_valid && own_fits[*i])) == others
            })
            .map(|(_, style)| *style)
            .collect();
        // Lower-case single words fit both camelCase and snake_case: no pattern to hold to.
        (fitting.len() == 1).then(|| fitting[0])
    }
}

/// Whether `name` is valid, and the styles it fits.
pub(super) fn shape(name: &str) -> Shape {
    let valid = is_identifier(name);
    let mut fits = [false; 4];
    if valid {
        for (fit, style) in fits.iter_mut().zip(Style::ALL) {
            *fit = style.fits(name);
        }
    }
    (valid, fits)
}

/// Spec: "Enter a name that's meaningful ..., concise, and follows a consistent pattern."
pub(super) fn name_rules(facts: &BotFacts, field: Field, value: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let stats = match field {
        Field::Name => &facts.name_stats,
        _ => &facts.variable_stats,
    };
    if stats.taken_by_another(value) {
        out.push(Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "another integration already has the {} \"{value}\"",
                field.label()
            ),
            format!("give this integration its own {}", field.label()),
        ));
    }
    if !is_identifier(value) {
        out.push(Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "\"{value}\" is not a valid name: variables refer to it as {}",
                match field {
                    Field::Name => format!("{{{value}.field}}"),
                    _ => format!("{{$.api_{value}}}"),
                }
            ),
            "use letters, digits and underscores, starting with a letter",
        ));
        return out;
    }
    if let Some(style) = stats.shared_style_without(value)
        && !style.fits(value)
    {
        out.push(Diagnostic::new(
            field,
            Severity::Warning,
            format!(
                "\"{value}\" breaks the {} pattern the bot's other integrations share",
                style.describe()
            ),
            format!("rename it in {}", style.describe()),
        ));
    }
    out
}
