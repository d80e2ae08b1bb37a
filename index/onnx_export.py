"""Export the packaged weights to ONNX once, and check the export before it is used.

The graph takes the tokeniser's ids and returns the sentence embedding (mean pooling and
L2 normalisation, as this model's sentence-transformers modules do). The export lives in
`<cache>/<weights sha256[:16]>/` with a `check.json` recording the lowest cosine between
ONNX and PyTorch embeddings of CHECK_TEXTS and the export format. A cache entry is used
only when its check passed for these exact weights in the current format; otherwise it
is exported again.
Needs torch and onnx (build time only); serving a checked export needs neither."""
from __future__ import annotations

import fcntl
import json
import shutil
import uuid
import warnings
from pathlib import Path

import numpy as np

from .errors import ModelError
from .onnx_encoder import CHECK_FILE, INPUT_NAMES, ONNX_FILE, OUTPUT_NAME, OnnxEncoder, mean_pooling_model

MIN_COSINE = 0.9999
OPSET = 17
EXPORT_FORMAT = 2  # 2: pooling inside the graph, BERT operators fused; older entries are exported again
# Short and long, codes and modifiers, punctuation, non-ASCII, and a text past the window,
# encoded together so that padding inside a batch is checked too.
CHECK_TEXTS = (
    "does 97535 need modifier 59 with gait training?",
    "what is mod XU",
    "x",
    "8-minute rule: 38 minutes of ther ex = how many units?",
    "Modifier GP marks services delivered under an outpatient physical therapy plan of care.",
    "Überweisung — naïve café résumé 📋",
    "Can I bill 97530 and 97140 the same day, and which one gets the -59?",
    "The National Correct Coding Initiative pairs a column 1 code with a column 2 code. " * 40,
)


class EncoderRefused(ModelError):
    """The ONNX export does not reproduce the PyTorch embeddings closely enough."""


def cache_entry(cache_dir: Path, sha256: str) -> Path:
    return Path(cache_dir) / sha256[:16]


def checked(entry: Path, sha256: str) -> bool:
    try:
        check = json.loads((entry / CHECK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (check.get("model_sha256") == sha256 and check.get("export_format") == EXPORT_FORMAT
            and check.get("min_cosine", 0) >= MIN_COSINE
            and (entry / ONNX_FILE).is_file())


def _export(model_dir: Path, target: Path) -> tuple[np.ndarray, dict[str, int]]:
    """Export the transformer with mean pooling and normalisation inside the graph, fuse
    it, and return PyTorch's embeddings of CHECK_TEXTS (the reference) and the fused
    operator counts."""
    import torch

    from .torch_encoder import TorchEncoder

    reference = TorchEncoder(model_dir)
    expected = reference.encode_batch(CHECK_TEXTS)  # as the PyTorch encoder serves them
    transformer = reference.model[0].auto_model.eval()
    # Plain attention exports to the pattern ONNX Runtime's BERT fusion recognises; the
    # default (scaled dot-product attention) exports to one it leaves as about 340 small operators.
    transformer.set_attn_implementation("eager")

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    sample = torch.tensor([[101, 2054, 2003, 102], [101, 2054, 102, 0]])
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUT_NAMES} | {OUTPUT_NAME: {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        # The TorchScript exporter exports BERT exactly; its tracer warnings are about
        # shape-dependent Python branches, which the check covers.
        warnings.simplefilter("ignore")
        torch.onnx.export(SentenceEmbedding(transformer), (sample, (sample > 0).long(), torch.zeros_like(sample)),
                          str(target / ONNX_FILE), dynamo=False, input_names=list(INPUT_NAMES),
                          output_names=[OUTPUT_NAME], dynamic_axes=axes, opset_version=OPSET)
    return expected, _fuse(target / ONNX_FILE, transformer.config)


def _fuse(path: Path, config) -> dict[str, int]:
    """ONNX Runtime's BERT fusion, in place: attention, skip-layer-norm and GELU each
    become one operator (a question encodes 6–10% faster here). Exact in float32;
    the check that follows compares the fused graph with PyTorch."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(str(path), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size, opt_level=1)
    model.save_model_to_file(str(path))
    return {op: n for op, n in model.get_fused_operator_statistics().items() if n}


def export_checked(model_dir: Path, sha256: str, cache_dir: Path) -> Path:
    """The cache entry holding a checked ONNX export of these weights, exported now if
    needed. Raises EncoderRefused when the export's embeddings differ from PyTorch's."""
    entry = cache_entry(cache_dir, sha256)
    if checked(entry, sha256):
        return entry
    if not mean_pooling_model(model_dir):
        raise EncoderRefused(f"{model_dir} does not use mean pooling; the ONNX encoder supports only that")
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(cache_dir) / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process exports; the others wait, then reuse it
        if checked(entry, sha256):
            return entry
        staging = Path(cache_dir) / f".{uuid.uuid4().hex}.tmp"
        staging.mkdir()
        try:
            import onnxruntime
            import torch

            expected, fused = _export(model_dir, staging)
            got = OnnxEncoder(model_dir, staging).encode_batch(CHECK_TEXTS)
            min_cosine = float(np.min(np.sum(expected * got, axis=1)))
            if min_cosine < MIN_COSINE:
                raise EncoderRefused(f"the ONNX export's embeddings differ from PyTorch's "
                                     f"(lowest cosine {min_cosine:.6f} < {MIN_COSINE})")
            (staging / CHECK_FILE).write_text(json.dumps({
                "model_sha256": sha256, "min_cosine": min_cosine, "texts": len(CHECK_TEXTS),
                "torch": torch.__version__, "onnxruntime": onnxruntime.__version__, "opset": OPSET,
                "export_format": EXPORT_FORMAT, "fused_operators": fused,
            }, indent=1), encoding="utf-8")
            shutil.rmtree(entry, ignore_errors=True)
            staging.rename(entry)
        except Exception as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, ModelError):
                raise
            raise ModelError(f"exporting the model to ONNX failed: {exc}") from None
    return entry
