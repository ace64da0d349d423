"""The addon as an OCA-style wheel: ``./dev wheel`` builds it with whool, and the
helpers with which tests/test_wheel.py installs it, the way a library's IT team
would, into a new virtualenv that has Odoo but not this repository.

Imported by tools/dev.py (``tools_module("addon_wheel")``), which it imports as ``dev``; only the
standard library is used, like dev.py.
"""

import ast
import shutil
from pathlib import Path

import dev

ADDON_DIR = dev.ROOT / dev.ADDON
DIST = dev.ROOT / "dist"
# Lines of tools/requirements.txt an Odoo server does not need (the build backend of
# the editable odoo distribution, the test and lint tools) and holidays, which the
# wheel itself must bring.
NOT_FOR_ODOO = {
    "holidays",
    "setuptools",
    "wheel",
    "pytest",
    "pytest-odoo",
    "websocket-client",
    "ruff",
    "pylint-odoo",
}


def uv():
    path = dev.VENV / "bin" / "uv"
    if not path.exists():
        raise dev.SetupError(f"{path} is missing: run ./dev setup first")
    return path


def build_wheel(dest):
    """Build odoo_addon_library_complaints-<version>-py3-none-any.whl into dest with
    whool (pinned in library_complaints/pyproject.toml), in an isolated build
    environment that uv makes from its cache; returns the wheel's path."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    name = f"odoo_addon_{dev.ADDON}-{manifest_version()}-py3-none-any.whl"
    (dest / name).unlink(missing_ok=True)
    cmd = [uv(), "build", "--wheel", "--quiet", "--python", dev.python311(), "--out-dir", dest]
    # No PYTHONPATH (the test shards set tools/ on it): the build environment must
    # import PyPI's packages, not a module of tools/ that has the same name.
    env = dev.child_env()
    env.pop("PYTHONPATH", None)
    dev.run([*cmd, ADDON_DIR], cwd=dev.ROOT, env=env, quiet=True, what="uv build (whool)")
    wheel = dest / name
    if not wheel.exists():
        found = ", ".join(p.name for p in dest.glob("*.whl")) or "none"
        raise dev.SetupError(f"whool did not build {name} (wheels in {dest}: {found})")
    return wheel


def manifest_version():
    manifest = ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text())
    return manifest["version"]


def odoo_requirements(path):
    """Write the requirements of an Odoo server (tools/requirements.txt without the
    lines in NOT_FOR_ODOO) to path; returns it."""
    keep = []
    for line in (dev.ROOT / "tools" / "requirements.txt").read_text().splitlines():
        name = line.split("#")[0].strip().split("==")[0].strip().lower()
        if name and name not in NOT_FOR_ODOO:
            keep.append(line.split("#")[0].strip())
    Path(path).write_text("\n".join(keep) + "\n")
    return Path(path)


def venv_env(venv):
    """Environment of a process of the new virtualenv: dev's caches and temp folder,
    but nothing of the development virtualenv or of the repository."""
    env = dev.child_env()
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "ODOO_RC", "PYTHONHOME"):
        env.pop(key, None)
    paths = [p for p in env["PATH"].split(":") if p and Path(p) != dev.VENV / "bin"]
    env["PATH"] = ":".join([str(Path(venv) / "bin"), *paths])
    env["VIRTUAL_ENV"] = str(venv)
    return env


def make_odoo_venv(venv, wheels):
    """A new Python 3.11 virtualenv with the set-up's Odoo tree registered as the
    distribution odoo==19.0 (the same .pth and dist-info as in .local/venv), Odoo's
    requirements, and the wheels with their dependencies from the package index (uv's
    cache makes the known ones quick). Returns its site-packages."""
    venv = Path(venv)
    shutil.rmtree(venv, ignore_errors=True)
    env = venv_env(venv)
    dev.run([uv(), "venv", "--quiet", "--python", dev.python311(), venv], env=env, what="uv venv")
    site = venv / "lib" / "python3.11" / "site-packages"
    dev_site = dev.site_packages()
    odoo_dist = [*dev_site.glob("odoo-19.0.dist-info"), *dev_site.glob("__editable__.odoo-*.pth")]
    if len(odoo_dist) != 2:
        raise dev.SetupError(f"odoo==19.0 is not registered in {dev_site}: run ./dev setup")
    for path in odoo_dist:
        copy = shutil.copytree if path.is_dir() else shutil.copyfile
        copy(path, site / path.name)
    requirements = odoo_requirements(venv / "odoo-requirements.txt")
    cons = dev.ROOT / "tools" / "constraints.txt"
    python = venv / "bin" / "python"
    install = [uv(), "pip", "install", "--quiet", "--python", python, "-r", requirements]
    install += ["-c", cons, *wheels]
    # From the index pages and wheels the set-up left in uv's cache (under a second),
    # else from the package index (about 10 s more).
    if dev.run([*install, "--offline"], env=env, quiet=True, check=False).returncode:
        dev.run(install, env=env, quiet=True, what="uv pip install (wheel)")
    return site


def cmd_wheel(args):
    if not (dev.VENV / "bin" / "uv").exists():
        __, started = dev.setup()
        if started:
            dev.stop_postgres()
    with dev.step(f"Build the wheel of {dev.ADDON} with whool"):
        wheel = build_wheel(args.dir)
    dev.say(f"    {wheel} ({wheel.stat().st_size / 1024:.0f} KiB)")
    return 0
