//! Fresh ids in the shapes the exports use: UUIDs for bots, integrations and dialogs, 40 hex
//! digits for interactions.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 random-enough bits: the process's random hash keys, the clock and a counter.
fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u32(std::process::id());
    hasher.finish()
}

fn random_hex(digits: usize) -> String {
    let mut out = String::with_capacity(digits + 16);
    while out.len() < digits {
        out.push_str(&format!("{:016x}", random_u64()));
    }
    out.truncate(digits);
    out
}

/// A version-4 UUID, e.g. `3ea07726-78b6-41ae-b485-4ec3f6af5d2d`.
pub fn uuid() -> String {
    let h = random_hex(32);
    let variant = ["8", "9", "a", "b"][(random_u64() % 4) as usize];
    format!(
        "{}-{}-4{}-{}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        variant,
        &h[17..20],
        &h[20..32]
    )
}

/// An interaction id: 40 hex digits.
pub fn interaction_id() -> String {
    random_hex(40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_export_shapes_and_differ() {
        let a = uuid();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert_ne!(a, uuid());
        let m = interaction_id();
        assert_eq!(m.len(), 40);
        assert!(m.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
