"""Exploring at scale: first views of filter combinations nobody asked for before, alone and under load.

    .venv/bin/python scripts/bench_explore.py DATABASE_URL [--workers 4] [--seconds 60] [--clients 8]
                                              [--combinations 20] [--no-index] [--plain]
                                              [--client wrk|python]

Serves DATABASE_URL (e.g. a database scripts/bench_web.py built) with gunicorn, its workers sharing
an empty CACHE_DIR, waits until every worker has built its counting index (statements/counting.py;
--no-index sets COUNTING_INDEX=off, to measure the SQL counts instead), then:

1. first views: --combinations new combinations, one at a time, each requested once (nothing
   cached), p50 / p95 / max in ms. The combinations take turns among five shapes: country x topic
   x year; two countries or'ed x topic x year; country, a topic left out, year; a mentioned
   country less a speakers' country, year; two topics or'ed x a mentioned country (--plain: the
   first shape only, the mix of the first measurements). Every page shows its total.
2. load: --clients connections for --seconds, half of them requesting new combinations (none
   asked twice) and half a small warm set (list, a search, a common-word search with three
   filters, a country, a topic, speakers, events, topics): two wrk processes (--client wrk, the
   default: C clients that leave the shared cores to the server) or Python threads in this
   process (--client python); requests/s, p50 / p99 of each half, errors, and the workers'
   memory every 10 s (RSS and its anonymous part, as in bench_load.py).
"""

import argparse
import http.client
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import start_gunicorn, worker_memory_mb  # noqa: E402
from bench_web import env_for, free_port, manage, parameters, shell  # noqa: E402

SAMPLED_NOTE = b"most recent matching quotes"


def combination_values(env):
    """Countries, topics, years and the countries quotes name most, busiest first: what facet
    links offer."""
    code = """
from django.db.models import Count
from statements.models import Country, Topic
countries = Country.objects.annotate(n=Count('speakers__quotes')).filter(n__gt=0).order_by('-n')[:40]
topics = Topic.objects.annotate(n=Count('quotes')).filter(n__gt=0).order_by('-n')[:25]
named = Country.objects.annotate(n=Count('mentioned_in')).filter(n__gt=0).order_by('-n')[:20]
print('|'.join(' '.join(values) for values in (
    [c.code for c in countries], [t.slug for t in topics], [c.code for c in named])))
"""
    countries, topics, named = shell(env, code).split("|")
    return countries.split(), topics.split(), list(range(2007, 2017)), named.split()


def year(y):
    return f"said_after={y}-01-01&said_before={y}-12-31"


def new_combinations(countries, topics, years, named, seed, plain=False):
    """New combinations, none twice, in a random order: country x topic x year, and (unless
    `plain`, the mix of the first measurements) in turn with it two countries or'ed, a topic left
    out, a mentioned country less a speaker country, and two topics with a mentioned country."""
    rng = random.Random(seed)
    shapes = [
        [
            f"/quotes/?country={c}&topic={t}&{year(y)}"
            for c, t, y in itertools.product(countries, topics, years)
        ]
    ]
    if not plain:
        pairs = list(itertools.combinations(countries[:20], 2))
        shapes += [
            [
                f"/quotes/?country={a}&country={b}&topic={t}&{year(y)}"
                for (a, b), t, y in itertools.product(pairs, topics[:8], years)
            ],
            [
                f"/quotes/?country={c}&-topic={t}&{year(y)}"
                for c, t, y in itertools.product(countries, topics, years)
            ],
            [
                f"/quotes/?mentions={m}&-country={c}&{year(y)}"
                for m, c, y in itertools.product(named, countries, years)
            ],
            [
                f"/quotes/?topic={a}&topic={b}&mentions={m}"
                for (a, b), m in itertools.product(itertools.combinations(topics, 2), named)
            ],
        ]
    for shape in shapes:
        rng.shuffle(shape)
    return [path for paths in itertools.zip_longest(*shapes) for path in paths if path]


