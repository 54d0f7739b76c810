"""Load figures for `make bench`: gunicorn (2 workers) on PostgreSQL and Redis, 50 clients.

Starts its own gunicorn on a free loopback port, drives it from this process with a small
asyncio client for a bounded number of requests and seconds, then stops it. Each figure comes
with the bare Django view served by the same gunicorn as its baseline.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
SECONDS = 8
MAX_REQUESTS = 6000
PACE = 1.0  # seconds between one client's requests in the paced runs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url: str, redis_url: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "BENCH_BARE_VIEW": "true",
        "ACCESS_LOG": "/dev/null",
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            import urllib.request

            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


async def open_patient(http: aiohttp.ClientSession, base: str, token: str) -> str:
    async with http.get(f"{base}/i/{token}/") as response:
        page = await response.text()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": csrf, "day": "1", "month": "1", "year": "1970"}
    async with http.post(f"{base}/patient/verify/", data=data) as response:
        assert response.status == 200, response.status
    return csrf


async def run_clients(make_request, clients, *, pace: float = 0.0) -> dict:
    """Run `make_request(client)` from every client until the time or request bound.

    With `pace`, each client waits so that it sends one request every `pace` seconds, as a
    patient's debounced autosave does; without, clients send as fast as answers come back.
    """
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + SECONDS

    async def loop(client):
        nonlocal errors
        await asyncio.sleep(random.random() * pace)  # spread the clients out
        while time.monotonic() < stop_at and len(latencies) < MAX_REQUESTS:
            start = time.perf_counter()
            ok = await make_request(client)
            took = time.perf_counter() - start
            latencies.append(took)
            errors += not ok
            if pace:
                await asyncio.sleep(max(0.0, pace - took))

    started = time.perf_counter()
    await asyncio.gather(*(loop(client) for client in clients))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.fmean(latencies) * 1000,
    }


async def measure(base: str, tokens: list[str]) -> dict[str, dict]:
    connector = aiohttp.TCPConnector(limit=0)
    sessions = [
        aiohttp.ClientSession(
            connector=connector, connector_owner=False, cookie_jar=aiohttp.CookieJar(unsafe=True)
        )
        for _ in tokens
    ]
    try:
        csrfs = [
            await open_patient(http, base, token)
            for http, token in zip(sessions, tokens, strict=True)
        ]
        clients = [
            {"http": http, "csrf": csrf, "revision": 0}
            for http, csrf in zip(sessions, csrfs, strict=True)
        ]

        async def bare(client):
            async with client["http"].get(f"{base}/bench/bare") as response:
                await response.read()
                return response.status == 200

        async def question_page(client):
            async with client["http"].get(f"{base}/patient/step/1/") as response:
                await response.read()
                return response.status == 200

        async def autosave(client):
            data = {
                "csrfmiddlewaretoken": client["csrf"],
                "revision": str(client["revision"]),
                "areas": "left_calf",
                "know_start": "yes",
                "started-year": "2024",
            }
            async with client["http"].post(
                f"{base}/patient/step/1/autosave/",
                data=data,
                headers={"X-CSRFToken": client["csrf"]},
            ) as response:
                body = await response.json()
                client["revision"] = body.get("revision", client["revision"])
                return response.status == 200

        results = {}
        for name, request in [
            ("bare", bare),
            ("question page", question_page),
            ("autosave", autosave),
            ("bare again", bare),
        ]:
            results[name] = await run_clients(request, clients)
        for name, request in [
            ("bare paced", bare),
            ("question page paced", question_page),
            ("autosave paced", autosave),
        ]:
            results[name] = await run_clients(request, clients, pace=PACE)
        return results
    finally:
        for http in sessions:
            await http.close()
        await connector.close()


def load_figures(database_url: str, redis_url: str, tokens: list[str]) -> list[dict]:
    process, base = start_gunicorn(database_url, redis_url)
    try:
        results = asyncio.run(measure(base, tokens))
    finally:
        process.terminate()
        process.wait(timeout=20)
    bare = max(results["bare"]["rps"], results["bare again"]["rps"])
    rows = []
    for name in ("question page", "autosave"):
        result = results[name]
        rows.append(
            {
                "figure": f"load: {name}, max throughput, {CLIENTS} clients",
                "value": round(result["rps"], 1),
                "unit": "req/s",
                "baseline": round(bare, 1),
                "baseline_label": "bare Django view, same gunicorn",
                "ratio": round(result["rps"] / bare, 2),
                "errors": result["errors"],
            }
        )
        for pct in ("p50", "p95", "p99"):
            rows.append(
                {
                    "figure": f"load: {name}, {pct}, {CLIENTS} clients flat out",
                    "value": round(result[pct], 1),
                    "unit": "ms",
                    "baseline": round(results["bare"][pct], 1),
                    "baseline_label": "bare view, flat out",
                    "ratio": round(result[pct] / results["bare"][pct], 2),
                }
            )
        paced, bare_paced = results[f"{name} paced"], results["bare paced"]
        for pct in ("p50", "p95", "p99"):
            rows.append(
                {
                    "figure": f"load: {name}, {pct}, {CLIENTS} clients at 1 req/s each",
                    "value": round(paced[pct], 1),
                    "unit": "ms",
                    "baseline": round(bare_paced[pct], 1),
                    "baseline_label": "bare view, same pace",
                    "ratio": round(paced[pct] / bare_paced[pct], 2),
                    "errors": paced["errors"],
                }
            )
    return rows
