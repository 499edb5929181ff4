//! HMAC-SHA256, the one MAC every secret and every signed request uses (RustCrypto `hmac` +
//! `sha2`), and the one constant-time comparison.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// HMAC-SHA256 (RFC 2104) of the concatenation of `parts` under `key`, which may have any length.
///
/// Passing the message in parts saves joining it first: `hmac_sha256(k, &[b"ab", b"c"])` equals
/// `hmac_sha256(k, &[b"abc"])`. A caller whose parts could be re-split another way separates them
/// itself (a delimiter no part holds, or a length prefix).
///
/// ```
/// use pwreset_core::secrets::hmac_sha256;
///
/// // RFC 4231, test case 2.
/// let tag = hmac_sha256(b"Jefe", &[b"what do ya ", b"want for nothing?"]);
/// assert_eq!(tag[..4], [0x5b, 0xdc, 0xc1, 0x46]);
/// ```
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// `true` when `tag` is the whole HMAC-SHA256 of `parts` under `key` (32 bytes: a truncated tag is
/// refused). The comparison takes constant time ([`constant_time_eq`]).
///
/// ```
/// use pwreset_core::secrets::{hmac_sha256, verify_hmac_sha256};
///
/// let tag = hmac_sha256(b"key", &[b"message"]);
/// assert!(verify_hmac_sha256(b"key", &[b"mess", b"age"], &tag));
/// assert!(!verify_hmac_sha256(b"key", &[b"message"], &tag[..16]));
/// ```
pub fn verify_hmac_sha256(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    constant_time_eq(&hmac_sha256(key, parts), tag)
}

/// `true` when `a` and `b` hold the same bytes, in a time that depends on their lengths only, never
/// on where they first differ: for anything secret a guess is compared with (MAC tags, digests, API
/// keys, tokens). Lengths are not hidden: slices of different lengths are unequal at once.
///
/// ```
/// use pwreset_core::secrets::constant_time_eq;
///
/// assert!(constant_time_eq(b"token", b"token"));
/// assert!(!constant_time_eq(b"token", b"tokem"));
/// assert!(!constant_time_eq(b"token", b"token2"));
/// ```
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// A length-prefixed field, so that concatenated MAC inputs can't be re-split another way.
pub(crate) fn length_prefixed(field: &[u8]) -> [u8; 4] {
    u32::try_from(field.len())
        .expect("fields are far below 4 GiB")
        .to_be_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> Vec<u8> {
        base16ct::lower::decode_vec(text).unwrap()
    }

    /// RFC 4231 section 4: the HMAC-SHA-256 rows of test cases 1–7 (case 5 is truncated to 128 bits).
    #[test]
    fn rfc_4231_test_vectors() {
        let long_key = vec![0xaa; 131];
        let cases: [(Vec<u8>, Vec<u8>, &str); 6] = [
            (vec![0x0b; 20], b"Hi There".to_vec(), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
            (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec(), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
            (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
            (hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
            (long_key.clone(), b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
            (long_key, b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        ];
        for (key, data, expected) in cases {
            assert_eq!(hmac_sha256(&key, &[&data]).to_vec(), hex(expected));
            assert!(verify_hmac_sha256(&key, &[&data], &hex(expected)));
        }
        // Case 5: the output truncated to 128 bits.
        let tag = hmac_sha256(&[0x0c; 20], &[b"Test With Truncation"]);
        assert_eq!(tag[..16].to_vec(), hex("a3b6167473100ee06e0c796c2955552b"));
    }

    #[test]
    fn parts_are_concatenated() {
        assert_eq!(
            hmac_sha256(b"k", &[b"ab", b"c"]),
            hmac_sha256(b"k", &[b"abc"])
        );
    }

    #[test]
    fn verification_rejects_other_and_truncated_tags() {
        let tag = hmac_sha256(b"key", &[b"data"]);
        let mut flipped = tag;
        flipped[31] ^= 1;
        assert!(!verify_hmac_sha256(b"key", &[b"data"], &flipped));
        assert!(!verify_hmac_sha256(b"key", &[b"data"], &tag[..31]));
        assert!(!verify_hmac_sha256(b"yek", &[b"data"], &tag));
        assert!(!verify_hmac_sha256(b"key", &[b"data"], &[]));
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!constant_time_eq(b"", b"a"));
    }
}
