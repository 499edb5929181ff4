"""Verifies an access token with PyJWT from the Worker's JWK Set alone: another language, another
JWT library and another Ed25519 (pyca/cryptography) than the Worker's. Run by tests/e2e/tokens.test.mjs
from target/interop-venv (scripts/setup.sh, pinned by tests/interop/requirements.txt).

    verify_jwks.py JWKS_URL ISSUER AUDIENCE < token

Prints one JSON line: {"ok": true, "kid", "header", "claims"} or {"ok": false, "error"}. The token
comes on stdin, so that it is not in the process list.
"""

import json
import sys

import jwt


def main() -> None:
    jwks_url, issuer, audience = sys.argv[1:4]
    token = sys.stdin.read().strip()
    try:
        # No cache: each run fetches the set, as a verifier meeting a new `kid` does.
        client = jwt.PyJWKClient(jwks_url, cache_keys=False, cache_jwk_set=False)
        key = client.get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key,
            algorithms=["EdDSA"],
            issuer=issuer,
            audience=audience,
            options={"require": ["sub", "iss", "aud", "iat", "exp", "jti"]},
        )
        answer = {
            "ok": True,
            "kid": key.key_id,
            "header": jwt.get_unverified_header(token),
            "claims": claims,
        }
    except jwt.PyJWTError as error:
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(answer))


if __name__ == "__main__":
    main()
