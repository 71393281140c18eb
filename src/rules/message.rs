//! Message to User. Spec: "This field is required, so if you don't want to send a message,
//! enter "BLANK_MESSAGE" here." and "You can enter either static text, use a variable, or a
//! combination of both."

use super::{Diagnostic, Severity};
use crate::bot::integration::Field;
use crate::bot::keys;
use crate::bot::template::{self, Piece, Variable};

/// Spec: "if you don't want to send a message, enter "BLANK_MESSAGE" here."
pub(super) fn message_rules(value: &str) -> Vec<Diagnostic> {
    let trimmed = value.trim();
    if trimmed == keys::BLANK_MESSAGE {
        return vec![Diagnostic::new(
            Field::Message,
            Severity::Hint,
            format!(
                "{}: no message will be shown to the user before the transfer",
                keys::BLANK_MESSAGE
            ),
            "enter a message instead to tell the user a transfer is coming",
        )];
    }
    if trimmed.eq_ignore_ascii_case(keys::BLANK_MESSAGE)
        || trimmed.eq_ignore_ascii_case("blank message")
    {
        return vec![Diagnostic::new(
            Field::Message,
            Severity::Warning,
            format!(
                "\"{trimmed}\" is not {}: it would be shown to the user as written",
                keys::BLANK_MESSAGE
            ),
            format!(
                "write it exactly {} to send no message",
                keys::BLANK_MESSAGE
            ),
        )];
    }
    template_rules(Field::Message, value)
}

pub(super) fn template_rules(field: Field, value: &str) -> Vec<Diagnostic> {
    let (pieces, problems) = template::parse(value);
    let mut out: Vec<Diagnostic> = problems
        .into_iter()
        .map(|p| {
            Diagnostic::new(
                field,
                Severity::Warning,
                format!(
                    "{}: the text would be shown with the stray brace",
                    p.message
                ),
                "pair every { with a }",
            )
        })
        .collect();
    for piece in pieces {
        if let Piece::Var {
            raw,
            var: Variable::Unknown(_),
        } = piece
        {
            out.push(Diagnostic::new(
                field,
                Severity::Warning,
                format!("{raw} is not a variable Conversation Builder knows: it would be shown as written"),
                "use {$botContext.name}, {$botContext.slot.name}, {$env.name}, {$query} or {Integration.field}",
            ));
        }
    }
    out
}
