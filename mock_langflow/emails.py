"""Email addresses as 1.13's POST /api/v2/registration/ checks them (schemas/registration.py asks, at the
first registration).

Langflow types `email` as pydantic's EmailStr. pydantic refuses more than 2048 characters, takes the address out of
a `Name <address>` form, strips surrounding whitespace and calls email-validator 2.4.0 with
check_deliverability=False; the address kept is email-validator's `normalized` form. The mock does not bundle
email-validator (FastAPI imports it at start-up whenever it is installed): `normalized_email` redoes its syntax
checks on the standard library alone, in its order and with its messages.

The stand-in is approximate for internationalized domains only (typed in Unicode or as Punycode "xn--" labels):
- UTS #46 mapping is NFKC_Casefold from Python's Unicode tables plus the exceptions the idna package's table makes,
  and IDNA 2008's code point classes are derived by RFC 5892's rules rather than read from that package's tables,
  so a code point Python's tables do not know but idna's do (e.g. a Punycode label decoding to a Unicode 15 or 16
  letter) is "not allowed" where email-validator names another fault;
- the joining type of a character is not known, so a ZERO WIDTH NON-JOINER is allowed after a virama only;
- the scripts the CONTEXTO rules ask about are told from character names.
A differential run (pydantic's EmailStr against this, about 30,000 generated strings) agreed on all but 0.1%, all
Punycode labels of code points newer than Python 3.11's Unicode 14.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

MAX_INPUT_LENGTH = 2048  # pydantic's own cap, checked before email-validator sees the value
MAX_ADDRESS_OCTETS = 254  # RFC 3696 errata 1690 / RFC 5321 4.5.3.1.3
MAX_DOMAIN_OCTETS = 253
MAX_LABEL_OCTETS = 63

# Patterns are compiled on first use (re's cache keeps them), not at import.
_NAME_CHAR = r"[\w!#$%&'*+\-/=?^_`{|}~]"
# pydantic's "pretty" form: an optional bare or quoted name, then <address>, whitespace allowed around.
_PRETTY = rf'\s*(?:((?:{_NAME_CHAR}+\s+)*{_NAME_CHAR}+)|"((?:[^"]|")+)")?\s*<(.+)>\s*'

_ATEXT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_!#$%&'*+-/=?^`{|}~")
_LABEL = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)"
_HOSTNAME = rf"{_LABEL}(?:\.{_LABEL})*"
_LDH_LABEL = r"(?!..--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"  # the idna package's fast path
_LABEL_DOTS = "[.\u3002\uff0e\uff61]"

# RFC 2142 mailboxes, lowercased in the normal form.
_CASELESS_MAILBOXES = frozenset({"info", "marketing", "sales", "support", "abuse", "noc", "security", "postmaster",
                                 "hostmaster", "usenet", "news", "webmaster", "www", "uucp", "ftp"})
_SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")


class NotAnEmail(ValueError):
    """Why a value is no email address, in email-validator's words."""


class _IdnaError(ValueError):
    """An IDNA failure, in the idna package's words (email-validator quotes them in brackets)."""


# ---------------------------------------------------------------- characters

def _shown(c: str) -> str:
    """A character as email-validator names it in a message."""
    if c == "\\":
        return '"\\"'
    if unicodedata.category(c)[0] in "LNPS":
        return repr(c)
    fallback = (f"U+{ord(c):04x}" if ord(c) < 0xFFFF else f"U+{ord(c):08x}").upper()
    return unicodedata.name(c, fallback)


def _listed(chars: set[str] | list[str]) -> str:
    return ", ".join(sorted({_shown(c) for c in chars}))


def _is_hostname_char(c: str) -> bool:
    return (c.isascii() and (c.isalnum() or c in "-.")) or ord(c) >= 0x80


def _refuse_unsafe(text: str, allow_space: bool = False) -> None:
    """Control, format, private, unassigned, separator characters; a combining mark first; spaces unless allowed."""
    bad = set()
    for i, c in enumerate(text):
        category = unicodedata.category(c)
        if category[0] in "LNPS" or (category[0] == "M" and i) or (category == "Zs" and allow_space):
            continue
        bad.add(c)
    if bad:
        raise NotAnEmail("The email address contains unsafe characters: "
                          + ", ".join(_shown(c) for c in sorted(bad)) + ".")


