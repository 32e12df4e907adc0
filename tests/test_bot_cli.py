"""`beachhead bot` refuses to start with a clear one-line error and exit 1
when the token, the channel or the founder role is missing or wrong; the
wrong-but-present cases are checked against a (fake) Discord."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import cli
from tests.builders import TEST_PLAYBOOK, write_playbook
from tests.fakes.discord_fixtures import fake_in_thread


def playbook_with(tmp_path: Path, channel_id: int, role: str = "Founders") -> Path:
    section = f'\n[discord]\nchannel_id = {channel_id}\nfounder_role = "{role}"\n'
    return write_playbook(tmp_path, TEST_PLAYBOOK + section)


def run_bot(tmp_path: Path, playbook: Path, token: str | None):
    env = {"DISCORD_TOKEN": token} if token is not None else {"DISCORD_TOKEN": ""}
    return CliRunner().invoke(
        cli, ["--db", str(tmp_path / "b.db"), "--playbook", str(playbook), "bot"], env=env
    )


def test_missing_token(tmp_path):
    result = run_bot(tmp_path, playbook_with(tmp_path, 42), None)
    assert result.exit_code == 1
    assert result.output == (
        "Error: DISCORD_TOKEN is not set (the bot token from the Discord developer portal)\n"
    )


def test_channel_not_set_in_the_playbook(tmp_path):
    playbook = playbook_with(tmp_path, 0)
    result = run_bot(tmp_path, playbook, "some-token")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {playbook}: [discord] channel_id is not set (put the id of the founders' "
        "channel there: in Discord, right-click the channel, Copy Channel ID)\n"
    )


@pytest.fixture(scope="module")
def discord_server():
    with fake_in_thread() as fake:
        yield fake


def test_unknown_channel(tmp_path, discord_server):
    result = run_bot(tmp_path, playbook_with(tmp_path, 5), discord_server.token)
    assert result.exit_code == 1
    assert result.output == (
        "Error: channel 5 ([discord] channel_id in the playbook) does not exist or the bot "
        "cannot see it\n"
    )


def test_unknown_role(tmp_path, discord_server):
    playbook = playbook_with(tmp_path, discord_server.channel_id, role="Marketing")
    result = run_bot(tmp_path, playbook, discord_server.token)
    assert result.exit_code == 1
    assert result.output == (
        "Error: role 'Marketing' ([discord] founder_role in the playbook) does not exist in "
        "the server of channel #queue\n"
    )


def test_refused_token(tmp_path, discord_server):
    playbook = playbook_with(tmp_path, discord_server.channel_id)
    result = run_bot(tmp_path, playbook, "not-the-token")
    assert result.exit_code == 1
    assert result.output == (
        "Error: Discord refused the token in DISCORD_TOKEN (401 Unauthorized): copy it again "
        "from the developer portal, Bot tab\n"
    )
    assert "not-the-token" not in result.output


def test_bot_command_has_help_with_an_example():
    result = CliRunner().invoke(cli, ["bot", "--help"])
    assert result.exit_code == 0
    assert "Example: DISCORD_TOKEN=... beachhead bot" in result.output
