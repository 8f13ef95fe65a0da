"""CI-SpliceAI in torch, read from cispliceai's own frozen graph, with cone inference for SNVs.

cispliceai ships one frozen TensorFlow graph: five SpliceAI-10k networks (Jaganathan et al.
2019) whose softmax outputs are averaged.  Each network is a 1×1 input convolution, 16
residual blocks (BatchNorm → ReLU → dilated conv, twice) in four groups of
(kernel, dilation) = (11, 1), (11, 4), (21, 10), (41, 25), a skip path of 1×1 convolutions
summed after each group, and a 1×1 output convolution.  The weights are read out of the
graph once (TensorFlow parses it) and kept as an ``.npz`` under the cache dir, keyed by
the graph's sha256; the tests compare this port with the graph itself.

Cone inference.  A convolution's output at a position depends on its input within
half a kernel of it, so an SNV changes layer i's activations only within
``reach(i)`` (the half-widths summed up to i) of the variant, and the ±50-nt scores
need layer i only within ``50 + (half-widths after i)``.  An ALT pass therefore
computes each layer on the intersection of the two and copies the reference
activations (one pass per cluster of variants, kept per layer) everywhere else.
That is about a sixth of a full pass's arithmetic at ±50 nt, and it is exact: same weights,
same arithmetic, only the positions that cannot change are not recomputed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genelm.connectors.errors import InputError

GROUPS = ((11, 1), (11, 4), (21, 10), (41, 25))  # (kernel, dilation) of each group's 4 residual blocks
BLOCKS_PER_GROUP = 4
N_MODELS = 5
CONTEXT = 5_000  # nt the model reads on each side of what it predicts


def layer_geometry() -> list[tuple[int, int]]:
    """(kernel, dilation) of the 32 residual convolutions in order."""
    return [(k, d) for k, d in GROUPS for _ in range(2 * BLOCKS_PER_GROUP)]


def extract_weights(pb_path: Path) -> dict[str, np.ndarray]:
    """The five networks' weights, read from the frozen graph (BatchNorm folded to scale and shift)."""
    from tensorflow.core.framework import graph_pb2
    from tensorflow.python.framework import tensor_util

    graph = graph_pb2.GraphDef()
    graph.ParseFromString(Path(pb_path).read_bytes())
    consts = {n.name: n for n in graph.node if n.op == "Const"}

    def value(name: str) -> np.ndarray:
        try:
            return tensor_util.MakeNdarray(consts[name].attr["value"].tensor)
        except KeyError:
            raise InputError(f"{pb_path} is not laid out as cispliceai 1.2's graph (no {name}); "
                             "pip install --no-deps 'cispliceai==1.2.*'") from None

    out: dict[str, np.ndarray] = {}
    for m in range(N_MODELS):
        sfx = "" if m == 0 else f"_{m}"
        for k in range(1, 40):  # conv1d_1 … conv1d_39: kernel (K, Cin, Cout) -> torch (Cout, Cin, K)
            out[f"m{m}.conv{k}.w"] = value(f"model_1/conv1d_{k}/conv1d{sfx}/ExpandDims_1/ReadVariableOp/resource"
                                           ).transpose(2, 1, 0).copy()
            out[f"m{m}.conv{k}.b"] = value(f"model_1/conv1d_{k}/BiasAdd{sfx}/ReadVariableOp/resource")
        for j in range(1, 33):
            base = f"model_1/batch_normalization_{j}/batchnorm{sfx}"
            variance = value(f"{base}/ReadVariableOp/resource")
            eps = value(f"{base}/add/y")
            gamma = value(f"{base}/mul/ReadVariableOp/resource")
            mean = value(f"{base}/ReadVariableOp_1/resource")
            beta = value(f"{base}/ReadVariableOp_2/resource")
            scale = gamma / np.sqrt(variance + eps)
            out[f"m{m}.bn{j}.scale"] = scale.astype(np.float32)
            out[f"m{m}.bn{j}.shift"] = (beta - mean * scale).astype(np.float32)
    return out