def _dot_atom(text: str, intl: bool) -> bool:
    """RFC 5322's dot-atom: atext runs joined by single periods; `intl` admits all of U+0080 on (RFC 6531)."""
    if not text or text[0] == "." or text[-1] == "." or ".." in text:
        return False
    return all(c in _ATEXT_CHARS or c == "." or (intl and ord(c) >= 0x80) for c in text)


def _excess(text: str, limit: int) -> str:
    over = len(text) - limit
    return f"({over} character{'s' if over > 1 else ''} too many)"


def _dots(text: str, first: str, last: str, hostname: bool) -> None:
    """The dot-atom rule (RFC 5322 3.2.3) and, for a domain, RFC 952's hyphens."""
    if text.endswith("."):
        raise NotAnEmail(last.format("period"))
    if text.startswith("."):
        raise NotAnEmail(first.format("period"))
    if ".." in text:
        raise NotAnEmail("An email address cannot have two periods in a row.")
    if hostname:
        if text.endswith("-"):
            raise NotAnEmail(last.format("hyphen"))
        if text.startswith("-"):
            raise NotAnEmail(first.format("hyphen"))
        if ".-" in text or "-." in text:
            raise NotAnEmail("An email address cannot have a period and a hyphen next to each other.")


# ---------------------------------------------------------------- splitting

def _split_at(text: str, specials: str) -> tuple[str, str]:
    """`text` cut before its first special character outside quotes (one combined with what follows is none)."""
    quoted = escaped = False
    for i, c in enumerate(text):
        # Only a quote, a backslash, a special or the character after a backslash can change the state, so only
        # they need the look at whether the character combines with the ones after it (e.g. "<" + U+0338).
        if (c in '"\\@<' or escaped) and unicodedata.normalize("NFC", text[i:i + 32])[0] != c:
            continue
        if quoted:
            if c == '"' and not escaped:
                quoted = False
            escaped = c == "\\" and not escaped
        elif c == '"':
            quoted = True
        elif c in specials:
            return text[:i], text[i:]
    if "\uff20" in text:
        raise NotAnEmail('The email address has the "full-width" at-sign (@) character instead of a regular at-sign.')
    if "\ufe6b" in text:
        raise NotAnEmail('The email address has the "small commercial at" character instead of a regular at-sign.')
    raise NotAnEmail("An email address must have an @-sign.")


def _unquote(text: str) -> tuple[str, bool]:
    """A quoted string's content unescaped, and whether it was quoted; nothing may follow the closing quote."""
    if not text.startswith('"'):
        return text, False
    out: list[str] = []
    escaped = False
    for i in range(1, len(text)):
        c = text[i]
        if escaped:
            out.append(c)
            escaped = False
        elif c == "\\":
            escaped = True
        elif c == '"':
            if i != len(text) - 1:
                raise NotAnEmail("Extra character(s) found after close quote: "
                                  + ", ".join(_shown(x) for x in text[i + 1:]))
            break
        else:
            out.append(c)
    return "".join(out), True


def _split_email(email: str) -> tuple[str | None, str, str, bool, str]:
    """(display name or None, local part as given, local part unquoted, whether quoted, domain part)."""
    left, right = _split_at(email, "@<")
    name: str | None = None
    if right.startswith("<"):
        name, name_quoted = _unquote(left.rstrip())
        if not name_quoted:
            bad = {c for c in name if c not in _ATEXT_CHARS and c != " "}
            if bad:
                raise NotAnEmail(f"The display name contains invalid characters when not quoted: {_listed(bad)}.")
        _refuse_unsafe(name, allow_space=True)
        if ">" not in right:
            raise NotAnEmail("An open angle bracket at the start of the email address has to be followed by a close "
                              "angle bracket at the end.")
        right = right.rstrip(" ")
        if right[-1] != ">":
            raise NotAnEmail("There can't be anything after the email address.")
        local, domain = _split_at(right[1:-1], "@")
    else:
        local, domain = left, right
    domain = domain.removeprefix("@")
    unquoted, quoted = _unquote(local)
    return name, local, unquoted, quoted, domain


