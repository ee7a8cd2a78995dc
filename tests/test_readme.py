"""The README's commands are the project's: its test command is the one CI runs, and every `wpsgraph` command it
shows exists with the options it uses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from wpsgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_the_two_commands_come_first_and_agree_with_ci():
    first = README.index("## ")
    assert README[first:].startswith("## Two commands")
    install, tests = shell_blocks()[:2]
    assert "pip install -e '.[test]'" in install and "wpsgraph build" in install
    assert tests.strip() == ".venv/bin/python -m pytest"
    ci_tests = next(line for line in CI.splitlines() if "-m pytest" in line and not line.startswith("#"))
    assert ci_tests.startswith(tests.strip())  # the same run, with coverage added
    extras = re.search(r"pip install --quiet -e '\.\[([\w,]+)\]'", CI).group(1).split(",")
    assert "test" in extras


def test_researchers_read_their_part_first():
    order = [README.index(f"## {title}") for title in (
        "Two commands", "Finding things", "Asking questions", "The query page", "Pictures", "Python and notebooks",
        "Publishing the site", "Validating data", "Serving, remote endpoints and triple stores")]
    assert order == sorted(order)


def invocations():
    for block in shell_blocks():
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            words = shlex.split(line) if line else []
            words = [w for w in words if "=" not in w or w.startswith("-")]  # leading VAR=value settings
            if words and words[0].endswith("bin/wpsgraph") and len(words) > 1:
                yield line, words[1:]


def test_every_wpsgraph_command_in_the_readme_exists_with_its_options():
    seen = 0
    for line, words in invocations():
        command = main.commands.get(words[0])
        assert command is not None, f"README: no command {words[0]!r} in {line!r}"
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts + p.secondary_opts}
        for word in words[1:]:
            if word.startswith("--"):
                assert word.split("=", 1)[0] in options, f"README: {words[0]} has no option {word} ({line!r})"
        seen += 1
    assert seen >= 15
