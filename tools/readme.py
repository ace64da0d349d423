"""The addon's README.rst, generated from ``library_complaints/readme/*.md`` by OCA's
``oca-gen-addon-readme``, as every OCA addon's is: ``./dev readme``.

OCA's generator is in OCA/maintainer-tools, which is not on PyPI and is not copied into
this repository: give ``./dev readme`` a checkout of it in ``LC_MAINTAINER_TOOLS`` (a git
clone of OCA/maintainer-tools; any recent commit). It runs from a virtualenv of its own,
``.local/readme-venv``, with the PyPI packages the generator imports (click, docutils,
jinja2, and pypandoc_binary: pandoc itself, so that pypandoc never downloads it); only
those, not maintainer-tools' whole list of dependencies (GitHub clients, selenium...).

The generator writes a digest of its sources (the manifest and every file under
``readme/``) into README.rst; :func:`source_digest` recomputes it the way
maintainer-tools' ``tools/_hash.py`` does, so that ``tests/test_readme.py`` fails when
README.rst is older than what it is made of (a fragment or the manifest edited without
``./dev readme``).

Only the standard library is used here (this runs with the system Python, like dev.py,
which it imports as ``dev``).
"""

import hashlib
import os
import sys
from pathlib import Path

import dev

ORG = "library-complaints"  # the manifest's website: https://github.com/<ORG>/<REPO>
REPO = "library_complaints"
BRANCH = "19.0"
VENV = dev.LOCAL / "readme-venv"
PACKAGES = ["click", "docutils", "jinja2", "pypandoc_binary"]
DIGEST_MARK = "!! source digest: "


def source_digest(addon_dir):
    """sha256 over the manifest then readme/'s files (sorted, dot files skipped): each
    file's path relative to the addon, then its bytes; as maintainer-tools computes it."""
    addon_dir = Path(addon_dir)
    files = [addon_dir / "__manifest__.py"]
    for dirpath, dirnames, filenames in os.walk(addon_dir / "readme"):
        dirnames.sort()
        files += [Path(dirpath) / f for f in sorted(filenames) if not f.startswith(".")]
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(addon_dir)).encode())
        digest.update(file.read_bytes())
    return f"sha256:{digest.hexdigest()}"


def written_digest(readme_rst):
    """The digest the generator wrote into README.rst (None when there is none)."""
    for line in Path(readme_rst).read_text(encoding="utf-8").splitlines():
        if DIGEST_MARK in line:
            return line.split(DIGEST_MARK, 1)[1].strip()
    return None


def ensure_venv():
    if not (dev.VENV / "bin" / "uv").exists():
        raise dev.SetupError("no .local/venv yet: run ./dev setup first (it brings uv)")
    python = VENV / "bin" / "python"
    if not python.exists():
        dev.run([dev.VENV / "bin" / "uv", "venv", "-q", "-p", sys.executable, VENV], what="uv venv")
    dev.run(
        [dev.VENV / "bin" / "uv", "pip", "install", "-q", "-p", python, *PACKAGES],
        what="uv pip install (readme generator's packages)",
    )
    return python


def cmd_readme(args):
    tools = os.environ.get("LC_MAINTAINER_TOOLS")
    if not tools or not (Path(tools) / "tools" / "gen_addon_readme.py").is_file():
        raise dev.SetupError(
            "set LC_MAINTAINER_TOOLS to a checkout of OCA/maintainer-tools "
            "(the folder holding tools/gen_addon_readme.py)"
        )
    with dev.step("Readme generator's virtualenv (.local/readme-venv)"):
        python = ensure_venv()
    addon = dev.ROOT / dev.ADDON
    with dev.step(f"oca-gen-addon-readme: {dev.ADDON}/README.rst from readme/"):
        env = dev.child_env({"PYTHONPATH": str(Path(tools).resolve())})
        cmd = [python, "-m", "tools.gen_addon_readme", "--org-name", ORG]
        cmd += ["--repo-name", REPO, "--branch", BRANCH, "--addon-dir", dev.ADDON]
        dev.run(cmd, cwd=dev.ROOT, env=env, what="oca-gen-addon-readme")
    wanted, written = source_digest(addon), written_digest(addon / "README.rst")
    if wanted != written:
        raise dev.SetupError(f"README.rst's digest {written} is not its sources' {wanted}")
    dev.say(f"    {dev.ADDON}/README.rst and static/description/index.html: {wanted[:19]}...")
    return 0