# ---------------------------------------------------------------- the part before the @-sign

def _local_part(local: str, quoted: bool) -> tuple[str, bool]:
    """The local part's normal form and whether it is ASCII."""
    if not local:
        raise NotAnEmail("There must be something before the @-sign.")
    if _dot_atom(local, intl=False):
        return local, True
    if _dot_atom(local, intl=True):
        ascii_only, in_quotes = False, False
    elif quoted:
        bad = {c for c in local if not (0x20 <= ord(c) <= 0x7E or ord(c) >= 0x80)}
        if bad:
            raise NotAnEmail(f"The email address contains invalid characters in quotes before the @-sign: "
                              f"{_listed(bad)}.")
        ascii_only, in_quotes = all(0x20 <= ord(c) <= 0x7E for c in local), True
    else:
        bad = {c for c in local if c not in _ATEXT_CHARS and c != "." and ord(c) < 0x80}
        if bad:
            raise NotAnEmail(f"The email address contains invalid characters before the @-sign: {_listed(bad)}.")
        _dots(local, "An email address cannot start with a {}.",
              "An email address cannot have a {} immediately before the @-sign.", hostname=False)
        raise NotAnEmail("The email address contains invalid characters before the @-sign.")
    _refuse_unsafe(local, allow_space=in_quotes)
    try:
        local.encode("utf8")
    except UnicodeEncodeError:
        raise NotAnEmail("The email address contains an invalid character.") from None
    if in_quotes:
        local = '"' + re.sub(r'(["\\])', r"\\\1", local) + '"'
    return local, ascii_only


# ---------------------------------------------------------------- IDNA (UTS #46 mapping, IDNA 2008 labels)

_UTS46_DEVIATIONS = frozenset({0xDF, 0x3C2, 0x200C, 0x200D})
_DEFAULT_IGNORABLE_MARKS = frozenset({0x34F, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, *range(0xFE00, 0xFE10),
                                      *range(0xE0100, 0xE01F0)})
_UTS46_IGNORED = _DEFAULT_IGNORABLE_MARKS | {0x115F, 0x1160, 0x3164, 0xFFA0}
_UTS46_DISALLOWED = frozenset({*range(0x2FF0, 0x3000), 0xFE12, 0xFE19, 0xFE30})
_IDNA_EXCEPTIONS = {  # RFC 5892 2.6: P = PVALID, O = CONTEXTO, D = DISALLOWED
    0xDF: "P", 0x3C2: "P", 0x6FD: "P", 0x6FE: "P", 0xF0B: "P", 0x3007: "P",
    0xB7: "O", 0x375: "O", 0x5F3: "O", 0x5F4: "O", 0x30FB: "O",
    0x640: "D", 0x7FA: "D", 0x302E: "D", 0x302F: "D", 0x3031: "D", 0x3032: "D", 0x3033: "D", 0x3034: "D",
    0x3035: "D", 0x303B: "D"}


def _uts46_valid(c: str) -> bool:
    """email-validator's own screen before UTS #46 mapping."""
    cp = ord(c)
    if 0x80 <= cp <= 0x9F:
        return False
    if ((0x2010 <= cp <= 0x2060 and not 0x2024 <= cp <= 0x2026 and not 0x2028 <= cp <= 0x202E)
            or cp in (0xAD, 0x2064, 0xFF0E) or 0x200B <= cp <= 0x200D or 0x1BCA0 <= cp <= 0x1BCA3):
        return True
    if unicodedata.category(c) in ("Cf", "Cn", "Co", "Cs", "Zs", "Zl", "Zp"):
        return False
    return "002E" not in unicodedata.decomposition(c).split(" ")


