//! HMAC-SHA256, the one MAC every secret uses (RustCrypto `hmac` + `sha2`).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn keyed(key: &[u8], parts: &[&[u8]]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac
}

/// HMAC-SHA256 of the concatenation of `parts` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    keyed(key, parts).finalize().into_bytes().into()
}

/// `true` when `tag` is the HMAC-SHA256 of `parts` under `key`; compares in constant time.
pub(crate) fn verify_hmac_sha256(key: &[u8], parts: &[&[u8]], tag: &[u8]) -> bool {
    keyed(key, parts).verify_slice(tag).is_ok()
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
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
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
    }
}
