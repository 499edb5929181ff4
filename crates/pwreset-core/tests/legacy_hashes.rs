//! Verifying the password hashes applications already store: argon2 (PHC and Django), bcrypt,
//! PBKDF2-SHA256 (PHC, passlib, Django) and scrypt, each within its cost limits.
//!
//! The vectors were made by the real implementations, with fixed salts, by
//! `tests/legacy_hashes_vectors.py` (Django 5.2.20, argon2-cffi 25.1.0, pyca/bcrypt 5.0.0,
//! passlib 1.7.4, CPython 3.11's hashlib):
//!
//! ```text
//! python3 -m venv target/legacy-hash-vectors
//! target/legacy-hash-vectors/bin/pip install "django==5.2.*" argon2-cffi bcrypt passlib
//! target/legacy-hash-vectors/bin/python crates/pwreset-core/tests/legacy_hashes_vectors.py
//! ```
//!
//! The same script checks the published vectors used here (OpenBSD's bcrypt, passlib's
//! documentation, the `pbkdf2` crate's) against those implementations.
#![cfg(feature = "secrets")]

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use pwreset_core::password_hash::{
    BcryptLimits, HashFormat, HashLimits, HashParams, PasswordHashError, Pbkdf2Limits,
    ScryptLimits, StorageFormat, VerifyLimits, hash_password, hash_password_as, verify_any,
    verify_password, verify_password_within,
};

const PASSWORD: &str = "Tr0ub4dour&3";
const UNICODE: &str = "pässwörd€";

/// Small argon2id costs keep the round trips fast.
const FAST: HashParams = HashParams {
    memory_kib: 64,
    iterations: 1,
    parallelism: 1,
};

