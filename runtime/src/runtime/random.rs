//! Random numbers without a dependency on a random number crate: retry jitter, multipart
//! boundaries and idempotency keys need unpredictable values, not cryptographic ones.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::SystemTime;

/// A random number from std's randomly keyed hasher (good enough for jitter).
pub(super) fn random_u64() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
    hasher.write_u128(now.as_nanos());
    hasher.finish()
}

/// A fresh random idempotency key (a UUID version 4 in its usual text form), generated once per
/// call and reused by every retry of it.
pub fn idempotency_key() -> String {
    let (a, b) = (random_u64(), random_u64() ^ 0x5851_f42d_4c95_7f2d);
    let bytes: Vec<u8> = a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect();
    let hex: String = bytes
        .iter()
        .enumerate()
        .map(|(i, b)| match i {
            6 => format!("{:02x}", (b & 0x0f) | 0x40),
            8 => format!("{:02x}", (b & 0x3f) | 0x80),
            _ => format!("{b:02x}"),
        })
        .collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
