"""The harness's errors: one root class, and one class per kind of bad input, each message naming the fix."""

from __future__ import annotations


class HarnessError(Exception):
    """Root of the harness's errors; the message says what is wrong and how to fix it."""


class ScenarioError(HarnessError):
    """A scenario file or step is malformed: the message names the line and the fix."""


class RunDirError(HarnessError):
    """A run directory is incomplete or damaged: the message names the missing or bad file."""
