"""The exam integrity rules without a database: networks, the page's events, idleness."""

from datetime import UTC, datetime, timedelta

from assessments import integrity


def test_a_network_list_names_every_bad_entry():
    problems = integrity.network_problems("10.8.0.0/16\n192.168.1.300/24, 公司内网；2001:db8::/32")
    assert len(problems) == 2
    assert "192.168.1.300/24" in problems[0] and "公司内网" in problems[1]
    assert integrity.network_problems("10.8.0.0/16\n 172.16.5.4 ,2001:db8::/32") == []


def test_an_address_is_allowed_only_inside_a_listed_network():
    text = "10.8.0.0/16\n203.0.113.7"
    assert integrity.address_allowed(text=text, address="10.8.42.1")
    assert integrity.address_allowed(text=text, address="203.0.113.7")
    assert not integrity.address_allowed(text=text, address="203.0.113.8")
    assert not integrity.address_allowed(text=text, address="2001:db8::1")
    assert integrity.address_allowed(text=text, address="::ffff:10.8.0.9")  # IPv4 seen as IPv6
    assert not integrity.address_allowed(text=text, address=None)
    assert not integrity.address_allowed(text=text, address="not an address")


def test_no_networks_means_anywhere():
    assert integrity.address_allowed(text="", address=None)
    assert integrity.address_allowed(text=" \n ", address="198.51.100.1")


def test_the_parsed_list_is_kept_per_text():
    text = "10.1.0.0/16\n10.2.0.0/16"
    assert integrity.parse_networks(text) is integrity.parse_networks(text)
    assert [str(n) for n in integrity.parse_networks(text)] == ["10.1.0.0/16", "10.2.0.0/16"]


def test_the_page_cannot_report_a_limit_of_its_own_making():
    assert "limit_submitted" not in integrity.CLIENT_KINDS
    assert "idle_submitted" not in integrity.CLIENT_KINDS
    assert integrity.LEAVE_KINDS <= integrity.CLIENT_KINDS
    assert "returned" not in integrity.LEAVE_KINDS and "copy" not in integrity.LEAVE_KINDS


def test_the_limit_and_idleness_are_the_servers_arithmetic():
    assert not integrity.limit_reached(leaves=2, limit=3)
    assert integrity.limit_reached(leaves=3, limit=3)
    assert not integrity.limit_reached(leaves=50, limit=None)
    last = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert not integrity.is_idle(
        last_activity=last, idle_minutes=10, now=last + timedelta(minutes=9)
    )
    assert integrity.is_idle(last_activity=last, idle_minutes=10, now=last + timedelta(minutes=10))
    assert not integrity.is_idle(
        last_activity=last, idle_minutes=None, now=last + timedelta(days=1)
    )
