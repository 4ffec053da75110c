"""The production server: waitress, with limits that suit a public deployment.

waitress's own defaults keep an idle or half-sent connection for 120 s and stop
accepting at 100 open connections, so about a hundred idle sockets lock real
clients out for two minutes.  Here idle connections are closed after
``channel_timeout`` seconds (checked every ``cleanup_interval``), each process
holds up to ``connection_limit`` connections (polled with ``poll(2)``: ``select``
stops at file descriptor 1024) and a request may not carry a body (the API is
GET only).  tests/test_server_limits.py holds idle and half-sent sockets open
and checks that searches still get through.
"""
from __future__ import annotations

import os
import resource
import signal
import socket

from search.memory import give_back_free_memory, limit_malloc_arenas
from web.index_access import warm_tables

#: waitress settings of ``akhbar serve`` (waitress's defaults in brackets).
SERVER_SETTINGS = {
    "channel_timeout": 10,        # [120] s without a byte from the client before its connection is closed
    "cleanup_interval": 2,        # [30] s between checks for such connections
    "connection_limit": 1000,     # [100] open connections per process before accepting pauses
    "asyncore_use_poll": True,    # [False] poll(2), not select(2), which fails past descriptor 1024
    "max_request_header_size": 32 * 1024,  # [256 KiB] a search URL is at most a few KiB
    "max_request_body_size": 64 * 1024,    # [1 GiB] GET and HEAD only: no body is read
}


def _raise_file_limit(wanted: int) -> None:
    """Let this process open ``wanted`` descriptors if the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _prepare_process(app) -> None:
    """Before a serving process's threads start: limit its malloc arenas, then build its derived
    tables in the background and return the memory that freed to the system."""
    limit_malloc_arenas()
    warm_tables(app, then=give_back_free_memory)


def serve_app(app, host: str, port: int, *, threads: int, processes: int = 1) -> int:
    """Serve ``app`` until stopped; with ``processes`` > 1, pre-forked processes on one socket."""
    from waitress import serve

    _raise_file_limit(SERVER_SETTINGS["connection_limit"] + 64)
    if processes <= 1:
        _prepare_process(app)
        serve(app, host=host, port=port, threads=threads, ident="akhbar", **SERVER_SETTINGS)
        return 0
    return _serve_processes(app, host, port, threads, processes, serve)


def _serve_processes(app, host: str, port: int, threads: int, processes: int, serve) -> int:
    """Pre-fork: one listening socket, ``processes`` waitress processes accepting on it.

    Python runs one thread at a time per process, so a search server uses one core
    per process.  The parent forwards SIGTERM/SIGINT to the workers and stops them
    all if one dies (a supervisor such as systemd restarts the service).
    """
    sock = socket.create_server((host, port), reuse_port=False, backlog=1024)
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:  # worker: serve until told to stop
            signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
            _prepare_process(app)  # each process opens its own engine (never across a fork)
            serve(app, sockets=[sock], threads=threads, ident="akhbar", **SERVER_SETTINGS)
            os._exit(0)
        children.append(pid)
    sock.close()

    def stop(*_):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    _pid, status = os.wait()  # the first worker to end ends the service
    stop()
    for _ in children[1:]:
        try:
            os.wait()
        except ChildProcessError:
            break
    return 0 if os.waitstatus_to_exitcode(status) in (0, -signal.SIGTERM) else 1
