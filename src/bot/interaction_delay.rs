//! The Interaction Delay of a Conversation Builder interaction: whole milliseconds, written as a
//! string of digits, up to the platform's limit.

use crate::bot::edit::EditError;

/// The longest interaction delay Conversation Builder takes: "You can specify a maximum value
/// of 10000 milliseconds (10 seconds)" (its interaction settings page).
pub const MAX_DELAY_MS: u64 = 10_000;

/// Milliseconds written as digits; digits too many for a number read as the largest one (over
/// any limit, so the rules call it an error) rather than as no delay at all.
pub fn parse_ms(text: &str) -> Option<u64> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Whether `value` is an Interaction Delay Conversation Builder takes: whole milliseconds, at
/// most [`MAX_DELAY_MS`] (empty: none).
pub fn check(value: &str) -> Result<(), EditError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(());
    }
    match parse_ms(trimmed) {
        None => Err(EditError(format!(
            "Interaction Delay is in milliseconds: \"{value}\" is not a whole number"
        ))),
        Some(ms) if ms > MAX_DELAY_MS => Err(EditError(format!(
            "Interaction Delay takes at most {} ms in Conversation Builder: {trimmed} is more",
            MAX_DELAY_MS
        ))),
        Some(_) => Ok(()),
    }
}