/// (stored, password, format), each made by the implementation its comment names.
const VECTORS: &[(&str, &str, HashFormat)] = &[
    // argon2-cffi: low_level.hash_secret(PASSWORD, b"saltsaltsaltsalt", time_cost=2,
    // memory_cost=64, parallelism=1, hash_len=32, type=Type.ID)
    (
        "$argon2id$v=19$m=64,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$3Z7Gm66cO8IHKKcDQkiuVQhLwTjrPtcmjL2VD+DMwus",
        PASSWORD,
        HashFormat::Argon2,
    ),
    // argon2-cffi: the same with time_cost=3, memory_cost=32, parallelism=2, type=Type.I
    (
        "$argon2i$v=19$m=32,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$jMaCo0cFBpwXDb1bYfODbxR5h2Mpptw9ODqWP1Tp82Y",
        PASSWORD,
        HashFormat::Argon2,
    ),
    // argon2-cffi: time_cost=1, memory_cost=8, parallelism=1, type=Type.I, version=0x10
    (
        "$argon2i$v=16$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$zE5yOxf9s9SDJqU0Yt0SGf6KOB1r6HD0sQGPMPagDao",
        PASSWORD,
        HashFormat::Argon2,
    ),
    // The same without `v=`: version 16 to argon2-cffi's verify_secret (as old Django hashes).
    (
        "$argon2i$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$zE5yOxf9s9SDJqU0Yt0SGf6KOB1r6HD0sQGPMPagDao",
        PASSWORD,
        HashFormat::Argon2,
    ),
    // Django: Argon2PasswordHasher subclass with time_cost=1, memory_cost=64, parallelism=1,
    // .encode(UNICODE, "PPoNDRpVVBZjGj9mU9zWRk")
    (
        "argon2$argon2id$v=19$m=64,t=1,p=1$UFBvTkRScFZWQlpqR2o5bVU5eldSaw$66lgdh2uBA1KcGeEw6zQCohj5hMQ5pOFhroZxNsUozY",
        UNICODE,
        HashFormat::DjangoArgon2,
    ),
    // pyca/bcrypt: hashpw(PASSWORD, b"$2b$04$abcdefghijklmnopqrstuu")
    (
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        PASSWORD,
        HashFormat::Bcrypt,
    ),
    // The same as PHP's `$2y$` (same algorithm; pyca/bcrypt's checkpw accepts it).
    (
        "$2y$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        PASSWORD,
        HashFormat::Bcrypt,
    ),
    // pyca/bcrypt: hashpw(UNICODE, b"$2a$05$CCCCCCCCCCCCCCCCCCCCC.")
    (
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.Kma9Km32AAEgD.38KJPTlQ7GgSTU95q",
        UNICODE,
        HashFormat::Bcrypt,
    ),
    // OpenBSD's bcrypt test vector for "U*U".
    (
        "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "U*U",
        HashFormat::Bcrypt,
    ),
    // Django: PBKDF2PasswordHasher().encode(UNICODE, "4ZJfLmTwVtUjE4IF6sQOz5", iterations=1000)
    (
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=",
        UNICODE,
        HashFormat::DjangoPbkdf2Sha256,
    ),
    // passlib: pbkdf2_sha256.using(rounds=1000, salt=b"\xfb\xe8saltsalt\xff\xfe").hash(PASSWORD)
    // (the salt's adapted base64 has `.` where standard base64 has `+`).
    (
        "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        PASSWORD,
        HashFormat::PasslibPbkdf2Sha256,
    ),
    // passlib's documentation example (pbkdf2_sha256.verify accepts it).
    (
        "$pbkdf2-sha256$8000$XAuBMIYQQogxRg$tRRlz8hYn63B9LYiCd6PRo6FMiunY9ozmMMI3srxeRE",
        "password",
        HashFormat::PasslibPbkdf2Sha256,
    ),
    // hashlib: pbkdf2_hmac("sha256", UNICODE, b"saltSALTsaltSALT", 4096, 32), assembled as the
    // `pbkdf2` crate's PHC string (i=, l=; standard base64 without padding).
    (
        "$pbkdf2-sha256$i=4096,l=32$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        UNICODE,
        HashFormat::Pbkdf2Sha256,
    ),
    // passlib: scrypt.using(rounds=10, block_size=8, parallelism=1, salt=b"saltsaltsaltsalt")
    // .hash(PASSWORD)
    (
        "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        PASSWORD,
        HashFormat::Scrypt,
    ),
    // hashlib: scrypt(UNICODE, salt=b"saltSALTsaltSALT", n=2**8, r=4, p=1, dklen=32), assembled.
    (
        "$scrypt$ln=8,r=4,p=1$c2FsdFNBTFRzYWx0U0FMVA$M/gsmargzdW6CdVRKiVqg+nPvuKTJq+zkNwklRaQvFU",
        UNICODE,
        HashFormat::Scrypt,
    ),
];

#[test]
fn every_vector_is_detected_and_verifies_only_its_password() {
    for &(stored, password, format) in VECTORS {
        assert_eq!(HashFormat::detect(stored), Some(format), "{stored}");
        assert_eq!(
            verify_any(password, stored, &HashLimits::DEFAULT),
            Ok(true),
            "{stored}"
        );
        for wrong in ["", "x", "Tr0ub4dour&4", "passwörd€", "U*V"] {
            assert_eq!(
                verify_any(wrong, stored, &HashLimits::DEFAULT),
                Ok(false),
                "{stored} / {wrong}"
            );
        }
    }
}

#[test]
fn verify_password_keeps_to_argon2_phc_strings() {
    for &(stored, password, format) in VECTORS {
        let expected = if format == HashFormat::Argon2 {
            Ok(true)
        } else {
            Err(PasswordHashError::Malformed)
        };
        assert_eq!(verify_password(password, stored), expected, "{stored}");
    }
}

