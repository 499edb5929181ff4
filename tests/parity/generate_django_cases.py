#!/usr/bin/env python3
"""Write tests/parity/django-5.2.jsonl: password cases judged by Django 5.2's default validators.

Each line is {"password", "user" (object or null), "codes", "messages"} where codes and messages are what
`django.contrib.auth.password_validation.validate_password` raised, in order. The Rust parity test and
the npm package's test replay every line and must agree on 100% of them.

Run (needs only PyPI):
    python3 -m venv /tmp/django-parity && /tmp/django-parity/bin/pip install "django==5.2.*"
    /tmp/django-parity/bin/python tests/parity/generate_django_cases.py > tests/parity/django-5.2.jsonl

The cases are drawn from a fixed seed, so the output is reproducible. Passwords stay within 128
characters: beyond that the project's max-length rule (which Django lacks) answers first by design.
"""

import json
import random
import string
import sys

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes"],
    USE_I18N=False,
    AUTH_PASSWORD_VALIDATORS=[
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ],
)
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.contrib.auth.password_validation import (  # noqa: E402
    CommonPasswordValidator,
    validate_password,
)
from django.core.exceptions import ValidationError  # noqa: E402

MAX_LENGTH = 128
rng = random.Random(20261124)
COMMON = sorted(CommonPasswordValidator().passwords)

PEOPLE = [
    {"username": "johndoe", "email": "john.doe@example.com", "first_name": "John", "last_name": "Doe"},
    {"username": "jane_smith", "email": "jane.smith@example.org", "first_name": "Jane", "last_name": "Smith"},
    {"username": "jose.garcia", "email": "jose@garcia.es", "first_name": "José", "last_name": "García"},
    {"username": "zoe", "email": "zoë@example.net", "first_name": "Zoë", "last_name": "Ångström"},
    {"username": "yamada", "email": "taro@yamada.jp", "first_name": "太郎", "last_name": "山田"},
    {"username": "ivan", "email": "ivan@почта.рф", "first_name": "Иван", "last_name": "ПЕТРОВ"},
    {"username": "odysseus", "email": "odysseus@ithaca.gr", "first_name": "ΟΔΥΣΣΕΥΣ", "last_name": "Λαέρτιος"},
    {"username": "ibrahim", "email": "İbrahim@example.tr", "first_name": "İbrahim", "last_name": "Yılmaz"},
    {"username": "..dots..", "email": "-@-.-", "first_name": "", "last_name": "O'Neil-Smith"},
    {"username": "x", "email": "x@y.z", "first_name": "Al", "last_name": "Li"},
    {"username": "averyveryverylongusernamethatgoesonandon", "email": "a@b.co", "first_name": "Bartholomew",
     "last_name": "Featherstonehaugh"},
    {"username": "user_123", "email": "user_123@mail.example", "first_name": "Ünal", "last_name": "Straße"},
    {"username": "e\u0301lise", "email": "elise@example.fr", "first_name": "E\u0301lise", "last_name": "Noe\u0308l"},
    {"username": "dragon", "email": "dragon@dragon.dragon", "first_name": "Dragon", "last_name": "Dragon"},
]

