"""Load figures for `make bench`: gunicorn (2 workers) on PostgreSQL and Redis, 50 clients.

Starts its own gunicorn on a free loopback port, drives it from this process with a small
asyncio client for a bounded number of requests and seconds, then stops it. Each figure comes
with the bare Django view served by the same gunicorn as its baseline. The outage figures use a
Redis of their own, stopped for OUTAGE_SECONDS while the patients autosave.
"""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import statistics
import subprocess
import time
from collections.abc import Awaitable
from pathlib import Path

import aiohttp
import cpu_profile

from tests.runtime import gunicorn_process as gunicorn
from tests.runtime.redis_process import RedisServer

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
SECONDS = 8
MAX_REQUESTS = 6000
PACE = 1.0  # seconds between one client's requests in the paced runs
OUTAGE_SECONDS = 5


def start_gunicorn(database_url: str, redis_url: str) -> tuple[subprocess.Popen, str]:
    process, url = gunicorn.start(
        {
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
    )
    gunicorn.wait_until_up(process, url)
    return process, url


async def open_patient(http: aiohttp.ClientSession, base: str, token: str) -> str:
    async with http.get(f"{base}/i/{token}/") as response:
        page = await response.text()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": csrf, "day": "1", "month": "1", "year": "1970"}
    async with http.post(f"{base}/patient/verify/", data=data) as response:
        assert response.status == 200, response.status
    return csrf


async def run_clients(
    make_request, clients, *, pace: float = 0.0, seconds: float = SECONDS
) -> dict:
    """Run `make_request(client)` from every client until the time or request bound.

    With `pace`, each client waits so that it sends one request every `pace` seconds, as a
    patient's debounced autosave does; without, clients send as fast as answers come back.
    """
    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

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


class Patients:
    """One aiohttp session per patient, each signed in to its own invitation."""

    def __init__(self, base: str, tokens: list[str]):
        self.base, self.tokens = base, tokens

    async def __aenter__(self) -> Patients:
        self.connector = aiohttp.TCPConnector(limit=0)
        sessions = [
            aiohttp.ClientSession(
                connector=self.connector,
                connector_owner=False,
                cookie_jar=aiohttp.CookieJar(unsafe=True),
            )
            for _ in self.tokens
        ]
        self.clients = [
            {"http": http, "csrf": await open_patient(http, self.base, token), "revision": 0}
            for http, token in zip(sessions, self.tokens, strict=True)
        ]
        return self

    async def __aexit__(self, *exc) -> None:
        for client in self.clients:
            await client["http"].close()
        await self.connector.close()

    async def bare(self, client) -> bool:
        async with client["http"].get(f"{self.base}/bench/bare") as response:
            await response.read()
            return response.status == 200

    async def question_page(self, client) -> bool:
        async with client["http"].get(f"{self.base}/patient/step/1/") as response:
            await response.read()
            return response.status == 200

    async def autosave(self, client) -> bool:
        data = {
            "csrfmiddlewaretoken": client["csrf"],
            "revision": str(client["revision"]),
            "areas": "calf_left",
            "happening_now": "now",
            "started-year": "2024",
        }
        async with client["http"].post(
            f"{self.base}/patient/step/1/autosave/",
            data=data,
            headers={"X-CSRFToken": client["csrf"]},
        ) as response:
            if response.content_type != "application/json":  # a 503 page
                await response.read()
                return False
            body = await response.json()
            client["revision"] = body.get("revision", client["revision"])
            return response.status == 200

    def run(self, name: str, *, pace: float = 0.0, seconds: float = SECONDS) -> Awaitable[dict]:
        request = getattr(self, name.replace(" ", "_"))
        return run_clients(request, self.clients, pace=pace, seconds=seconds)


async def measure(base: str, tokens: list[str], master_pid: int) -> dict[str, dict]:
    async with Patients(base, tokens) as patients:
        results = {}
        for name in ("bare", "question page", "autosave"):
            results[name] = await patients.run(name)
        results["bare again"] = await patients.run("bare")
        for name in ("bare", "question page", "autosave"):
            results[f"{name} paced"] = await patients.run(name, pace=PACE)
        for name in ("question page", "autosave"):  # once more, with py-spy watching
            results[f"{name} profile"] = await profiled(patients, name, master_pid)
        return results


async def profiled(patients: Patients, name: str, master_pid: int) -> dict | None:
    out = ROOT / "build" / f"profile-{name.replace(' ', '-')}.txt"
    out.unlink(missing_ok=True)
    recorder = cpu_profile.start_recording(master_pid, SECONDS, out)
    if recorder is None:
        print("py-spy is not installed: the profile rows are skipped.")
        return None
    run = await patients.run(name)
    _, problem = await asyncio.to_thread(recorder.communicate)
    if recorder.returncode != 0 or not out.exists():
        print(f"py-spy could not profile the workers: {problem.decode().strip()[-300:]}")
        return None
    return {"run": run, "samples": cpu_profile.layer_shares(out.read_text())}


def load_figures(database_url: str, redis_url: str, tokens: list[str]) -> list[dict]:
    process, base = start_gunicorn(database_url, redis_url)
    try:
        results = asyncio.run(measure(base, tokens, process.pid))
    finally:
        gunicorn.stop(process)
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
    for name in ("question page", "autosave"):
        rows += profile_rows(name, results.get(f"{name} profile"))
    return rows


def profile_rows(name: str, profiled: dict | None) -> list[dict]:
    """The share of the workers' busy samples in each layer of the stack (py-spy).

    py-spy slows the workers it samples, so these runs give shares, not speeds.
    """
    if not profiled:
        return []
    samples = profiled["samples"]
    total = sum(samples.values())
    return [
        {
            "figure": f"profile: {name}, share in {layer}",
            "value": round(100 * count / total, 1),
            "unit": "%",
            "baseline": total,
            "baseline_label": "busy samples of the 2 workers (py-spy, 200 Hz)",
            "ratio": round(count / total, 2),
        }
        for layer, count in samples.most_common()
    ]


async def measure_outage(base: str, tokens: list[str], redis: RedisServer) -> dict[str, dict]:
    async with Patients(base, tokens) as patients:
        results = {"before": await patients.run("autosave", pace=PACE, seconds=OUTAGE_SECONDS)}
        redis.stop()
        results["during"] = await patients.run("autosave", pace=PACE, seconds=OUTAGE_SECONDS)
        redis.start()  # back, and empty
        results["after"] = await patients.run("autosave", pace=PACE, seconds=OUTAGE_SECONDS)
        return results


def outage_figures(database_url: str, tokens: list[str]) -> list[dict]:
    """Paced autosave p99 while a Redis of its own is stopped for 5 s, and once it is back."""
    redis = RedisServer()
    redis.start()
    process, base = start_gunicorn(database_url, redis.url)
    try:
        results = asyncio.run(measure_outage(base, tokens, redis))
    finally:
        gunicorn.stop(process)
        redis.stop()
    before = results["before"]
    return [
        {
            "figure": f"outage: autosave p99, {CLIENTS} clients at 1 req/s, {label}",
            "value": round(results[phase]["p99"], 1),
            "unit": "ms",
            "baseline": round(before["p99"], 1),
            "baseline_label": "same load, before Redis stopped",
            "ratio": round(results[phase]["p99"] / before["p99"], 2),
            "errors": results[phase]["errors"],
        }
        for phase, label in (("during", "Redis down 5 s"), ("after", "Redis back, empty"))
    ]