#[test]
fn default_costs_of_django_bcrypt_passlib_and_scrypt_verify_within_the_default_limits() {
    let at_defaults = [
        // Django 5.2: make_password(PASSWORD, salt="4ZJfLmTwVtUjE4IF6sQOz5", hasher="pbkdf2_sha256")
        // (1,000,000 iterations).
        (
            "pbkdf2_sha256$1000000$4ZJfLmTwVtUjE4IF6sQOz5$1l76oEZGmH6QLRsFr8yE01Pl/oVHLD5JQlB8vQ0ulco=",
            PASSWORD,
        ),
        // pyca/bcrypt: hashpw(PASSWORD, b"$2b$12$N9qo8uLOickgx2ZMRZoMye"), cost 12 (the limit).
        (
            "$2b$12$N9qo8uLOickgx2ZMRZoMyeIrYKkuReTh/b5wKX7TpG1muvHjAbtSW",
            PASSWORD,
        ),
        // passlib's documentation example for scrypt: its default ln=16 (64 MiB).
        (
            "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
            "password",
        ),
    ];
    for (stored, password) in at_defaults {
        assert_eq!(
            verify_any(password, stored, &HashLimits::DEFAULT),
            Ok(true),
            "{stored}"
        );
    }
}

/// Django: make_password(PASSWORD, salt="PPoNDRpVVBZjGj9mU9zWRk", hasher="argon2"), Django's own
/// costs m=102400, t=2, p=8.
const DJANGO_ARGON2_DEFAULT: &str = "argon2$argon2id$v=19$m=102400,t=2,p=8$UFBvTkRScFZWQlpqR2o5bVU5eldSaw$rXpc3MlUd3H7JOUzH4AJt0NwoqXFdPXKh9sw7GxDOgU";

#[test]
fn djangos_argon2_costs_need_the_django_limits() {
    // Refused by default, before anything is computed: memory is the first parameter over.
    assert_eq!(
        verify_any(PASSWORD, DJANGO_ARGON2_DEFAULT, &HashLimits::DEFAULT),
        Err(PasswordHashError::BeyondLimits {
            format: HashFormat::DjangoArgon2,
            parameter: "m",
            value: 102_400,
            limit: 65_536,
        })
    );
    let phc = DJANGO_ARGON2_DEFAULT.strip_prefix("argon2").unwrap();
    assert!(matches!(
        verify_password(PASSWORD, phc),
        Err(PasswordHashError::BeyondLimits {
            format: HashFormat::Argon2,
            parameter: "m",
            ..
        })
    ));
    // Memory raised alone: the 8 lanes are still over.
    let mut limits = HashLimits::DEFAULT;
    limits.argon2.max_memory_kib = 102_400;
    assert!(matches!(
        verify_any(PASSWORD, DJANGO_ARGON2_DEFAULT, &limits),
        Err(PasswordHashError::BeyondLimits {
            parameter: "p",
            value: 8,
            limit: 4,
            ..
        })
    ));
    // Configured for Django: computed.
    limits.argon2 = VerifyLimits::DJANGO;
    assert_eq!(
        verify_any(PASSWORD, DJANGO_ARGON2_DEFAULT, &limits),
        Ok(true)
    );
    assert_eq!(
        verify_any("Tr0ub4dour&4", DJANGO_ARGON2_DEFAULT, &limits),
        Ok(false)
    );
    assert_eq!(
        verify_password_within(PASSWORD, phc, VerifyLimits::DJANGO),
        Ok(true)
    );
    // The existing struct literal still works for any explicit limit.
    let explicit = VerifyLimits {
        max_memory_kib: 102_400,
        max_iterations: 2,
        max_parallelism: 8,
    };
    assert_eq!(verify_password_within(PASSWORD, phc, explicit), Ok(true));
}

/// `Err(BeyondLimits)` for `format` and `parameter`.
fn assert_beyond(
    result: Result<bool, PasswordHashError>,
    format: HashFormat,
    parameter: &str,
    stored: &str,
) {
    assert!(
        matches!(
            result,
            Err(PasswordHashError::BeyondLimits { format: f, parameter: p, .. })
                if f == format && p == parameter
        ),
        "{stored}: {result:?}"
    );
}

