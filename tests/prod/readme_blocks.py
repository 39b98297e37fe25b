"""README's "Production on a server" blocks, with this machine's ports and folders put in."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## Production on a server (without Docker)"
BLOCK = re.compile(r"<!-- prod:(?P<name>[a-z]+) -->\n```sh\n(?P<body>.*?)\n```", re.S)


def blocks(readme: Path = README) -> dict[str, str]:
    """The tagged fenced blocks of the production section, by tag."""
    text = readme.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start : end if end != -1 else None]
    return {match["name"]: match["body"] for match in BLOCK.finditer(section)}


def substitute(text: str, replacements: dict[str, str]) -> str:
    """Put this machine's values in place of README's examples; every example must be there."""
    for example, value in replacements.items():
        if example not in text:
            raise AssertionError(f"README's production block no longer contains {example!r}")
        text = text.replace(example, value)
    return text


def with_settings(env_block: str, overrides: dict[str, str]) -> str:
    """The settings file with the site-specific values replaced; every key must be there."""
    lines, seen = [], set()
    for line in env_block.splitlines():
        key = line.split("=", 1)[0]
        if key in overrides:
            seen.add(key)
            line = f"{key}={overrides[key]}"
        lines.append(line)
    missing = set(overrides) - seen
    if missing:
        raise AssertionError(f"README's settings block lacks {sorted(missing)}")
    return "\n".join(lines) + "\n"


SERVER_PATHS = ("/srv/award", "/etc/award", "/var/lib/award", "/etc/nginx/sites-")


def assert_local(text: str) -> str:
    """Nothing the test runs may touch the server's own folders."""
    for path in SERVER_PATHS:
        assert path not in text, f"{path} left in what the test would run:\n{text}"
    return text
