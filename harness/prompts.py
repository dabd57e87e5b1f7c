"""Versioned prompt files: ``prompts/<name>/v<N>.md`` -> chat messages, identified by a sha256 of the file.

A prompt file is a short front matter between ``---`` lines, then a jinja2 template:

    ---
    description: one line saying what the prompt is for
    notes: why this version exists; an indented line continues a value
    ---
    {% block system %}...the system message...{% endblock %}
    {% block user %}...the user message, usually the article: {{ document.text }}{% endblock %}

The front matter holds ``key: value`` lines only (``description`` required, ``notes`` optional),
so it is read here in a few lines rather than with a YAML parser harness would have to depend on.
Each block renders one message (text outside the blocks is not sent), with ``document`` (id,
text, published as ISO date or "unknown", headline or null, and ``sentences``: each a ``number``
and ``text``, see ``harness.sentences``) and the closed vocabularies ``kinds``,
``modes`` and ``statuses`` in scope; an undefined variable is an error, never an empty string.
The sha256 covers the file's bytes, so any edit (even to notes) changes the identity that caches and run ledgers record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from harness.documents import Document
from harness.errors import ConfigError
from harness.project.settings import load_settings
from harness.sentences import reports_contact, split_sentences
from schemas.enums import ActorKind, ContactMode, ContactStatus

__all__ = ["Prompt", "default_prompts_dir", "list_prompts", "load_prompt"]

_FENCE = "---"
_FRONT_MATTER_KEYS = ("description", "notes")
_VERSION = re.compile(r"v(\d+)")
_BLOCKS = ("system", "user")
_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


@dataclass(frozen=True)
class Prompt:
    """One version of one prompt, ready to render."""

    name: str
    """The prompt's folder name, e.g. ``extract``."""
    version: str
    """The file stem, ``v<N>``."""
    sha256: str
    """Hash of the file's bytes: the prompt's identity in caches and run ledgers."""
    description: str
    """What the prompt is for (front matter)."""
    notes: str
    """Why this version exists (front matter; may be empty)."""
    path: Path
    """The file it was read from."""
    template: jinja2.Template = field(repr=False, compare=False)
    """The compiled body, with ``system`` and ``user`` blocks."""

    @property
    def ref(self) -> str:
        """``name@version``, the form the CLI and run ledgers use."""
        return f"{self.name}@{self.version}"

    def render(self, document: Document) -> list[dict[str, str]]:
        """The chat messages (system, then user) that ask for ``document``'s extraction."""
        variables = {
            "document": {
                "id": document.id,
                "text": document.text,
                "published": document.published.isoformat() if document.published else "unknown",
                "headline": document.headline,
                "sentences": [
                    {"number": s.number, "text": s.text, "cue": reports_contact(s.text)}
                    for s in split_sentences(document.text)
                ],
            },
            "kinds": [kind.value for kind in ActorKind],
            "modes": [mode.value for mode in ContactMode],
            "statuses": [status.value for status in ContactStatus],
        }
        context = self.template.new_context(variables)
        try:
            return [{"role": role, "content": "".join(self.template.blocks[role](context)).strip()} for role in _BLOCKS]
        except jinja2.UndefinedError as error:
            raise ConfigError(f"the template uses an undefined variable: {error.message}", path=self.path) from error


def default_prompts_dir() -> Path:
    """The project's ``prompts_dir`` setting (``HARNESS_PROMPTS_DIR`` overrides it), read when a prompt is loaded."""
    return load_settings().prompts_dir


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], int]:
    """The front matter's values and the index of the first body line."""
    if not lines or lines[0].strip() != _FENCE:
        raise ConfigError(f"a prompt file starts with a '{_FENCE}' line, then its front matter", path=path, line=1)
    values: dict[str, str] = {}
    key: str | None = None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == _FENCE:
            if "description" not in values:
                raise ConfigError("the front matter needs a 'description:' line", path=path, line=index + 1)
            return values, index + 1
        if not line.strip():
            continue
        if line[0].isspace() and key is not None:
            values[key] = f"{values[key]} {line.strip()}".strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or name.strip() not in _FRONT_MATTER_KEYS:
            expected = ", ".join(f"'{k}: ...'" for k in _FRONT_MATTER_KEYS)
            raise ConfigError(f"front matter lines are {expected}; got {line.strip()!r}", path=path, line=index + 1)
        key = name.strip()
        values[key] = value.strip()
    raise ConfigError(f"the front matter is not closed by a '{_FENCE}' line", path=path, line=len(lines))


def _read_prompt(path: Path) -> Prompt:
    try:
        raw = path.read_bytes()
        content = raw.decode("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the prompt: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"the prompt is not valid UTF-8 at byte {exc.start}", path=path) from exc
    lines = content.splitlines(keepends=True)
    values, body_start = _front_matter(lines, path)
    try:
        template = _ENVIRONMENT.from_string("".join(lines[body_start:]))
    except jinja2.TemplateSyntaxError as error:
        raise ConfigError(f"template syntax: {error.message}", path=path, line=body_start + error.lineno) from error
    missing = [block for block in _BLOCKS if block not in template.blocks]
    if missing:
        raise ConfigError(f"the template lacks the block(s) {missing}: one per chat message", path=path)
    return Prompt(
        name=path.parent.name,
        version=path.stem,
        sha256=hashlib.sha256(raw).hexdigest(),
        description=values["description"],
        notes=values.get("notes", ""),
        path=path,
        template=template,
    )


def _version_files(folder: Path) -> list[Path]:
    """The ``v<N>.md`` files of a prompt folder, lowest version first."""
    files = [path for path in folder.glob("*.md") if _VERSION.fullmatch(path.stem)]
    return sorted(files, key=lambda path: int(path.stem[1:]))


def _prompt_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        raise ConfigError("no such prompts folder (see prompts_dir in `harness config`)", path=root)
    return sorted(folder for folder in root.iterdir() if folder.is_dir() and _version_files(folder))


def list_prompts(root: Path | None = None) -> list[Prompt]:
    """Every prompt version under ``root`` (default ``default_prompts_dir()``), by name then version."""
    folders = _prompt_folders(root or default_prompts_dir())
    return [_read_prompt(path) for folder in folders for path in _version_files(folder)]


def load_prompt(ref: str, root: Path | None = None) -> Prompt:
    """The prompt ``name@version`` (e.g. ``extract@v1``), or the highest version of ``name``.

    Raises ``ConfigError`` naming the prompts or versions that do exist.
    """
    root = root or default_prompts_dir()
    name, _, version = ref.partition("@")
    folders = {folder.name: folder for folder in _prompt_folders(root)}
    if name not in folders:
        available = ", ".join(sorted(folders)) or "none"
        raise ConfigError(f"unknown prompt {name!r}; available: {available}", path=root)
    files = _version_files(folders[name])
    if not version:
        return _read_prompt(files[-1])
    chosen = [path for path in files if path.stem == version]
    if not chosen:
        available = ", ".join(f"{name}@{path.stem}" for path in files)
        raise ConfigError(f"prompt {name!r} has no version {version!r}; available: {available}", path=root)
    return _read_prompt(chosen[0])