#[test]
fn each_default_limit_is_refused_with_beyond_limits_before_hashing() {
    // Each string asks for more than the defaults (many would take minutes or gigabytes); the
    // test is fast because nothing is computed.
    let cases = [
        (
            "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            HashFormat::Argon2,
            "m",
        ),
        (
            "$argon2i$v=19$m=64,t=5,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            HashFormat::Argon2,
            "t",
        ),
        (
            "argon2$argon2id$v=19$m=64,t=1,p=5$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            HashFormat::DjangoArgon2,
            "p",
        ),
        (
            "$2b$13$N9qo8uLOickgx2ZMRZoMyeIrYKkuReTh/b5wKX7TpG1muvHjAbtSW",
            HashFormat::Bcrypt,
            "cost",
        ),
        (
            "$2y$31$N9qo8uLOickgx2ZMRZoMyeIrYKkuReTh/b5wKX7TpG1muvHjAbtSW",
            HashFormat::Bcrypt,
            "cost",
        ),
        (
            "pbkdf2_sha256$1200001$4ZJfLmTwVtUjE4IF6sQOz5$1l76oEZGmH6QLRsFr8yE01Pl/oVHLD5JQlB8vQ0ulco=",
            HashFormat::DjangoPbkdf2Sha256,
            "iterations",
        ),
        (
            "pbkdf2_sha256$4294967295$4ZJfLmTwVtUjE4IF6sQOz5$1l76oEZGmH6QLRsFr8yE01Pl/oVHLD5JQlB8vQ0ulco=",
            HashFormat::DjangoPbkdf2Sha256,
            "iterations",
        ),
        (
            "$pbkdf2-sha256$1200001$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
            HashFormat::PasslibPbkdf2Sha256,
            "iterations",
        ),
        (
            "$pbkdf2-sha256$i=1200001,l=32$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
            HashFormat::Pbkdf2Sha256,
            "iterations",
        ),
        // The `pbkdf2` crate's own test vector: a 40-byte key repeats all iterations for its
        // second SHA-256 block.
        (PBKDF2_L40, HashFormat::Pbkdf2Sha256, "output length"),
        (
            "$scrypt$ln=18,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
            HashFormat::Scrypt,
            "ln",
        ),
        (
            "$scrypt$ln=10,r=16,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
            HashFormat::Scrypt,
            "r",
        ),
        (
            "$scrypt$ln=10,r=8,p=2$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
            HashFormat::Scrypt,
            "p",
        ),
        // No `ln`: the scrypt crate's default 2^17 stands, within the limit; p is not.
        (
            "$scrypt$r=8,p=4$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E",
            HashFormat::Scrypt,
            "p",
        ),
    ];
    for (stored, format, parameter) in cases {
        let result = verify_any(PASSWORD, stored, &HashLimits::DEFAULT);
        assert_beyond(result, format, parameter, stored);
    }
}

/// The `pbkdf2` crate's PHC test vector: "passwordPASSWORDpassword", 4096 iterations, l=40.
const PBKDF2_L40: &str = "$pbkdf2-sha256$i=4096,l=40$c2FsdFNBTFRzYWx0U0FMVHNhbHRTQUxUc2FsdFNBTFRzYWx0$NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q";

