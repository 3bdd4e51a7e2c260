"""Peak memory and speed of a streamed import, for files of several sizes: GDELT rows, or articles.

    python benchmarks/import_memory.py [--rows 1000000,4000000] [--workdir /tmp/relations-bench]
                                       [--workers N] [--out benchmarks/results/import_memory.json]
    python benchmarks/import_memory.py --articles 40000,400000 [--jsonl CORPUS/articles.jsonl] …

For each size, writes (once, cached in --workdir) a synthetic GDELT 2.0 export with
`python -m dashboard generate --articles 0 --events N`, then runs
`python -m dashboard import FILE --db NEW_STORE` as a subprocess and samples the
resident memory (VmRSS from /proc) of that process and of every process it starts
(the parser process of --workers > 1) every 50 ms. Reports wall seconds, rows/s,
the peak RSS of the importing process, of the parser process and of their sum, in MB.

With --articles, the file is the first N lines of --jsonl (the benchmark corpus's articles.jsonl;
without it, `generate --articles N --events 0` writes one) and the import extracts events in worker
processes: the peak is reported as RSS (each process's resident memory, summed: the pages that forked
workers share with the importer count in each) and as PSS (from smaps_rollup: shared pages divided
among the processes sharing them, the memory the import really takes).

The claim checked: peak memory does not grow with the file (the importer streams in
batches), so the 4M-row figure should equal the 1M-row one within noise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss_kb(pid: int, name: str = "status", key: str = "VmRSS:") -> int:
    try:
        with open(f"/proc/{pid}/{name}") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    return _rss_kb(pid, "smaps_rollup", "Pss:")


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out


def measure(cmd: list[str]) -> dict:
    """Run `cmd`; sample its RSS and its descendants' every 50 ms. Returns seconds and peaks (MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_main = peak_children = peak_sum = peak_pss = 0
    while proc.poll() is None:
        main = _rss_kb(proc.pid)
        kids = _children(proc.pid)
        kids_rss = sum(_rss_kb(c) for c in kids)
        peak_main, peak_children = max(peak_main, main), max(peak_children, kids_rss)
        peak_sum = max(peak_sum, main + kids_rss)
        peak_pss = max(peak_pss, _pss_kb(proc.pid) + sum(_pss_kb(c) for c in kids))
        time.sleep(0.05)
    out, err = proc.communicate()
    return {"seconds": round(time.perf_counter() - t0, 2), "exit": proc.returncode,
            "peak_rss_mb": {"importer": round(peak_main / 1024, 1), "parser": round(peak_children / 1024, 1),
                            "sum": round(peak_sum / 1024, 1)},
            "peak_pss_mb": round(peak_pss / 1024, 1),
            "summary": (out.strip().splitlines() or [""])[-1], "stderr_tail": err[-300:]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="1000000,4000000", help="comma-separated row counts")
    ap.add_argument("--articles", default=None, help="comma-separated article counts (instead of --rows)")
    ap.add_argument("--jsonl", default=None, help="with --articles: take the first N lines of this JSONL file")
    ap.add_argument("--workdir", default="/tmp/relations-bench", help="where files and stores are written")
    ap.add_argument("--workers", type=int, default=None, help="passed to import (default: the CLI's)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "import_memory.json"))
    args = ap.parse_args(argv)
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for n in (int(x) for x in (args.articles or args.rows).split(",")):
        if args.articles:
            src = _articles_file(work, n, args.jsonl)
        else:
            src = work / f"gdelt-{n}" / "gdelt.export.CSV"
        folder = src.parent
        if not src.exists():
            print(f"generating {n:,} {'articles' if args.articles else 'rows'} …", flush=True)
            sizes = ["--articles", str(n), "--events", "0"] if args.articles else ["--articles", "0", "--events", str(n)]
            subprocess.run([sys.executable, "-m", "dashboard", "generate", *sizes, "--out", str(folder)],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        store = work / f"import-memory-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "dashboard", "import", str(src), "--db", str(store)]
        if args.workers is not None:
            cmd += ["--workers", str(args.workers)]
        what = "articles" if args.articles else "rows"
        print(f"importing {n:,} {what} …", flush=True)
        r = measure(cmd)
        r.update({what: n, f"{what}_per_s": round(n / r["seconds"]), "file_mb": round(src.stat().st_size / 1e6)})
        print(json.dumps(r), flush=True)
        results.append(r)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
    Path(args.out).write_text(json.dumps({"workers": args.workers, "cpus": os.cpu_count(), "results": results},
                                         indent=2) + "\n", encoding="utf-8")
    return 0


def _articles_file(work: Path, n: int, jsonl: str | None) -> Path:
    """The first n articles of `jsonl` in a file of their own (written once), else a generated corpus's."""
    if jsonl is None:
        return work / f"articles-{n}" / "articles.jsonl"   # written by generate in main() when missing
    out = work / f"articles-{n}-of-{Path(jsonl).parent.name}" / "articles.jsonl"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(jsonl, "rb") as src, open(out, "wb") as dst:
            for i, line in enumerate(src):
                if i >= n:
                    break
                dst.write(line)
    return out


if __name__ == "__main__":
    sys.exit(main())