def warm_paths(p):
    return [
        "/quotes/",
        "/quotes/?q=ceasefire",
        f"/quotes/?q=government&country={p['country']}&topic={p['topic']}&said_after=2009-01-01",
        f"/quotes/?country={p['country']}",
        f"/quotes/?topic={p['topic']}",
        "/speakers/",
        "/events/",
        "/topics/",
    ]


class Client:
    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path):
        """(milliseconds, status, body)"""
        started = time.perf_counter()
        try:
            self.connection.request("GET", path)
            response = self.connection.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            body, status = b"", 0
        return (time.perf_counter() - started) * 1000, status, body


def wait_for_indexes(port, workers, seconds=1200):
    """Until 10 * workers list pages in a row (spread over the workers by concurrent clients) count
    with the index: an unfiltered list counted with SQL says its counts are of a sample. Each asks
    for an address of its own (a parameter the list ignores), so that no worker answers with a page
    another one kept (statements/pagecache.py)."""
    deadline = time.monotonic() + seconds
    clients = [Client(port) for _ in range(workers * 2)]
    probes = itertools.count()
    while time.monotonic() < deadline:
        results = []
        threads = [
            threading.Thread(
                target=lambda c=c, results=results: results.extend(
                    c.get(f"/quotes/?probe={next(probes)}") for _ in range(5)
                )
            )
            for c in clients
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if all(status == 200 and SAMPLED_NOTE not in body for _, status, body in results):
            return time.monotonic() - (deadline - seconds)
        time.sleep(1)
    raise RuntimeError("the workers did not build their counting index in time")


def wrk_load(port, paths, connections, seconds):
    """{kind: wrk's output} for one wrk process per kind of paths, all at once; each process
    requests its paths in turn from the first (so a new combination is asked once)."""
    processes, scripts = {}, []
    for kind, kind_paths in paths.items():
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write("paths = {" + ",".join(f'"{path}"' for path in kind_paths) + "}\n")
            script.write(
                "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                "  return wrk.format('GET', paths[((counter - 1) % #paths) + 1])\nend\n"
            )
        scripts.append(script.name)
        processes[kind] = subprocess.Popen(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
            + ["-s", script.name, f"http://127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            text=True,
        )
    results = {kind: process.communicate()[0] for kind, process in processes.items()}
    for name in scripts:
        os.unlink(name)
    return results


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk_figure(output, pattern):
    found = re.search(pattern, output)
    if not found:
        return float("nan")
    value, unit = found.groups() if len(found.groups()) == 2 else (found[1], "ms")
    return float(value) * WRK_UNITS.get(unit, 1.0)


def report_wrk(results, args, memory):
    rates = {kind: wrk_figure(output, r"Requests/sec:\s+([\d.]+)()") for kind, output in results.items()}
    errors = sum(
        int(found[1])
        for output in results.values()
        for found in [re.search(r"Non-2xx or 3xx responses: (\d+)", output)]
        if found
    )
    errors += sum(
        sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", found[0]))
        for output in results.values()
        for found in [re.search(r"Socket errors:.*", output)]
        if found
    )
    print(
        f"load, wrk with {args.clients // 2} connections for new combinations and {args.clients // 2} for warm "
        f"pages, {args.seconds} s, {args.workers} workers{' (counting index off)' if args.no_index else ''}: "
        f"{sum(rates.values()):.1f} requests/s, {errors} errors"
    )
    for kind, output in results.items():
        p50 = wrk_figure(output, r"\s50%\s+([\d.]+)(us|ms|s)")
        p99 = wrk_figure(output, r"\s99%\s+([\d.]+)(us|ms|s)")
        print(f"  {kind:<5} {rates[kind]:>6.1f} requests/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    print("workers' RSS (MB), every 10 s: " + " ".join(f"{rss:.0f}" for rss, _ in memory))
    print("of which anonymous (heap):     " + " ".join(f"{anon:.0f}" for _, anon in memory))


def percentile(samples, share):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(share * (len(samples) - 1))))] if samples else float("nan")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("database_url")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--combinations", type=int, default=20)
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument(
        "--plain", action="store_true", help="new combinations of country x topic x year only (the first mix)"
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="the load's clients: two wrk processes (new and warm, half the connections each; C, light "
        "on the shared cores) or Python threads in this process",
    )
    args = parser.parse_args()
    if args.client == "wrk" and not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (or --client python)")

    cache_dir = tempfile.TemporaryDirectory()
    env = {**env_for(args.database_url), "CACHE_DIR": cache_dir.name}
    if args.no_index:
        env["COUNTING_INDEX"] = "off"
    manage(env, "migrate", "-v", "0")  # the counting index's change log and triggers, if not yet there
    manage(env, "collectstatic", "--noinput", "-v", "0")
    p = parameters(env)
    countries, topics, years, named = combination_values(env)
    combos = iter(new_combinations(countries, topics, years, named, seed=3, plain=args.plain))
    port = free_port()
    started = time.monotonic()
    server = start_gunicorn(env, port, args.workers, timeout=300)
    try:
        booted = time.monotonic() - started
        if not args.no_index:
            ready = wait_for_indexes(port, args.workers)
            print(f"workers up in {booted:.1f} s; every worker's counting index built {ready:.1f} s later")
        rss, anonymous = worker_memory_mb(server.pid)
        print(f"workers' memory before the runs: RSS {rss:.0f} MB, anonymous {anonymous:.0f} MB")

        # 1. first views, one at a time
        client = Client(port)
        first = []
        for _ in range(args.combinations):
            ms, status, _ = client.get(next(combos))
            assert status == 200, status
            first.append(ms)
        print(
            f"first views of {len(first)} new combinations: p50 {statistics.median(first):.0f} ms, "
            f"p95 {percentile(first, 0.95):.0f} ms, max {max(first):.0f} ms"
        )

        # 2. load: half new combinations, half warm pages
        warm = warm_paths(p)
        for path in warm:
            client.get(path)
        if args.client == "wrk":
            memory = [worker_memory_mb(server.pid)]
            stop = threading.Event()

            def sample():
                while not stop.wait(10):
                    memory.append(worker_memory_mb(server.pid))

            threading.Thread(target=sample, daemon=True).start()
            new = list(itertools.islice(combos, 200 * args.seconds))
            results = wrk_load(port, {"new": new, "warm": warm}, args.clients // 2, args.seconds)
            stop.set()
            memory.append(worker_memory_mb(server.pid))
            report_wrk(results, args, memory)
            return
        timings = {"new": [], "warm": []}
        errors = []
        lock = threading.Lock()
        stop = threading.Event()
        memory = [worker_memory_mb(server.pid)]

        def run(number):
            own = Client(port)
            turn = number
            while not stop.is_set():
                kind = "new" if turn % 2 else "warm"
                with lock:
                    path = next(combos) if kind == "new" else warm[turn // 2 % len(warm)]
                ms, status, _ = own.get(path)
                with lock:
                    timings[kind].append(ms)
                    if status != 200:
                        errors.append((status, path))
                turn += 1

        def sample():
            while not stop.wait(10):
                memory.append(worker_memory_mb(server.pid))

        threads = [threading.Thread(target=run, args=(n,)) for n in range(args.clients)]
        threading.Thread(target=sample, daemon=True).start()
        began = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        memory.append(worker_memory_mb(server.pid))
    finally:
        server.terminate()
        server.wait()
    total = sum(len(t) for t in timings.values())
    print(
        f"load, {args.clients} clients, {args.seconds} s, {args.workers} workers"
        f"{' (counting index off)' if args.no_index else ''}: {total / elapsed:.1f} requests/s, {len(errors)} errors"
    )
    for kind, samples in timings.items():
        print(
            f"  {kind:<5} {len(samples):>6} requests, p50 {statistics.median(samples):.0f} ms, "
            f"p99 {percentile(samples, 0.99):.0f} ms"
        )
    print("workers' RSS (MB), every 10 s: " + " ".join(f"{rss:.0f}" for rss, _ in memory))
    print("of which anonymous (heap):     " + " ".join(f"{anon:.0f}" for _, anon in memory))
    if errors:
        print("first errors:", errors[:5])


if __name__ == "__main__":
    main()