UNICODE_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴५६७८९০১২৩０１２３４５６７８９²³¹⁰⁴⁵①②③"
NOT_DIGITS = "½¼ⅫⅣ〇一二三"
SPACES = [" ", "\t", "\n", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680",
          "\u2000", "\u2007", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
NOT_SPACES = ["\u200b", "\u180e", "\ufeff", "\u2060"]
UNICODE_LETTERS = "äöüßÄÖÜéèêçñÑåøæœŒİıŞşĞğΣσςΑΩαωЖжЯяЁё漢字かなカナ한국"
SYMBOLS = "!@#$%^&*()-_=+[]{};:'\",.<>/?\\|`~€£¥§°"


def rand_text(alphabet, low, high):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def mutate_case(text):
    return "".join(c.upper() if rng.random() < 0.5 else c for c in text)


def cases():
    # Random ASCII of every length from 0 to the maximum.
    for length in list(range(0, 20)) + [24, 32, 40, 50, 64, 80, 100, 127, 128]:
        for alphabet in (string.ascii_lowercase, string.ascii_letters + string.digits, string.printable.strip()):
            yield "".join(rng.choice(alphabet) for _ in range(length)), rng.choice([None, rng.choice(PEOPLE)])

    # Common passwords, and variants in case and surrounding white space.
    for word in rng.sample(COMMON, 150):
        yield word, None
        yield mutate_case(word), rng.choice(PEOPLE)
        yield rng.choice(SPACES) + word + rng.choice(SPACES), None
        yield rng.choice(NOT_SPACES) + word, None
        yield word + rng.choice("1!x"), None
    for word in ["ПАРОЛЬ", "Пароль", " password ", "PASSWORD", "PassWord\u3000", "\x1cqwerty\x1f", "İ"]:
        yield word, None

    # Numeric in many scripts, and near misses.
    for _ in range(80):
        yield rand_text(UNICODE_DIGITS, 1, 16), rng.choice([None, rng.choice(PEOPLE)])
    for _ in range(30):
        yield rand_text(UNICODE_DIGITS, 4, 12) + rng.choice(NOT_DIGITS), None
        yield rng.choice(NOT_DIGITS) * rng.randint(1, 9), None
    for digits in ["12345678", "87654321", "000000000", "1234567", "３１４１５９２６５", "١٢٣٤٥٦٧٨", "²²²²²²²²"]:
        yield digits, None

    # Similar and dissimilar to the user's attributes.
    for person in PEOPLE:
        values = [v for v in person.values() if v]
        for value in values:
            yield value, person
            yield value.upper(), person
            yield value + "1", person
            yield value + rand_text(string.digits, 2, 6), person
            yield value[::-1], person
            yield value[: max(1, len(value) // 2)] + rand_text(string.ascii_letters, 3, 8), person
            yield "".join(rng.sample(value, len(value))), person
            yield rand_text(string.ascii_letters + SYMBOLS, 8, 14), person
            yield (value * 12)[: rng.randint(len(value), MAX_LENGTH)], person
            yield value + rand_text(string.ascii_letters, 10 * len(value), 10 * len(value) + 20)[: MAX_LENGTH - len(value)], person
        email_local = person["email"].split("@")[0]
        yield email_local + "2024!", person
        yield person["first_name"] + person["last_name"], person
        yield "", person

    # Users with only some attributes, empty attributes, and no user.
    for _ in range(60):
        person = dict(rng.choice(PEOPLE))
        for key in list(person):
            if rng.random() < 0.4:
                person[key] = "" if rng.random() < 0.5 else person[key]
            if rng.random() < 0.2:
                del person[key]
        source = rng.choice([v for v in person.values() if v] or ["password"])
        yield mutate_case(source) + rand_text(string.digits + SYMBOLS, 0, 4), person

    # Unicode letters, case rules, combining marks, symbols, white space inside.
    for _ in range(120):
        alphabet = UNICODE_LETTERS + string.ascii_letters + SYMBOLS + "".join(SPACES[:3])
        yield rand_text(alphabet, 1, 30), rng.choice([None] + PEOPLE)
    for special in ["ΟΔΥΣΣΕΥΣ1", "odysseus", "ΟΔΥΣΣΕΥΣ", "İBRAHİM", "ibrahim", "STRASSE", "straße", "ÉLISE",
                    "e\u0301lise", "ǅemal", "ﬁnance", "ΣΑΣ", "ὈΔΥΣΣΕΎΣ"]:
        for person in PEOPLE:
            yield special, person


def judge(password, person):
    user = User(**person) if person is not None else None
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list], list(error.messages)
    return [], []


def main():
    seen = set()
    count = 0
    for password, person in cases():
        assert len(password) <= MAX_LENGTH, (password, len(password))
        key = (password, json.dumps(person, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        codes, messages = judge(password, person)
        line = {"password": password, "user": person, "codes": codes, "messages": messages}
        print(json.dumps(line, ensure_ascii=False))
        count += 1
    print(f"{count} cases, Django {django.get_version()}", file=sys.stderr)


if __name__ == "__main__":
    main()