#[test]
fn raised_limits_admit_what_the_defaults_refuse() {
    let mut limits = HashLimits::DEFAULT;
    limits.pbkdf2.max_output_len = 40;
    assert_eq!(
        verify_any("passwordPASSWORDpassword", PBKDF2_L40, &limits),
        Ok(true)
    );

    // Lowered limits refuse the vectors that verify by default, each at its own parameter.
    let tight = {
        let mut tight = HashLimits::DEFAULT;
        tight.argon2 = VerifyLimits {
            max_memory_kib: 63,
            max_iterations: 4,
            max_parallelism: 4,
        };
        tight.bcrypt = BcryptLimits { max_cost: 4 };
        tight.pbkdf2 = Pbkdf2Limits {
            max_iterations: 999,
            max_output_len: 32,
        };
        tight.scrypt = ScryptLimits {
            max_log_n: 7,
            max_r: 8,
            max_p: 1,
        };
        tight
    };
    let refused = [
        (VECTORS[0].0, HashFormat::Argon2, "m"),
        (VECTORS[4].0, HashFormat::DjangoArgon2, "m"),
        (VECTORS[7].0, HashFormat::Bcrypt, "cost"),
        (VECTORS[9].0, HashFormat::DjangoPbkdf2Sha256, "iterations"),
        (VECTORS[10].0, HashFormat::PasslibPbkdf2Sha256, "iterations"),
        (VECTORS[12].0, HashFormat::Pbkdf2Sha256, "iterations"),
        (VECTORS[14].0, HashFormat::Scrypt, "ln"),
    ];
    for (stored, format, parameter) in refused {
        assert_beyond(
            verify_any(UNICODE, stored, &tight),
            format,
            parameter,
            stored,
        );
    }
    // The cost-4 bcrypt vector is at the tight limit itself: computed.
    assert_eq!(verify_any(PASSWORD, VECTORS[5].0, &tight), Ok(true));
}

#[test]
fn the_default_limits_are_documented_values() {
    assert_eq!(HashLimits::default(), HashLimits::DEFAULT);
    assert_eq!(HashLimits::DEFAULT.argon2, VerifyLimits::DEFAULT);
    assert_eq!(
        VerifyLimits::DEFAULT,
        VerifyLimits {
            max_memory_kib: 65_536,
            max_iterations: 4,
            max_parallelism: 4
        }
    );
    assert_eq!(BcryptLimits::DEFAULT, BcryptLimits { max_cost: 12 });
    assert_eq!(
        Pbkdf2Limits::DEFAULT,
        Pbkdf2Limits {
            max_iterations: 1_200_000,
            max_output_len: 32
        }
    );
    assert_eq!(
        ScryptLimits::DEFAULT,
        ScryptLimits {
            max_log_n: 17,
            max_r: 8,
            max_p: 1
        }
    );
}

#[test]
fn malformed_strings_of_known_formats_are_clean_errors() {
    let malformed = [
        // argon2
        "$argon2id$",
        "$argon2id$v=19$m=64,t=1,p=1$",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$!!!",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$3Z7Gm66cO8IHKKcDQkiuVQhLwTjrPtcmjL2VD+DMwus",
        "$argon2id$v=20$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$3Z7Gm66cO8IHKKcDQkiuVQhLwTjrPtcmjL2VD+DMwus",
        "argon2$argon2id$v=19$m=64,t=1,p=1$UFBvTkRScFZWQlpqR2o5bVU5eldSaw",
        // bcrypt
        "$2b$",
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/v",
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vqq",
        "$2b$4$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vqq",
        "$2b$+4$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        "$2b$03$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/v!",
        "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vé",
        "$2b$04xabcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq",
        // PBKDF2: PHC
        "$pbkdf2-sha256$",
        "$pbkdf2-sha256$i=999,l=32$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        "$pbkdf2-sha256$i=4096,l=33$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        "$pbkdf2-sha256$v=1$i=4096$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        "$pbkdf2-sha256$i=4096,x=1$c2FsdFNBTFRzYWx0U0FMVA$rRw5BGTVHejHMXgHxyy9IPDjYgt5cR21K74rOOUnhEk",
        // PBKDF2: passlib
        "$pbkdf2-sha256$1000$",
        "$pbkdf2-sha256$0$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        "$pbkdf2-sha256$01000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        "$pbkdf2-sha256$1000$++hzYWx0c2FsdP/+$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2",
        "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$",
        "$pbkdf2-sha256$1000$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g$",
        "$pbkdf2-sha256$99999999999$..hzYWx0c2FsdP/.$gkfqnoK9dOuFiNZc86cN270Fo79K30upLU3tbYXaL2g",
        // PBKDF2: Django
        "pbkdf2_sha256$",
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5",
        "pbkdf2_sha256$$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=",
        "pbkdf2_sha256$-1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=",
        "pbkdf2_sha256$1000$$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=",
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY",
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQ==",
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$QO3WZoUnODkRHene6Urdg+vEv33AW379a7oN88HsWQY=$x",
        "pbkdf2_sha256$1000$4ZJfLmTwVtUjE4IF6sQOz5$",
        // scrypt
        "$scrypt$",
        "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
        "$scrypt$ln=10,r=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        "$scrypt$ln=10,r=8,p=0$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        "$scrypt$ln=10,r=8,p=1,x=2$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        "$scrypt$v=1$ln=10,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
        "$scrypt$ln=x,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8",
    ];
    for stored in malformed {
        assert_eq!(
            verify_any(PASSWORD, stored, &HashLimits::DEFAULT),
            Err(PasswordHashError::Malformed),
            "{stored}"
        );
    }
}

