"""CPU time per page of exploring: what a request costs the server, whatever else runs on the machine.

    .venv/bin/python scripts/bench_cpu.py DATABASE_URL [--requests 200] [--plain]

On a machine others keep busy, wall-clock latencies and requests/s measure the neighbours as much
as the code. This serves the same mix as bench_explore.py (new combinations, none asked twice, in
turn with its warm set) through Django's test client in this one process, once its counting index
is built, and times each request's CPU (time.process_time: this process's own, so other
processes' load barely shows). It prints CPU ms p50 / p99 / mean of each half, and the requests/s
that mean allows on the machine's cores if they did nothing else (no HTTP server, no network:
gunicorn's own share is not in it). Run it for two versions of the code one after the other.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_explore import combination_values, new_combinations, percentile, warm_paths  # noqa: E402
from bench_web import ROOT, env_for, manage, parameters  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=200, help="of each half")
    parser.add_argument(
        "--plain", action="store_true", help="new combinations of country x topic x year only"
    )
    args = parser.parse_args()

    env = env_for(args.database_url)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    p = parameters(env)
    countries, topics, years, named = combination_values(env)
    new = iter(new_combinations(countries, topics, years, named, seed=5, plain=args.plain))
    os.environ.update({**env, "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "newsdesk.settings"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from statements import counting

    started = time.process_time()
    counting.current_index(wait=True)
    print(f"counting index built in {time.process_time() - started:.1f} s of CPU")
    client = Client()
    warm = warm_paths(p)
    for path in warm:
        client.get(path)
    cpu = {"new": [], "warm": []}
    for turn in range(2 * args.requests):
        kind = "new" if turn % 2 else "warm"
        path = next(new) if kind == "new" else warm[turn // 2 % len(warm)]
        began = time.process_time()
        response = client.get(path)
        cpu[kind].append((time.process_time() - began) * 1000)
        assert response.status_code == 200, (response.status_code, path)
    cores = os.cpu_count()
    for kind, samples in cpu.items():
        mean = statistics.fmean(samples)
        print(
            f"{kind:<5} {len(samples)} requests: CPU p50 {statistics.median(samples):.1f} ms, "
            f"p99 {percentile(samples, 0.99):.1f} ms, mean {mean:.1f} ms"
        )
    mean = statistics.fmean(cpu["new"] + cpu["warm"])
    print(
        f"the mix: mean {mean:.1f} ms of CPU a request: at most {cores * 1000 / mean:.0f} requests/s on {cores} cores"
    )


if __name__ == "__main__":
    main()
