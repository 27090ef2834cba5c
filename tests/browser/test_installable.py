"""Chromium calls the app installable: manifest, icons and a controlling service worker, as
the browser itself checks them (Chromium's own installability errors, over CDP)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Playwright

from tests.browser.conftest import CHROMIUM, TABLET, reload_through_the_service_worker, sign_in


def test_chromium_finds_nothing_keeping_the_app_from_being_installed(
    playwright: Playwright, live_server: str, tmp_path: Path
) -> None:
    # a profile on disk: Chromium installs nothing from an incognito context
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profil",
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        viewport=TABLET,
        base_url=live_server,
        locale="fr-FR",
    )
    try:
        page = context.pages[0]
        sign_in(page, "agent")
        page.wait_for_url("**/scan")
        reload_through_the_service_worker(page)
        session = context.new_cdp_session(page)
        errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == [], errors
        manifest = session.send("Page.getAppManifest")
        assert not manifest.get("errors"), manifest["errors"]
    finally:
        context.close()
