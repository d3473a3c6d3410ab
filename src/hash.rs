//! Stable 64-bit hashing for feature keys and the model checksum.
//!
//! Feature keys are stored in the model file, so the hash must give the same value on
//! every platform and every build: FNV-1a over bytes, then a SplitMix64 finaliser so that
//! all bits are well mixed.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over `bytes`, starting from `seed`.
pub fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET ^ seed, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    })
}

/// SplitMix64 finaliser.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash of a string.
pub fn hash_str(s: &str) -> u64 {
    mix(fnv1a(0, s.as_bytes()))
}

/// The 32 bits under which a 64-bit hash is stored in the model file (feature keys, names
/// of the lexicons, words of the word classes): its two halves XORed.
pub fn fingerprint(hash: u64) -> u32 {
    (hash >> 32) as u32 ^ hash as u32
}

/// Combines a feature template number with up to three component hashes.
pub fn combine(template: u64, parts: &[u64]) -> u64 {
    parts.iter().fold(
        mix(template.wrapping_add(0x9e37_79b9_7f4a_7c15)),
        |h, &p| mix(h.rotate_left(23) ^ p),
    )
}

/// A map keyed by [`fingerprint`]s. The keys are already well mixed, so a fast fixed-seed
/// hasher serves: it builds and probes the map several times faster than SipHash, and is
/// the same on every platform.
pub type FingerprintMap<V> = std::collections::HashMap<u32, V, foldhash::fast::FixedState>;
