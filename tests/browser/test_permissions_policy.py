"""In Chromium, the Permissions-Policy header switches features off and raises no warning."""

import pytest

pytestmark = pytest.mark.browser


def test_chromium_keeps_camera_and_microphone_off_and_knows_every_feature_named(invite, page):
    warnings: list[str] = []
    page.on("console", lambda message: warnings.append(message.text))
    _, link = invite()
    page.goto(link)
    page.wait_for_load_state("load")
    allows = page.evaluate(
        """() => Object.fromEntries(
            ["camera", "microphone", "geolocation", "payment", "usb", "serial", "clipboard-write"]
              .map((feature) => [feature, document.featurePolicy.allowsFeature(feature)]))"""
    )
    assert allows == {
        "camera": False,
        "microphone": False,
        "geolocation": False,
        "payment": False,
        "usb": False,
        "serial": False,
        "clipboard-write": True,  # the clinic's "Copy link" button
    }
    assert [text for text in warnings if "Permissions-Policy" in text] == []
