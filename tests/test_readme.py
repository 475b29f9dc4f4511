"""The README's examples say what the tool really prints."""

from __future__ import annotations

import re
import shlex

from typer.testing import CliRunner

from scaffold.cli import app
from tests.helpers import ROOT


def test_when_the_readme_shows_a_recommendation_then_it_is_the_real_output() -> None:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"^\$ scaffold (recommend[^\n]*)\n(.*?)^```$", readme, re.MULTILINE | re.DOTALL)
    assert match, "the README has no worked `scaffold recommend` example"
    result = CliRunner().invoke(app, shlex.split(match.group(1)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == match.group(2)
