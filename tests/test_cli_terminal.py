"""What the CLI shows: progress lines and colour on a terminal (a real pseudo-terminal), plain text when piped,
NO_COLOR and --no-color respected; shell completion scripts for bash, zsh and fish."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gate.cli import COMMANDS, build_parser
from gate.completion import SHELLS
from tests.conftest import FIXTURES, ROOT

_COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-7](;[0-9]+)*m|\x1b\[[0-9;]*38;")
_ESCAPE = re.compile(r"\x1b")
CHECK = [sys.executable, "-m", "gate.cli", "check", str(FIXTURES / "diagram" / "app.yaml")]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return {**env, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120", **extra}


def _config(tmp_path: Path) -> list[str]:
    config = tmp_path / "gate.yml"
    config.write_text("checks:\n  enabled: [policies, secrets]\n")
    return ["--config", str(config), "--out", str(tmp_path / "out")]


def _on_a_terminal(argv: list[str], env: dict[str, str], cwd: Path) -> str:
    main_fd, sub_fd = pty.openpty()
    process = subprocess.Popen(argv, stdin=sub_fd, stdout=sub_fd, stderr=sub_fd, env=env, cwd=cwd)
    os.close(sub_fd)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([main_fd], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(main_fd, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_piped_output_is_plain(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CHECK, *_config(tmp_path)], capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=300
    )
    assert done.returncode == 1, done.stderr  # the fixture is blocked by policies
    assert not _ESCAPE.search(done.stdout) and not _ESCAPE.search(done.stderr), "no escape codes when piped"
    assert "✓" not in done.stderr, "no progress lines when not on a terminal"
    assert done.stdout.startswith("devops-gate: BLOCKED (resources: 10;")


def test_terminal_shows_progress_and_colour(tmp_path: Path) -> None:
    shown = _on_a_terminal([*CHECK, *_config(tmp_path)], _env(tmp_path), tmp_path)
    for step in ("check policies", "check secrets", "estimating the cost"):
        assert re.search(rf"✓ \S*{step}", shown), f"progress line for {step}: {shown!r}"
    assert _COLOUR.search(shown), "colour on a terminal"
    assert "devops-gate: BLOCKED" in shown


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color"])
def test_no_color(tmp_path: Path, how: str) -> None:
    env = _env(tmp_path, NO_COLOR="1") if how == "NO_COLOR" else _env(tmp_path)
    flags = ["--no-color"] if how == "--no-color" else []
    shown = _on_a_terminal([*CHECK, *_config(tmp_path), *flags], env, tmp_path)
    assert "✓ check policies" in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown), "progress stays"
    assert not _COLOUR.search(shown), f"no colour: {shown!r}"


def test_completion_scripts_name_every_command() -> None:
    parser = build_parser()
    for shell, make in SHELLS.items():
        script = make(parser)
        for name in COMMANDS:
            assert name in script, f"{shell}: {name}"
        assert "format" in script and "drawio" in script and "no-color" in script


def test_bash_completion_completes(tmp_path: Path) -> None:
    script = tmp_path / "devops-gate.bash"
    script.write_text(SHELLS["bash"](build_parser()))
    subprocess.run(["bash", "-n", str(script)], check=True)
    probe = (
        f"source {script}\n"
        'COMP_WORDS=(devops-gate dia); COMP_CWORD=1; _devops_gate; echo "1:${COMPREPLY[*]}"\n'
        "COMP_WORDS=(devops-gate diagram p.json --format ''); COMP_CWORD=4; _devops_gate; echo \"2:${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(devops-gate completion ''); COMP_CWORD=2; _devops_gate; echo \"3:${COMPREPLY[*]}\"\n"
        'COMP_WORDS=(devops-gate plan --fo); COMP_CWORD=2; _devops_gate; echo "4:${COMPREPLY[*]}"\n'
    )
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["1:diagram", "2:mermaid dot drawio svg png", "3:bash fish zsh", "4:--format"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells_parse_it(shell: str, tmp_path: Path) -> None:
    binary = shutil.which(shell)
    if binary is None:
        pytest.skip(f"{shell} is not installed here; the script is checked by its structure only")
    script = tmp_path / f"devops-gate.{shell}"
    script.write_text(SHELLS[shell](build_parser()))
    subprocess.run([binary, "-n", str(script)], check=True)


def test_completion_command(capsys: pytest.CaptureFixture[str]) -> None:
    from gate.cli import main

    assert main(["completion", "fish"]) == 0
    out = capsys.readouterr().out
    assert (
        "complete -c devops-gate -n '__fish_seen_subcommand_from diagram' -l format -x -a 'mermaid dot drawio svg png'"
        in out
    )