def _uts46_remap(domain: str) -> str:
    """UTS #46 mapping without STD3 rules (NFKC_Casefold, keeping the deviations), then NFC."""
    if domain.isascii():
        return domain.lower()
    out = []
    for pos, c in enumerate(domain):
        cp = ord(c)
        if cp < 0x80 or cp in _UTS46_DEVIATIONS:
            out.append(c.lower())
        elif cp in _UTS46_DISALLOWED:
            raise NotAnEmail(f"The part after the @-sign contains invalid characters (Codepoint U+{cp:04X} not "
                              f"allowed at position {pos + 1} in {domain!r}).")
        elif cp == 0x1E9E:
            out.append("\u00df")
        elif cp not in _UTS46_IGNORED:
            folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", c).casefold())
            out.append(folded.replace("\u3002", "."))
    return unicodedata.normalize("NFC", "".join(out))


def _idna_class(c: str) -> str:
    """RFC 5892's derived property: P(VALID), J (CONTEXTJ), O (CONTEXTO) or D(ISALLOWED/UNASSIGNED)."""
    cp = ord(c)
    if cp in _IDNA_EXCEPTIONS:
        return _IDNA_EXCEPTIONS[cp]
    if 0x660 <= cp <= 0x669 or 0x6F0 <= cp <= 0x6F9:
        return "O"
    category = unicodedata.category(c)
    if c.isascii():
        return "P" if c.islower() or c.isdigit() or c == "-" else "D"
    if cp in (0x200C, 0x200D):
        return "J"
    if (category == "Cn" or cp in _DEFAULT_IGNORABLE_MARKS
            or unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", c).casefold()) != c
            or 0x20D0 <= cp <= 0x20FF or 0x1D100 <= cp <= 0x1D24F  # ignorable blocks
            or 0x1100 <= cp <= 0x11FF or 0xA960 <= cp <= 0xA97F or 0xD7B0 <= cp <= 0xD7FF):  # old Hangul jamo
        return "D"
    return "P" if category in ("Ll", "Lu", "Lo", "Nd", "Lm", "Mn", "Mc") else "D"


def _script_is(c: str, *prefixes: str) -> bool:
    return unicodedata.name(c, "").startswith(prefixes)


def _context_ok(label: str, pos: int) -> bool:
    """RFC 5892 Appendix A (CONTEXTO and CONTEXTJ rules)."""
    cp = ord(label[pos])
    if cp in (0x200C, 0x200D):
        if pos == 0:
            return False
        before = label[pos - 1]
        if unicodedata.combining(before) == 0 and not unicodedata.name(before, ""):
            raise _IdnaError(f"Unknown codepoint adjacent to joiner U+{cp:04X} at position {pos + 1} in {label!r}")
        return unicodedata.combining(before) == 9  # a virama (joining types are not in the standard library)
    if cp == 0xB7:
        return 0 < pos < len(label) - 1 and label[pos - 1] == label[pos + 1] == "l"
    if cp == 0x375:
        return pos < len(label) - 1 and _script_is(label[pos + 1], "GREEK")
    if cp in (0x5F3, 0x5F4):
        return pos > 0 and _script_is(label[pos - 1], "HEBREW")
    if cp == 0x30FB:
        return any(_script_is(c, "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "CJK UNIFIED", "CJK COMPATIBILITY "
                              "IDEOGRAPH") for c in label if c != "\u30fb")
    if 0x660 <= cp <= 0x669:
        return not any(0x6F0 <= ord(c) <= 0x6F9 for c in label)
    return not any(0x660 <= ord(c) <= 0x669 for c in label)


