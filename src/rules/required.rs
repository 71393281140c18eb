//! Required fields and exact values: "required fields are marked with asterisks"; an id or a
//! name with spaces around it is not the id or name it looks like.

use super::{Diagnostic, Severity};
use crate::bot::integration::Field;
use crate::bot::keys;

/// Spaces around an id or a name: the platform reads them as part of the value (`" 12345 "`
/// goes into the transfer body as it is), so they are an error whose fix is the trimmed value.
pub(super) fn spaces_rule(field: Field, value: &str) -> Option<Diagnostic> {
    let exact = matches!(
        field,
        Field::Name | Field::ResponseDataVariable | Field::SkillId | Field::AgentId
    );
    let trimmed = value.trim();
    (exact && trimmed != value && !trimmed.is_empty()).then(|| {
        Diagnostic::new(
            field,
            Severity::Error,
            format!(
                "{} has spaces or line breaks around it: {:?}",
                field.label(),
                crate::export::shown::cut(value, 60)
            ),
            format!("use {:?}", crate::export::shown::cut(trimmed, 60)),
        )
    })
}

/// A required field left empty: an error.
pub(super) fn required_rule(field: Field, value: &str) -> Option<Diagnostic> {
    (field.is_required() && value.trim().is_empty()).then(|| {
        Diagnostic::new(
            field,
            Severity::Error,
            format!("{} is required", field.label()),
            required_fix(field),
        )
    })
}

pub(super) fn required_fix(field: Field) -> String {
    match field {
        Field::Message => format!(
            "enter the message to show before the transfer, or {} to send none",
            keys::BLANK_MESSAGE
        ),
        Field::SkillId => "enter the numeric skill id from Conversational Cloud, or a variable like {$botContext.skillId}".into(),
        Field::SkillName => "enter the name of the Conversational Cloud skill".into(),
        _ => format!("enter a {}", field.label()),
    }
}
