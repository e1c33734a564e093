"""Load test: mixed browsing traffic against gunicorn on loopback, with wrk (Debian's package).

    .venv/bin/python scripts/bench_load.py DATABASE_URL [--workers 4] [--seconds 300] [--connections 8]

Serves DATABASE_URL (e.g. a database scripts/bench_web.py built) with gunicorn, drives it with wrk
over a fixed mix of list, filter, search, speaker, event, quote and article pages for --seconds,
samples the workers' memory every 10 s (RSS, which counts the pages of a SQLite file the workers
have read through mmap, and its anonymous part, their heap), and prints requests/s, latency
percentiles, errors and memory at the start and end. All traffic stays on 127.0.0.1 and the run stops by itself.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import PYTHON, ROOT, env_for, free_port, manage, parameters, start  # noqa: E402


def mixed_paths(env, p):
    ids = (
        manage(
            env,
            "shell",
            "-c",
            "from statements.models import Quote; import random; "
            "qs = list(Quote.objects.order_by('-id').values_list('id', 'article_id')[:2000]); "
            "print(' '.join(f'{a}:{b}' for a, b in random.Random(1).sample(qs, 50)))",
            capture=True,
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    paths = [
        "/",
        "/quotes/",
        "/quotes/?page=2",
        f"/quotes/?country={p['country']}",
        f"/quotes/?topic={p['topic']}",
        f"/quotes/?speaker={p['speaker']}",
        f"/quotes/?country={p['country']}&topic={p['topic']}&said_after=2010-01-01",
        "/quotes/?q=ceasefire",
        "/quotes/?q=sanctions",
        "/quotes/?q=talks&sort=newest",
        f"/speakers/{p['speaker']}/",
        f"/speakers/?q={p['surname'].lower()}",
        "/speakers/",
        f"/events/{p['event']}/",
        "/events/",
        "/topics/",
        f"/topics/{p['topic']}/",
    ]
    for pair in ids[:30]:
        quote, article = pair.split(":")
        paths += [f"/quotes/{quote}/", f"/articles/{article}/"]
    return paths


def start_gunicorn(env, port, workers, timeout):
    """gunicorn serving Newsdesk with `workers` workers on `port`, once /healthz answers."""
    command = [str(Path(PYTHON).parent / "gunicorn"), "newsdesk.wsgi", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "--timeout", str(timeout)]
    return start(command, env, port, "/healthz")


def worker_memory_mb(master_pid):
    """(RSS, anonymous RSS) of the workers, in MB. RSS also counts the pages of the SQLite file a
    worker has read through mmap (shared, and given back under pressure); the anonymous part is
    the workers' own heap, the one a leak would grow."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    rss = anonymous = 0
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
                elif line.startswith("RssAnon:"):
                    anonymous += int(line.split()[1])
        except FileNotFoundError:
            pass
    return rss / 1024, anonymous / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    # The workers share one cache, as the README's production settings advise (CACHE_DIR)
    cache_dir = tempfile.TemporaryDirectory()
    env = {**env_for(args.database_url), "CACHE_DIR": cache_dir.name}
    manage(env, "collectstatic", "--noinput", "-v", "0")
    p = parameters(env)
    paths = mixed_paths(env, p)
    random.Random(2).shuffle(paths)
    port = free_port()
    server = start_gunicorn(env, port, args.workers, timeout=60)
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.wait(10):
            samples.append(worker_memory_mb(server.pid))

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("paths = {" + ",".join(f'"{path}"' for path in paths) + "}\n")
        script.write("counter = 0\n")
        script.write(
            "request = function()\n  counter = counter + 1\n"
            "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
        )
    try:
        for path in paths:  # warm every page once (caches, connections) before timing
            subprocess.run(["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{port}{path}"], check=True)
        samples.append(worker_memory_mb(server.pid))
        threading.Thread(target=sample, daemon=True).start()
        result = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
        )
        stop.set()
        samples.append(worker_memory_mb(server.pid))
    finally:
        server.terminate()
        os.unlink(script.name)
    print(result.stdout)
    print(
        f"{len(paths)} distinct URLs, {args.workers} gunicorn workers, {args.connections} connections, "
        f"{args.seconds} s"
    )
    print("workers' RSS (MB), every 10 s: " + " ".join(f"{rss:.0f}" for rss, _ in samples))
    print("of which anonymous (heap): " + " ".join(f"{anonymous:.0f}" for _, anonymous in samples))
    print(
        f"RSS start {samples[0][0]:.0f} MB, end {samples[-1][0]:.0f} MB; "
        f"anonymous start {samples[0][1]:.0f} MB, end {samples[-1][1]:.0f} MB"
    )


if __name__ == "__main__":
    main()