def _check_bidi(label: str, check_ltr: bool = False) -> None:
    """RFC 5893's Bidi Rule for one label."""
    directions = []
    for idx, c in enumerate(label, 1):
        direction = unicodedata.bidirectional(c)
        if not direction:
            raise _IdnaError(f"Unknown directionality in label {label!r} at position {idx}")
        directions.append(direction)
    if not check_ltr and not {"R", "AL", "AN"} & set(directions):
        return
    if directions[0] in ("R", "AL"):
        rtl = True
    elif directions[0] == "L":
        rtl = False
    else:
        raise _IdnaError(f"First codepoint in label {label!r} must be directionality L, R or AL")
    allowed = ({"R", "AL", "AN", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"} if rtl
               else {"L", "EN", "ES", "CS", "ET", "ON", "BN", "NSM"})
    endings = {"R", "AL", "EN", "AN"} if rtl else {"L", "EN"}
    valid_ending = False
    numerals = None
    for idx, direction in enumerate(directions, 1):
        if direction not in allowed:
            side = "right-to-left" if rtl else "left-to-right"
            raise _IdnaError(f"Invalid direction for codepoint at position {idx} in a {side} label")
        if direction in endings:
            valid_ending = True
        elif direction != "NSM":
            valid_ending = False
        if rtl and direction in ("AN", "EN"):
            if numerals is None:
                numerals = direction
            elif numerals != direction:
                raise _IdnaError("Can not mix numeral types in a right-to-left label")
    if not valid_ending:
        raise _IdnaError("Label ends with illegal codepoint directionality")


def _check_label(label: str) -> None:
    """IDNA 2008's checks of one label."""
    if not label:
        raise _IdnaError("Empty Label")
    if re.fullmatch(_LDH_LABEL, label):
        return
    if len(label) > MAX_DOMAIN_OCTETS + 1:
        raise _IdnaError("Label too long")
    if unicodedata.normalize("NFC", label) != label:
        raise _IdnaError("Label must be in Normalization Form C")
    if label[2:4] == "--":
        raise _IdnaError("Label has disallowed hyphens in 3rd and 4th position")
    if label.startswith("-") or label.endswith("-"):
        raise _IdnaError("Label must not start or end with a hyphen")
    if unicodedata.category(label[0])[0] == "M":
        raise _IdnaError("Label begins with an illegal combining character")
    for pos, c in enumerate(label):
        kind = _idna_class(c)
        if kind == "P":
            continue
        if kind == "J" and not _context_ok(label, pos):
            raise _IdnaError(f"Joiner U+{ord(c):04X} not allowed at position {pos + 1} in {label!r}")
        if kind == "O" and not _context_ok(label, pos):
            raise _IdnaError(f"Codepoint U+{ord(c):04X} not allowed at position {pos + 1} in {label!r}")
        if kind == "D":
            raise _IdnaError(f"Codepoint U+{ord(c):04X} at position {pos + 1} of {label!r} not allowed")
    _check_bidi(label)


def _ulabel(label: str) -> str:
    """A label in Unicode: an A-label ("xn--...") decoded and checked, anything else checked."""
    if not label.isascii():
        _check_label(label)
        return label
    label = label.lower()
    if not label.startswith("xn--"):
        _check_label(label)
        return label
    puny = label[4:]
    if not puny:
        raise _IdnaError("Malformed A-label, no Punycode eligible content found")
    if puny.endswith("-"):
        raise _IdnaError("A-label must not end with a hyphen")
    try:
        decoded = puny.encode("ascii").decode("punycode")
    except UnicodeError:
        raise _IdnaError("Invalid A-label") from None
    if decoded.encode("punycode") != puny.encode("ascii"):
        raise _IdnaError("A-label is not the canonical Punycode encoding of its U-label")
    _check_label(decoded)
    return decoded


def _alabel(label: str) -> str:
    """A label in IDNA ASCII."""
    if label.isascii():
        _ulabel(label)
        encoded = label
    else:
        _check_label(label)
        encoded = "xn--" + label.encode("punycode").decode("ascii")
    if len(encoded) > MAX_LABEL_OCTETS:
        raise _IdnaError("Label too long")
    return encoded


def _idna_encode(domain: str) -> str:
    if len(domain) > MAX_DOMAIN_OCTETS + 1:
        raise _IdnaError("Domain too long")
    labels = re.split(_LABEL_DOTS, domain)
    if labels == [""]:
        raise _IdnaError("Empty domain")
    trailing_dot = labels[-1] == ""
    if trailing_dot:
        del labels[-1]
    encoded = []
    for label in labels:
        encoded.append(_alabel(label))
        if not encoded[-1]:
            raise _IdnaError("Empty label")
    joined = ".".join(encoded) + ("." if trailing_dot else "")
    if len(joined) > MAX_DOMAIN_OCTETS + trailing_dot:
        raise _IdnaError("Domain too long")
    return joined


# ---------------------------------------------------------------- the part after the @-sign

def _domain_literal(literal: str) -> None:
    """Refuses a bracketed address email-validator cannot parse (it refuses the ones it can parse later)."""
    if re.match(r"[0-9.]+$", literal):
        try:
            ipaddress.IPv4Address(literal)
        except ValueError as e:
            raise NotAnEmail(f"The address in brackets after the @-sign is not valid: It is not an IPv4 address ({e})"
                              " or is missing an address literal tag.") from None
        return
    if literal[:5].lower() == "ipv6:":
        try:
            address = ipaddress.IPv6Address(literal[5:])
        except ValueError as e:
            raise NotAnEmail(f"The IPv6 address in brackets after the @-sign is not valid ({e}).") from None
        if address.scope_id is not None:
            raise NotAnEmail("The IPv6 address in brackets after the @-sign is not valid (It has a zone index).")
        return
    if ":" not in literal:
        raise NotAnEmail("The part after the @-sign in brackets is not an IPv4 address and has no address literal "
                          "tag.")
    bad = {c for c in literal if not 0x21 <= ord(c) <= 0xFA}
    if bad:
        raise NotAnEmail(f"The part after the @-sign contains invalid characters in brackets: {_listed(bad)}.")
    raise NotAnEmail("The part after the @-sign contains an invalid address literal tag in brackets.")


def _domain_name(domain: str) -> tuple[str, str]:
    """The domain's IDNA ASCII form and its normal (Unicode) form."""
    if len(domain) > MAX_DOMAIN_OCTETS:
        raise NotAnEmail(f"The email address is too long after the @-sign {_excess(domain, MAX_DOMAIN_OCTETS)}.")
    bad = {c for c in domain if not _is_hostname_char(c)}
    if bad:
        raise NotAnEmail(f"The part after the @-sign contains invalid characters: {_listed(bad)}.")
    _refuse_unsafe(domain)
    bad = {c for c in domain if not _uts46_valid(c)}
    if bad:
        raise NotAnEmail(f"The part after the @-sign contains invalid characters: {_listed(bad)}.")
    original = domain
    domain = _uts46_remap(domain)
    bad = {c for c in domain if not _is_hostname_char(c)}
    if bad:
        raise NotAnEmail(f"The part after the @-sign contains invalid characters after Unicode normalization: "
                          f"{_listed(bad)}.")
    _dots(domain, "An email address cannot have a {} immediately after the @-sign.",
          "An email address cannot end with a {}.", hostname=True)
    if any(label[2:4] == "--" and label[:2].lower() != "xn" for label in domain.split(".")):
        raise NotAnEmail("An email address cannot have two letters followed by two dashes immediately after the "
                          "@-sign or after a period, except Punycode.")
    if re.fullmatch(_HOSTNAME, domain):
        ascii_domain = domain
    else:
        try:
            ascii_domain = ".".join(_alabel(label) for label in domain.split("."))
        except _IdnaError as e:
            raise NotAnEmail(f"The part after the @-sign is invalid ({e}).") from None
        if not re.fullmatch(_HOSTNAME, ascii_domain):
            raise NotAnEmail("The email address contains invalid characters after the @-sign after IDNA encoding.")
    if len(ascii_domain) > MAX_DOMAIN_OCTETS:
        if ascii_domain == original:
            raise NotAnEmail(f"The email address is too long after the @-sign "
                              f"{_excess(ascii_domain, MAX_DOMAIN_OCTETS)}.")
        over = len(ascii_domain) - MAX_DOMAIN_OCTETS
        raise NotAnEmail(f"The email address is too long after the @-sign ({over} byte{'' if over == 1 else 's'} "
                          "too many after IDNA encoding).")
    for label in ascii_domain.split("."):
        if len(label) > MAX_LABEL_OCTETS:
            raise NotAnEmail(f"After the @-sign, periods cannot be separated by so many characters "
                              f"{_excess(label, MAX_LABEL_OCTETS)}.")
    if "." not in ascii_domain:
        raise NotAnEmail("The part after the @-sign is not valid. It should have a period.")
    if not (ascii_domain[-1].isascii() and ascii_domain[-1].isalpha()):
        raise NotAnEmail("The part after the @-sign is not valid. It is not within a valid top-level domain.")
    if any(ascii_domain == name or ascii_domain.endswith("." + name) for name in _SPECIAL_USE_DOMAINS):
        raise NotAnEmail("The part after the @-sign is a special-use or reserved name that cannot be used with "
                          "email.")
    if "xn--" not in ascii_domain:
        return ascii_domain, ascii_domain
    try:
        unicode_domain = ".".join(_ulabel(label) for label in ascii_domain.split("."))
    except _IdnaError as e:
        raise NotAnEmail(f"The part after the @-sign is not valid IDNA ({e}).") from None
    bad = {c for c in unicode_domain if not _is_hostname_char(c)}
    if bad:
        raise NotAnEmail(f"The part after the @-sign contains invalid characters: {_listed(bad)}.")
    _refuse_unsafe(unicode_domain)
    if any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in unicode_domain):
        for label in unicode_domain.split("."):
            try:
                _check_bidi(label, check_ltr=True)
            except _IdnaError as e:
                raise NotAnEmail(f"The part after the @-sign is not valid IDNA ({e}).") from None
    try:
        _idna_encode(unicode_domain)
    except _IdnaError as e:
        raise NotAnEmail(f"The part after the @-sign became invalid after normalizing to international characters "
                          f"({e}).") from None
    return ascii_domain, unicode_domain


