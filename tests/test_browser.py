"""The debrief report opens in a browser only when one really starts: the end screen then
says so, and otherwise says where the file is (reporting.open_in_browser)."""

import shutil
import webbrowser

import pytest

from racegame.ui import reporting


class Helper:
    """A browser that webbrowser runs as a helper program with these arguments."""

    def __init__(self, name, args=("%s",)):
        self.name, self.args = name, list(args)


class Platform:
    """A platform browser (macOS, Windows): it answers for itself."""

    def __init__(self, answer):
        self.answer = answer

    def open(self, uri):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("<p>report</p>")
    return path


def use(monkeypatch, browser):
    def get(*_args):
        if isinstance(browser, Exception):
            raise browser
        return browser
    monkeypatch.setattr(webbrowser, "get", get)


@pytest.mark.parametrize("browser, opened", [
    (webbrowser.Error("no browser"), False),  # nothing registered at all
    (Helper(shutil.which("true")), True),  # the helper started a browser and exited well
    (Helper(shutil.which("false")), False),  # the helper found no browser
    (Helper("/nonexistent/browser"), False),  # the helper is not there
    (Helper(shutil.which("sleep"), ("5",)), True),  # still running after a moment: a window is up
    (Platform(True), True),
    (Platform(False), False),
    (Platform(OSError("refused")), False),
])
def test_the_report_opens_only_when_a_browser_starts(monkeypatch, report, browser, opened):
    use(monkeypatch, browser)
    assert reporting.open_in_browser(report) is opened