#[test]
fn scrypts_huge_r_times_p_is_malformed_not_an_overflow() {
    // The scrypt crate checks `r * p < 2^30` in u32, which overflows here (a panic in debug
    // builds); with every limit opened wide the string must still be refused, not computed.
    let mut open = HashLimits::DEFAULT;
    open.scrypt = ScryptLimits {
        max_log_n: u8::MAX,
        max_r: u32::MAX,
        max_p: u32::MAX,
    };
    for params in ["ln=1,r=65536,p=65536", "ln=1,r=4294967295,p=4294967295"] {
        let stored = format!(
            "$scrypt${params}$c2FsdHNhbHRzYWx0c2FsdA$idDy55m0CMalDfDPotmvg8bXsamItypqU3cZuur6Oq8"
        );
        assert_eq!(
            verify_any(PASSWORD, &stored, &open),
            Err(PasswordHashError::Malformed),
            "{stored}"
        );
    }
}

#[test]
fn unknown_formats_are_named_as_such() {
    let unknown = [
        "",
        "plaintext",
        "Tr0ub4dour&3",
        "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "bcrypt$$2b$12$N9qo8uLOickgx2ZMRZoMyeIrYKkuReTh/b5wKX7TpG1muvHjAbtSW",
        "bcrypt_sha256$$2b$12$N9qo8uLOickgx2ZMRZoMyeIrYKkuReTh/b5wKX7TpG1muvHjAbtSW",
        "$pbkdf2-sha512$i=1000$c2FsdA$aGFzaA",
        "$pbkdf2$1000$c2FsdA$aGFzaA",
        "pbkdf2_sha1$260000$salt$hash",
        "sha1$salt$hash",
        "scrypt$salt$16384$8$1$hash",
        "argon2$$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
        " $argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
        "$ARGON2ID$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
        "!",
    ];
    for stored in unknown {
        assert_eq!(HashFormat::detect(stored), None, "{stored}");
        assert_eq!(
            verify_any(PASSWORD, stored, &HashLimits::DEFAULT),
            Err(PasswordHashError::UnknownFormat),
            "{stored}"
        );
    }
}

#[test]
fn bcrypt_counts_the_first_72_bytes_as_every_bcrypt() {
    // pyca/bcrypt 5 refuses to hash more than 72 bytes; older writers (and PHP) truncated.
    let long = "a".repeat(72);
    let stored = "$2b$04$abcdefghijklmnopqrstuuQwOF4PgclQPgHlKPM5L1C9NEIS18/vq";
    assert_eq!(verify_any(&long, stored, &HashLimits::DEFAULT), Ok(false));
    let over = format!("{PASSWORD}{}", "x".repeat(100));
    assert_eq!(verify_any(&over, stored, &HashLimits::DEFAULT), Ok(false));
}