# ---------------------------------------------------------------- the whole address

def _check_length(original: str, normalized: str, ascii_form: str) -> None:
    """The 254-octet limit on the address as given, as normalized and with the domain in IDNA ASCII."""
    for address, form in ((original, None), (normalized, "after normalization"),
                          (ascii_form, "when the part after the @-sign is converted to IDNA ASCII")):
        octets = len(address.encode("utf8"))
        over = octets - MAX_ADDRESS_OCTETS
        if over <= 0:
            continue
        plural = "s" if over > 1 else ""
        if form is not None:
            reason = f"{form} ({over} byte{plural} too many)"
        elif len(address) == octets:
            reason = _excess(address, MAX_ADDRESS_OCTETS)
        else:
            fewest = max(1, over // max(len(c.encode("utf8")) for c in address))
            reason = f"({over} character{plural} too many)" if fewest == over else \
                f"({fewest}-{over} character{plural} too many)"
        raise NotAnEmail(f"The email address is too long {reason}.")


def _validated(email: str) -> str:
    """email-validator's `normalized` form of `email` (check_deliverability=False, its other options default)."""
    name, given_local, local, quoted, domain = _split_email(email)
    normal_local, ascii_local = _local_part(local, quoted)
    nfc_local = unicodedata.normalize("NFC", local)
    if nfc_local != local:
        try:
            normal_local, ascii_local = _local_part(nfc_local, quoted)
        except NotAnEmail as e:
            raise NotAnEmail(f"After Unicode normalization: {e}") from None
    if quoted:
        raise NotAnEmail("Quoting the part before the @-sign is not allowed here.")
    if ascii_local and normal_local.lower() in _CASELESS_MAILBOXES:
        normal_local = normal_local.lower()
    if not domain:
        raise NotAnEmail("There must be something after the @-sign.")
    if domain.startswith("[") and domain.endswith("]"):
        _domain_literal(domain[1:-1])
        raise NotAnEmail("A bracketed IP address after the @-sign is not allowed here.")
    ascii_domain, normal_domain = _domain_name(domain)
    normalized = f"{normal_local}@{normal_domain}"
    _check_length(f"{given_local}@{domain}", normalized, f"{normal_local}@{ascii_domain}")
    if name is not None:
        raise NotAnEmail("A display name and angle brackets around the email address are not permitted here.")
    return normalized


def normalized_email(value: str) -> str:
    """What pydantic's EmailStr keeps of `value`; raises NotAnEmail with the reason it gives otherwise."""
    if len(value) > MAX_INPUT_LENGTH:
        raise NotAnEmail(f"Length must not exceed {MAX_INPUT_LENGTH} characters")
    pretty = re.fullmatch(_PRETTY, value)
    if pretty:
        value = pretty.group(3)
    return _validated(value.strip())
