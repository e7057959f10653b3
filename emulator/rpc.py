"""gRPC plumbing shared by every emulator server: server construction with health checking and reflection,
the interceptor that turns `EmulatorError` into a status (and a `guardian-error` trailer), the gate that makes
a crashed node's services answer UNAVAILABLE, and the client-side helpers (deadlines, error classification).
"""

from __future__ import annotations

import functools
from concurrent import futures
from typing import Any, Callable, Iterable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from emulator.errors import EmulatorError

DEFAULT_DEADLINE = 30.0          # seconds; every client call carries a deadline
GUARDIAN_ERROR_KEY = "guardian-error"
MEDIACOM_ERROR_KEY = "mediacom-error"
PROCESS_KEY = "guardian-process"  # the calling Guardian process, when a program calls
_ALWAYS_SERVING = ("/grpc.health.v1.Health/", "/grpc.reflection.")
CHANNEL_OPTIONS = [
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.enable_retries", 0),
]


def status_code(error: EmulatorError) -> grpc.StatusCode:
    return getattr(grpc.StatusCode, error.status, grpc.StatusCode.UNKNOWN)


def abort_with(context: grpc.ServicerContext, error: EmulatorError) -> None:
    """Abort the call with the error's status, message and Guardian / MEDIACOM error numbers."""
    trailers = []
    if error.guardian_error is not None:
        trailers.append((GUARDIAN_ERROR_KEY, str(error.guardian_error)))
    if error.mediacom_error is not None:
        trailers.append((MEDIACOM_ERROR_KEY, str(error.mediacom_error)))
    if trailers:
        context.set_trailing_metadata(tuple(trailers))
    context.abort(status_code(error), error.message)


class Relayed(EmulatorError):
    """A call to another service failed: its status, message and Guardian / MEDIACOM error numbers are passed
    on, so a refusal downstream stays a refusal (not UNKNOWN) for the caller of this service."""

    def __init__(self, exc: grpc.RpcError, what: str = ""):
        details = exc.details() or exc.code().name
        notes = "".join(f"; {n}" for n in getattr(exc, "__notes__", ()))
        super().__init__(f"{what + ': ' if what else ''}{details}{notes}", guardian_error=guardian_error(exc),
                         mediacom_error=mediacom_error(exc))
        self.status = exc.code().name


def _wrap_unary(behavior: Callable, gate: Callable[[], EmulatorError | None] | None) -> Callable:
    @functools.wraps(behavior)
    def wrapper(request: Any, context: grpc.ServicerContext) -> Any:
        try:
            if gate is not None and (err := gate()) is not None:
                raise err
            return behavior(request, context)
        except EmulatorError as exc:
            abort_with(context, exc)
        except grpc.RpcError as exc:  # a downstream call failed: relay its status instead of UNKNOWN
            abort_with(context, Relayed(exc))
    return wrapper


def _wrap_stream(behavior: Callable, gate: Callable[[], EmulatorError | None] | None) -> Callable:
    @functools.wraps(behavior)
    def wrapper(request: Any, context: grpc.ServicerContext) -> Iterable[Any]:
        try:
            if gate is not None and (err := gate()) is not None:
                raise err
            yield from behavior(request, context)
        except EmulatorError as exc:
            abort_with(context, exc)
        except grpc.RpcError as exc:
            abort_with(context, Relayed(exc))
    return wrapper


class ErrorInterceptor(grpc.ServerInterceptor):
    """Map `EmulatorError` to status codes; with a `gate`, refuse every call while it returns an error."""

    def __init__(self, gate: Callable[[], EmulatorError | None] | None = None):
        self._gate = gate

    def intercept_service(self, continuation: Callable, handler_call_details: grpc.HandlerCallDetails) -> Any:
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        gate = None if handler_call_details.method.startswith(_ALWAYS_SERVING) else self._gate
        if handler.unary_unary:
            return handler._replace(unary_unary=_wrap_unary(handler.unary_unary, gate))
        if handler.stream_unary:
            return handler._replace(stream_unary=_wrap_unary(handler.stream_unary, gate))
        if handler.unary_stream:
            return handler._replace(unary_stream=_wrap_stream(handler.unary_stream, gate))
        if handler.stream_stream:
            return handler._replace(stream_stream=_wrap_stream(handler.stream_stream, gate))
        return handler


class Server:
    """A gRPC server on loopback with health checking and reflection for the services added to it."""

    def __init__(self, address: str = "127.0.0.1:0", *, gate: Callable[[], EmulatorError | None] | None = None,
                 max_workers: int = 32, interceptors: Iterable[grpc.ServerInterceptor] = ()):
        self._server = grpc.server(
            futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
            interceptors=[ErrorInterceptor(gate), *interceptors],
            options=[*CHANNEL_OPTIONS, ("grpc.so_reuseport", 0)],
        )
        self.health = health.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self.health, self._server)
        self._services: list[str] = []
        self.port = self._server.add_insecure_port(address)
        if self.port == 0:
            raise EmulatorError(f"could not bind {address}: choose another address or port 0")
        host = address.rsplit(":", 1)[0]
        self.address = f"{host}:{self.port}"

    @property
    def grpc_server(self) -> grpc.Server:
        return self._server

    def add(self, add_fn: Callable[[Any, grpc.Server], None], servicer: Any, service_name: str) -> None:
        """Register a servicer (`add_XServicer_to_server`) under its full service name."""
        add_fn(servicer, self._server)
        self._services.append(service_name)

    def add_generic(self, handler: grpc.GenericRpcHandler) -> None:
        self._server.add_generic_rpc_handlers((handler,))

    @property
    def services(self) -> list[str]:
        return list(self._services)

    def start(self) -> "Server":
        reflection.enable_server_reflection(
            (*self._services, health.SERVICE_NAME, reflection.SERVICE_NAME), self._server)
        self._server.start()
        self.set_serving(True)
        return self

    def set_serving(self, serving: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in ("", *self._services):
            self.health.set(name, status)

    def stop(self, grace: float | None = 0.5) -> None:
        self.health.enter_graceful_shutdown()
        self._server.stop(grace).wait(5)


def channel(address: str) -> grpc.Channel:
    """An insecure channel to a loopback (or topology-given) address with the project's options."""
    return grpc.insecure_channel(address, options=CHANNEL_OPTIONS)


def guardian_error(exc: grpc.RpcError) -> int | None:
    """The Guardian error number a failed call carried in its trailers, if any."""
    trailers = exc.trailing_metadata() if hasattr(exc, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == GUARDIAN_ERROR_KEY:
            return int(value)
    return None


def mediacom_error(exc: grpc.RpcError) -> int | None:
    """The MEDIACOM error number (`**ERROR-nnnn**`) a failed call carried in its trailers, if any."""
    trailers = exc.trailing_metadata() if hasattr(exc, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == MEDIACOM_ERROR_KEY:
            return int(value)
    return None


def is_indefinite(exc: grpc.RpcError) -> bool:
    """An UNAVAILABLE or DEADLINE_EXCEEDED call may or may not have happened (Jepsen's `info`)."""
    return exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
