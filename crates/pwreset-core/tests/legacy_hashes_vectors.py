"""Known-answer vectors for crates/pwreset-core/tests/legacy_hashes.rs, made by the real implementations.

    python3 -m venv target/legacy-hash-vectors
    target/legacy-hash-vectors/bin/pip install "django==5.2.*" argon2-cffi bcrypt passlib
    target/legacy-hash-vectors/bin/python crates/pwreset-core/tests/legacy_hashes_vectors.py

Salts are fixed, so every run prints the same lines (Django 5.2.20, argon2-cffi 25.1.0, bcrypt 5.0.0,
passlib 1.7.4, CPython's hashlib).
"""

import base64
import hashlib

import argon2
import bcrypt
import django
from django.conf import settings

settings.configure(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]
)
django.setup()

from django.contrib.auth.hashers import (  # noqa: E402
    Argon2PasswordHasher,
    PBKDF2PasswordHasher,
    make_password,
)
from passlib.hash import pbkdf2_sha256, scrypt  # noqa: E402

PASSWORD = "Tr0ub4dour&3"
UNICODE = "pässwörd€"


def b64(data):
    return base64.b64encode(data).decode().rstrip("=")


def show(name, value):
    print(f"{name} = {value!r}")


# argon2 (argon2-cffi, the reference C implementation).
low = argon2.low_level
show("argon2id_phc", low.hash_secret(PASSWORD.encode(), b"saltsaltsaltsalt", time_cost=2,
     memory_cost=64, parallelism=1, hash_len=32, type=low.Type.ID).decode())
show("argon2i_phc", low.hash_secret(PASSWORD.encode(), b"saltsaltsaltsalt", time_cost=3,
     memory_cost=32, parallelism=2, hash_len=32, type=low.Type.I).decode())
show("argon2i_v16", low.hash_secret(PASSWORD.encode(), b"saltsaltsaltsalt", time_cost=1,
     memory_cost=8, parallelism=1, hash_len=32, type=low.Type.I, version=0x10).decode())

# Django's Argon2PasswordHasher: its defaults (m=102400, t=2, p=8), and small costs.
show("django_argon2_default", make_password(PASSWORD, salt="PPoNDRpVVBZjGj9mU9zWRk", hasher="argon2"))


class SmallArgon2(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1


show("django_argon2_small", SmallArgon2().encode(UNICODE, "PPoNDRpVVBZjGj9mU9zWRk"))

# bcrypt (pyca/bcrypt): $2b$ and $2a$; $2y$ is PHP's name for $2b$ (same algorithm).
show("bcrypt_2b", bcrypt.hashpw(PASSWORD.encode(), b"$2b$04$abcdefghijklmnopqrstuu").decode())
show("bcrypt_2a", bcrypt.hashpw(UNICODE.encode(), b"$2a$05$CCCCCCCCCCCCCCCCCCCCC.").decode())
show("bcrypt_2y_check", bcrypt.checkpw(
    PASSWORD.encode(),
    bcrypt.hashpw(PASSWORD.encode(), b"$2b$04$abcdefghijklmnopqrstuu").replace(b"$2b$", b"$2y$")))
show("bcrypt_cost_12", bcrypt.hashpw(PASSWORD.encode(), b"$2b$12$N9qo8uLOickgx2ZMRZoMye").decode())

# Django's PBKDF2PasswordHasher: its default iterations (1,000,000 in 5.2) and a small count.
show("django_pbkdf2_default", make_password(PASSWORD, salt="4ZJfLmTwVtUjE4IF6sQOz5", hasher="pbkdf2_sha256"))
show("django_pbkdf2_small", PBKDF2PasswordHasher().encode(UNICODE, "4ZJfLmTwVtUjE4IF6sQOz5", iterations=1000))

# passlib's pbkdf2_sha256 (MCF: bare rounds, adapted base64 with '.' for '+').
show("passlib_pbkdf2", pbkdf2_sha256.using(rounds=1000, salt=b"\xfb\xe8saltsalt\xff\xfe").hash(PASSWORD))

# PBKDF2-SHA256 in the PHC spelling the `pbkdf2` crate parses (i=, l=), from hashlib.
salt = b"saltSALTsaltSALT"
dk = hashlib.pbkdf2_hmac("sha256", UNICODE.encode(), salt, 4096, 32)
show("pbkdf2_phc", f"$pbkdf2-sha256$i=4096,l=32${b64(salt)}${b64(dk)}")

# scrypt in PHC: passlib (hashlib backend), and hashlib.scrypt assembled by hand.
show("passlib_scrypt", scrypt.using(rounds=10, block_size=8, parallelism=1,
                                     salt=b"saltsaltsaltsalt").hash(PASSWORD))
dk = hashlib.scrypt(UNICODE.encode(), salt=b"saltSALTsaltSALT", n=2**8, r=4, p=1, dklen=32)
show("scrypt_phc", f"$scrypt$ln=8,r=4,p=1${b64(b'saltSALTsaltSALT')}${b64(dk)}")

# Published vectors the tests also use, checked here against the same implementations.
assert bcrypt.checkpw(b"U*U", b"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW")  # OpenBSD
assert pbkdf2_sha256.verify(
    "password", "$pbkdf2-sha256$8000$XAuBMIYQQogxRg$tRRlz8hYn63B9LYiCd6PRo6FMiunY9ozmMMI3srxeRE")
assert scrypt.verify(
    "password", "$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E")
assert b64(hashlib.pbkdf2_hmac("sha256", b"passwordPASSWORDpassword",
                               b"saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40)) == (
    "NIyJ28vTKy8y2BS4EW6EzysXNH68GAAYHE4qH7jdU+HGNVGMfaxH6Q")  # the pbkdf2 crate's l=40 vector
# A PHC argon2 string without `v=` is version 16 to the reference implementation.
assert low.verify_secret(b"$argon2i$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$zE5yOxf9s9SDJqU0Yt0SGf6KOB1r6HD0sQGPMPagDao",
                         PASSWORD.encode(), low.Type.I)
print("published vectors: ok")