#[test]
fn django_argon2_output_has_djangos_shape_and_round_trips() {
    let stored = hash_password_as(UNICODE, StorageFormat::Django, FAST).unwrap();
    // Django's Argon2PasswordHasher: "argon2" + argon2-cffi's PHC string.
    let phc = stored.strip_prefix("argon2").expect("argon2 prefix");
    let fields: Vec<&str> = phc.split('$').collect();
    assert_eq!(
        fields[..5],
        ["", "argon2id", "v=19", "m=64,t=1,p=1", fields[4]],
        "{stored}"
    );
    assert_eq!(fields.len(), 6, "{stored}");
    // Django's salt (22 characters of [a-zA-Z0-9], as get_random_string(22)) and a 32-byte hash,
    // in standard base64 without padding.
    let salt = STANDARD_NO_PAD.decode(fields[4]).expect("base64 salt");
    assert_eq!(salt.len(), 22, "{stored}");
    assert!(salt.iter().all(u8::is_ascii_alphanumeric), "{stored}");
    assert_eq!(
        STANDARD_NO_PAD.decode(fields[5]).map(|h| h.len()),
        Ok(32),
        "{stored}"
    );
    // Checked once with Django 5.2.20 (check_password true, wrong password false; Argon2PasswordHasher
    // .must_update false for one made at m=102400, t=2, p=8, true at other costs).
    let other = hash_password_as(UNICODE, StorageFormat::Django, FAST).unwrap();
    assert_ne!(other.split('$').nth(4), Some(fields[4]), "salts differ");

    assert_eq!(HashFormat::detect(&stored), Some(HashFormat::DjangoArgon2));
    assert_eq!(verify_any(UNICODE, &stored, &HashLimits::DEFAULT), Ok(true));
    assert_eq!(
        verify_any(PASSWORD, &stored, &HashLimits::DEFAULT),
        Ok(false)
    );
    // The PHC string inside is what verify_password reads.
    assert_eq!(verify_password(UNICODE, phc), Ok(true));
    // Django's own format is not a PHC string.
    assert_eq!(
        verify_password(UNICODE, &stored),
        Err(PasswordHashError::Malformed)
    );
}

#[test]
fn phc_output_is_what_hash_password_writes() {
    let stored = hash_password_as(PASSWORD, StorageFormat::Phc, FAST).unwrap();
    assert!(
        stored.starts_with("$argon2id$v=19$m=64,t=1,p=1$"),
        "{stored}"
    );
    assert_eq!(HashFormat::detect(&stored), Some(HashFormat::Argon2));
    assert_eq!(verify_password(PASSWORD, &stored), Ok(true));
    assert_eq!(
        verify_any(PASSWORD, &stored, &HashLimits::DEFAULT),
        Ok(true)
    );
    assert_eq!(StorageFormat::default(), StorageFormat::Phc);
    let plain = hash_password(PASSWORD, FAST).unwrap();
    assert_eq!(plain.len(), stored.len());
    // Impossible parameters are refused as hash_password refuses them.
    let impossible = HashParams {
        memory_kib: 1,
        ..FAST
    };
    assert_eq!(
        hash_password_as(PASSWORD, StorageFormat::Django, impossible),
        Err(PasswordHashError::Parameters)
    );
}

