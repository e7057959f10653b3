"""The emulator's errors: one root, one class per kind of failure, each carrying its gRPC status and, where
NonStop would return one, the Guardian file-system error number (domain-facts §1)."""

from __future__ import annotations


class EmulatorError(Exception):
    """Root of every error the emulated platform raises."""

    status = "FAILED_PRECONDITION"  # the grpc.StatusCode name a servicer aborts with
    guardian_error: int | None = None

    def __init__(self, message: str, *, guardian_error: int | None = None, mediacom_error: int | None = None):
        super().__init__(message)
        self.message = message
        if guardian_error is not None:
            self.guardian_error = guardian_error
        self.mediacom_error = mediacom_error


class InvalidArgument(EmulatorError):
    """A request field is malformed or out of range."""

    status = "INVALID_ARGUMENT"


class InvalidName(InvalidArgument):
    """A Guardian name breaks the naming rules (Guardian error 13, illegal file name)."""

    guardian_error = 13


class NotFound(EmulatorError):
    """The named object does not exist."""

    status = "NOT_FOUND"


class FileNotFound(NotFound):
    """No such Guardian file (error 11)."""

    guardian_error = 11


class AlreadyExists(EmulatorError):
    """The object to create exists already."""

    status = "ALREADY_EXISTS"


class FileExists(AlreadyExists):
    """A Guardian file of that name exists already (error 10)."""

    guardian_error = 10


class Conflict(EmulatorError):
    """The object is not in a state that allows the operation."""

    status = "FAILED_PRECONDITION"


class SecurityViolation(EmulatorError):
    """The user may not do this (Guardian error 48)."""

    status = "PERMISSION_DENIED"
    guardian_error = 48


class DiskFull(EmulatorError):
    """No room on the disk volume (Guardian error 43)."""

    status = "RESOURCE_EXHAUSTED"
    guardian_error = 43


class UnknownSystem(EmulatorError):
    """The node is not defined in this network (Guardian error 18)."""

    status = "NOT_FOUND"
    guardian_error = 18


class PathDown(EmulatorError):
    """All paths to the remote system are down (Guardian error 250): the Expand link is cut or the node is down."""

    status = "UNAVAILABLE"
    guardian_error = 250


class NodeDown(EmulatorError):
    """The node has crashed and has not been restarted yet."""

    status = "UNAVAILABLE"
    guardian_error = 201


class ProcessKilled(EmulatorError):
    """The calling process was killed (STOP/kill, fault point or node crash); its transaction is rolled back."""

    status = "ABORTED"


class TransactionAborted(EmulatorError):
    """The TMF-like transaction was rolled back; nothing of it was applied."""

    status = "ABORTED"

