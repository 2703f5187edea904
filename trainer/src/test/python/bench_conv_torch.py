"""PyTorch's CPU convolution on the shapes of `sr bench conv`, for side-by-side comparisons.

    ./sr bench conv --json sr.json
    python3 bench_conv_torch.py run --cases sr.json --json torch.json      # times PyTorch on the same cases
    python3 bench_conv_torch.py summary sr1.json torch1.json sr2.json torch2.json ...

`run` reads the case list (shapes, stride, padding, bias, whether the input gradient is needed) from the JSON that
`sr bench conv --json` writes and times aten's convolution forward and convolution_backward with the same output
masks: bwd-d (input gradient only), bwd-w (weight and bias gradients only), bwd (all that the case needs).
Milliseconds per call, median of the timed calls, float32, NCHW contiguous tensors as a PyTorch model holds them.

`summary` takes rounds as (sr, torch) pairs, measured alternately (interleaved) on a shared machine, and prints per
case the median over rounds of fwd+bwd milliseconds and GFLOP/s for sr4j's oneDNN path, libnd4j and PyTorch.
"""
import argparse
import json
import statistics
import time

import torch


def median_ms(fn, warmup, iters):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def time_case(c, warmup, iters):
    torch.manual_seed(1)
    x = torch.rand(c["n"], c["inC"], c["h"], c["w"])
    w = (torch.rand(c["outC"], c["inC"], c["kernel"], c["kernel"]) - 0.5) * 0.1
    b = torch.rand(c["outC"]) if c["bias"] else None
    stride, pad = [c["stride"]] * 2, [c["pad"]] * 2
    conv = torch.ops.aten.convolution
    z = conv(x, w, b, stride, pad, [1, 1], False, [0, 0], 1)
    dz = torch.rand_like(z) - 0.5
    bias_sizes = [c["outC"]] if c["bias"] else None

    def backward(mask):
        return lambda: torch.ops.aten.convolution_backward(dz, x, w, bias_sizes, stride, pad, [1, 1], False, [0, 0],
                                                           1, mask)

    with torch.no_grad():
        fwd = median_ms(lambda: conv(x, w, b, stride, pad, [1, 1], False, [0, 0], 1), warmup, iters)
        bwd_d = median_ms(backward([True, False, False]), warmup, iters) if c["inputGradient"] else None
        bwd_w = median_ms(backward([False, True, c["bias"]]), warmup, iters)
        bwd = median_ms(backward([c["inputGradient"], True, c["bias"]]), warmup, iters)
    passes = 3 if c["inputGradient"] else 2
    flops = 2.0 * c["n"] * c["outC"] * z.shape[2] * z.shape[3] * c["inC"] * c["kernel"] ** 2
    return {"name": c["name"], "fwdMs": fwd, "bwdDataMs": bwd_d, "bwdWeightsMs": bwd_w, "bwdMs": bwd,
            "gflops": passes * flops / ((fwd + bwd) * 1e6)}


def run(args):
    torch.set_num_threads(args.threads)
    with open(args.cases) as f:
        rows = json.load(f)["rows"]
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": []}
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median ms of {args.iters} calls")
    print(f"{'case':26s} {'fwd':>8s} {'bwd-d':>8s} {'bwd-w':>8s} {'bwd':>8s} {'GFLOP/s':>8s}")
    for row in rows:
        r = time_case(row["conv"], args.warmup, args.iters)
        out["rows"].append(r)
        fmt = lambda v: "-" if v is None else f"{v:.2f}"
        print(f"{r['name']:26s} {fmt(r['fwdMs']):>8s} {fmt(r['bwdDataMs']):>8s} {fmt(r['bwdWeightsMs']):>8s} "
              f"{fmt(r['bwdMs']):>8s} {r['gflops']:8.1f}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


def summary(args):
    if len(args.files) % 2:
        raise SystemExit("summary needs (sr, torch) pairs of JSON files")
    per_case = {}
    for sr_file, torch_file in zip(args.files[::2], args.files[1::2]):
        with open(sr_file) as f:
            sr_rows = json.load(f)["rows"]
        with open(torch_file) as f:
            torch_rows = {r["name"]: r for r in json.load(f)["rows"]}
        for r in sr_rows:
            name = r["conv"]["name"]
            t = torch_rows[name]
            d = per_case.setdefault(name, {"new": [], "lib": [], "torch": [], "flops": r["flopsPerPass"],
                                           "passes": 3 if r["conv"]["inputGradient"] else 2})
            d["new"].append(r["newFwdMs"] + r["newBwdMs"])
            if r["libFwdMs"] is not None and r["libBwdMs"] is not None:
                d["lib"].append(r["libFwdMs"] + r["libBwdMs"])
            d["torch"].append(t["fwdMs"] + t["bwdMs"])
    rounds = len(args.files) // 2
    print(f"median over {rounds} interleaved rounds of fwd+bwd ms (GFLOP/s)")
    print(f"{'case':26s} {'sr4j oneDNN':>18s} {'libnd4j':>18s} {'PyTorch':>18s} {'torch/new':>9s}")
    for name, d in per_case.items():
        def cell(v):
            if not v:
                return "-"
            m = statistics.median(v)
            return f"{m:8.2f} ({d['passes'] * d['flops'] / (m * 1e6):6.1f})"
        ratio = statistics.median(d["torch"]) / statistics.median(d["new"])
        print(f"{name:26s} {cell(d['new']):>18s} {cell(d['lib']):>18s} {cell(d['torch']):>18s} {ratio:9.2f}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--cases", required=True, help="JSON written by `sr bench conv --json`")
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--warmup", type=int, default=3)
    r.add_argument("--iters", type=int, default=10)
    r.add_argument("--json")
    s = sub.add_parser("summary")
    s.add_argument("files", nargs="+")
    args = p.parse_args()
    run(args) if args.cmd == "run" else summary(args)


if __name__ == "__main__":
    main()
