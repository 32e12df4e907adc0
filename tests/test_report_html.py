"""The HTML report in a real browser: headless Chromium, driven over the
DevTools protocol, renders it at 1280 px wide with no console error, no
request leaving the file, no horizontal scrolling, and a screenshot whose
chart regions hold the charts' colours.

Skipped when /usr/bin/chromium is absent (`apt-get install -y chromium`).
"""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import json
import shutil
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from assistant.report import build_report
from assistant.report.charts import CATEGORY_COLOURS, OUTCOME_COLOURS
from assistant.report.html import render_html
from assistant.store import Store
from playbooks import load_playbook
from tests.builders import write_playbook
from tests.test_report import NOW, W47, build_world

CHROMIUM = Path("/usr/bin/chromium")
WIDTH = 1280

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)",
)

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--force-device-scale-factor=1", "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]


class Page:
    """One tab over the DevTools protocol, recording what a reader would not
    see: console messages, exceptions, log errors and every request."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse):
        self.socket = socket
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.events: list[dict] = []
        self.loaded = asyncio.Event()
        self.session: str | None = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.socket:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.pending:
                self.pending.pop(data["id"]).set_result(data)
            elif "method" in data:
                self.events.append(data)
                if data["method"] == "Page.loadEventFired":
                    self.loaded.set()

    async def send(self, method: str, params: dict | None = None, *, browser: bool = False):
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        future = asyncio.get_running_loop().create_future()
        self.pending[message_id] = future
        await self.socket.send_str(json.dumps(message))
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise AssertionError(f"{method}: {reply['error']}")
        return reply["result"]

    async def open(self, url: str) -> None:
        self.events.clear()
        self.loaded.clear()
        await self.send("Page.navigate", {"url": url})
        await asyncio.wait_for(self.loaded.wait(), 30)
        await asyncio.sleep(0.3)  # late console messages and log entries

    def problems(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning",
                                                                            "assert"):
                found.append(f"console.{params['type']}: {params['args']}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    found.append(f"request: {url}")
        return found


async def browse(directory: Path, check) -> None:
    """Start Chromium, attach to a fresh tab sized 1280 px wide, run ``check``."""
    profile = directory / "chromium-profile"
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and len(port_file.read_text().splitlines()) == 2:
                break
            await asyncio.sleep(0.1)
        port, path = port_file.read_text().splitlines()
        async with aiohttp.ClientSession() as http, http.ws_connect(
            f"ws://127.0.0.1:{port}{path}", max_msg_size=0
        ) as socket:
            page = Page(socket)
            target = await page.send("Target.createTarget", {"url": "about:blank"})
            attached = await page.send("Target.attachToTarget",
                                       {"targetId": target["targetId"], "flatten": True})
            page.session = attached["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                await page.send(f"{domain}.enable")
            await page.send("Emulation.setDeviceMetricsOverride",
                            {"width": WIDTH, "height": 900, "deviceScaleFactor": 1,
                             "mobile": False})
            await check(page)
            await socket.send_str(json.dumps({"id": 0, "method": "Browser.close"}))
            page.reader.cancel()
    finally:
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def has_colour(image: Image.Image, hex_colour: str, tolerance: int = 12) -> bool:
    target = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(
        all(abs(a - b) <= tolerance for a, b in zip(colour[:3], target, strict=True))
        for _, colour in image.getcolors(maxcolors=1 << 20)
    )


def ink(image: Image.Image, background=(255, 255, 255)) -> float:
    """Share of pixels that are not the background."""
    counts = image.getcolors(maxcolors=1 << 20)
    blank = sum(n for n, colour in counts if all(abs(a - b) <= 8 for a, b in
                                                 zip(colour[:3], background, strict=True)))
    return 1 - blank / (image.width * image.height)


@pytest.fixture
def report_file(tmp_path: Path) -> Path:
    playbook = load_playbook(write_playbook(tmp_path))
    with Store(tmp_path / "report.db") as store:
        build_world(store)
        data = build_report(store, playbook, W47, now=NOW)
    path = tmp_path / "report.html"
    path.write_text(render_html(data), encoding="utf-8")
    return path


async def test_report_renders_at_1280_with_its_charts(report_file: Path, tmp_path: Path):
    results: dict = {}

    async def check(page: Page) -> None:
        # The harness itself must notice errors and outside requests.
        probe = tmp_path / "probe.html"
        probe.write_text("<img src='http://127.0.0.1:9/x.png'><script>console.error('probe')"
                         "</script>", encoding="utf-8")
        await page.open(probe.as_uri())
        results["probe"] = page.problems()

        await page.open(report_file.as_uri())
        results["problems"] = page.problems()
        layout = await page.send("Runtime.evaluate", {"returnByValue": True, "expression": """
            JSON.stringify({
              width: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight,
              images: [...document.images].map(i => i.complete && i.naturalWidth > 0),
              charts: [...document.querySelectorAll('figure.chart img')].map(img => {
                const r = img.getBoundingClientRect();
                return {name: img.closest('figure').dataset.chart, x: r.left + scrollX,
                        y: r.top + scrollY, width: r.width, height: r.height};
              }),
              header: (() => { const r = document.querySelector('header').getBoundingClientRect();
                               return {y: r.top + scrollY, height: r.height}; })()
            })"""})
        results["layout"] = json.loads(layout["result"]["value"])
        height = results["layout"]["height"]
        shot = await page.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}})
        results["screenshot"] = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")

    await asyncio.wait_for(browse(tmp_path, check), 120)

    assert any("probe" in p for p in results["probe"])
    assert any(p.startswith("request: http://127.0.0.1:9/") for p in results["probe"])
    assert results["problems"] == []
    layout = results["layout"]
    assert layout["width"] <= WIDTH, "the report scrolls sideways at 1280 px"
    assert layout["images"] and all(layout["images"])
    charts = {chart["name"]: chart for chart in layout["charts"]}
    assert sorted(charts) == ["credibility", "problems", "queue", "reach", "threads", "user_types"]

    screenshot: Image.Image = results["screenshot"]
    assert screenshot.width == WIDTH
    crops = {}
    for name, box in charts.items():
        assert box["width"] >= 400 and box["height"] >= 150, (name, box)
        crop = screenshot.crop((int(box["x"]), int(box["y"]), int(box["x"] + box["width"]),
                                int(box["y"] + box["height"])))
        crops[name] = crop
        assert 0.03 < ink(crop) < 0.9, (name, ink(crop))
        assert len(crop.getcolors(maxcolors=1 << 20)) > 30, name
    assert has_colour(crops["threads"], CATEGORY_COLOURS["pervasive_solvable"])
    assert has_colour(crops["threads"], CATEGORY_COLOURS["unsolvable"])
    assert has_colour(crops["problems"], CATEGORY_COLOURS["pervasive_solvable"])
    assert has_colour(crops["queue"], OUTCOME_COLOURS["answered_on_time"])
    assert has_colour(crops["queue"], OUTCOME_COLOURS["expired"])
    # The same check finds nothing where there is no chart: the page's margin.
    margin = screenshot.crop((WIDTH - 60, 0, WIDTH, 400))
    assert ink(margin, background=margin.getpixel((0, 0))) < 0.01
