"""The pure parts: keys made, split and checked; signatures made and checked; backoff."""

from lms.integrations import keys, signing


def test_a_key_is_found_by_its_prefix_and_checked_against_its_hash():
    new = keys.key_new()
    assert keys.key_prefix(new.key) == new.prefix
    assert keys.key_matches(new.key, new.key_hash)
    assert not keys.key_matches(new.key + "x", new.key_hash)
    assert new.key not in new.key_hash
    for not_a_key in ("", "hg_", "hg_short_x", "sk_" + new.key[3:], new.key.split("_")[0]):
        assert keys.key_prefix(not_a_key) is None


def test_a_signature_holds_only_for_its_body_time_and_secret():
    secret, body, now = signing.secret_new(), b'{"event":"exam.finalised"}', 1_780_000_000
    header = signing.signature_header(secret=secret, timestamp=now, body=body)
    assert header.startswith(f"t={now},v1=")
    assert signing.signature_valid(secret=secret, header=header, body=body, now=now + 10)
    assert not signing.signature_valid(secret=secret, header=header, body=body + b" ", now=now)
    assert not signing.signature_valid(secret=secret + "x", header=header, body=body, now=now)
    assert not signing.signature_valid(secret=secret, header=header, body=body, now=now + 301)
    assert not signing.signature_valid(secret=secret, header="v1=abc", body=body, now=now)
    assert not signing.signature_valid(secret=secret, header="garbage", body=body, now=now)


def test_the_wait_doubles_up_to_an_hour():
    assert [signing.backoff_seconds(n, base=30) for n in range(1, 9)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600,
    ]  # fmt: skip