#[test]
fn errors_read_well_in_logs() {
    let error = verify_any(PASSWORD, DJANGO_ARGON2_DEFAULT, &HashLimits::DEFAULT).unwrap_err();
    assert_eq!(
        error.to_string(),
        "django-argon2 hash asks for m=102400, above the verify limit 65536"
    );
    assert_eq!(
        PasswordHashError::UnknownFormat.to_string(),
        "unknown password hash format"
    );
    assert_eq!(
        HashFormat::PasslibPbkdf2Sha256.to_string(),
        "passlib-pbkdf2-sha256"
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Limits so low that whatever is admitted costs next to nothing.
    fn tiny() -> HashLimits {
        let mut limits = HashLimits::DEFAULT;
        limits.argon2 = VerifyLimits {
            max_memory_kib: 64,
            max_iterations: 2,
            max_parallelism: 2,
        };
        limits.bcrypt = BcryptLimits { max_cost: 5 };
        limits.pbkdf2 = Pbkdf2Limits {
            max_iterations: 2_000,
            max_output_len: 64,
        };
        limits.scrypt = ScryptLimits {
            max_log_n: 6,
            max_r: 4,
            max_p: 2,
        };
        limits
    }

    fn prefix() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "$argon2id$",
            "$argon2i$",
            "$argon2d$",
            "argon2$argon2id$",
            "$2a$",
            "$2b$",
            "$2y$",
            "$2b$04$",
            "$pbkdf2-sha256$",
            "$pbkdf2-sha256$1000$",
            "$pbkdf2-sha256$i=1000,l=32$",
            "pbkdf2_sha256$",
            "pbkdf2_sha256$1000$",
            "$scrypt$",
            "$scrypt$ln=4,r=1,p=1$",
        ])
    }

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u64..100).prop_map(|n| n.to_string()),
            any::<u32>().prop_map(|n| n.to_string()),
            any::<u64>().prop_map(|n| n.to_string()),
            "[0-9+\\-]{0,25}",
        ]
    }

    /// Strings shaped like each format, with arbitrary parameters and fields.
    fn shaped() -> impl Strategy<Value = String> {
        let field = "[A-Za-z0-9+/.=$]{0,70}";
        prop_oneof![
            (
                prop::sample::select(vec!["argon2id", "argon2i", "argon2d"]),
                prop::sample::select(vec!["", "argon2"]),
                number(),
                number(),
                number(),
                number(),
                field,
                field
            )
                .prop_map(|(alg, django, v, m, t, p, salt, hash)| {
                    format!("{django}${alg}$v={v}$m={m},t={t},p={p}${salt}${hash}")
                }),
            (
                prop::sample::select(vec!["2a", "2b", "2y"]),
                "[0-9]{2}",
                "[A-Za-z0-9./]{53}"
            )
                .prop_map(|(v, cost, rest)| format!("${v}${cost}${rest}")),
            (number(), number(), field, field)
                .prop_map(|(i, l, salt, hash)| format!("$pbkdf2-sha256$i={i},l={l}${salt}${hash}")),
            (number(), field, field)
                .prop_map(|(i, salt, hash)| format!("$pbkdf2-sha256${i}${salt}${hash}")),
            (number(), field, field)
                .prop_map(|(i, salt, hash)| format!("pbkdf2_sha256${i}${salt}${hash}")),
            (number(), number(), number(), field, field).prop_map(|(ln, r, p, salt, hash)| {
                format!("$scrypt$ln={ln},r={r},p={p}${salt}${hash}")
            }),
        ]
    }

    proptest! {
        #[test]
        fn arbitrary_strings(stored in any::<String>(), password in any::<String>()) {
            let _ = HashFormat::detect(&stored);
            let _ = verify_any(&password, &stored, &HashLimits::DEFAULT);
            let _ = verify_password(&password, &stored);
        }

        #[test]
        fn known_prefixes_with_arbitrary_tails(prefix in prefix(), tail in any::<String>()) {
            let stored = format!("{prefix}{tail}");
            prop_assert!(HashFormat::detect(&stored).is_some());
            let _ = verify_any("x", &stored, &tiny());
        }

        #[test]
        fn format_shaped_strings(stored in shaped()) {
            let result = verify_any("x", &stored, &tiny());
            // Shaped strings are never "unknown"; anything costly is refused, not computed.
            prop_assert_ne!(result, Err(PasswordHashError::UnknownFormat));
        }
    }
}