def cached_weights(pb_path: Path, cache_dir: Path, digest: str | None = None) -> dict[str, np.ndarray]:
    """The weights from ``<cache>/models/cispliceai-<sha>.npz``, extracted from the graph the first time."""
    digest = digest or hashlib.sha256(Path(pb_path).read_bytes()).hexdigest()
    path = Path(cache_dir) / "models" / f"cispliceai-{digest[:16]}.npz"
    if path.is_file():
        with np.load(path) as data:
            return dict(data)
    weights = extract_weights(pb_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npz")
    np.savez(partial, **weights)
    partial.replace(path)  # never a half-written cache
    return weights


@dataclass
class _Net:
    """One SpliceAI-10k network as torch tensors."""

    inp: tuple  # conv1d_1 (w, b)
    skip0: tuple  # conv1d_2
    convs: list  # 32 residual convs (w, b)
    bns: list  # 32 (scale, shift), shaped (1, C, 1, 1)
    skips: list  # 4 group skips (conv1d_11, 20, 29, 38)
    out: tuple  # conv1d_39


class SpliceNet:
    """The five-network ensemble; ``predict`` is a full pass, ``predict_snvs`` the cone pass."""

    def __init__(self, weights: dict[str, np.ndarray]):
        import torch

        self.torch = torch
        # Activations are (N, C, 1, L) in channels-last layout and convolutions are (1, K) conv2d:
        # oneDNN runs that form about 3× faster on a CPU than conv1d with dilation.
        t = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in weights.items()}
        t = {k: v[:, :, None, :].contiguous(memory_format=torch.channels_last) if v.ndim == 3 else v
             for k, v in t.items()}
        skip_ids = [11, 20, 29, 38]
        res_ids = [k for k in range(3, 39) if k not in skip_ids]
        self.nets = []
        for m in range(N_MODELS):
            conv = lambda k: (t[f"m{m}.conv{k}.w"], t[f"m{m}.conv{k}.b"])  # noqa: E731
            self.nets.append(_Net(
                inp=conv(1), skip0=conv(2), convs=[conv(k) for k in res_ids],
                bns=[(t[f"m{m}.bn{j}.scale"].view(1, -1, 1, 1), t[f"m{m}.bn{j}.shift"].view(1, -1, 1, 1))
                     for j in range(1, 33)],
                skips=[conv(k) for k in skip_ids], out=conv(39)))
        self.geometry = layer_geometry()
        self.half = [(k - 1) // 2 * d for k, d in self.geometry]

    # ------------------------------------------------------------------ full pass
    def _conv(self, x, wb, dilation: int = 1, padding: str | int = 0):
        padding = padding if isinstance(padding, str) else (0, padding)
        return self.torch.nn.functional.conv2d(x, wb[0], wb[1], dilation=(1, dilation), padding=padding)

    def _residual_conv(self, net: _Net, i: int, x, padding: str | int):
        """Residual conv i with its BatchNorm and ReLU in front."""
        scale, shift = net.bns[i]
        return self._conv(self.torch.relu(x * scale + shift), net.convs[i], self.geometry[i][1], padding)

    def _full(self, net: _Net, x, keep: dict | None = None):
        """One network over (B, 4, 1, L); returns the skip sum over the central L − 10,000 positions.

        ``keep`` collects the reference activations a cone pass reuses: the residual
        stream before every block (and after the last), and each block's middle.
        """
        h = self._conv(x, net.inp)
        skip = self._conv(h, net.skip0)
        for g in range(len(GROUPS)):
            for b in range(BLOCKS_PER_GROUP):
                i = 2 * (g * BLOCKS_PER_GROUP + b)
                mid = self._residual_conv(net, i, h, "same")
                if keep is not None:
                    keep["stream"].append(h)
                    keep["mid"].append(mid)
                h = h + self._residual_conv(net, i + 1, mid, "same")
            skip = skip + self._conv(h, net.skips[g])
        if keep is not None:
            keep["stream"].append(h)
        return skip[..., CONTEXT:skip.shape[-1] - CONTEXT]

    def _head(self, net: _Net, skip):
        return self.torch.softmax(self._conv(skip, net.out), dim=1)

    def predict(self, onehot: np.ndarray) -> np.ndarray:
        """(B, L, 4) or (L, 4) one-hot -> (B, L − 10,000, 3) or (L − 10,000, 3): [neither, acceptor, donor]."""
        single = onehot.ndim == 2
        batch = onehot[None] if single else onehot
        with self.torch.inference_mode():
            x = self._input(batch)
            probs = sum(self._head(net, self._full(net, x)) for net in self.nets) / N_MODELS
        out = probs[:, :, 0, :].permute(0, 2, 1).contiguous().numpy()
        return out[0] if single else out

    def _input(self, onehot):
        """(B, L, 4) one-hot -> the network's (B, 4, 1, L) channels-last input."""
        return _layout(self.torch.from_numpy(np.ascontiguousarray(onehot.transpose(0, 2, 1)))[:, :, None, :])

    # ------------------------------------------------------------------ cone pass
    def spans(self, distance: int) -> np.ndarray:
        """Half-width on which each residual conv is recomputed for an SNV (see the module docstring)."""
        reach = np.cumsum(self.half)  # how far a change has spread after conv i
        after = np.concatenate([np.cumsum(self.half[::-1])[::-1][1:], [0]])  # half-widths still to come
        return np.minimum(reach, distance + after)

    def predict_snvs(self, ref_onehot: np.ndarray, sites: list[tuple[int, int]], distance: int,
                     batch: int = 32) -> tuple[np.ndarray, list[np.ndarray]]:
        """The reference's probabilities, and each SNV's ALT probabilities on ±distance of it.

        ``ref_onehot`` is (L, 4) with the usual 5,000-nt flanks; ``sites`` are (index into the
        central L − 10,000 positions, ALT base 0-3 for ACGT).
        """
        torch = self.torch
        n_out = ref_onehot.shape[0] - 2 * CONTEXT
        for index, _ in sites:
            if not distance <= index < n_out - distance:
                raise ValueError(f"site {index} lacks ±{distance} nt of output around it")
        spans = self.spans(distance)
        alt = [np.zeros((2 * distance + 1, 3), np.float32) for _ in sites]
        ref_total = 0
        with torch.inference_mode():
            x_ref = self._input(ref_onehot[None])
            for net in self.nets:
                keep: dict = {"stream": [], "mid": []}
                ref_skip = self._full(net, x_ref, keep)
                ref_total = ref_total + self._head(net, ref_skip)[0, :, 0]
                for start in range(0, len(sites), batch):
                    chunk = sites[start:start + batch]
                    for k, p in enumerate(self._cone(net, keep, chunk, distance, spans)):
                        alt[start + k] += p
        return (ref_total / N_MODELS).T.numpy(), [a / N_MODELS for a in alt]

    def _cone(self, net: _Net, keep: dict, sites, distance: int, spans) -> list[np.ndarray]:
        torch = self.torch
        centers = [CONTEXT + i for i, _ in sites]  # in the full-length frame

        def ref(tensor, half: int):  # (1, C, 1, L) -> (n, C, 1, 2·half+1) centred on each site
            # In channels-last memory one site's window is one contiguous block: copy blocks.
            out = torch.empty((len(centers), tensor.shape[1], 1, 2 * half + 1),
                              memory_format=torch.channels_last)
            for k, c in enumerate(centers):
                out[k] = tensor[0, :, :, c - half:c + half + 1]
            return out

        bases = torch.zeros((len(sites), 4, 1, 1))
        bases[torch.arange(len(sites)), torch.tensor([b for _, b in sites]), 0, 0] = 1.0
        h, h_half = self._conv(bases, net.inp), 0  # the residual stream: ALT on ±h_half, REF beyond
        skip = self._conv(_overlay(ref(keep["stream"][0], distance), h, h_half), net.skip0)
        for g in range(len(GROUPS)):
            for b in range(BLOCKS_PER_GROUP):
                r = g * BLOCKS_PER_GROUP + b
                i = 2 * r
                a_half, b_half = int(spans[i]), int(spans[i + 1])
                inp = _overlay(ref(keep["stream"][r], a_half + self.half[i]), h, h_half)
                mid = self._residual_conv(net, i, inp, 0)
                inp = _overlay(ref(keep["mid"][r], b_half + self.half[i + 1]), mid, a_half)
                y = self._residual_conv(net, i + 1, inp, 0)
                h, h_half = _overlay(ref(keep["stream"][r], b_half), h, h_half) + y, b_half
            stream = keep["stream"][(g + 1) * BLOCKS_PER_GROUP]
            skip = skip + self._conv(_overlay(ref(stream, distance), h, h_half), net.skips[g])
        return [p[:, 0].T.numpy() for p in self._head(net, skip)]


def _overlay(ref_window, alt, alt_half: int):
    """A window of REF activations with the ALT values (centred alike, ±alt_half) in place.

    Where the ALT values cover the whole window they are simply cropped: beyond the
    recomputed span nothing downstream reads.
    """
    ref_half = ref_window.shape[-1] // 2
    if alt_half >= ref_half:
        return alt[..., alt_half - ref_half:alt_half + ref_half + 1]
    out = ref_window.clone()
    out[..., ref_half - alt_half:ref_half + alt_half + 1] = alt
    return out


def _layout(x):
    import torch

    return x.contiguous(memory_format=torch.channels_last)
