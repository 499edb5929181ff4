//! Inputs the fuzz targets (`fuzz/`, see docs/reliability.md) found breaking an invariant, kept as
//! tests so they stay found.

use pwreset_core::UnixTime;
use pwreset_core::secrets::{AccessTokenIssuer, Keyring, PasswordState};

/// A keyring entry as `pwreset keygen` prints it (a test key; it signs nothing real).
const KEYS: &str = "k20261125-0129:OpNIVmKR6y3D3dmfIwg2shIAyFT-SY-fLQThi5ELiFY";

/// Found by the `access_token` target's issue → verify round trip: `issue` accepts a subject of
/// any length, but `verify` refuses tokens longer than 4 KiB, so a subject of about 3 KB, or of
/// only 491 control characters (each a 6-byte `\u00XX` escape in the claims), gives a token that
/// never verified. The service's subjects are 36-character ids, so it was not reachable there;
/// `issue` now refuses what `verify` would.
#[test]
fn issued_tokens_with_long_subjects_verify() {
    let keyring = Keyring::parse(KEYS).expect("test key");
    let issuer = AccessTokenIssuer {
        issuer: "https://reset.example.test".to_owned(),
        audience: "pwreset".to_owned(),
        ttl_seconds: 3_600,
    };
    let now = UnixTime::from_secs(1_767_229_200);
    let state = PasswordState::new("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
    let issue = |subject: &str| issuer.issue(&keyring, subject, &state, now);
    let mut issued = 0;
    // Around the limit: the longest subjects that fit, and the found ones that do not.
    for length in (2_000..3_400).step_by(50) {
        for subject in ["a".repeat(length), "\0".repeat(length / 6)] {
            if let Ok(token) = issue(&subject) {
                issued += 1;
                let verified = issuer.verify(&keyring, token.reveal(), now);
                assert!(
                    verified.is_ok(),
                    "a token issue() made for a subject of {} bytes was refused by verify(): {:?}",
                    subject.len(),
                    verified.err()
                );
            }
        }
    }
    // `issue` must not pass by refusing everything: long subjects that fit are still issued.
    assert!(issue(&"a".repeat(2_000)).is_ok());
    assert!(issue(&"\0".repeat(300)).is_ok());
    assert!(issued > 2, "{issued} tokens issued");
    // And the two found inputs are refused, not issued broken.
    assert!(issue(&"a".repeat(3_200)).is_err());
    assert!(issue(&"\0".repeat(491)).is_err());
}
